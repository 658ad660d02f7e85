"""`ssj verify`: a clean draw holds; any tampering with pool, manifest, outputs or ledger is caught."""

from __future__ import annotations

import json
import shutil

import pytest
from draw_helpers import SEED, at, make_workspace, set_now

from shuangsuiji.core.ledger import Ledger
from shuangsuiji.core.workspace import Workspace


@pytest.fixture
def drawn(tmp_path, invoke, monkeypatch):
    plan = make_workspace(tmp_path / "ws")
    set_now(monkeypatch, at(2026, 4, 7))
    assert invoke("freeze", "--plan", plan, "--task", "T01").exit_code == 0
    set_now(monkeypatch, at(2026, 4, 8))
    r = invoke("draw", "--plan", plan, "--task", "T01", "--seed", SEED, "--seed-source", "掷骰", "--json")
    assert r.exit_code == 0
    return tmp_path / "ws"


def _verify(invoke, *args):
    return invoke("verify", *map(str, args), "--json")


def _failures(r) -> list[str]:
    return [c["text"] for rep in r.json["data"]["reports"] for c in rep["checks"] if c["status"] == "fail"]


def test_clean_draw_verifies(drawn, invoke):
    r = _verify(invoke, drawn / "out/T01/draw/manifest.json")
    assert r.exit_code == 0 and r.json["data"]["ok"] is True
    (rep,) = r.json["data"]["reports"]
    texts = [c["text"] for c in rep["checks"]]
    assert all(c["status"] == "pass" for c in rep["checks"]), texts
    assert any("复算抽中" in t for t in texts) and any("哈希链完整" in t for t in texts)
    assert any("早于抽取" in t for t in texts)


def test_human_output_says_plainly(drawn, invoke):
    r = invoke("verify", str(drawn / "out/T01/draw/manifest.json"))
    assert r.exit_code == 0 and "结论：核验通过" in r.stdout and "✓" in r.stdout


def test_workspace_verify_without_file(drawn, invoke, monkeypatch):
    monkeypatch.chdir(drawn)
    r = _verify(invoke)
    assert r.exit_code == 0
    subjects = [rep["subject"] for rep in r.json["data"]["reports"]]
    assert subjects[0].startswith("台账") and any("正式抽取" in s for s in subjects)


def test_tampered_pool_file_fails(drawn, invoke):
    pool = drawn / "out/T01/freeze/pool.csv"
    lines = pool.read_bytes().split(b"\r\n")
    pool.write_bytes(b"\r\n".join(lines[:-3] + lines[-2:]))  # one entity quietly removed
    r = _verify(invoke, drawn / "out/T01/draw/manifest.json")
    assert r.exit_code == 7
    fails = _failures(r)
    assert any("池文件" in f and "不一致" in f for f in fails)
    assert any("固定名录的输出文件与台账记录不一致" in f for f in fails)


def test_tampered_manifest_selection_fails(drawn, invoke):
    path = drawn / "out/T01/draw/manifest.json"
    m = json.loads(path.read_text(encoding="utf-8"))
    s = m["strata"][0]
    s["selected"][0], s["reserves"][0] = s["reserves"][0], s["selected"][0]  # swap in a favourite
    path.write_text(json.dumps(m, ensure_ascii=False, indent=2), encoding="utf-8")
    r = _verify(invoke, path)
    assert r.exit_code == 7
    fails = _failures(r)
    assert any("复算的抽中名单与清单不一致：第 1 位应为" in f for f in fails)
    assert any("抽取清单的 SHA-256 与台账记录不一致" in f for f in fails)


def test_tampered_seed_fails(drawn, invoke):
    path = drawn / "out/T01/draw/manifest.json"
    m = json.loads(path.read_text(encoding="utf-8"))
    m["seed"] = "38201749561028374618"
    path.write_text(json.dumps(m, ensure_ascii=False, indent=2), encoding="utf-8")
    fails = _failures(_verify(invoke, path))
    assert any("种子与其 SHA-256 不符" in f for f in fails) and any("抽取用种子应为" in f for f in fails)


def test_tampered_public_list_fails(drawn, invoke):
    path = drawn / "out/T01/draw/公示名单.csv"
    path.write_bytes(path.read_bytes().replace("正式".encode(), "正式 ".encode(), 1))
    r = _verify(invoke, drawn / "out/T01/draw/manifest.json")
    assert r.exit_code == 7
    assert any("公示名单.csv（被修改）" in f for f in _failures(r))


def test_tampered_commitment_fails(drawn, invoke):
    path = drawn / "out/T01/freeze/commitment.json"
    c = json.loads(path.read_text(encoding="utf-8"))
    c["strata"][0]["take"] += 1
    path.write_text(json.dumps(c, ensure_ascii=False, indent=2), encoding="utf-8")
    fails = _failures(_verify(invoke, drawn / "out/T01/draw/manifest.json"))
    assert any("承诺文件" in f and "不一致" in f for f in fails)
    assert any("与承诺和池文件一致" not in f and "分层" in f for f in fails)


@pytest.mark.parametrize("edit, seq", [
    ("modify", 1), ("remove", 1), ("reorder", 1), ("modify_last", 2),
])
def test_ledger_tampering_names_the_first_broken_entry(drawn, invoke, edit, seq):
    ledger = drawn / "ledger.jsonl"
    lines = ledger.read_text(encoding="utf-8").splitlines(keepends=True)
    if edit == "modify":
        lines[0] = lines[0].replace('"code": "', '"code": "X', 1)
    elif edit == "remove":
        lines = lines[1:]
    elif edit == "reorder":
        lines = [lines[1], lines[0]]
    else:
        lines[1] = lines[1].replace('"official": true', '"official": false')
    ledger.write_text("".join(lines), encoding="utf-8")
    r = _verify(invoke, ledger)
    assert r.exit_code == 7
    assert any(f"第 {seq} 条记录处断裂" in f for f in _failures(r))
    assert _verify(invoke, drawn / "out/T01/draw/manifest.json").exit_code == 7


def test_forged_substitution_out_of_order_is_caught(drawn, invoke):
    """Even a consistently re-hashed ledger cannot hide a substitution that skipped a reserve."""
    ws = Workspace(drawn)
    m = json.loads((drawn / "out/T01/draw/manifest.json").read_text(encoding="utf-8"))
    s = m["strata"][0]
    ws.ledger().append("substitution", task="T01", time="2026-04-09T10:00:00+08:00",
                       data={"draw_manifest": "out/T01/draw/manifest.json", "out": s["selected"][0],
                             "in": s["reserves"][1], "stratum": s["name"], "reason": "已注销"})
    r = _verify(invoke, drawn / "out/T01/draw/manifest.json")
    assert r.exit_code == 7
    assert any("递补记录不符合候补顺序" in f for f in _failures(r))


def test_stranger_verifies_the_published_files_outside_any_workspace(drawn, tmp_path, invoke):
    public = tmp_path / "published"
    public.mkdir()
    for rel in ("out/T01/draw/manifest.json", "out/T01/freeze/pool.csv", "out/T01/freeze/commitment.json",
                "out/T01/draw/公示名单.csv"):
        shutil.copy(drawn / rel, public)
    r = _verify(invoke, public / "manifest.json")
    assert r.exit_code == 0
    statuses = [c["status"] for rep in r.json["data"]["reports"] for c in rep["checks"]]
    assert "fail" not in statuses and statuses.count("skipped") == 1  # the ledger is not at hand
    texts = [c["text"] for rep in r.json["data"]["reports"] for c in rep["checks"]]
    assert any(t.startswith("公示名单 ") and "公示名单.csv 与清单一致" in t for t in texts), texts
    # The published list is what the public sees: a swapped entity fails for the stranger.
    listed = public / "公示名单.csv"
    original = listed.read_bytes()
    m = json.loads((public / "manifest.json").read_text(encoding="utf-8"))
    first, other = m["strata"][0]["selected"][0], m["strata"][0]["reserves"][0]
    listed.write_bytes(original.replace(first.encode(), other.encode()))
    fails = _failures(_verify(invoke, public / "manifest.json"))
    assert any("公示名单" in f and "与清单不一致" in f and first in f for f in fails), fails
    listed.write_bytes(original.replace("正式".encode(), "试抽（非正式结果）".encode()))
    assert any("公示名单" in f for f in _failures(_verify(invoke, public / "manifest.json")))
    listed.write_bytes(original)
    # A changed copy of the pool fails for the stranger too.
    pool = public / "pool.csv"
    pool.write_bytes(pool.read_bytes() + "低,91630103000009999X,新增\r\n".encode())
    assert _verify(invoke, public / "manifest.json").exit_code == 7


def test_trial_and_commitment_verify(drawn, invoke):
    r = invoke("draw", "--plan", drawn / "plan.yaml", "--task", "T01", "--seed", SEED, "--dry-run", "--json")
    assert r.exit_code == 0
    (trial,) = [p for p in (drawn / "out/T01").iterdir() if p.name.startswith("trial-")]
    r = _verify(invoke, trial / "manifest.json")
    assert r.exit_code == 0
    (rep,) = r.json["data"]["reports"]
    assert "试抽" in rep["subject"] and rep["trial"] is True and r.json["data"]["trial"] is True
    assert rep["complete"] is False and any("不是正式抽取结果" in c["text"] for c in rep["checks"])
    # Never the plain "核验通过" a real draw gets, inside the workspace or outside it.
    human = invoke("verify", str(trial / "manifest.json")).stdout
    assert "结论：这是试抽" in human and "结论：核验通过" not in human
    outside = drawn.parent / "trial-published"
    shutil.copytree(trial, outside)
    shutil.copy(drawn / "out/T01/freeze/pool.csv", outside)
    human = invoke("verify", str(outside / "manifest.json")).stdout
    assert "结论：这是试抽" in human and "已核验的各项全部成立" not in human
    assert "试抽-公示名单.csv 与清单一致" in human
    r = _verify(invoke, drawn / "out/T01/freeze/commitment.json")
    assert r.exit_code == 0 and len([c for c in r.json["data"]["reports"][0]["checks"]
                                     if c["status"] == "pass"]) >= 5


def test_not_a_manifest(drawn, invoke):
    (drawn / "x.json").write_text("{}", encoding="utf-8")
    assert _verify(invoke, drawn / "x.json").exit_code == 3
    assert _verify(invoke, drawn / "nope.json").exit_code == 4


def test_redo_supersedes_and_both_verify(drawn, invoke):
    r = invoke("draw", "--plan", drawn / "plan.yaml", "--task", "T01", "--seed", "11112222333344445555",
               "--redo", "--reason", "种子记录有误", "--json")
    assert r.exit_code == 0
    r = _verify(invoke, drawn / "out/T01/draw/manifest.json")
    assert r.exit_code == 0
    assert any("已被" in c["text"] and "取代" in c["text"] for c in r.json["data"]["reports"][0]["checks"])
    assert _verify(invoke, drawn / "out/T01/draw-redo-2/manifest.json").exit_code == 0
    assert Ledger(drawn / "ledger.jsonl").verify().ok


def test_second_official_draw_of_a_task_number_under_another_id_fails(drawn, invoke, monkeypatch):
    """A ledger written before the draw refused renamed ids: verify names the second draw."""
    import shuangsuiji.draw.run as draw_module

    plan = drawn / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("id: T01\n", "id: T01X\n"), encoding="utf-8")
    assert invoke("freeze", "--plan", plan, "--task", "T01X").exit_code == 0
    monkeypatch.setattr(draw_module, "drawn_under_other_id", lambda ws, task: None, raising=False)  # old behaviour
    r = invoke("draw", "--plan", plan, "--task", "T01X", "--seed", "49271830564738291056", "--json")
    assert r.exit_code == 0
    fails = _failures(_verify(invoke, drawn / "out/T01X/draw/manifest.json"))
    assert any("测试〔2026〕1号" in f and "第二次正式抽取" in f for f in fails), fails
    assert _verify(invoke, drawn / "out/T01/draw/manifest.json").exit_code == 0


def test_a_truncated_ledger_keeps_its_chain_so_verify_prints_the_head_to_compare(drawn, invoke):
    """Deleting the last entry leaves an intact chain: only the printed head hash, compared with a
    published or saved one, shows it (docs/user-guide.md §2)."""
    ledger = drawn / "ledger.jsonl"
    entries = Ledger(ledger).read()
    head = entries[-1]["hash"]
    r = _verify(invoke, ledger)
    text = r.json["data"]["reports"][0]["checks"][0]["text"]
    assert r.exit_code == 0 and f"末条（第 2 条）哈希 {head}" in text
    ledger.write_text(ledger.read_text(encoding="utf-8").splitlines(keepends=True)[0], encoding="utf-8")
    r = _verify(invoke, ledger)
    text = r.json["data"]["reports"][0]["checks"][0]["text"]
    assert r.exit_code == 0 and head not in text and f"末条（第 1 条）哈希 {entries[0]['hash']}" in text
