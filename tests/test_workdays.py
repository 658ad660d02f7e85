"""Working-day arithmetic against the official 2026 schedule, overrides, and missing years."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import chinese_calendar
import pytest

from shuangsuiji.core.errors import ExitCode, InputInvalid, SsjError
from shuangsuiji.core.schedules import KIND_HOLIDAY, KIND_MAKEUP, KIND_WEEKEND, KIND_WORKDAY
from shuangsuiji.core.workdays import (
    CalendarMissing,
    CalendarOverrideInvalid,
    WorkCalendar,
    library_label,
    library_years,
    load_override,
)

D = date.fromisoformat

# The official 2026 schedule (国务院办公厅 2026 年部分节假日安排), as the domain brief states it.
MAKEUP_2026 = [D("2026-01-04"), D("2026-02-14"), D("2026-02-28"), D("2026-05-09"),
               D("2026-09-20"), D("2026-10-10")]
SPRING_FESTIVAL_2026 = [D("2026-02-15") + timedelta(days=i) for i in range(9)]  # 02-15..02-23
NATIONAL_DAY_2026 = [D("2026-10-01") + timedelta(days=i) for i in range(7)]  # 10-01..10-07


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar(None)


@pytest.fixture
def override_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data" / "calendar"
    d.mkdir(parents=True)
    return d


def write(dir_: Path, name: str, text: str) -> Path:
    p = dir_ / name
    p.write_text(text, encoding="utf-8")
    return p


# A 2027 override used only inside tests. NOT real data: the dates are invented for the test.
FAKE_2027 = """\
year: 2027
notice: 测试用通知（非真实数据）
holidays: [2027-01-01, 2027-02-08, 2027-02-09, 2027-02-10, 2027-02-11, 2027-02-12]
workdays: [2027-02-06, 2027-02-20]
"""


# ---- the library and the 2026 schedule ---------------------------------------------------


def test_library_coverage_is_probed():
    years = library_years()
    assert min(years) == 2004 and max(years) == 2026
    assert years == frozenset(range(2004, 2027))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 3, 1))
    assert library_label() == f"chinesecalendar {chinese_calendar.__version__}"


def test_2026_schedule_matches_the_official_dates(cal):
    s = cal.schedule(2026)
    assert sorted(s.makeup_days) == MAKEUP_2026
    for d in MAKEUP_2026:
        assert d.weekday() >= 5 and cal.is_workday(d), d
    for d in SPRING_FESTIVAL_2026 + NATIONAL_DAY_2026:
        assert not cal.is_workday(d), d
    # the working days around the holidays
    assert cal.is_workday(D("2026-02-13")) and cal.is_workday(D("2026-02-24"))
    assert cal.is_workday(D("2026-09-30")) and cal.is_workday(D("2026-10-08"))
    assert cal.schedule(2026).workday_count() == 248


def test_every_covered_day_agrees_with_chinesecalendar(cal):
    for year in sorted(library_years()):
        d = date(year, 1, 1)
        while d.year == year:
            assert cal.is_workday(d) == chinese_calendar.is_workday(d), d
            d += timedelta(days=1)


# ---- deadlines ---------------------------------------------------------------------------


def test_deadline_across_spring_festival_2026(cal):
    # 02-13 (1), 02-14 Sat make-up (2), 02-15..02-23 off, 02-24 (3), 02-25 (4), 02-26 (5)
    assert cal.add_workdays(D("2026-02-12"), 5) == D("2026-02-26")
    assert cal.add_workdays(D("2026-02-12"), 1) == D("2026-02-13")
    assert cal.add_workdays(D("2026-02-12"), 2) == D("2026-02-14")  # a make-up Saturday
    assert cal.add_workdays(D("2026-02-12"), 3) == D("2026-02-24")
    # an inspection inside the holiday: counting starts the day after, the first WD is 02-24
    assert cal.add_workdays(D("2026-02-18"), 1) == D("2026-02-24")
    # 02-24 (1), 25, 26, 27 (4), 02-28 Sat make-up (5), 03-02 (6), 03-03 (7)
    assert cal.add_workdays(D("2026-02-18"), 7) == D("2026-03-03")


def test_deadline_across_national_day_2026_lands_on_makeup_saturday(cal):
    # 09-29 (1), 09-30 (2), 10-01..10-07 off, 10-08 (3), 10-09 (4), 10-10 Sat make-up (5)
    assert cal.add_workdays(D("2026-09-28"), 5) == D("2026-10-10")
    assert D("2026-10-10").weekday() == 5
    assert cal.add_workdays(D("2026-09-28"), 6) == D("2026-10-12")
    # the 09-20 make-up Sunday and the 09-25 Mid-autumn Friday
    assert cal.add_workdays(D("2026-09-18"), 1) == D("2026-09-20")
    assert cal.add_workdays(D("2026-09-24"), 1) == D("2026-09-28")


def test_plain_weekends_are_not_counted(cal):
    assert cal.add_workdays(D("2026-03-06"), 1) == D("2026-03-09")  # Fri -> Mon
    assert cal.add_workdays(D("2026-03-07"), 1) == D("2026-03-09")  # from a Saturday


def test_n_zero_and_invalid_n(cal):
    assert cal.add_workdays(D("2026-02-15"), 0) == D("2026-02-15")  # returned as is, even a holiday
    with pytest.raises(ValueError):
        cal.add_workdays(D("2026-02-12"), -1)
    with pytest.raises(TypeError):
        cal.is_workday(datetime(2026, 2, 12, 9, 0))


def test_workdays_between_counts_half_open_interval(cal):
    assert cal.workdays_between(D("2026-02-12"), D("2026-02-12")) == 0
    assert cal.workdays_between(D("2026-02-12"), D("2026-02-26")) == 5
    assert cal.workdays_between(D("2026-02-12"), D("2026-02-25")) == 4
    assert cal.workdays_between(D("2026-09-28"), D("2026-10-10")) == 5
    assert cal.workdays_between(D("2026-09-30"), D("2026-10-07")) == 0  # all holiday
    assert cal.workdays_between(D("2026-02-26"), D("2026-02-12")) == -5
    # whole year 2026: (2025-12-31, 2026-12-31]
    assert cal.workdays_between(D("2025-12-31"), D("2026-12-31")) == 248


def test_lateness_rule_agrees_with_deadline(cal):
    """late <=> b > add_workdays(a, n); for a working day b also <=> workdays_between(a, b) > n."""
    start = D("2026-01-01")
    for offset in range(0, 330, 3):
        a = start + timedelta(days=offset)
        deadline = cal.add_workdays(a, 7)
        assert cal.is_workday(deadline)
        assert cal.workdays_between(a, deadline) == 7
        for k in range(-3, 4):
            b = deadline + timedelta(days=k)
            assert cal.is_late(a, b, 7) == (k > 0), (a, b)
            if cal.is_workday(b):
                assert (cal.workdays_between(a, b) > 7) == (k > 0), (a, b)


def test_late_on_a_day_off_right_after_the_deadline(cal):
    # inspected 2026-09-28; 5-WD deadline is Sat 10-10 (make-up); Sun 10-11 is late though
    # no further working day has passed
    assert cal.workdays_between(D("2026-09-28"), D("2026-10-11")) == 5
    assert cal.is_late(D("2026-09-28"), D("2026-10-11"), 5)
    assert not cal.is_late(D("2026-09-28"), D("2026-10-10"), 5)


# ---- a year without data -----------------------------------------------------------------


def test_2027_deadline_refused_without_override(cal):
    with pytest.raises(CalendarMissing) as exc:
        cal.add_workdays(D("2026-12-28"), 5)  # 12-29, 12-30, 12-31, then 2027
    err = exc.value
    assert err.year == 2027
    assert err.path == Path("data/calendar/2027.yaml")
    assert "data/calendar/2027.yaml" in err.message
    assert "2004–2026" in err.message
    assert "notice:" in err.message and "workdays:" in err.message  # shows the format
    assert isinstance(err, SsjError) and err.exit_code == ExitCode.CALENDAR_MISSING
    assert not cal.covered(2027)
    # counting that stays inside 2026 is still fine
    assert cal.add_workdays(D("2026-12-28"), 3) == D("2026-12-31")


def test_missing_year_names_the_workspace_path(override_dir):
    cal = WorkCalendar(override_dir)
    with pytest.raises(CalendarMissing) as exc:
        cal.is_workday(D("2027-03-01"))
    assert exc.value.path == override_dir / "2027.yaml"
    assert (override_dir / "2027.yaml").as_posix() in exc.value.message
    with pytest.raises(CalendarMissing):
        cal.is_workday(D("2003-06-02"))  # before the library's range: not guessed either


def test_misnamed_override_is_pointed_out(override_dir):
    write(override_dir, "2027.yml", FAKE_2027)
    with pytest.raises(CalendarMissing) as exc:
        WorkCalendar(override_dir).is_workday(D("2027-03-01"))
    assert "2027.yml" in exc.value.message and "2027.yaml" in exc.value.message


def test_2027_deadline_computed_with_override(override_dir):
    path = write(override_dir, "2027.yaml", FAKE_2027)
    cal = WorkCalendar(override_dir)
    assert cal.covered(2027)
    # 12-29, 12-30, 12-31, [01-01 off], 01-04 (4), 01-05 (5)
    assert cal.add_workdays(D("2026-12-28"), 5) == D("2027-01-05")
    # 02-05 Fri -> 02-06 Sat make-up (1), 02-08..12 off, 02-15 (2)
    assert cal.add_workdays(D("2027-02-05"), 1) == D("2027-02-06")
    assert cal.add_workdays(D("2027-02-05"), 2) == D("2027-02-15")
    assert cal.is_workday(D("2027-02-20"))  # make-up Saturday
    assert not cal.is_workday(D("2027-02-21"))  # ordinary Sunday
    src = cal.year_source(2027)
    assert path.as_posix() in src and "测试用通知" in src and "chinesecalendar" not in src
    assert cal.year_source(2026) == library_label()


def test_override_takes_precedence_over_library_and_says_so(override_dir):
    # pretend 2026-02-24 became a holiday and 2026-02-14 not a make-up day
    lib = WorkCalendar(None).schedule(2026)
    holidays = sorted(d for d in lib.holidays if d.weekday() < 5) + [D("2026-02-24")]
    makeup = [d for d in MAKEUP_2026 if d != D("2026-02-14")]
    write(override_dir, "2026.yaml",
          "year: 2026\nnotice: 本地修订（测试）\n"
          f"holidays: [{', '.join(d.isoformat() for d in holidays)}]\n"
          f"workdays: [{', '.join(d.isoformat() for d in makeup)}]\n")
    cal = WorkCalendar(override_dir)
    assert not cal.is_workday(D("2026-02-24"))
    assert not cal.is_workday(D("2026-02-14"))
    # 02-13 (1), [02-14 now off], [02-24 now off], 02-25, 26, 27 (4), 02-28 Sat make-up (5)
    assert cal.add_workdays(D("2026-02-12"), 5) == D("2026-02-28")
    assert cal.add_workdays(D("2026-02-12"), 6) == D("2026-03-02")
    src = cal.year_source(2026)
    assert "2026.yaml" in src and "本地修订（测试）" in src
    assert "优先于 chinesecalendar" in src
    assert cal.differences(2026) == [D("2026-02-14"), D("2026-02-24")]


# ---- bad override files ------------------------------------------------------------------


BAD_CASES = [
    # (file text, field named, words expected in the message)
    ("year: 2027\nholidays: [2027-01-01]\nworkdays: []\n", "notice", "缺少此字段"),
    ("year: 2027\nnotice: ''\nholidays: [2027-01-01]\nworkdays: []\n", "notice", "不能为空"),
    ("year: 2027\nnotice: x\nholidays: [2027-01-01, 2026-12-31]\nworkdays: []\n",
     "holidays", "2026-12-31 不在 2027 年内"),
    ("year: 2027\nnotice: x\nholidays: [2027-01-01, 2027-02-06]\nworkdays: [2027-02-06]\n",
     "holidays", "同时出现"),
    ("year: 2027\nnotice: x\nholidays: [2027-01-01]\nworkdays: [2027-02-08]\n",
     "workdays", "本来就是工作日"),
    ("year: 2027\nnotice: x\nholidays: [2027-01-01, 2027-13-01]\nworkdays: []\n",
     "holidays", "第 2 项 2027-13-01 不是存在的日期"),
    ("year: 2027\nnotice: x\nholidays: [2027-01-01, 2027-02-30]\nworkdays: []\n",
     "holidays", "第 2 项 2027-02-30 不是存在的日期"),
    ("year: 2027\nnotice: x\nholidays: [2027-1-1]\nworkdays: []\n",
     "holidays", "2027-1-1 不是 YYYY-MM-DD"),
    ("year: 2027\nnotice: x\nholidays: [2027-01-01 09:00:00]\nworkdays: []\n",
     "holidays", "不是 YYYY-MM-DD"),
    ("year: 2027\nnotice: x\nholidays: [2027-01-01, 2027-01-01]\nworkdays: []\n",
     "holidays", "重复出现"),
    ("year: 2027\nnotice: x\nholidays: []\nworkdays: []\n", "holidays", "不能为空"),
    ("year: 2027\nnotice: x\nholidays: 2027-01-01\nworkdays: []\n", "holidays", "日期列表"),
    ("year: 2027\nnotice: x\nholidays: [2027-01-01]\n", "workdays", "缺少此字段"),
    ("year: 2028\nnotice: x\nholidays: [2027-01-01]\nworkdays: []\n", "year", "不一致"),
    ("year: 27\nnotice: x\nholidays: [2027-01-01]\nworkdays: []\n", "year", "四位数字"),
    ("year: 2027\nnotice: x\nholidays: [2027-01-01]\nholidays: [2027-01-02]\nworkdays: []\n",
     "holidays", "不止一次"),
    ("year: 2027\nnotice: x\nholiday: [2027-01-01]\nholidays: [2027-01-01]\nworkdays: []\n",
     "holiday", "不认识的字段"),
]


@pytest.mark.parametrize("text,field_name,words", BAD_CASES)
def test_bad_override_rejected_naming_file_and_field(override_dir, text, field_name, words):
    path = write(override_dir, "2027.yaml", text)
    cal = WorkCalendar(override_dir)
    with pytest.raises(CalendarOverrideInvalid) as exc:
        cal.is_workday(D("2027-03-01"))
    msg = exc.value.message
    assert path.as_posix() in msg
    assert f"字段「{field_name}」" in msg
    assert words in msg
    assert isinstance(exc.value, InputInvalid) and exc.value.exit_code == ExitCode.INPUT_INVALID
    # an invalid file is never skipped: covered() raises too, it does not answer False
    with pytest.raises(CalendarOverrideInvalid):
        cal.covered(2027)


def test_bad_override_for_a_library_year_does_not_fall_back(override_dir):
    write(override_dir, "2026.yaml", "year: 2026\nholidays: [2026-01-01]\nworkdays: []\n")
    with pytest.raises(CalendarOverrideInvalid) as exc:
        WorkCalendar(override_dir).add_workdays(D("2026-02-12"), 5)
    assert "字段「notice」" in exc.value.message


def test_unparsable_and_non_mapping_files(override_dir):
    p = write(override_dir, "2027.yaml", "year: 2027\nholidays: [2027-01-01\n")
    with pytest.raises(CalendarOverrideInvalid) as exc:
        load_override(p)
    assert "不是有效的 YAML" in exc.value.message and p.as_posix() in exc.value.message
    assert exc.value.problems[0].row == 3
    p = write(override_dir, "2027.yaml", "- 2027-01-01\n")
    with pytest.raises(CalendarOverrideInvalid) as exc:
        load_override(p)
    assert "映射" in exc.value.message


def test_all_problems_reported_at_once(override_dir):
    p = write(override_dir, "2027.yaml",
              "year: 2027\nholidays: [2026-05-01]\nworkdays: [2027-02-08]\n")
    with pytest.raises(CalendarOverrideInvalid) as exc:
        load_override(p)
    fields = {f for f in ("notice", "holidays", "workdays") if f"字段「{f}」" in exc.value.message}
    assert fields == {"notice", "holidays", "workdays"}
    assert len(exc.value.problems) == 3
    rows = {p.reason.split("」")[0]: p.row for p in exc.value.problems}
    assert rows == {"字段「notice": None, "字段「holidays": 2, "字段「workdays": 3}
    assert "第2行 字段「holidays」：第 1 项 2026-05-01 不在 2027 年内" in exc.value.message


def test_quoted_dates_and_weekend_holidays_accepted(override_dir):
    p = write(override_dir, "2027.yaml",
              "year: 2027\nnotice: 测试\n"
              "holidays: ['2027-01-01', '2027-01-02', '2027-01-03']\nworkdays: []\n")
    s = load_override(p)
    assert s.holidays == {D("2027-01-01"), D("2027-01-02"), D("2027-01-03")}


# ---- the 1 November warning --------------------------------------------------------------


def test_next_year_warning_from_1_november(cal):
    assert cal.next_year_warning(D("2026-10-31")) is None
    w = cal.next_year_warning(D("2026-11-01"))
    assert w is not None and "2027" in w and "data/calendar/2027.yaml" in w
    assert w.startswith("今天是 2026年11月1日，") and w.count("data/calendar/2027.yaml") == 1  # stated once
    assert cal.next_year_warning(D("2026-12-31")) is not None
    assert cal.next_year_warning(D("2025-11-01")) is None  # 2026 is covered


def test_next_year_warning_gone_with_override_and_flags_bad_file(override_dir):
    cal = WorkCalendar(override_dir)
    assert cal.next_year_warning(D("2026-11-15")) is not None
    write(override_dir, "2027.yaml", FAKE_2027)
    assert WorkCalendar(override_dir).next_year_warning(D("2026-11-15")) is None
    write(override_dir, "2027.yaml", "year: 2027\nholidays: [2027-01-01]\nworkdays: []\n")
    w = WorkCalendar(override_dir).next_year_warning(D("2026-11-15"))
    assert w is not None and "无效" in w and "notice" in w


def test_current_year_missing_warned_any_month(cal):
    w = cal.next_year_warning(D("2027-03-01"))
    assert w is not None and "本年（2027 年）" in w


# ---- display data ------------------------------------------------------------------------


def test_month_table_2026(cal):
    t = cal.month_table(2026)
    assert t.source == library_label()
    assert t.workdays == 248
    assert list(t.makeup_days) == MAKEUP_2026
    assert len(t.holidays) == 19 and all(d.weekday() < 5 for d in t.holidays)
    feb = t.months[1]
    assert feb.month == 2 and feb.workdays == 16  # 20 weekdays - 6 holidays + 02-14, 02-28
    cells = {c.date: c for w in feb.weeks for c in w if c is not None}
    assert len(cells) == 28 and all(len(w) == 7 for w in feb.weeks)
    assert feb.weeks[0][:6] == (None,) * 6 and feb.weeks[0][6].date == D("2026-02-01")  # a Sunday
    assert cells[D("2026-02-14")].kind == KIND_MAKEUP and cells[D("2026-02-14")].workday
    assert cells[D("2026-02-17")].kind == KIND_HOLIDAY and cells[D("2026-02-17")].name == "春节"
    assert cells[D("2026-02-15")].kind == KIND_HOLIDAY  # a Sunday inside the holiday
    assert cells[D("2026-02-07")].kind == KIND_WEEKEND
    assert cells[D("2026-02-26")].kind == KIND_WORKDAY
    assert sum(m.workdays for m in t.months) == 248
    oct_ = t.months[9]
    assert oct_.workdays == 18  # 22 weekdays - 5 weekday holidays (1, 2, 5, 6, 7) + 10-10


# ---- the documented example stays true ---------------------------------------------------


def test_readme_example_is_valid_and_matches_chinesecalendar(tmp_path):
    readme = Path(__file__).resolve().parents[1] / "data" / "calendar" / "README.md"
    text = readme.read_text(encoding="utf-8")
    block = text.split("<!-- example-2026 -->", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    d = tmp_path / "cal"
    d.mkdir()
    write(d, "2026.yaml", block)
    ours = WorkCalendar(d)
    assert ours.schedule(2026).source == "override"
    assert ours.differences(2026) == []
    lib = WorkCalendar(None).schedule(2026)
    assert ours.schedule(2026).holidays == lib.holidays
    assert ours.schedule(2026).makeup_days == lib.makeup_days


# ---- the commands: ssj calendar show / add -----------------------------------------------


def _workspace(tmp_path: Path) -> Path:
    (tmp_path / "workspace.yaml").write_text("name: test\n", encoding="utf-8")
    (tmp_path / "data" / "calendar").mkdir(parents=True)
    return tmp_path


def test_cli_calendar_add_counts_through_national_day(invoke):
    r = invoke("calendar", "add", "2026-09-28", "5", "--today", "2026-06-01")
    assert r.exit_code == 0
    assert "2026-09-28（星期一）之后第 5 个工作日：2026-10-10（星期六）" in r.stdout
    assert "第 5 个工作日：2026-10-10（星期六，调休上班）" in r.stdout
    assert "2026-10-05（国庆节）" in r.stdout
    j = invoke("calendar", "add", "2026-02-12", "5", "--json").json
    assert j["ok"] and j["data"]["result"] == "2026-02-26"
    assert [c["date"] for c in j["data"]["counted"]] == [
        "2026-02-13", "2026-02-14", "2026-02-24", "2026-02-25", "2026-02-26"]
    assert j["data"]["counted"][1]["kind"] == "makeup"
    assert j["data"]["sources"] == {"2026": library_label()}


def test_cli_calendar_add_refuses_2027_with_exit_8(invoke, tmp_path):
    ws = _workspace(tmp_path)
    r = invoke("calendar", "add", "2026-12-28", "5", "--workspace", ws, "--json")
    assert r.exit_code == int(ExitCode.CALENDAR_MISSING) == 8
    err = r.json["errors"][0]
    assert err["code"] == "calendar_missing"
    assert f"添加文件 data/calendar/2027.yaml（工作区 {ws.as_posix()}）" in err["message"]
    assert err["message"].count(ws.as_posix()) == 1  # the workspace is named once, as in the warning
    write(ws / "data" / "calendar", "2027.yaml", FAKE_2027)
    j = invoke("calendar", "add", "2026-12-28", "5", "--workspace", ws, "--json").json
    assert j["ok"] and j["data"]["result"] == "2027-01-05"
    assert "测试用通知" in j["data"]["sources"]["2027"]


def test_cli_calendar_show_month_grid_and_json(invoke):
    r = invoke("calendar", "show", "2026", "--month", "2", "--today", "2026-06-01")
    assert r.exit_code == 0
    assert "数据来源：chinesecalendar" in r.stdout and "全年工作日：248 天" in r.stdout
    assert "2026年2月（工作日 16 天）" in r.stdout
    assert " 9   10   11   12   13   14班 15休" in r.stdout
    assert "2026年3月" not in r.stdout
    j = invoke("calendar", "show", "2026", "--json").json
    assert j["data"]["workdays"] == 248 and len(j["data"]["months"]) == 12
    assert j["data"]["makeup_days"] == [d.isoformat() for d in MAKEUP_2026]
    oct_days = {d["date"]: d for d in j["data"]["months"][9]["days"]}
    assert oct_days["2026-10-10"]["kind"] == "makeup"
    assert oct_days["2026-10-05"] == {"date": "2026-10-05", "workday": False, "kind": "holiday",
                                      "name": "国庆节"}


def test_cli_calendar_warns_from_1_november(invoke):
    r = invoke("calendar", "show", "2026", "--month", "1", "--today", "2026-11-01", "--json")
    assert any("2027 年的节假日安排尚未录入" in w for w in r.json["warnings"])
    r = invoke("calendar", "show", "2026", "--month", "1", "--today", "2026-10-31", "--json")
    assert not any("2027" in w for w in r.json["warnings"])


def test_cli_calendar_bad_override_exit_3(invoke, tmp_path):
    ws = _workspace(tmp_path)
    write(ws / "data" / "calendar", "2027.yaml", "year: 2027\nholidays: [2027-01-01]\nworkdays: []\n")
    r = invoke("calendar", "show", "2027", "--workspace", ws, "--json")
    assert r.exit_code == 3
    assert "字段「notice」" in r.json["errors"][0]["message"]


def test_clerk_facing_times_read_in_chinese():
    from datetime import datetime, timezone

    from shuangsuiji.core.clock import cn_date, cn_time

    assert cn_time("2026-12-01T23:08:41+08:00") == "2026年12月1日 23:08"
    assert cn_time(datetime(2026, 12, 1, 15, 8, tzinfo=timezone.utc)) == "2026年12月1日 23:08"  # Beijing time
    assert cn_date(D("2027-01-05")) == "2027年1月5日"
