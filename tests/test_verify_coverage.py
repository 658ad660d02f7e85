"""Issue 11: verify checks everything official and makes a redo impossible to miss."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from draw_helpers import SEED, at, make_workspace, set_now

from shuangsuiji.core.workspace import Workspace

NEW_SEED = "70615243987012364518"


@pytest.fixture
def drawn(tmp_path, invoke, monkeypatch):
    plan = make_workspace(tmp_path)
    set_now(monkeypatch, at(2026, 4, 7))
    assert invoke("freeze", "--plan", plan, "--task", "T01").exit_code == 0
    set_now(monkeypatch, at(2026, 4, 8))
    r = invoke("draw", "--plan", plan, "--task", "T01", "--seed", SEED, "--seed-source", "掷骰", "--json")
    assert r.exit_code == 0
    monkeypatch.chdir(tmp_path)
    return plan


def _verify(invoke):
    return invoke("verify", "--json")


def _by_status(r, status):
    return [c["text"] for rep in r.json["data"]["reports"] for c in rep["checks"] if c["status"] == status]


def _csv(path):
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def test_redo_after_refreeze_is_a_finding_with_reasons_and_stays_in_the_public_history(drawn, tmp_path, invoke):
    assert invoke("freeze", "--plan", drawn, "--task", "T01", "--reason", "名录更正").exit_code == 0
    r = invoke("draw", "--plan", drawn, "--task", "T01", "--seed", NEW_SEED, "--seed-source", "再次掷骰",
               "--redo", "--reason", "名录更正后重抽", "--json")
    assert r.exit_code == 0, r.stdout
    r = _verify(invoke)
    assert r.exit_code == 0, _by_status(r, "fail")
    found = r.json["data"]["findings"]
    assert any("重新固定了名录" in f and "名录更正" in f for f in found), found
    assert any("重做了抽取" in f and "名录更正后重抽" in f and "out/T01/draw/manifest.json" in f for f in found)
    human = invoke("verify").stdout
    assert "核验发现" in human and "! 任务 T01 重做了抽取" in human
    # the public history lists both attempts, the first no longer in force
    rows = _csv(tmp_path / "out/T01/draw-redo-2/抽取记录.csv")
    head, first, second = rows
    assert head[:4] == ["抽查任务编号", "次序", "抽取时间", "承诺值（SHA-256）"]
    freezes = Workspace(tmp_path).ledger().entries(kind="freeze")
    assert first[3] == freezes[0]["data"]["commitment_sha256"] and first[5] == SEED
    assert "已被第 2 次抽取取代" in first[10]
    assert second[3] == freezes[1]["data"]["commitment_sha256"] and second[5] == NEW_SEED
    assert second[7] == "名录更正后重抽" and "名录更正" in second[8] and second[10] == "有效"


def test_a_clean_workspace_has_no_findings(drawn, invoke):
    r = _verify(invoke)
    assert r.exit_code == 0 and r.json["data"]["findings"] == []
    assert "核验发现" not in invoke("verify").stdout


def test_a_cut_ledger_tail_is_detected_by_the_ledger_head_of_public_files(drawn, tmp_path, invoke, monkeypatch):
    set_now(monkeypatch, at(2026, 4, 9))
    manifest = json.loads((tmp_path / "out/T01/draw/manifest.json").read_text(encoding="utf-8"))
    out = manifest["strata"][0]["selected"][0]
    assert invoke("substitute", "--plan", drawn, "--task", "T01", "--out", out, "--reason", "注销").exit_code == 0
    ledger = tmp_path / "ledger.jsonl"
    lines = ledger.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(lines) == 3
    ledger.write_text("".join(lines[:2]), encoding="utf-8")  # cut the last line, keep its outputs
    r = _verify(invoke)
    assert r.exit_code == 7
    fails = _by_status(r, "fail")
    assert any("台账中没有记录" in f and "out/T01/draw-list-2" in f for f in fails), fails
    # cutting two lines: the draw folder's head (seq 1) still holds, the substitution list's is gone
    ledger.write_text("".join(lines[:1]), encoding="utf-8")
    fails = _by_status(_verify(invoke), "fail")
    assert any("台账末尾被截去或改写" in f and "out/T01/draw-list-2 生成时台账已有 2 条，现只有 1 条" in f
               for f in fails), fails


def test_an_official_looking_folder_without_a_ledger_record_fails(drawn, tmp_path, invoke):
    shutil.copytree(tmp_path / "out/T01/draw", tmp_path / "out/T01/draw-redo-2")
    r = _verify(invoke)
    assert r.exit_code == 7
    assert any("台账中没有记录" in f and "out/T01/draw-redo-2" in f for f in _by_status(r, "fail"))


def test_a_weak_seed_accepted_with_a_reason_is_a_finding(tmp_path, invoke, monkeypatch):
    plan = make_workspace(tmp_path)
    set_now(monkeypatch, at(2026, 4, 7))
    assert invoke("freeze", "--plan", plan, "--task", "T01").exit_code == 0
    r = invoke("draw", "--plan", plan, "--task", "T01", "--seed", "4711", "--weak-seed-reason", "只记下四位")
    assert r.exit_code == 0
    monkeypatch.chdir(tmp_path)
    r = _verify(invoke)
    assert r.exit_code == 0
    assert any("强度不足" in f and "只记下四位" in f for f in r.json["data"]["findings"])


def test_a_tampered_public_list_row_names_code_name_and_row(drawn, tmp_path, invoke):
    path = tmp_path / "out/T01/draw/公示名单.csv"
    rows = _csv(path)
    victim = rows[3]
    rows[3] = victim[:6] + ["某某无关公司"]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    r = invoke("verify", str(tmp_path / "out/T01/draw/manifest.json"), "--json")
    assert r.exit_code == 7
    fails = _by_status(r, "fail")
    assert any("第 4 行" in f and victim[5] in f and f"企业名称应为「{victim[6]}」，文件为「某某无关公司」" in f
               for f in fails), fails


def test_substitution_reason_must_come_from_the_list_and_a_new_list_version_is_published(drawn, tmp_path, invoke):
    manifest = json.loads((tmp_path / "out/T01/draw/manifest.json").read_text(encoding="utf-8"))
    s = manifest["strata"][0]
    out = s["selected"][1]
    r = invoke("substitute", "--plan", drawn, "--task", "T01", "--out", out, "--reason", "老板不配合", "--json")
    assert r.exit_code == 2 and "不在规定的理由中" in r.json["errors"][0]["message"]
    assert "注销" in r.json["errors"][0]["message"] and "无法联系" in r.json["errors"][0]["message"]
    r = invoke("substitute", "--plan", drawn, "--task", "T01", "--out", out, "--reason", "无法联系",
               "--note", "三次上门未见经营", "--json")
    assert r.exit_code == 0, r.stdout
    rows = _csv(tmp_path / "out/T01/draw-list-2/公示名单.csv")
    assert rows[0][-1] == "递补说明"
    # the substitute sits where the replaced entity was (序号 2 of the first stratum)
    assert rows[2][4] == "2" and rows[2][5] == s["reserves"][0]
    assert rows[2][7] == f"递补：替换 {out}（无法联系：三次上门未见经营）"
    assert out not in [row[5] for row in rows[1:]]
    r = _verify(invoke)
    assert r.exit_code == 0
    assert any("draw-list-2" in t and "复算一致" in t for t in _by_status(r, "pass"))
    # tamper with the new version: verify recomputes it
    path = tmp_path / "out/T01/draw-list-2/公示名单.csv"
    path.write_bytes(path.read_bytes().replace(s["reserves"][0].encode(), s["reserves"][1].encode()))
    assert any("draw-list-2" in f for f in _by_status(_verify(invoke), "fail"))


def test_every_ledger_kind_has_a_chinese_name_in_findings():
    """Findings name the act in Chinese (任务 T01 的登记), never the ledger's English kind."""
    import re
    from pathlib import Path

    from shuangsuiji.draw.history import KIND_TEXT

    root = Path(__file__).resolve().parents[1] / "shuangsuiji"
    kinds = {k for p in root.rglob("*.py")
             for k in re.findall(r'ledger\(\)\.append\(\s*"([a-z_]+)"', p.read_text(encoding="utf-8"))}
    assert {"freeze", "draw", "match", "publish", "mark"} <= kinds
    assert sorted(kinds - set(KIND_TEXT)) == []
