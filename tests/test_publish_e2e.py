"""End to end through the real commands on the shipped sample: init → freeze → draw → substitute
→ match → (demo filler) → publish → summary. Checks the public files against the rosters' people."""

from __future__ import annotations

import csv
import importlib.util
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from shuangsuiji.cli.main import COMMAND_MODULES

pytestmark = pytest.mark.skipif("match" not in COMMAND_MODULES or importlib.util.find_spec(
    "shuangsuiji.cli.match") is None, reason="ssj match is not registered yet")

SEEDS = {"draw": "58203917462038175920", "match": "91827364501928374650"}


def _filler():
    path = Path(__file__).resolve().parent.parent / "scripts" / "fill_sample_results.py"
    spec = importlib.util.spec_from_file_location("fill_sample_results", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _at(monkeypatch, moment: str) -> None:
    monkeypatch.setenv("SSJ_NOW", moment)


def test_the_whole_chain_publishes_and_summarises(invoke, tmp_path, monkeypatch):
    root = tmp_path / "ws"
    assert invoke("init", root).exit_code == 0
    monkeypatch.chdir(root)
    plan = "plans/chengzhong-2026.yaml"
    _at(monkeypatch, "2026-05-11T09:00:00+08:00")
    assert invoke("freeze", "--plan", plan, "--task", "T02").exit_code == 0
    _at(monkeypatch, "2026-05-11T10:00:00+08:00")
    r = invoke("draw", "--plan", plan, "--task", "T02", "--seed", SEEDS["draw"], "--seed-source", "测试", "--json")
    assert r.exit_code == 0, r.stdout
    from shuangsuiji.core.state import TaskState
    from shuangsuiji.core.workspace import Workspace

    ws = Workspace(root)
    out_code = TaskState(ws, "T02").selected()[0].credit_code
    _at(monkeypatch, "2026-05-12T09:00:00+08:00")
    r = invoke("substitute", "--plan", plan, "--task", "T02", "--out", out_code, "--reason", "注销", "--note", "2026-05-12 注销")
    assert r.exit_code == 0, r.stderr
    selected = TaskState(ws, "T02").selected()
    sub = next(s for s in selected if s.replaces == out_code)
    _at(monkeypatch, "2026-05-12T15:00:00+08:00")
    r = invoke("match", "--plan", plan, "--task", "T02", "--seed", SEEDS["match"], "--seed-source", "测试")
    assert r.exit_code == 0, r.stderr
    assert _filler().main(["--plan", plan, "--task", "T02", "--until", "2026-08-31"]) == 0

    _at(monkeypatch, "2026-09-11T10:00:00+08:00")
    r = invoke("publish", "--plan", plan, "--task", "T02", "--today", "2026-09-11", "--json")
    assert r.exit_code == 0, r.stdout
    folder = root / "out" / "T02" / "publish" / "v1"
    rows = list(csv.reader(io.StringIO((folder / "公示结果.csv").read_bytes().decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, len(rows))]
    codes = [row[1] for row in rows[1:]]
    assert sorted(codes) == sorted(s.credit_code for s in selected)
    assert sub.credit_code in codes and out_code not in codes
    assert {row[3] for row in rows[1:]} == {"城中区市场监督管理局、城中区卫生健康局"}
    assert {row[4] for row in rows[1:]} == {"抽查"}
    assert all(re.fullmatch(r"2026年0[5-8]月\d\d日", row[5]) for row in rows[1:])

    office = load_workbook(folder / "办公室留存.xlsx")["逐户逐部门"]
    # 卫健局 returned the provincial platform's export (the sample plan maps 卫生监督所 to WSJK)
    assert sorted(p.name for p in (root / "data" / "results" / "T02").iterdir()) == [
        "平台导出-城中区卫生健康局.xlsx", "结果录入-城中区市场监督管理局.xlsx"]
    head = [c.value for c in office[2]]
    kept = [r[head.index("后续处置（原文）")].value for r in office.iter_rows(min_row=3)
            if r[2].value == "城中区卫生健康局"]
    assert kept and all(k.endswith("；") for k in kept)
    assert "未发现问题或相关问题已规范、已改正，无需后续处置；" in kept
    notes = {r[11].value for r in office.iter_rows(min_row=3) if r[0].value == sub.credit_code}
    assert notes == {f"替补 {out_code}（注销）"}

    from shuangsuiji.intake.rosters import load_rosters
    from shuangsuiji.plan.load import load_plan

    rosters = load_rosters(load_plan(root / plan))
    people = {o.name for o in rosters.inspectors} | {o.id_number for o in rosters.inspectors if o.id_number}
    people |= {o.phone for o in rosters.inspectors if o.phone} | {t.phone for t in rosters.targets if t.phone}
    people.discard("")
    cells = [c for row in rows for c in row]
    for name in ("公示结果.xlsx",):
        cells += [str(c.value) for s in load_workbook(folder / name).worksheets for row in s.iter_rows()
                  for c in row if c.value is not None]
    assert len(people) > 50 and len(cells) > 300
    assert [(c, p) for c in cells for p in people if p in c] == []

    _at(monkeypatch, "2026-09-15T10:00:00+08:00")  # a summary's --today cannot be later than the clock
    r = invoke("summary", "--plan", plan, "--task", "T02", "--today", "2026-09-15", "--json")
    assert r.exit_code == 0, r.stdout
    t02 = r.json["data"]["tasks"][0]
    assert t02["status"] == "已公示（第1版）" and t02["entities"] == len(selected) == t02["complete"]
    for d in t02["departments"]:
        assert d["drawn"] == d["inspected"] == len(selected) and d["not_inspected"] == 0
        assert sum(d["by_code"].values()) >= d["inspected"]
    assert (root / r.json["data"]["workbook"]).is_file()

    # ssj verify covers the publication: files against ledger and manifest, the merge recomputed
    # from the filled templates, and the new public list version written by the substitution.
    r = invoke("verify", "--json")
    assert r.exit_code == 0, r.stdout
    reports = {rep["subject"]: rep for rep in r.json["data"]["reports"]}
    (pub,) = [rep for s, rep in reports.items() if s.startswith("结果公示")]
    texts = [c["text"] for c in pub["checks"]]
    assert all(c["status"] == "pass" for c in pub["checks"]), texts
    assert any("重新校验、合并" in t and "完全一致" in t for t in texts)
    (lists,) = [rep for s, rep in reports.items() if s.startswith("递补后的公示名单")]
    assert all(c["status"] == "pass" for c in lists["checks"]), lists
    listed = (root / "out/T02/draw-list-2/公示名单.csv").read_bytes().decode("utf-8-sig")
    assert f"{sub.credit_code}" in listed and f"递补：替换 {out_code}（注销：2026-05-12 注销）" in listed

    csv_path = folder / "公示结果.csv"
    original = csv_path.read_bytes()
    victim = rows[2]
    csv_path.write_bytes(original.replace(victim[2].encode(), "改过的名称".encode(), 1))
    r = invoke("verify", "--json")
    assert r.exit_code == 7
    fails = [c["text"] for rep in r.json["data"]["reports"] for c in rep["checks"] if c["status"] == "fail"]
    assert any("第 3 行" in f and victim[1] in f and "企业名称应为「" + victim[2] in f for f in fails), fails
    csv_path.write_bytes(original)
    manifest_path = folder / "manifest.json"
    m = manifest_path.read_text(encoding="utf-8")
    manifest_path.write_text(m.replace('"partial": false', '"partial": true'), encoding="utf-8")
    r = invoke("verify", "--json")
    assert r.exit_code == 7
    fails = [c["text"] for rep in r.json["data"]["reports"] for c in rep["checks"] if c["status"] == "fail"]
    assert any("公示清单的 SHA-256 与台账记录不一致" in f for f in fails), fails
