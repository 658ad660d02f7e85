"""Deadline report: each status on hand-counted official 2026 dates, exit codes, formats, marks."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from shuangsuiji.core.errors import ExitCode
from shuangsuiji.core.ledger import Ledger
from shuangsuiji.core.workdays import WorkCalendar
from shuangsuiji.deadlines import facts as facts_module
from shuangsuiji.deadlines import render
from shuangsuiji.deadlines import report as dl
from shuangsuiji.deadlines.report import ResultFact, TaskFacts, build_report, classify
from shuangsuiji.plan.load import load_plan

D = date.fromisoformat
REPO = Path(__file__).resolve().parents[1]
SAMPLE_PLAN = REPO / "plans" / "chengzhong-2026.yaml"
E1, E2, E3, E4 = "91350100M000100Y43", "914403001922038216", "91630103MA7XXXXX1A", "92630103MA7XXXXX2B"

# Not real data: a 2027 schedule invented for the test.
FAKE_2027 = ("year: 2027\nnotice: 测试用通知（非真实数据）\n"
             "holidays: [2027-01-01, 2027-02-08, 2027-02-09, 2027-02-10, 2027-02-11, 2027-02-12]\n"
             "workdays: [2027-02-06, 2027-02-20]\n")


@pytest.fixture(scope="module")
def plan():
    return load_plan(SAMPLE_PLAN).plan


def t07_facts() -> TaskFacts:
    """T07 (SCJG initiates, YJGL cooperates; window 2026-09-28..2026-12-25), dispatched on the
    first day of the window, so its 5-WD confirmation deadline is the make-up Saturday 10-10."""
    return TaskFacts(
        task_id="T07",
        dispatched=D("2026-09-28"),
        entities=[E1, E2, E3, E4],
        confirmed={"SCJG": D("2026-10-10")},
        results=[
            ResultFact(E1, "SCJG", D("2026-09-29"), D("2026-10-09")),
            ResultFact(E1, "YJGL", D("2026-09-29"), D("2026-10-15")),
            ResultFact(E2, "SCJG", D("2026-10-09"), None),
            ResultFact(E2, "YJGL", D("2026-09-28"), None),
            ResultFact(E4, "SCJG", D("2026-10-14"), None),
            ResultFact(E4, "YJGL", None, None),
        ],
        published={E1: D("2026-10-15")},
        names={E2: "=城中餐饮有限公司"},
    )


def find(report, kind, dept=None, code=None):
    hits = [i for i in report.items if i.kind == kind and i.department == dept and i.credit_code == code]
    assert len(hits) == 1, (kind, dept, code, hits)
    return hits[0]


def test_each_status_on_official_2026_dates(plan):
    cal = WorkCalendar(None)
    r = build_report(plan, {"T07": t07_facts()}, cal, D("2026-10-15"), within=3)

    c = find(r, "confirm", "SCJG")  # 09-29, 09-30, [10-01..10-07 National Day], 10-08, 10-09, 10-10 Sat
    assert (c.deadline, c.status, c.done) == (D("2026-10-10"), dl.DONE, D("2026-10-10"))
    c = find(r, "confirm", "YJGL")  # overdue by 10-12, 13, 14, 15
    assert (c.deadline, c.status, c.days) == (D("2026-10-10"), dl.OVERDUE, 4)

    # entry: inspection + 7 WD, the make-up Saturday 10-10 counted
    e = find(r, "entry", "SCJG", E1)  # 09-30, 10-08, 10-09, 10-10, 10-12, 10-13, 10-14
    assert (e.deadline, e.status) == (D("2026-10-14"), dl.DONE)
    e = find(r, "entry", "YJGL", E1)
    assert (e.deadline, e.status, e.days) == (D("2026-10-14"), dl.LATE, 1)
    e = find(r, "entry", "SCJG", E2)  # 10-10, 12, 13, 14, 15, 16, 19
    assert (e.deadline, e.status, e.days) == (D("2026-10-19"), dl.DUE, 2)
    e = find(r, "entry", "YJGL", E2)  # 09-29, 09-30, 10-08, 09, 10, 12, 13
    assert (e.deadline, e.status, e.days) == (D("2026-10-13"), dl.OVERDUE, 2)
    e = find(r, "entry", "SCJG", E4)  # 10-15, 16, 19, 20, 21, 22, 23
    assert (e.deadline, e.status, e.days) == (D("2026-10-23"), dl.PENDING, 6)

    # not yet inspected: the window's end
    for dept in ("SCJG", "YJGL"):
        i = find(r, "inspect", dept, E3)
        assert (i.deadline, i.status) == (D("2026-12-25"), dl.PENDING)
    assert "没有检查日期" in find(r, "inspect", "YJGL", E4).note

    # publicity: first inspection + 20 WD
    p = find(r, "publicity", None, E1)
    assert (p.start, p.deadline, p.status) == (D("2026-09-29"), D("2026-11-02"), dl.DONE)
    p = find(r, "publicity", None, E2)
    assert (p.start, p.deadline, p.status, p.days) == (D("2026-09-28"), D("2026-10-30"), dl.PENDING, 11)
    assert [i for i in r.items if i.kind == "publicity" and i.credit_code in (E3, E4)] == [find(
        r, "publicity", None, E4)]  # E4 inspected by SCJG only; E3 not at all

    # summary: window end 2026-12-25 + 10 WD runs into 2027, which has no data: never guessed
    s = find(r, "summary", "SCJG")
    assert (s.status, s.deadline) == (dl.NO_CALENDAR, None)
    assert "data/calendar/2027.yaml" in s.note
    assert set(r.missing) == {2027}
    assert any("data/calendar/2027.yaml" in w for w in r.warnings)

    assert r.counts() == {dl.OVERDUE: 2, dl.NO_CALENDAR: 2, dl.DUE: 1, dl.PENDING: 6,
                          dl.LATE: 1, dl.DONE: 3}
    assert r.exit_code() == ExitCode.OVERDUE
    assert [i.status for i in r.items[:3]] == [dl.OVERDUE, dl.OVERDUE, dl.NO_CALENDAR]


def test_summary_deadline_computed_with_2027_override(plan, tmp_path):
    (tmp_path / "2027.yaml").write_text(FAKE_2027, encoding="utf-8")
    r = build_report(plan, {"T07": t07_facts()}, WorkCalendar(tmp_path), D("2026-10-15"))
    s = find(r, "summary", "YJGL")  # 12-28, 29, 30, 31, [01-01 off], 01-04 .. 01-08, 01-11
    assert (s.deadline, s.status) == (D("2027-01-11"), dl.PENDING)
    assert not r.missing and r.count(dl.NO_CALENDAR) == 0


def test_deadline_across_spring_festival_and_plan_override(plan):
    # T01 has one department; say it was dispatched on 2026-02-12 with the plan's 5 WD
    t01 = plan.task("T01")
    facts = TaskFacts("T01", dispatched=D("2026-02-12"))
    r = build_report(plan, {"T01": facts}, WorkCalendar(None), D("2026-02-25"))
    c = find(r, "confirm", "SCJG")  # 02-13, 02-14 Sat, [02-15..02-23], 02-24, 02-25, 02-26
    assert (c.deadline, c.status, c.days) == (D("2026-02-26"), dl.DUE, 1)
    # a task-level override wins over the plan-wide value
    t01_fast = t01.model_copy(update={"deadlines": t01.deadlines.model_copy(update={"confirm_wd": 2})})
    fast_plan = plan.model_copy(update={"tasks": [t01_fast]})
    r = build_report(fast_plan, {"T01": facts}, WorkCalendar(None), D("2026-02-25"))
    c = find(r, "confirm", "SCJG")  # 02-13, 02-14
    assert (c.deadline, c.status, c.days, c.workdays) == (D("2026-02-14"), dl.OVERDUE, 2, 2)


def test_exit_codes(plan):
    cal = WorkCalendar(None)
    quiet = TaskFacts("T02", dispatched=D("2026-05-18"), confirmed={"SCJG": D("2026-05-19"),
                                                                     "WSJK": D("2026-05-20")})
    r = build_report(plan, {"T02": quiet}, cal, D("2026-05-21"))
    assert r.exit_code() == ExitCode.OK and r.attention() == []
    # nothing overdue, but a deadline needs 2027: incomplete report -> 8
    late_window = TaskFacts("T07", dispatched=D("2026-09-28"), confirmed={"SCJG": D("2026-09-29"),
                                                                          "YJGL": D("2026-09-29")})
    r = build_report(plan, {"T07": late_window}, cal, D("2026-09-30"))
    assert r.count(dl.OVERDUE) == 0 and r.exit_code() == ExitCode.CALENDAR_MISSING


def test_classify_day_off_after_deadline(plan):
    cal = WorkCalendar(None)
    # deadline Sat 10-10 (make-up); done Sun 10-11: late, though no working day passed
    assert classify(cal, D("2026-10-10"), D("2026-10-11"), D("2026-10-20"), 3) == (dl.LATE, 0)
    assert classify(cal, D("2026-10-10"), None, D("2026-10-11"), 3) == (dl.OVERDUE, 0)
    assert classify(cal, D("2026-10-10"), None, D("2026-10-10"), 3) == (dl.DUE, 0)  # due today
    assert classify(cal, D("2026-10-10"), None, D("2026-09-30"), 3) == (dl.DUE, 3)  # 10-08, 09, 10
    assert classify(cal, D("2026-10-12"), None, D("2026-09-30"), 3) == (dl.PENDING, 4)


def test_undispatched_tasks_listed_once_draw_date_passed(plan):
    r = build_report(plan, {}, WorkCalendar(None), D("2026-05-11"))
    assert [t.id for t in r.undispatched] == ["T01", "T02"]
    assert r.items == [] and r.exit_code() == ExitCode.OK


def test_text_rendering(plan):
    r = build_report(plan, {"T07": t07_facts()}, WorkCalendar(None), D("2026-10-15"))
    text = "\n".join(render.text_lines(r))
    assert "期限提醒（2026-10-15" in text
    assert "【已逾期】" in text and "【即将到期】" in text and "【无法计算】" in text
    assert "2026-10-10  T07 认领确认  城中区应急管理局  已逾期 4 个工作日（派发 2026-09-28 + 5 个工作日）" in text
    assert (f"2026-10-19  T07 结果录入  城中区市场监督管理局　{E2}　=城中餐饮有限公司  剩 2 个工作日"
            "（检查 2026-10-09 + 7 个工作日）") in text
    assert "【未到期】" not in text  # only with --all
    assert "【未到期】" in "\n".join(render.text_lines(r, show_all=True))


# ---- the commands, on a workspace with ledger entries -------------------------------------


@pytest.fixture
def ws(tmp_path, monkeypatch):
    """A workspace where T07 was drawn and dispatched on 2026-09-28 and E1 was published."""
    (tmp_path / "workspace.yaml").write_text("name: test\n", encoding="utf-8")
    (tmp_path / "plans").mkdir()
    shutil.copy(SAMPLE_PLAN, tmp_path / "plans" / "plan.yaml")
    (tmp_path / "data" / "calendar").mkdir(parents=True)
    (tmp_path / "data" / "calendar" / "2027.yaml").write_text(FAKE_2027, encoding="utf-8")
    out = tmp_path / "out" / "T07"
    (out / "draw").mkdir(parents=True)
    (out / "draw" / "manifest.json").write_text(json.dumps(
        {"strata": [{"name": "一般", "selected": [E1, E2, E3, E4]}]}), encoding="utf-8")
    (out / "publish" / "v1").mkdir(parents=True)
    (out / "publish" / "v1" / "manifest.json").write_text(json.dumps({"published": [E1]}),
                                                          encoding="utf-8")
    led = Ledger(tmp_path / "ledger.jsonl")
    led.append("draw", task="T07", time="2026-09-21T10:00:00+08:00",
               data={"manifest": "out/T07/draw/manifest.json", "official": True, "redo": False})
    led.append("match", task="T07", time="2026-09-28T09:00:00+08:00",
               data={"manifest": "out/T07/match/manifest.json", "dispatched": "2026-09-28T09:00:00+08:00"})
    led.append("publish", task="T07", time="2026-10-15T16:00:00+08:00",
               data={"manifest": "out/T07/publish/v1/manifest.json", "version": 1, "partial": True})
    facts = t07_facts()
    monkeypatch.setattr(facts_module, "read_result_facts",
                        lambda ws_, lp, task: (facts.results, facts.names, []) if task.id == "T07"
                        else ([], {}, []))
    return tmp_path


def test_cli_mark_then_report(invoke, ws):
    plan = ws / "plans" / "plan.yaml"
    r = invoke("mark", "confirmed", "--plan", plan, "--task", "T07", "--department", "SCJG",
               "--date", "2026-10-10")
    assert r.exit_code == 0, r.stderr
    assert "已登记：任务 T07 城中区市场监督管理局 认领确认 2026-10-10（期限 2026-10-10，按期）" in r.stdout
    again = invoke("mark", "confirmed", "--plan", plan, "--task", "T07", "-d", "SCJG", "--date", "2026-10-09")
    assert again.exit_code == int(ExitCode.STATE) and "已登记过" in again.stderr
    assert invoke("mark", "confirmed", "--plan", plan, "--task", "T07", "-d", "WSJK").exit_code == 3
    assert invoke("mark", "confirmed", "--plan", plan, "--task", "T07", "-d", "SCJG",
                  "--date", "2026-09-27", "--reason", "x").exit_code == int(ExitCode.STATE)  # before dispatch
    marks = Ledger(ws / "ledger.jsonl").entries("mark")
    assert [m["data"] for m in marks] == [{"what": "confirmed", "department": "SCJG", "date": "2026-10-10"}]

    r = invoke("report", "deadlines", "--plan", plan, "--today", "2026-10-15")
    assert r.exit_code == int(ExitCode.OVERDUE) == 9
    assert "已逾期 4 个工作日（派发 2026-09-28 + 5 个工作日）" in r.stdout
    assert "【无法计算】" not in r.stdout  # the workspace's 2027 override is used

    j = invoke("report", "deadlines", "--plan", plan, "--today", "2026-10-15", "--format", "json").json
    assert j["exit_code"] == 9 and j["ok"] is False and j["command"] == "report deadlines"
    assert j["data"]["counts"]["overdue"] == 2 and j["data"]["counts"]["done"] == 3
    items = {(i["kind"], i["department"], i["credit_code"]): i for i in j["data"]["items"]}
    assert items[("summary", "YJGL", None)]["deadline"] == "2027-01-11"
    assert items[("publicity", None, E1)]["done"] == "2026-10-15"
    assert items[("confirm", "SCJG", None)]["status"] == "done"
    assert [u["task"] for u in j["data"]["undispatched"]] == ["T01", "T02", "T03", "T04", "T05", "T06"]


def test_cli_report_csv_md_and_out(invoke, ws, tmp_path):
    plan = ws / "plans" / "plan.yaml"
    r = invoke("report", "deadlines", "--plan", plan, "--today", "2026-10-15", "--format", "csv",
               "--out", tmp_path / "all.csv")
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert rows[0] == render.CSV_HEADERS
    assert {row[0] for row in rows[1:]} == {"已逾期", "即将到期"}
    long = [row for row in rows[1:] if row[5] == "结果录入" and row[7] == E2 and row[6] == "城中区市场监督管理局"]
    assert long and long[0][1] == "2026-10-19" and long[0][2] == "剩 2 个工作日"
    assert long[0][8] == "'=城中餐饮有限公司"  # formula injection escaped
    saved = (tmp_path / "all.csv").read_bytes()
    assert saved.startswith(b"\xef\xbb\xbf")
    assert len(list(csv.reader(io.StringIO(saved.decode("utf-8-sig"))))) == 1 + 15

    md = invoke("report", "deadlines", "--plan", plan, "--today", "2026-10-15", "--format", "md").stdout
    assert md.startswith("# 期限提醒 2026-10-15")
    assert "| 已逾期 | 2026-10-10 | 已逾期 4 个工作日 | T07 |" in md


def test_cli_report_quiet_when_nothing_due(invoke, ws):
    plan = ws / "plans" / "plan.yaml"
    # before the draw dates of every task but T01: nothing dispatched is pending yet
    r = invoke("report", "deadlines", "--plan", plan, "--today", "2026-04-01", "--quiet")
    assert (r.exit_code, r.stdout) == (0, "")
    r = invoke("report", "deadlines", "--plan", plan, "--today", "2026-04-01")
    assert r.exit_code == 0 and "共 0 项" in r.stdout


def test_cli_report_warns_about_next_year_from_november(invoke, ws):
    (ws / "data" / "calendar" / "2027.yaml").unlink()
    plan = ws / "plans" / "plan.yaml"
    j = invoke("report", "deadlines", "--plan", plan, "--today", "2026-11-02", "--json").json
    assert any("2027 年的节假日安排尚未录入" in w for w in j["warnings"])
    assert j["data"]["calendar_missing"] == {"2027": (ws / "data/calendar/2027.yaml").as_posix()}
    summary = [i for i in j["data"]["items"] if i["kind"] == "summary"]
    assert summary and all(i["status"] == "calendar_missing" for i in summary)
    assert f"请添加 data/calendar/2027.yaml（工作区 {ws.as_posix()}）" in summary[0]["note"]
    assert j["exit_code"] == 9  # T07's YJGL confirmation is overdue: 9 outranks 8


def test_past_report_ignores_later_facts(plan):
    """--today reproduces a past day: what happened later is not yet known."""
    r = build_report(plan, {"T07": t07_facts()}, WorkCalendar(None), D("2026-10-12"))
    assert find(r, "confirm", "SCJG").status == dl.DONE  # confirmed 10-10
    e = find(r, "entry", "YJGL", E1)  # entered 10-15, after 10-12: still open, 2 WD left
    assert (e.status, e.done, e.days) == (dl.DUE, None, 2)
    assert find(r, "publicity", None, E1).done is None  # published 10-15
    assert [i for i in r.items if i.credit_code == E4 and i.kind == "entry"] == []  # inspected 10-14
    assert build_report(plan, {"T07": t07_facts()}, WorkCalendar(None), D("2026-09-27")).items == []
