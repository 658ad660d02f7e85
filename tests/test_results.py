"""Reading filled results workbooks and every validation rule, with its exact message and place."""

from __future__ import annotations

from datetime import date

import pytest
from results_helpers import DEPT_NAMES, make_workspace, result_row, uscc, write_results

from shuangsuiji.core.resultcodes import PROBLEM_SUBCODES, RESULT_CODES
from shuangsuiji.intake.records import Source
from shuangsuiji.plan.load import load_plan
from shuangsuiji.publish.intake import ResultRow, parse_codes, read_results
from shuangsuiji.publish.validate import Expected, validate

A, B, C, D = (uscc(n) for n in (101, 102, 103, 104))
TODAY = date(2026, 9, 1)


@pytest.fixture
def lp(tmp_path):
    _, plan = make_workspace(tmp_path)
    return load_plan(plan)


@pytest.fixture
def t01(lp):
    return lp.plan.task("T01")


@pytest.fixture
def t02(lp):
    return lp.plan.task("T02")


def row(code=A, dept="SCJG", result="1", subcodes=(), follow_up=None, inspected=date(2026, 5, 20),
        entered=date(2026, 5, 22), line=3, more=(), file="r.xlsx") -> ResultRow:
    return ResultRow(code, dept, result, tuple(subcodes), follow_up, "书面检查", inspected, entered,
                     Source(file, "检查结果录入", line), more_codes=tuple(more))


def expected(*pairs) -> Expected:
    return Expected.from_pairs(pairs or [(A, "SCJG")], names={A: "甲公司"}, dept_names=DEPT_NAMES)


def errors(problems):
    return [(p.file, p.sheet, p.row, p.column, p.reason) for p in problems if p.severity == "error"]


def where(line, column, reason):
    return ("r.xlsx", "检查结果录入", line, column, reason)


# -- codes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell,codes", [
    ("A 发现问题待后续处理", ("A",)), ("A", ("A",)), ("发现问题待后续处理", ("A",)), ("Ａ", ("A",)),
    ("a", ("A",)), (1, ("1",)), (1.0, ("1",)), ("10 被吊销", ("10",)), ("12迁出", ("12",)), ("注销", ("9",)),
    ("1、A", ("1", "A")), ("A；E", ("A", "E")), ("", ()), (None, ()), ("Z", ("Z",)), ("13", ("13",)),
    ("A 未发现问题", ("A 未发现问题",)),
])
def test_result_cell_forms(cell, codes):
    assert parse_codes(cell, RESULT_CODES) == codes


def test_problem_type_forms():
    assert parse_codes("2 违反市场监管相关规定、B", PROBLEM_SUBCODES) == ("2", "B")
    assert parse_codes("违反其他部门相关规定（一）", PROBLEM_SUBCODES) == ("3",)
    for nothing in ("无", "/", "—", " - ", "N/A"):
        assert parse_codes(nothing, PROBLEM_SUBCODES) == ()


def test_words_for_nothing_leave_a_row_untouched(tmp_path, lp, t02):
    path = write_results(tmp_path / "r.xlsx", [
        result_row(A, "WSJK", result=None, subcodes="无", follow_up="/", inspected=None, entered=None),
        result_row(B, "WSJK", subcodes="无", follow_up="—"),
    ])
    rows, problems = read_results([path], lp, t02)
    assert problems == [] and [(r.credit_code, r.subcodes, r.follow_up) for r in rows] == [(B, (), None)]


# -- reading --------------------------------------------------------------------------------------


def test_reads_the_template_as_match_writes_it(tmp_path, lp, t02):
    path = write_results(tmp_path / "结果录入-测试区卫生健康局.xlsx", [
        result_row(A, "WSJK", seq=1, task=t02.number, name="甲公司"),
        result_row(B, "WSJK", seq=2, result=None, inspected=None, entered=None),  # untouched row
        result_row(C, "WSJK", seq=3, result="A 发现问题待后续处理", subcodes="2 违反市场监管相关规定",
                   follow_up="责令改正", inspected=date(2026, 6, 1), entered=date(2026, 6, 3)),
    ])
    rows, problems = read_results([path], lp, t02)
    assert problems == []
    assert [(r.credit_code, r.department, r.codes, r.subcodes, r.follow_up, r.inspected, r.entered,
             r.source.row) for r in rows] == [
        (A, "WSJK", ("1",), (), None, date(2026, 5, 20), date(2026, 5, 22), 3),
        (C, "WSJK", ("A",), ("2",), "责令改正", date(2026, 6, 1), date(2026, 6, 3), 5),
    ]
    assert rows[0].name == "甲公司" and rows[0].source.sheet == "检查结果录入"


def test_reads_a_retyped_sheet(tmp_path, lp, t02):
    """Aliased headers, two title rows, blank rows, bare codes, Chinese text, ids, full width."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["卫健局检查结果"])
    ws.append(["（2026年）"])
    ws.append(["信用代码", "名称", "部门", "结果", "问题代码", "处置", "检查完成日期", "录入时间"])
    ws.append([])
    ws.append([" " + A.lower() + " ", "甲", "wsjk", "E", None, "责令改正", "2026/6/1", "2026年6月2日"])
    ws.append([])
    ws.append([B.replace("9", "９"), "乙", "测试区卫生健康局", "未发现问题", None, None, date(2026, 6, 2), "20260603"])
    ws.append([C, "丙", "SCJG", "A", "B", "责令改正、移送办案机构", date(2026, 6, 2), date(2026, 6, 2)])
    path = tmp_path / "retyped.xlsx"
    wb.save(path)
    rows, problems = read_results([path], lp, t02)
    assert problems == []
    assert [(r.credit_code, r.department, r.codes, r.subcodes, r.follow_up, r.inspected, r.entered,
             r.source.row) for r in rows] == [
        (A, "WSJK", ("E",), (), "责令改正", date(2026, 6, 1), date(2026, 6, 2), 5),
        (B, "WSJK", ("1",), (), None, date(2026, 6, 2), date(2026, 6, 3), 7),
        (C, "SCJG", ("A",), ("B",), "责令改正、移送办案机构", date(2026, 6, 2), date(2026, 6, 2), 8),
    ]
    assert rows[0].column("result") == "结果" and rows[0].column("inspected") == "检查完成日期"


def test_department_from_the_file_name_when_the_column_is_gone(tmp_path, lp, t02):
    headers = ["统一社会信用代码", "检查结果", "检查日期", "录入日期"]
    path = write_results(tmp_path / "结果录入-测试区卫生健康局.xlsx", [result_row(A, "WSJK")], headers=headers)
    rows, problems = read_results([path], lp, t02)
    assert problems == [] and rows[0].department == "WSJK"


def test_cells_that_cannot_be_read_are_located(tmp_path, lp, t02):
    path = write_results(tmp_path / "r.xlsx", [
        result_row(A, "WSJK", inspected="2026-13-01"),
        result_row(B, "环保局"),
        result_row(C, "WSJK", task="测试市监抽查〔2026〕9号"),
        result_row(D, "WSJK", task="测试市监抽查[2026]2号"),  # same number, other brackets: fine
    ])
    rows, problems = read_results([path], lp, t02)
    assert [(p.row, p.column, p.reason, p.value) for p in problems] == [
        (3, "检查日期", "检查日期：不存在的日期（月或日超出范围）", "2026-13-01"),
        (4, "检查部门", "检查部门不是计划中的部门（本单位平台的科室、所名可在计划文件 results.values.department "
                          "中映射到部门）", "环保局"),
        (5, "抽查任务编号", "抽查任务编号与本任务（测试市监抽查〔2026〕2号）不符", "测试市监抽查〔2026〕9号"),
    ]
    assert len(rows) == 4 and "inspected" in rows[0].unreadable and "department" in rows[1].unreadable


def test_a_code_stored_as_a_number(tmp_path, lp, t02):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "检查部门", "检查结果", "检查日期"])
    ws.append([9.16301e17, "WSJK", "1", date(2026, 6, 1)])
    wb.save(tmp_path / "n.xlsx")
    rows, problems = read_results([tmp_path / "n.xlsx"], lp, t02)
    assert [(p.row, p.column) for p in problems] == [(2, "统一社会信用代码")]
    assert "数字" in problems[0].reason
    assert "credit_code" in rows[0].unreadable


def test_a_workbook_without_the_result_columns(tmp_path, lp, t02):
    path = write_results(tmp_path / "x.xlsx", [result_row(A)], headers=["统一社会信用代码", "检查部门"])
    rows, problems = read_results([path], lp, t02)
    assert rows == []
    assert [(p.file.endswith("x.xlsx"), p.row, p.column) for p in problems] == [(True, 2, "检查结果")]
    assert "缺少必需的列「检查结果」" in problems[0].reason


def test_a_file_that_is_not_a_workbook(tmp_path, lp, t02):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    rows, problems = read_results([bad], lp, t02)
    assert rows == [] and len(problems) == 1 and problems[0].code == "unreadable"


# -- the rules, one by one ------------------------------------------------------------------------


def test_a_clean_row_has_no_problem(t01):
    assert validate([row()], expected(), t01, TODAY) == []


def test_entity_not_drawn(t01):
    assert errors(validate([row(), row(B)], expected(), t01, TODAY)) == [
        where(3, "统一社会信用代码", "该对象不在本任务的抽取名单中")]


def test_entity_substituted_out(t01):
    exp = expected((B, "SCJG"))
    exp.substituted_out[A] = B
    assert errors(validate([row(A), row(B)], exp, t01, TODAY)) == [
        where(3, "统一社会信用代码", f"该对象已由替补对象 {B} 替换，不应再录入结果")]


def test_department_did_not_inspect_it(t02):
    exp = expected((A, "SCJG"), (B, "SCJG"), (B, "WSJK"))
    found = errors(validate([row(A), row(A, "WSJK"), row(B), row(B, "WSJK"), row(B, "YJGL")], exp, t02, TODAY))
    assert found == [where(3, "检查部门", "派发单中该对象不由测试区卫生健康局检查"),
                     where(3, "检查部门", "测试区应急管理局未参与本任务")]


def test_unknown_result_code(t01):
    assert errors(validate([row(result="Z")], expected(), t01, TODAY)) == [
        where(3, "检查结果", "检查结果「Z」不是有效代码（可选：1、A、E、F、7、8、9、10、11、12）"
              "；本单位平台的其他写法可在计划文件 results.values.result 中映射")]
    assert errors(validate([row(result="A 未发现问题")], expected(), t01, TODAY)) == [
        where(3, "检查结果", "检查结果「A 未发现问题」的代码与文字不一致（A 是「发现问题待后续处理」）")]


def test_contradictory_codes(t01):
    found = errors(validate([row(result="1", more=("A",), subcodes=("2",), follow_up="责令改正")],
                            expected(), t01, TODAY))
    assert found == [where(3, "检查结果",
                           "检查结果相互矛盾：「1 未发现问题」不能与「A 发现问题待后续处理」同时填写")]


@pytest.mark.parametrize("code,label", [("A", "A 发现问题待后续处理"), ("E", "E 发现问题经责令已改正")])
def test_problem_code_without_follow_up(t01, code, label):
    subs = ("2",) if code == "A" else ()
    assert errors(validate([row(result=code, subcodes=subs)], expected(), t01, TODAY)) == [
        where(3, "后续处置", f"检查结果为「{label}」时须填写后续处置")]


def test_follow_up_that_does_not_fit_the_result(t01):
    assert errors(validate([row(result="A", subcodes=("2",), follow_up="无需后续处置")], expected(), t01, TODAY)) == [
        where(3, "后续处置", "检查结果为「A 发现问题待后续处理」时后续处置不能是「无需后续处置」")]
    assert errors(validate([row(follow_up="责令改正")], expected(), t01, TODAY)) == [
        where(3, "后续处置", "检查结果为「1 未发现问题」时不应有后续处置（应留空或填「无需后续处置」）")]
    assert errors(validate([row(follow_up="罚款")], expected(), t01, TODAY)) == [
        where(3, "后续处置", "后续处置「罚款」不是有效选项（可选：无需后续处置、责令改正、移送办案机构、抄告相关部门、其他）"
              "；本单位平台的其他写法可在计划文件 results.values.follow_up 中映射")]
    assert validate([row(follow_up="无需后续处置")], expected(), t01, TODAY) == []


def test_problem_types_only_under_a(t01):
    assert errors(validate([row(result="E", subcodes=("2",), follow_up="责令改正")], expected(), t01, TODAY)) == [
        where(3, "问题类型", "问题类型只能在检查结果为「A 发现问题待后续处理」时填写")]
    assert errors(validate([row(result="A", subcodes=("X",), follow_up="责令改正")], expected(), t01, TODAY)) == [
        where(3, "问题类型", "问题类型「X」不是有效代码（可选：2、B、C、6、D、3、4、5、G）"
              "；本单位平台的其他写法可在计划文件 results.values.subcodes 中映射")]
    warned = validate([row(result="A", follow_up="责令改正")], expected(), t01, TODAY)
    assert [(p.severity, p.reason) for p in warned] == [
        ("warning", "检查结果为「A 发现问题待后续处理」，但未填写问题类型")]


def test_inspection_date_outside_the_window_or_in_the_future(t01):
    found = errors(validate([row(inspected=date(2026, 4, 14), entered=date(2026, 4, 16))], expected(), t01, TODAY))
    assert found == [where(3, "检查日期", "检查日期 2026-04-14 不在本任务的检查时间（2026-04-15 至 2026-07-31）内")]
    found = errors(validate([row(inspected=date(2026, 6, 10), entered=None)], expected(), t01, date(2026, 6, 9)))
    assert found == [where(3, "检查日期", "检查日期 2026-06-10 晚于今天（2026-06-09）")]
    found = errors(validate([row(inspected=None)], expected(), t01, TODAY))
    assert found == [where(3, "检查日期", "已填写检查结果，但未填写检查日期")]


def test_entry_date_before_the_inspection_or_in_the_future(t01):
    found = errors(validate([row(inspected=date(2026, 5, 20), entered=date(2026, 5, 19))], expected(), t01, TODAY))
    assert found == [where(3, "录入日期", "录入日期 2026-05-19 早于检查日期 2026-05-20")]
    found = errors(validate([row(entered=date(2026, 9, 2))], expected(), t01, TODAY))
    assert found == [where(3, "录入日期", "录入日期 2026-09-02 晚于今天（2026-09-01）")]
    warned = validate([row(entered=None)], expected(), t01, TODAY)
    assert [(p.severity, p.column, p.reason) for p in warned] == [
        ("warning", "录入日期", "未填写录入日期，无法判断是否按期录入")]


def test_result_missing_but_other_cells_filled(t01):
    assert errors(validate([row(result=None, follow_up="责令改正")], expected(), t01, TODAY)) == [
        where(3, "检查结果", "未填写检查结果")]


def test_duplicate_rows(t01):
    assert errors(validate([row(line=3), row(line=7)], expected(), t01, TODAY)) == [
        where(7, "统一社会信用代码", "与第3行重复：同一对象、同一检查部门的结果录入了两次")]
    found = errors(validate([row(line=3), row(line=4, file="s.xlsx")], expected(), t01, TODAY))
    assert found == [("s.xlsx", "检查结果录入", 4, "统一社会信用代码",
                      "与r.xlsx 工作表「检查结果录入」第3行重复：同一对象、同一检查部门的结果录入了两次")]


def test_missing_results_are_listed_by_department(t02):
    exp = expected((A, "SCJG"), (A, "WSJK"), (B, "WSJK"), (B, "SCJG"), (C, "SCJG"))
    exp.names[B] = "乙公司"
    found = validate([row(A, "SCJG")], exp, t02, TODAY)
    assert [(p.code, p.file, p.row, p.reason) for p in found] == [
        ("missing", None, None, f"测试区市场监督管理局尚未录入检查结果：{B}（乙公司）"),
        ("missing", None, None, f"测试区市场监督管理局尚未录入检查结果：{C}"),
        ("missing", None, None, f"测试区卫生健康局尚未录入检查结果：{A}（甲公司）"),
        ("missing", None, None, f"测试区卫生健康局尚未录入检查结果：{B}（乙公司）"),
    ]


def test_rules_through_a_real_workbook_name_the_cell(tmp_path, lp, t02):
    """End to end from a file: the location is the Excel row and the header as the clerk sees it."""
    path = write_results(tmp_path / "r.xlsx", [
        result_row(A, "SCJG", result="A", follow_up=None, subcodes="2"),
        result_row(A, "WSJK", inspected=date(2026, 9, 5), entered=date(2026, 9, 6)),
    ], rename={"后续处置": "处置", "检查日期": "检查完成日期"})
    rows, problems = read_results([path], lp, t02)
    found = problems + validate(rows, expected((A, "SCJG"), (A, "WSJK")), t02, date(2026, 9, 10))
    assert [(p.row, p.column, p.reason) for p in found if p.severity == "error"] == [
        (3, "处置", "检查结果为「A 发现问题待后续处理」时须填写后续处置"),
        (4, "检查完成日期", "检查日期 2026-09-05 不在本任务的检查时间（2026-05-18 至 2026-08-31）内"),
    ]
    assert found[0].file.endswith("r.xlsx")
    assert found[0].message() == (f"{found[0].file} 工作表「检查结果录入」 第3行 「处置」列："
                                  "检查结果为「A 发现问题待后续处理」时须填写后续处置")
