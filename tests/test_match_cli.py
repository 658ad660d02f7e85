"""`ssj match` end to end on the shipped sample: real init → freeze → draw → match → verify."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest
from draw_helpers import PLAN, make_workspace
from typer.testing import CliRunner

from shuangsuiji.cli.app import app
from shuangsuiji.cli.main import _load
from shuangsuiji.core.fileio import sha256_file
from shuangsuiji.core.resultcodes import FOLLOW_UPS, TEMPLATE_HEADERS, TEMPLATE_SHEET, label
from shuangsuiji.core.workdays import WorkCalendar
from shuangsuiji.core.workspace import Workspace
from shuangsuiji.match.verify import recompute_match

PLAN_REL = "plans/chengzhong-2026.yaml"
DRAW_SEED = "58203917462038175920"
SEED = "91827364501928374650"
DAY = "2026-05-11"


def cli(*args, now: str | None = None, cwd=None):
    _load()
    env = {"SSJ_NO_PROGRESS": "1", "SSJ_NOW": now or ""}
    result = CliRunner().invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)
    return result


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """The sample workspace with T02 frozen and officially drawn (the real commands)."""
    root = tmp_path_factory.mktemp("sample") / "ws"
    assert cli("init", root).exit_code == 0
    plan = root / PLAN_REL
    assert cli("freeze", "--plan", plan, "--task", "T02", now=f"{DAY}T09:00:00+08:00").exit_code == 0
    r = cli("draw", "--plan", plan, "--task", "T02", "--seed", DRAW_SEED, "--seed-source", "掷骰",
            now=f"{DAY}T10:00:00+08:00")
    assert r.exit_code == 0, r.stdout + r.stderr
    return root


@pytest.fixture
def ws(drawn, tmp_path) -> Workspace:
    root = tmp_path / "ws"
    shutil.copytree(drawn, root)
    return Workspace(root)


def run_match(ws: Workspace, *extra, seed=SEED, task="T02", now=f"{DAY}T15:00:00+08:00"):
    return cli("match", "--plan", ws.root / PLAN_REL, "--task", task, "--seed", seed, "--seed-source",
               "第二次现场掷骰", *extra, now=now)


def nothing_written(ws: Workspace, entries_before: int) -> bool:
    return not any(ws.task_dir("T02").glob("match*")) and len(ws.ledger().read()) == entries_before


def test_match_writes_manifest_dispatch_templates_and_ledger(ws):
    r = run_match(ws, "--json")
    assert r.exit_code == 0, r.stdout + r.stderr
    data = json.loads(r.stdout)["data"]
    folder = ws.task_dir("T02") / "match"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    drawn = json.loads((ws.task_dir("T02") / "draw" / "manifest.json").read_text(encoding="utf-8"))
    selected = [c for s in drawn["strata"] for c in s["selected"]]
    assert [t["credit_code"] for t in manifest["teams"]] == selected and data["teams"] == len(selected)
    areas = {t["credit_code"]: t["area"] for t in manifest["inputs"]["targets"]}
    pool = json.loads((ws.root / manifest["officer_pool"]["path"]).read_text(encoding="utf-8"))
    officer_area = {o["id"]: o["area"] for d in pool["departments"].values() for o in d["eligible"]}
    for team in manifest["teams"]:
        regular = [m for m in team["members"] if not m["specialist_for"]]
        assert sorted(m["department"] for m in regular) == ["SCJG", "SCJG", "WSJK"]
        assert [m["department"] for m in team["members"] if m["leader"]] == ["SCJG"]
        assert all(officer_area[m["officer"]] != areas[team["credit_code"]] for m in team["members"])  # 所所交叉
        assert team["departments"] == ["SCJG", "WSJK"]
    assert manifest["seed"] == SEED and manifest["seed_sha256"] == data["seed_sha256"]
    assert manifest["draw"]["sha256"] == sha256_file(ws.task_dir("T02") / "draw" / "manifest.json")
    assert manifest["officer_pool"]["sha256"] == sha256_file(ws.root / manifest["officer_pool"]["path"])
    entry = ws.ledger().read()[-1]
    assert entry["kind"] == "match" and entry["task"] == "T02"
    assert entry["data"]["dispatched"] == f"{DAY}T15:00:00+08:00" and entry["data"]["redo"] is False
    assert entry["data"]["manifest_sha256"] == sha256_file(folder / "manifest.json")
    assert all(sha256_file(ws.root / f) == h for f, h in entry["files"].items()) and len(entry["files"]) == 7
    assert "out/T02/match/ledger_head.json" in entry["files"]
    deadline = WorkCalendar(ws.calendar_dir).add_workdays(date(2026, 5, 11), 5)
    assert manifest["confirm_deadline"] == deadline.isoformat() == "2026-05-18"

    from openpyxl import load_workbook

    office = load_workbook(folder / "派发单-全部.xlsx")["派发单"]
    assert [c.value for c in office[2]][:6] == ["组长", "序号", "统一社会信用代码", "企业名称", "住所", "属地监管所"]
    team1 = manifest["teams"][0]
    (first,) = [[c.value for c in r] for r in office.iter_rows(min_row=3) if r[2].value == team1["credit_code"]]
    assert first[3] == team1["name"] and first[7].startswith("城中区市场监督管理局：" + first[0].split("（")[0] + "【组长】")
    assert "【组长】" in first[7] and "执法证号" in first[7] and "城中区卫生健康局：" in first[7]
    assert first[8].date() == deadline
    assert office.max_row == 2 + len(selected)
    for dept, name in (("SCJG", "城中区市场监督管理局"), ("WSJK", "城中区卫生健康局")):
        assert (folder / f"派发单-{name}.xlsx").is_file()
        book = load_workbook(folder / f"结果录入-{name}.xlsx")
        sheet = book[TEMPLATE_SHEET]
        assert [c.value for c in sheet[2]] == TEMPLATE_HEADERS
        rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
        assert [r[2] for r in rows] == selected
        assert all(r[1] == "城中市监抽查〔2026〕2号" and r[4] == name and r[6] is None for r in rows)
        formulas = " ".join(dv.formula1 for dv in sheet.data_validations.dataValidation)
        assert label("A") in formulas and FOLLOW_UPS[1] in formulas and "现场检查" in formulas
        assert len(sheet.data_validations.dataValidation) == 6  # 4 lists, 2 date checks
        dates = [TEMPLATE_HEADERS.index("检查日期"), TEMPLATE_HEADERS.index("录入日期")]
        assert all(sheet.cell(row=r, column=c + 1).number_format == "yyyy-mm-dd"
                   for r in range(3, 3 + len(rows)) for c in dates)
        assert sheet.cell(row=3, column=3).number_format == "@"  # the credit code stays text


def test_the_template_reads_back_through_publish_intake(ws):
    from shuangsuiji.plan.load import load_plan
    from shuangsuiji.publish.intake import read_results

    assert run_match(ws).exit_code == 0
    lp = load_plan(ws.root / PLAN_REL)
    files = sorted((ws.task_dir("T02") / "match").glob("结果录入-*.xlsx"))
    rows, problems = read_results(files, lp, lp.plan.task("T02"))
    assert rows == [] and [p for p in problems if p.severity == "error"] == []  # untouched template


def test_seed_is_echoed_with_its_sha256_and_a_short_seed_is_refused_without_a_reason(ws):
    n = len(ws.ledger().read())
    r = run_match(ws, seed="4711")
    assert r.exit_code == 3 and "少于要求的 20 个" in r.stderr and "--weak-seed-reason" in r.stderr
    assert len(ws.ledger().read()) == n and not ws.task_dir("T02").joinpath("match").exists()
    r = run_match(ws, "--weak-seed-reason", "现场只记下四位数", seed="4711")
    assert r.exit_code == 0
    assert "「4711」" in r.stdout and "SHA-256 " in r.stdout
    assert "少于要求的 20 个" in r.stderr
    entry = ws.ledger().read()[-1]
    assert entry["kind"] == "match" and entry["data"]["weak_seed"]["accepted_because"] == "现场只记下四位数"


def test_without_an_official_draw_nothing_is_written(ws):
    n = len(ws.ledger().read())
    r = run_match(ws, task="T04")
    assert r.exit_code == 5 and "还没有正式抽取" in r.stderr
    assert not any(ws.task_dir("T04").glob("match*")) and len(ws.ledger().read()) == n
    # the hint is a command the clerk can type in the workspace: it used to say
    # `--plan chengzhong-2026.yaml`, a path that does not exist there (the plan is in plans/)
    assert "ssj freeze --task T04" in r.stderr and "ssj draw --task T04 --seed" in r.stderr
    assert "--plan chengzhong-2026.yaml" not in r.stderr


def test_the_draw_seed_is_refused(ws):
    n = len(ws.ledger().read())
    r = run_match(ws, seed=DRAW_SEED)
    assert r.exit_code == 3 and "匹配种子与抽取种子完全相同" in r.stderr
    assert nothing_written(ws, n)


@pytest.mark.parametrize("variant", [
    "５８２０３９１７４６２０３８１７５９２０",  # full-width digits
    "5820 3917 4620 3817 5920",  # grouped with spaces
    "5820-3917-4620-3817-5920",  # grouped with dashes
])
def test_a_cosmetic_variant_of_the_draw_seed_is_refused(ws, variant):
    n = len(ws.ledger().read())
    r = run_match(ws, seed=variant)
    assert r.exit_code == 3 and "实为同一个种子" in r.stderr and DRAW_SEED in r.stderr
    assert nothing_written(ws, n)


@pytest.mark.parametrize("hidden", ["\u200b", "\ufeff", "\u00a0", "\u3000", "\u0085", "\u202e"])
def test_a_seed_with_invisible_characters_is_refused(ws, hidden):
    n = len(ws.ledger().read())
    r = run_match(ws, seed=SEED[:10] + hidden + SEED[10:])
    assert r.exit_code == 3 and f"U+{ord(hidden):04X}" in r.stderr
    assert nothing_written(ws, n)


@pytest.mark.parametrize("rel", ["data/inspectors.xlsx", "data/conflicts.csv"])
def test_a_roster_changed_since_the_freeze_is_refused(ws, rel):
    n = len(ws.ledger().read())
    path = ws.root / rel
    path.write_bytes(path.read_bytes() + b"\n")
    r = run_match(ws)
    assert r.exit_code == 5 and "在固定名录后被修改" in r.stderr and rel in r.stderr
    assert nothing_written(ws, n)


def test_a_second_match_needs_redo_and_reason(ws):
    assert run_match(ws).exit_code == 0
    n = len(ws.ledger().read())
    r = run_match(ws)
    assert r.exit_code == 5 and "--redo --reason" in r.stderr and len(ws.ledger().read()) == n
    assert run_match(ws, "--redo").exit_code == 2
    r = run_match(ws, "--redo", "--reason", "卫健局人员调整", seed=SEED + "7", now=f"{DAY}T16:00:00+08:00")
    assert r.exit_code == 0
    entry = ws.ledger().read()[-1]
    assert entry["data"]["redo"] is True and entry["data"]["reason"] == "卫健局人员调整"
    assert entry["data"]["manifest"] == "out/T02/match-redo-2/manifest.json"
    assert (ws.task_dir("T02") / "match" / "manifest.json").is_file()  # the first dispatch is kept


def test_verify_recomputes_the_match_and_a_changed_team_is_caught(ws, tmp_path):
    assert run_match(ws).exit_code == 0
    path = ws.task_dir("T02") / "match" / "manifest.json"
    assert recompute_match(ws, path) == []
    r = cli("verify", path)
    assert r.exit_code == 0, r.stdout + r.stderr
    assert "复算" in r.stdout and "完全一致" in r.stdout
    manifest = json.loads(path.read_text(encoding="utf-8"))
    a, b = manifest["teams"][0]["members"][0], manifest["teams"][1]["members"][0]
    a["officer"], b["officer"] = b["officer"], a["officer"]
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    diffs = recompute_match(ws, forged)
    assert diffs and "第 1 组" in diffs[0]


def test_verifying_the_whole_workspace_includes_the_match(ws, monkeypatch):
    assert run_match(ws).exit_code == 0
    monkeypatch.chdir(ws.root)
    r = cli("verify", "--json")
    assert r.exit_code == 0, r.stdout
    subjects = [rep["subject"] for rep in json.loads(r.stdout)["data"]["reports"]]
    assert any(s.startswith("匹配派发") for s in subjects) and any(s.startswith("正式抽取") for s in subjects)
    dispatch = ws.task_dir("T02") / "match" / "派发单-全部.xlsx"
    dispatch.write_bytes(dispatch.read_bytes() + b"\0")  # edited after dispatch
    r = cli("verify")
    assert r.exit_code == 7 and "派发单-全部.xlsx" in r.stdout


def test_fairness_report_writes_nothing(ws):
    n = len(ws.ledger().read())
    r = cli("match", "--plan", ws.root / PLAN_REL, "--task", "T02", "--seed", SEED, "--fairness", "40", "--json")
    assert r.exit_code == 0, r.stdout + r.stderr
    data = json.loads(r.stdout)["data"]
    assert data["runs"] == 40 and {d["department"] for d in data["departments"]} == {"SCJG", "WSJK"}
    for d in data["departments"]:
        assert 0.9 < d["max_ratio"] < 1.1 and d["min_rate"] > 0
    assert data["pairs"]["max_rate"] <= 1.0 and data["pairs"]["reference_max"] > 0
    assert nothing_written(ws, n)
    text = cli("match", "--plan", ws.root / PLAN_REL, "--task", "T02", "--seed", SEED, "--fairness", "5")
    assert "最大配对率" in text.stdout and "被抽中率" in text.stdout


def test_infeasible_task_is_diagnosed_and_writes_nothing(tmp_path):
    plan_text = PLAN.replace("team: {size: 3, departments: {SCJG: 2, WSJK: 1}}",
                             "team: {size: 3, departments: {SCJG: 2, WSJK: 1}, cross_area: true}")
    plan = make_workspace(tmp_path, plan=plan_text)  # every target and officer is of 人民街所
    assert cli("freeze", "--plan", plan, "--task", "T02", now="2026-05-11T09:00:00+08:00").exit_code == 0
    assert cli("draw", "--plan", plan, "--task", "T02", "--seed", DRAW_SEED,
               now="2026-05-11T10:00:00+08:00").exit_code == 0
    ws = Workspace(tmp_path)
    n = len(ws.ledger().read())
    r = cli("match", "--plan", plan, "--task", "T02", "--seed", SEED, now="2026-05-11T15:00:00+08:00")
    assert r.exit_code == 6, r.stdout + r.stderr
    assert "所所交叉使「人民街所」的" in r.stderr and "只剩 0 名可选执法人员" in r.stderr
    assert "未写入任何文件" in r.stderr and "直接委派" in r.stderr
    assert not any(ws.task_dir("T02").glob("match*")) and len(ws.ledger().read()) == n
    j = cli("match", "--plan", plan, "--task", "T02", "--seed", SEED, "--json")
    err = json.loads(j.stdout)["errors"][0]
    assert err["code"] == "infeasible" and err["problems"][0]["code"] == "infeasible:cross_area"


def _add_columns(ws: Workspace, block: str) -> None:
    plan = ws.root / PLAN_REL
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("  conflicts: ../data/conflicts.csv\n", "  conflicts: ../data/conflicts.csv\n" + block),
                    encoding="utf-8")


def test_an_unrelated_roster_setting_does_not_block_the_match(ws):
    """Issue 11: adding rosters.columns without touching the task (or the officers it reads) is not an
    outcome change; the fingerprint compares the parsed officer records, not the plan's settings."""
    _add_columns(ws, "  columns:\n    targets: {name: [企业全称]}\n    inspectors: {name: [人员姓名全称]}\n")
    r = run_match(ws)
    assert r.exit_code == 0, r.stderr


def test_a_roster_setting_that_changes_the_officers_read_blocks_the_match(ws):
    n = len(ws.ledger().read())
    _add_columns(ws, "  columns:\n    inspectors: {area: [执法门类]}\n")  # 所属所 read from another column
    r = run_match(ws)
    assert r.exit_code == 5 and "人员记录与固定名录时不同" in r.stderr
    assert nothing_written(ws, n)
