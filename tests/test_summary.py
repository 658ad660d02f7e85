"""ssj summary: the figures on a small case worked out by hand, the workbook and its chart."""

from __future__ import annotations

from datetime import date

import factories
import pytest
from openpyxl import load_workbook
from results_helpers import make_workspace, record_draw, record_match, result_row, uscc, write_results

from shuangsuiji.core.workdays import WorkCalendar
from shuangsuiji.plan.load import load_plan
from shuangsuiji.publish.summary import planned_ratios, task_figures
from shuangsuiji.publish.validate import Expected

A, B, C, D = (uscc(n) for n in (401, 402, 403, 404))
SC, WS = "测试区市场监督管理局", "测试区卫生健康局"


@pytest.fixture
def case(tmp_path):
    """T01: A (低) and B (高) by SCJG. T02: C (低) and D (高) by SCJG and WSJK. T03 not drawn.

    Roster: 低 ×6 (one of them 注销), 一般 ×1, 高 ×3.
    """
    ws, plan = make_workspace(tmp_path / "ws")
    data = ws.root / "data"
    data.mkdir()
    risks = {A: "低", B: "高", C: "低", D: "高"}
    rows = [factories.target(0, 统一社会信用代码=c, 信用风险分类=r) for c, r in risks.items()]
    rows += [factories.target(500 + i, 信用风险分类="低") for i in range(3)]
    rows += [factories.target(510, 信用风险分类="低", 登记状态="注销"), factories.target(511, 信用风险分类="一般"),
             factories.target(512, 信用风险分类="高")]
    factories.targets_file(data, rows)
    factories.officers_file(data, [factories.officer(1), factories.officer(2, 部门="WSJK")])
    # The pools committed at T01's draw (30 低, 3 高), not today's roster (5 低, 3 高), are the base.
    record_draw(ws, "T01", {"低": [A], "高": [B]}, pools={"低": 30, "高": 3})
    record_match(ws, "T01", {A: ("甲", ["SCJG"]), B: ("乙", ["SCJG"])})
    record_draw(ws, "T02", {"默认": [C, D]})
    record_match(ws, "T02", {C: ("丙", ["SCJG", "WSJK"]), D: ("丁", ["SCJG", "WSJK"])})
    r1 = ws.root / "data" / "results" / "T01"
    # 2026-05-06 + 7 working days = 2026-05-14 (05-09 is a make-up Saturday): 05-14 on time, 05-15 late.
    write_results(r1 / "scjg.xlsx", [
        result_row(A, inspected=date(2026, 5, 6), entered=date(2026, 5, 14)),
        result_row(B, result="A", subcodes="2", follow_up="责令改正", inspected=date(2026, 5, 6),
                   entered=date(2026, 5, 15)),
    ])
    r2 = ws.root / "data" / "results" / "T02"
    write_results(r2 / "scjg.xlsx", [result_row(C, inspected=date(2026, 6, 1), entered=date(2026, 6, 2)),
                                      result_row(D, result="F", inspected=date(2026, 6, 1), entered=None)])
    write_results(r2 / "wsjk.xlsx", [result_row(C, "WSJK", result="E", follow_up="责令改正",
                                                inspected=date(2026, 6, 3), entered=date(2026, 6, 4)),
                                     result_row(D, "WSJK", result=None, inspected=None, entered=None)])
    return ws, plan


def dept(data, task, dept_id):
    t = next(t for t in data["tasks"] if t["task"] == task)
    return next(d for d in t["departments"] if d["department"] == dept_id)


def test_summary_figures_on_a_known_case(invoke, case):
    ws, plan = case
    r = invoke("summary", "--plan", plan, "--today", "2026-09-01", "--json")
    assert r.exit_code == 0, r.stdout
    data = r.json["data"]
    assert dept(data, "T01", "SCJG") == {
        "department": "SCJG", "name": SC, "drawn": 2, "inspected": 2, "not_inspected": 0,
        "by_code": {"1": 1, "A": 1}, "problem_rate": 0.5, "follow_ups": {"责令改正": 1}, "late": 1,
        "no_entry_date": 0, "late_unknown": 0, "errors": 0}
    assert dept(data, "T02", "SCJG") == {
        "department": "SCJG", "name": SC, "drawn": 2, "inspected": 2, "not_inspected": 0,
        "by_code": {"1": 1, "F": 1}, "problem_rate": 0.0, "follow_ups": {}, "late": 0,
        "no_entry_date": 1, "late_unknown": 0, "errors": 0}
    wsjk = dept(data, "T02", "WSJK")
    assert (wsjk["drawn"], wsjk["inspected"], wsjk["not_inspected"], wsjk["by_code"], wsjk["problem_rate"]) == \
        (2, 1, 1, {"E": 1}, 1.0)
    tasks = {t["task"]: t for t in data["tasks"]}
    assert (tasks["T01"]["status"], tasks["T01"]["complete"]) == ("已派发", 2)
    assert (tasks["T02"]["entities"], tasks["T02"]["complete"]) == (2, 1)
    assert tasks["T03"]["status"] == "未抽取" and tasks["T03"]["departments"] == []
    # carried out: T01 and T02 (dispatched), one of them joint; the plan has 2 joint of 3
    assert (data["joint_tasks"], data["total_tasks"], data["joint_share"]) == (1, 2, 0.5)
    assert (data["planned_joint_tasks"], data["planned_total_tasks"]) == (2, 3)
    # only the non-directed T01 counts, against its own committed pools: each stratum took its quota
    assert data["risk"] == [
        {"risk": "低", "population": 30, "drawn": 1, "coverage": 1 / 30, "planned": 0.03, "reached": True, "tasks": 1},
        {"risk": "一般", "population": 0, "drawn": 0, "coverage": None, "planned": None, "reached": None, "tasks": 0},
        {"risk": "较高", "population": 0, "drawn": 0, "coverage": None, "planned": None, "reached": None, "tasks": 0},
        {"risk": "高", "population": 3, "drawn": 1, "coverage": 1 / 3, "planned": 0.3, "reached": True, "tasks": 1},
    ]


def test_summary_workbook_has_the_tables_and_a_bar_chart(invoke, case):
    ws, plan = case
    r = invoke("summary", "--plan", plan, "--today", "2026-09-01", "--json")
    path = ws.root / r.json["data"]["workbook"]
    assert path.parent == ws.root / "out" / "summary" and path.name.startswith("抽查工作总结-")
    wb = load_workbook(path)
    assert wb.sheetnames == ["按任务和部门", "结果分布", "全计划", "风险分类覆盖"]
    rows = [[c.value for c in row] for row in wb["按任务和部门"].iter_rows(min_row=3)]
    assert rows[0][:10] == ["测试市监抽查〔2026〕1号", "企业公示信息随机抽查", "否", "已派发", SC, 2, 2, 0, 1, "50.0%"]
    assert rows[2][4:8] == [WS, 2, 1, 1]
    dist = wb["结果分布"]
    header = [c.value for c in dist[2]]
    assert header[:4] == ["任务·部门", "任务编号", "1 未发现问题", "A 发现问题待后续处理"]
    assert [c.value for c in dist[3]][:4] == [f"T01 {SC}", "测试市监抽查〔2026〕1号", 1, 1]
    charts = dist._charts
    assert len(charts) == 1 and len(charts[0].series) == 4  # codes 1, A, E, F occur
    plan_rows = [[c.value for c in row] for row in wb["全计划"].iter_rows(min_row=3)]
    assert plan_rows[0][:2] == ["联合抽查占比（实际实施）", "50.0%"]
    assert plan_rows[1][:2] == ["联合抽查占比（计划）", "66.7%"]
    risk = [[c.value for c in row] for row in wb["风险分类覆盖"].iter_rows(min_row=3)]
    assert risk[0] == ["低", 30, 1, 1, "3.3%", "3.0%", "是"]
    assert risk[3] == ["高", 3, 1, 1, "33.3%", "30.0%", "是"]


def test_summary_text_for_the_terminal(invoke, case):
    ws, plan = case
    r = invoke("summary", "--plan", plan, "--task", "T02", "--today", "2026-09-01")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "抽查工作总结（截至 2026年9月1日）"
    assert lines[1] == "测试市监抽查〔2026〕2号「公共场所部门联合抽查」（联合抽查）：已派发，抽取 2 户，完成 1 户"
    assert lines[2] == f"  {SC}：抽取 2，已检查 2，未检查 0；结果 1×1 F×1；发现问题率 0.0%；后续处置 —；逾期录入 0"
    assert lines[3] == f"  {WS}：抽取 2，已检查 1，未检查 1；结果 E×1；发现问题率 100.0%；后续处置 责令改正×1；逾期录入 0"
    assert "联合抽查占比：50.0%（已实施 2 个任务中联合 1 个）；计划占比 66.7%（2/3）" in lines
    assert any(line.startswith("风险分类覆盖率（以抽取时固定的名录为基数）：低 3.3%（抽取 1 户，计划 3.0%）")
               for line in lines)
    assert lines[-2].startswith("已写入 out/summary/抽查工作总结-") and lines[-2].endswith(".xlsx")
    assert lines[-1].startswith("已写入总结材料草稿 out/summary/总结材料-") and ".docx（" in lines[-1]


def test_summary_after_publication_shows_the_version(invoke, case):
    ws, plan = case
    assert invoke("publish", "--plan", plan, "--task", "T01", "--today", "2026-09-01").exit_code == 0
    r = invoke("summary", "--plan", plan, "--task", "T01", "--today", "2026-09-01", "--json")
    assert r.json["data"]["tasks"][0]["status"] == "已公示（第1版）"


def test_rows_with_errors_are_counted_and_duplicates_count_once(case):
    ws, plan = case
    lp = load_plan(plan)
    t = lp.plan.task("T01")
    from shuangsuiji.publish.intake import read_results
    from shuangsuiji.publish.validate import validate

    path = write_results(ws.root / "x.xlsx", [
        result_row(A, inspected=date(2026, 5, 6), entered=date(2026, 5, 7)),
        result_row(A, inspected=date(2026, 5, 6), entered=date(2026, 5, 7)),
        result_row(B, result="A", inspected=date(2026, 5, 6), entered=date(2026, 5, 7)),  # no follow-up
    ])
    exp = Expected.from_pairs([(A, "SCJG"), (B, "SCJG")], dept_names={"SCJG": SC})
    rows, problems = read_results([path], lp, t)
    problems += validate(rows, exp, t, date(2026, 9, 1))
    figs = task_figures(t, exp, rows, problems, WorkCalendar(None), 7)
    f = figs.departments[0]
    assert (f.drawn, f.inspected, dict(f.by_code), f.errors, f.with_problem) == (2, 2, {"1": 1, "A": 1}, 2, 1)


def test_a_year_without_calendar_data_is_not_guessed(case):
    ws, plan = case
    lp = load_plan(plan)
    t = lp.plan.task("T01")

    class NoCalendar:
        def is_late(self, *a):
            from shuangsuiji.core.workdays import CalendarMissing

            raise CalendarMissing(2026, ws.root / "data" / "calendar" / "2026.yaml")

    from shuangsuiji.intake.records import Source
    from shuangsuiji.publish.intake import ResultRow

    row = ResultRow(A, "SCJG", "1", (), None, None, date(2026, 5, 6), date(2026, 5, 20), Source("f", "s", 3))
    figs = task_figures(t, Expected.from_pairs([(A, "SCJG")]), [row], [], NoCalendar(), 7)
    assert (figs.departments[0].late, figs.departments[0].late_unknown) == (0, 1)
    assert figs.notes == ["2026 年没有工作日数据，该年的录入是否逾期无法判断。"]


def test_planned_ratios_come_from_non_directed_tasks(case):
    _, plan = case
    assert planned_ratios(load_plan(plan).plan) == {"低": 0.03, "高": 0.3}


def test_summary_writes_a_word_draft_with_the_figures_and_the_three_sections(invoke, case):
    from shuangsuiji.documents.templatebuild import template_text

    ws, plan = case
    r = invoke("summary", "--plan", plan, "--today", "2026-09-01", "--json")
    assert r.exit_code == 0, r.stdout
    doc = template_text(ws.root / r.json["data"]["document"])
    assert "{{" not in doc and "{%" not in doc
    assert "（草稿，统计截至 2026年9月1日" in doc
    for heading in ("一、工作开展情况", "二、发现的问题", "三、下一步工作打算"):
        assert heading in doc
    assert "共组织抽查任务 3 个，其中已实施 2 个" in doc
    assert "联合抽查占比 50.0%（计划占比 66.7%）" in doc
    assert "共抽取检查对象 4 户" in doc
    assert "低 | 30 | 1 | 3.3% | 3.0% | 是" in doc
    assert "测试市监抽查〔2026〕2号 | 公共场所部门联合抽查 | 是 | 已派发 | 2 | 1" in doc
