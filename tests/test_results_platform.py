"""Results in the provincial platform's own layout: headers, combined cells, disposal phrases,
the plan's results.columns / results.values, 注册号 identifiers; every code text of the tables."""

from __future__ import annotations

from datetime import date

import pytest
from results_helpers import (
    PLAN,
    PLATFORM_HEADERS,
    make_workspace,
    platform_row,
    uscc,
    write_platform_results,
)

from shuangsuiji.core.errors import InputInvalid
from shuangsuiji.core.resultcodes import (
    CODE_ALIASES,
    PLATFORM_FOLLOW_UPS,
    PROBLEM_SUBCODES,
    RESULT_CODES,
    RESULT_FIELDS,
)
from shuangsuiji.plan.load import load_plan
from shuangsuiji.publish.cells import CellReader
from shuangsuiji.publish.intake import FIELD_LABELS, read_results
from shuangsuiji.publish.validate import Expected, validate

A, B, C, D, E = (uscc(n) for n in (501, 502, 503, 504, 505))
REGNO = "630103000012345"  # a 15-digit 注册号
SC, WS = "测试区市场监督管理局", "测试区卫生健康局"
TODAY = date(2026, 9, 1)

MAPPED = PLAN.replace("risk_classes: [低, 一般, 较高, 高]\n", """risk_classes: [低, 一般, 较高, 高]
results:
  columns:
    credit_code: 主体代码
    result: [抽查结果描述]
    department: 实施科室
  values:
    department: {消保分局: SCJG, 文新所: SCJG, 卫生监督所: 测试区卫生健康局}
    result: {合格: "1", 存在问题: A}
    follow_up: {责令限期整改: 责令改正}
""")


def load(tmp_path, text=PLAN):
    return load_plan(make_workspace(tmp_path, text)[1])


def read(tmp_path, lp, rows, name="结果导出.xlsx", task="T02", **kw):
    path = write_platform_results(tmp_path / name, rows, **kw)
    return read_results([path], lp, lp.plan.task(task))


def seen(rows):
    """What was read, row by row: (row, code, department, result codes, problem types, follow-ups)."""
    return [(r.source.row, r.credit_code, r.department, r.codes, r.subcodes, r.follow_up) for r in rows]


# -- the platform layout with no mapping ------------------------------------------------------------


def test_platform_export_reads_without_any_mapping(tmp_path):
    lp = load(tmp_path)
    rows, problems = read(tmp_path, lp, [
        platform_row(A, SC, "未发现问题；", "未发现问题或相关问题已规范、已改正，无需后续处置；"),
        platform_row(B, SC, "发现问题待后续处理；未按规定公示应当公示的信息；",
                     "违反本部门相关规定，责令改正；后续跟踪由日常监管部门负责；"),
        platform_row(C, WS, "A,2,B", "发现案件线索，初步固定相关证据后移送办案机构依法依规处理；"
                                     "违反其他部门相关规定，抄告相关部门。"),
        platform_row(D, WS, "通过登记的住所（经营场所）无法联系；", "停止检查，反馈至日常监管部门依法依规处理；"),
        platform_row(REGNO, SC, "发现问题经责令已改正；", "其他：已移交街道、社区跟踪；"),
    ])
    assert problems == []
    assert seen(rows) == [
        (3, A, "SCJG", ("1",), (), "无需后续处置"),
        (4, B, "SCJG", ("A",), ("B",), "责令改正"),
        (5, C, "WSJK", ("A",), ("2", "B"), "移送办案机构、抄告相关部门"),
        (6, D, "WSJK", ("A",), ("6",), "其他"),  # a problem type alone implies A (it exists only under A)
        (7, REGNO, "SCJG", ("E",), (), "其他"),
    ]
    # the text as the platform wrote it is kept for the office copy
    assert rows[1].follow_up_text == "违反本部门相关规定，责令改正；后续跟踪由日常监管部门负责；"
    assert rows[3].result_text == "通过登记的住所（经营场所）无法联系；"
    assert [r.method for r in rows] == ["现场检查"] * 5  # 实地检查 is the platform's word for it
    assert rows[0].column("credit_code") == "统一代码/注册号" and rows[0].column("follow_up") == "后续处置措施"
    exp = Expected.from_pairs([(A, "SCJG"), (B, "SCJG"), (C, "WSJK"), (D, "WSJK"), (REGNO, "SCJG")])
    assert [p for p in validate(rows, exp, lp.plan.task("T02"), TODAY) if p.severity == "error"] == []


def test_a_gb18030_csv_export_reads_the_same(tmp_path):
    lp = load(tmp_path)
    rows, problems = read(tmp_path, lp, [
        platform_row(A, SC, "发现问题待后续处理；违反工商行政管理相关规定；", "违反本部门相关规定，责令改正；"),
        platform_row(REGNO, WS, "未发现问题；", "未发现问题或相关问题已规范、已改正，无需后续处置；"),
    ], name="结果导出.csv")
    assert problems == []
    assert seen(rows) == [(3, A, "SCJG", ("A",), ("2",), "责令改正"), (4, REGNO, "WSJK", ("1",), (), "无需后续处置")]
    assert rows[0].inspected == date(2026, 5, 20)


def test_platform_cells_that_do_not_fit_are_rejected_row_by_row(tmp_path):
    lp = load(tmp_path)
    rows, problems = read(tmp_path, lp, [
        platform_row(A, SC, "未发现问题；发现问题待后续处理；未按规定公示应当公示的信息；", "违反本部门相关规定，责令改正；"),
        platform_row(B, SC, "发现问题待后续处理；", "未发现问题或相关问题已规范、已改正，无需后续处置；"),
        platform_row(C, SC, "发现问题待后续处理；违反卫生规定；", "责令整改；"),
        platform_row(D, "消保分局", "未发现问题；", None),
        platform_row(E, SC, "未发现问题；", "违反本部门相关规定，责令改正；"),
    ])
    assert [(p.row, p.column, p.reason) for p in problems] == [
        (6, "检查执行部门", "检查部门不是计划中的部门（本单位平台的科室、所名可在计划文件 results.values.department "
                         "中映射到部门）")]
    exp = Expected.from_pairs([(c, "SCJG") for c in (A, B, C, D, E)])
    found = [(p.row, p.column, p.reason) for p in validate(rows, exp, lp.plan.task("T02"), TODAY)
             if p.severity == "error"]
    assert found == [
        (3, "检查结果", "检查结果相互矛盾：「1 未发现问题」不能与「A 发现问题待后续处理」同时填写"),
        (4, "后续处置措施", "检查结果为「A 发现问题待后续处理」时后续处置不能是「无需后续处置」"),
        (5, "检查结果", "检查结果「违反卫生规定」不是有效代码（可选：1、A、E、F、7、8、9、10、11、12）"
                     "；本单位平台的其他写法可在计划文件 results.values.result 中映射"),
        (5, "后续处置措施", "后续处置「责令整改」不是有效选项（可选：无需后续处置、责令改正、移送办案机构、抄告相关部门、其他）"
                       "；本单位平台的其他写法可在计划文件 results.values.follow_up 中映射"),
        (7, "后续处置措施", "检查结果为「1 未发现问题」时不应有后续处置（应留空或填「无需后续处置」）"),
        (None, None, f"SCJG尚未录入检查结果：{D}"),  # row 6's department could not be read
    ]


# -- with the plan's results.columns / results.values -----------------------------------------------


def test_plan_mapping_translates_headers_divisions_results_and_follow_ups(tmp_path):
    lp = load(tmp_path, MAPPED)
    headers = ["序号", "主体代码", "企业名称", "抽查结果描述", "后续处置措施", "实施科室", "检查日期", "录入日期"]
    rows, problems = read(tmp_path, lp, [
        {"主体代码": A, "抽查结果描述": "合格", "实施科室": "消保分局", "检查日期": date(2026, 5, 20),
         "录入日期": date(2026, 5, 21)},
        {"主体代码": B, "抽查结果描述": "存在问题；未按规定公示应当公示的信息；", "后续处置措施": "责令限期整改",
         "实施科室": "文新所", "检查日期": date(2026, 5, 20), "录入日期": date(2026, 5, 21)},
        {"主体代码": C, "抽查结果描述": "合格", "实施科室": "卫生监督所", "检查日期": date(2026, 5, 20),
         "录入日期": date(2026, 5, 21)},
        {"主体代码": D, "抽查结果描述": "合格", "实施科室": "综合执法队", "检查日期": date(2026, 5, 20),
         "录入日期": date(2026, 5, 21)},
    ], headers=headers)
    assert seen(rows) == [
        (3, A, "SCJG", ("1",), (), None),
        (4, B, "SCJG", ("A",), ("B",), "责令改正"),
        (5, C, "WSJK", ("1",), (), None),
        (6, D, "综合执法队", ("1",), (), None),
    ]
    assert [(p.row, p.column, p.value) for p in problems] == [(6, "实施科室", "综合执法队")]


def test_plan_settings_are_checked_when_the_plan_loads(tmp_path):
    bad = MAPPED.replace("credit_code: 主体代码", "code: 主体代码").replace("存在问题: A", "存在问题: Q") \
        .replace("卫生监督所: 测试区卫生健康局", "卫生监督所: HBJ").replace("责令限期整改: 责令改正", "责令限期整改: 罚款")
    with pytest.raises(InputInvalid) as e:
        load(tmp_path, bad)
    text = e.value.message + "".join(p.reason for p in e.value.problems)
    assert "results.columns 中的 code 不是结果表的字段" in text
    assert "results.values.result 把「存在问题」映射到「Q」，它不是结果代码" in text
    assert "results.values.follow_up 把「责令限期整改」映射到「罚款」，它不是后续处置" in text


def test_a_mapping_to_an_unknown_department_is_a_plan_error(tmp_path):
    with pytest.raises(InputInvalid) as e:
        load(tmp_path, MAPPED.replace("卫生监督所: 测试区卫生健康局", "卫生监督所: HBJ"))
    assert "results.values.department 把「卫生监督所」映射到未知部门 HBJ" in \
        e.value.message + "".join(p.reason for p in e.value.problems)


def test_results_fields_are_the_ones_the_plan_names():
    assert tuple(FIELD_LABELS) == RESULT_FIELDS


# -- every code text ------------------------------------------------------------------------------


def _all_texts():
    for code, text in RESULT_CODES.items():
        yield text, (code,), ()
    for code, text in PROBLEM_SUBCODES.items():
        yield text, ("A",), (code,)
    for code, aliases in CODE_ALIASES.items():
        for a in aliases:
            yield f"{code} {a}", ("A",), (code,)


@pytest.mark.parametrize("cell,codes,subs", list(_all_texts()))
def test_every_code_text_of_the_tables_is_accepted(cell, codes, subs):
    assert CellReader().result(cell + "；") == (codes, subs)


@pytest.mark.parametrize("cell,code", [
    ("违反工商行政管理相关规定", "2"), ("违反其他工商行政管理规定行为", "D"), ("违反其他工商行政管理规定", "D"),
    ("违反其他部门相关规定", "5"), ("违反公安部门相关规定", "G"), ("通过登记的住所(经营场所)无法联系", "6"),
    ("违反食品药品管理相关规定", "3"), ("违反质量技术监督相关规定", "4"),
])
def test_old_and_platform_wordings_name_their_code(cell, code):
    assert CellReader().result(cell) == (("A",), (code,))


@pytest.mark.parametrize("phrase,category", list(PLATFORM_FOLLOW_UPS.items()))
def test_every_platform_disposal_phrase_maps_to_a_category(phrase, category):
    assert CellReader().follow_up(phrase + "；") == [category]


@pytest.mark.parametrize("cell,read", [
    ("责令改正措施", ["责令改正措施"]),  # a phrase counts only as a whole part: the rest is never dropped
    ("其他部门处理", ["其他部门处理"]),
    ("其他：移交街道、社区；责令改正", ["其他", "责令改正"]),
    ("违反其他部门相关规定，抄告相关部门。", ["抄告相关部门"]),
    ("无", []), ("—", []), (None, []),
])
def test_follow_up_phrases_are_whole_parts(cell, read):
    assert CellReader().follow_up(cell) == read


def test_code_six_keeps_full_width_parentheses():
    assert PROBLEM_SUBCODES["6"] == "通过登记的住所（经营场所）无法联系"


def test_the_platform_header_list_is_the_generator_s():
    assert "检查人员" in PLATFORM_HEADERS  # officers' names: in the export, never read, never published


# -- published from the platform layout ------------------------------------------------------------


def _published(invoke, tmp_path, plan_text=PLAN):
    """T02 published from one platform export per department; returns (csv rows, xlsx rows, office)."""
    import csv
    import io

    from openpyxl import load_workbook
    from results_helpers import record_draw, record_match

    ws, plan = make_workspace(tmp_path / "ws", plan_text)
    record_draw(ws, "T02", {"一般": [A, REGNO]})
    record_match(ws, "T02", {A: ("甲商贸有限公司", ["SCJG", "WSJK"]), REGNO: ("乙个体户", ["SCJG"])})
    folder = ws.root / "data" / "results" / "T02"
    write_platform_results(folder / "市场监管局导出.xlsx", [
        platform_row(A, SC, "未发现问题；", "未发现问题或相关问题已规范、已改正，无需后续处置；", people="王建国、李秀英"),
        platform_row(REGNO, SC, "发现问题待后续处理；通过登记的住所（经营场所）无法联系；违反公安部门相关规定；",
                     "停止检查，反馈至日常监管部门依法依规处理；", people="王建国、李秀英",
                     inspected=date(2026, 6, 6), entered=date(2026, 6, 8)),
    ])
    write_platform_results(folder / "卫健局导出.csv", [
        platform_row(A, WS, "发现问题经责令已改正；", "违反本部门相关规定，责令改正；后续跟踪由日常监管部门负责；",
                     people="赵六", inspected=date(2026, 6, 10), entered=date(2026, 6, 12)),
    ])
    r = invoke("publish", "--plan", plan, "--task", "T02", "--today", "2026-09-01", "--json")
    assert r.exit_code == 0, r.stdout
    out = ws.root / "out" / "T02" / "publish" / "v1"
    rows = list(csv.reader(io.StringIO((out / "公示结果.csv").read_bytes().decode("utf-8-sig"))))
    sheet = [[c.value for c in row] for row in load_workbook(out / "公示结果.xlsx").active.iter_rows(min_row=2)]
    office = [[c.value for c in row] for row in load_workbook(out / "办公室留存.xlsx")["逐户逐部门"].iter_rows(min_row=2)]
    return rows, sheet, office


def test_platform_results_publish_in_the_national_layout(invoke, tmp_path):
    rows, sheet, office = _published(invoke, tmp_path)
    task = ["测试市监抽查〔2026〕2号", "公共场所部门联合抽查"]
    assert rows == [
        ["序号", "统一社会信用代码/注册号", "企业名称", "检查实施机关", "类型", "日期", "结果", "抽查任务编号", "抽查任务名称"],
        ["1", REGNO, "乙个体户", SC, "抽查", "2026年06月06日",
         "发现问题待后续处理；通过登记的住所（经营场所）无法联系；违反公安部门相关规定", *task],
        ["2", A, "甲商贸有限公司", f"{SC}、{WS}", "抽查", "2026年06月10日", "发现问题经责令已改正", *task],
    ]
    assert [[str(x) for x in r] for r in sheet] == rows  # the xlsx says the same, dates as text
    every = {str(c) for r in rows + sheet + office for c in r if c is not None}
    assert not {"王建国", "李秀英", "赵六", "王建国、李秀英"} & every  # 检查人员 is never read
    # the office copy keeps the platform's text beside the category
    header = office[0]
    by_dept = {(r[0], r[2]): r for r in office[1:]}
    kept = by_dept[(A, WS)]
    assert kept[header.index("后续处置")] == "责令改正"
    assert kept[header.index("后续处置（原文）")] == "违反本部门相关规定，责令改正；后续跟踪由日常监管部门负责；"
    assert by_dept[(REGNO, SC)][header.index("检查结果（原文）")] == \
        "发现问题待后续处理；通过登记的住所（经营场所）无法联系；违反公安部门相关规定；"


def test_a_plan_may_choose_iso_dates(invoke, tmp_path):
    rows, sheet, _ = _published(invoke, tmp_path, PLAN.replace("deadlines: {entry_wd: 7}",
                                                               "deadlines: {entry_wd: 7}\npublicity: {dates: iso}"))
    assert [r[5] for r in rows[1:]] == ["2026-06-06", "2026-06-10"]
    assert [r[5].date() for r in sheet[1:]] == [date(2026, 6, 6), date(2026, 6, 10)]  # real date cells


def test_a_registration_number_stored_as_a_number_is_exact_and_accepted(tmp_path):
    lp = load(tmp_path)
    rows, problems = read(tmp_path, lp, [platform_row(int(REGNO), SC, "未发现问题；")])
    assert problems == [] and seen(rows) == [(3, REGNO, "SCJG", ("1",), (), None)]


def test_results_sheet_names_the_sheet_to_read(tmp_path):
    from shuangsuiji.sheets.writers import Sheet, write_xlsx

    path = tmp_path / "导出.xlsx"
    data = [[1, A, "甲", "未发现问题；", None, None, SC, "张三", date(2026, 5, 20), date(2026, 5, 21), "实地检查"]]
    write_xlsx(path, [Sheet("填表说明", ["说明"], [["本表由平台导出"]]),
                      Sheet("检查结果", PLATFORM_HEADERS, data, date_columns=[8, 9], text_columns=[1])])
    rows, problems = read_results([path], load(tmp_path / "a"), load(tmp_path / "a").plan.task("T02"))
    assert rows == [] and problems and problems[0].sheet == "填表说明"  # the first sheet has no results header
    lp = load(tmp_path / "b", PLAN.replace("deadlines: {entry_wd: 7}", "deadlines: {entry_wd: 7}\nresults: {sheet: 检查结果}"))
    rows, problems = read_results([path], lp, lp.plan.task("T02"))
    assert problems == [] and seen(rows) == [(2, A, "SCJG", ("1",), (), None)]


def test_a_mistyped_code_says_why_it_is_not_on_the_list(tmp_path):
    lp = load(tmp_path)
    wrong = A[:17] + ("0" if A[17] != "0" else "1")
    rows, _ = read(tmp_path, lp, [platform_row(wrong, SC, "未发现问题；"), platform_row(B, SC, "未发现问题；")])
    found = [(p.row, p.reason) for p in validate(rows, Expected.from_pairs([(A, "SCJG"), (B, "SCJG")]),
                                                 lp.plan.task("T02"), TODAY) if p.severity == "error"]
    assert found == [(3, f"该对象不在本任务的抽取名单中（代码有误：校验位不符（第 18 位为「{wrong[17]}」）：代码有误，"
                         "可能录错了某一位，请与营业执照核对）"),
                     (None, f"SCJG尚未录入检查结果：{A}")]


def test_an_earlier_manifest_compares_with_todays_records():
    from shuangsuiji.publish.record import compare

    old = [{"统一社会信用代码": A, "企业名称": "甲", "抽查任务编号": "N", "抽查任务名称": "T", "检查实施机关": SC,
            "类型": "抽查", "检查完成日期": "2026-06-10", "检查结果": "未发现问题"},
           {"统一社会信用代码": B, "企业名称": "乙", "抽查任务编号": "N", "抽查任务名称": "T", "检查实施机关": SC,
            "类型": "抽查", "检查完成日期": "2026-06-10", "检查结果": "发现问题待后续处理（未按规定公示应当公示的信息）"}]
    new = [{"统一社会信用代码/注册号": A, "企业名称": "甲", "检查实施机关": SC, "类型": "抽查", "日期": "2026-06-10",
            "结果": "未发现问题", "抽查任务编号": "N", "抽查任务名称": "T"},
           {"统一社会信用代码/注册号": B, "企业名称": "乙", "检查实施机关": SC, "类型": "抽查", "日期": "2026-06-10",
            "结果": "发现问题待后续处理；未按规定公示应当公示的信息", "抽查任务编号": "N", "抽查任务名称": "T"}]
    assert compare(old, new) == {"added": [], "changed": [B], "withdrawn": []}  # B's public text did change
