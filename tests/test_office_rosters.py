"""Real office roster files (issue 10, roster side): per-file settings, template rows, identifiers
of every kind, files read by content. Every file is built by our own generators."""

from __future__ import annotations

import zipfile

import pytest
from factories import (
    OFFICER_HEADERS,
    TARGET_HEADERS,
    code,
    officer,
    officers_file,
    plan_file,
    target,
    targets_file,
    write_csv,
    write_xlsx,
)
from office_layouts import biff_xls, html_table, province_officer, province_roster, spreadsheetml

from shuangsuiji.core.errors import InputInvalid
from shuangsuiji.intake.codes import check_code, code_kind, regno_check_digit
from shuangsuiji.intake.records import REGNO, REGNO13, USCC
from shuangsuiji.intake.rosters import collect_rosters, load_rosters
from shuangsuiji.plan.load import load_plan

PROVINCE = """\
inspectors:
  - inspectors.xlsx
  - path: province.xlsx
    department: WSJK
    columns:
      credential_no: [省执法证编号, 工商执法证编号]
    values:
      area: {消保分局: 人民街所, 文新所: 南滩所, 局机关: ""}
      expert: {保化组长: 是, 药品GSP: 是}
"""


def regno15(body14: str) -> str:
    return body14 + regno_check_digit(body14)


def rows_of(r, file):
    return {p.row: p for p in r.problems if (p.file or "").endswith(file)}


def province_plan(tmp_path, officers, *, example=True):
    targets_file(tmp_path, [target(1)])
    officers_file(tmp_path, [officer(1)])
    province_roster(tmp_path / "province.xlsx", officers, example=example)
    plan = plan_file(tmp_path, inspectors="inspectors.xlsx")
    text = plan.read_text(encoding="utf-8").replace("  inspectors: inspectors.xlsx\n",
                                                    "\n".join("  " + x for x in PROVINCE.splitlines()) + "\n")
    plan.write_text(text, encoding="utf-8")
    return plan


# -- the provincial 人员名录库 --------------------------------------------------------------------
def test_province_roster_row_by_row(tmp_path):
    plan = province_plan(tmp_path, [
        province_officer(1, "消保分局", 是否专家="保化组长"),  # row 5
        province_officer(2, "文新所", 省执法证编号=63010390002),  # row 6: number cell, exact
        province_officer(3, "局机关", 省执法证编号="", 工商执法证编号="GS0003"),  # row 7: second licence column
        province_officer(4, "文新所", 是否专家="药品GSP", 执法人员状态="离职"),  # row 8
    ])
    r = load_rosters(load_plan(plan))
    wsjk = {o.id: o for o in r.inspectors if o.department == "WSJK"}
    # accepted: four officers, fixed to WSJK, area from the division, expert types mean yes
    assert sorted(wsjk) == ["63010390001", "63010390002", "63010390004", "GS0003"]
    assert (wsjk["63010390001"].area, wsjk["63010390001"].expert) == ("人民街所", True)
    assert (wsjk["63010390002"].area, wsjk["63010390002"].expert) == ("南滩所", False)
    assert wsjk["GS0003"].credential_no == "GS0003" and wsjk["GS0003"].area == ""
    assert wsjk["63010390004"].expert and not wsjk["63010390004"].active
    # skipped: the instruction row (3) and the example row (4), each a warning naming the row
    found = rows_of(r, "province.xlsx")
    assert found[3].code == "template_row" and "填写说明" in found[3].reason and found[3].severity == "warning"
    assert found[4].code == "template_row" and "请删除" in found[4].reason
    assert "63010390000" not in {o.id for o in r.inspectors}  # the example inspector is never drawn
    assert found[6].code == "id_number_cell" and found[6].severity == "warning"
    assert not [p for p in r.problems if p.severity == "error"]
    assert set(r.files) >= {"inspectors", "inspectors:2"}


def test_officer_in_two_files_rejects_every_row(tmp_path):
    plan = province_plan(tmp_path, [province_officer(1, "消保分局", 省执法证编号="63010300001")])
    r = collect_rosters(load_plan(plan))
    assert "63010300001" not in {o.id for o in r.inspectors}
    dups = [p for p in r.problems if p.code == "duplicate_officer"]
    assert sorted((p.file.rsplit("/", 1)[-1], p.row) for p in dups) == [("inspectors.xlsx", 3), ("province.xlsx", 5)]
    assert all("出现在 2 行" in p.reason for p in dups)


def test_officer_in_two_departments_of_one_file_rejects_both(tmp_path):
    targets_file(tmp_path, [target(1)])
    officers_file(tmp_path, [officer(1), officer(2), officer(1, 部门="WSJK")])
    r = load_rosters(load_plan(plan_file(tmp_path)))
    assert [o.id for o in r.inspectors] == ["63010300002"]
    assert sorted(p.row for p in r.problems if p.code == "duplicate_officer") == [3, 5]


def test_unknown_department_in_file_settings_is_a_plan_error(tmp_path):
    plan = province_plan(tmp_path, [province_officer(1, "消保分局")])
    plan.write_text(plan.read_text(encoding="utf-8").replace("department: WSJK", "department: XXX"), encoding="utf-8")
    with pytest.raises(InputInvalid) as e:
        load_plan(plan)
    assert "XXX" in e.value.message


# -- identifiers ----------------------------------------------------------------------------------
def test_identifier_kinds_checked_and_recorded(tmp_path):
    r15, r13 = regno15("63010300001234"), "6301032001234"
    bad15 = r15[:14] + str((int(r15[14]) + 1) % 10)
    targets_file(tmp_path, [target(1), target(2, 统一社会信用代码=r15), target(3, 统一社会信用代码=r13),
                            target(4, 统一社会信用代码=bad15), target(5, 统一社会信用代码="9901032001234"),
                            target(6, 统一社会信用代码="", 市场主体类型="个体工商户")])
    officers_file(tmp_path, [officer(1)])
    r = collect_rosters(load_plan(plan_file(tmp_path)))
    kinds = {t.credit_code: t.code_kind for t in r.targets}
    assert kinds == {code(1): USCC, r15: REGNO, r13: REGNO13}
    found = rows_of(r, "targets.xlsx")
    assert "MOD 11,10" in found[6].reason and found[6].severity == "error"
    assert "行政区划代码" in found[7].reason
    assert "统一社会信用代码和注册号都为空" in found[8].reason and "13 位注册号" in found[8].reason


def test_code_kinds_and_checks():
    assert regno_check_digit("79462") == "3" and regno_check_digit("00200667308") == "5"  # ISO 7064 examples
    assert code_kind("6301032001234") == REGNO13 and check_code("6301032001234") is None
    assert "13 位注册号应全部为数字" in check_code("63010320012X4")


def test_reversed_header_and_platform_state(tmp_path):
    headers = ["注册号/统一社会信用代码", "企业名称", "登记状态"]
    write_xlsx(tmp_path / "targets.xlsx", [headers, [code(1), "甲", "在营（开业）企业"], [code(2), "乙", "注销"]])
    officers_file(tmp_path, [officer(1)])
    r = load_rosters(load_plan(plan_file(tmp_path)))
    assert {t.credit_code: t.drawable for t in r.targets} == {code(1): True, code(2): False}
    assert not [p for p in r.problems if p.code == "state_unknown"]


def test_target_values_map_local_words(tmp_path):
    targets_file(tmp_path, [target(1, 登记状态="正常经营", 信用风险分类="绿色"), target(2, 信用风险分类="红色")])
    officers_file(tmp_path, [officer(1)])
    plan = plan_file(tmp_path, targets="""
    path: targets.xlsx
    values:
      state: {正常经营: 存续}
      risk: {绿色: 低, 红色: 高}""")
    r = load_rosters(load_plan(plan))
    by = {t.credit_code: t for t in r.targets}
    assert (by[code(1)].drawable, by[code(1)].state, by[code(1)].risk) == (True, "存续", "低")
    assert by[code(2)].risk == "高"


# -- files by content -----------------------------------------------------------------------------
def _targets_rows():
    return [TARGET_HEADERS, target(1), target(2)]


@pytest.mark.parametrize("name, build", [
    ("targets.xls", lambda p: write_xlsx(p.with_suffix(".tmp"), _targets_rows()).rename(p)),  # xlsx named .xls
    ("targets.xls", lambda p: p.write_bytes(spreadsheetml([["某区名录"], *_targets_rows()], title_merge=13))),
    ("targets.xlsx", lambda p: p.write_bytes(spreadsheetml(_targets_rows()))),
    ("targets.xls", lambda p: p.write_bytes(html_table(_targets_rows()))),
    ("targets.xls", lambda p: p.write_bytes(html_table(_targets_rows(), encoding="gb18030"))),
    ("targets.xlsx", lambda p: write_csv(p, [[str(v) if v is not None else "" for v in r] for r in _targets_rows()],
                                         encoding="gb18030")),
])
def test_any_layout_reads_by_content(tmp_path, name, build):
    build(tmp_path / name)
    officers_file(tmp_path, [officer(1)])
    r = load_rosters(load_plan(plan_file(tmp_path, targets=name)))
    assert sorted(t.credit_code for t in r.targets) == sorted([code(1), code(2)])
    assert {t.name for t in r.targets} == {"西宁测试1号商贸有限公司", "西宁测试2号商贸有限公司"}


def test_real_biff_xls_reads_and_is_checked(tmp_path):
    wrong_check = code(3)[:17] + ("1" if code(3)[17] == "0" else "0")
    biff_xls(tmp_path / "targets.xls", [["某区检查对象名录"], TARGET_HEADERS, target(1),
                                        target(2, 统一社会信用代码=regno15("63010300001234")),
                                        target(3, 统一社会信用代码=wrong_check)])
    officers_file(tmp_path, [officer(1)])
    r = collect_rosters(load_plan(plan_file(tmp_path, targets="targets.xls")))
    assert sorted(t.credit_code for t in r.targets) == sorted([code(1), regno15("63010300001234")])
    assert {t.established for t in r.targets} == {target(1)[TARGET_HEADERS.index("成立日期")]}
    assert [(p.row, p.code) for p in r.problems if p.severity == "error"] == [(5, "code_invalid")]


def test_spreadsheetml_officers_with_template_rows(tmp_path):
    rows = [OFFICER_HEADERS, ["必填", "必填", "必填", "选填", "", "", "", "格式为 yyyy-mm-dd", "", "", ""],
            officer(9, 姓名="张三", 所属所="示例"),  # an example row: its 所属所 cell says 示例
            officer(1), officer(2)]
    (tmp_path / "inspectors.xls").write_bytes(spreadsheetml(rows, "人员"))
    targets_file(tmp_path, [target(1)])
    r = load_rosters(load_plan(plan_file(tmp_path, inspectors="inspectors.xls")))
    assert sorted(o.id for o in r.inspectors) == ["63010300001", "63010300002"]
    assert sorted(p.row for p in r.problems if p.code == "template_row") == [2, 3]


@pytest.mark.parametrize("content, said", [
    (b"%PDF-1.4 ...", "PDF 文档"),
    (b"<?xml version='1.0'?><root/>", "XML 文件（不是 Excel 的 XML 表格）"),
    (b"\x89PNG\r\n\x1a\n....", "PNG 图片"),
])
def test_unknown_content_named(tmp_path, content, said):
    (tmp_path / "targets.xls").write_bytes(content)
    officers_file(tmp_path, [officer(1)])
    with pytest.raises(InputInvalid) as e:
        load_rosters(load_plan(plan_file(tmp_path, targets="targets.xls")))
    assert said in e.value.message and "程序内部错误" not in e.value.message


def test_broken_sheet_xml_gives_a_located_error(tmp_path):
    good = targets_file(tmp_path, [target(1)])
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                body = body[: len(body) // 2]  # cut in the middle of the sheet XML
            dst.writestr(info, body)
    officers_file(tmp_path, [officer(1)])
    with pytest.raises(InputInvalid) as e:
        load_rosters(load_plan(plan_file(tmp_path, targets="broken.xlsx")))
    assert "已损坏" in e.value.message and "broken.xlsx" in e.value.message
    assert e.value.problems[0].sheet == "名录"


def test_division_names_map_to_departments_and_neighbour_pool_takes_settings(tmp_path):
    targets_file(tmp_path, [target(1)])
    officers_file(tmp_path, [officer(1, 部门="消保分局"), officer(2, 部门="卫监所"), officer(3, 部门="局机关")])
    province_roster(tmp_path / "nb.xlsx", [province_officer(7, "东关所")])
    plan = plan_file(tmp_path, neighbour="""
      path: nb.xlsx
      columns: {credential_no: [省执法证编号]}
      values: {area: {东关所: 城东区东关所}}""", rosters_extra="")
    text = plan.read_text(encoding="utf-8").replace(
        "  inspectors: inspectors.xlsx\n",
        "  inspectors:\n    path: inspectors.xlsx\n    values:\n      department: {消保分局: SCJG, 卫监所: WSJK}\n")
    plan.write_text(text, encoding="utf-8")
    r = collect_rosters(load_plan(plan))
    assert {o.id: o.department for o in r.inspectors} == {"63010300001": "SCJG", "63010300002": "WSJK"}
    (unknown,) = [p for p in r.problems if p.code == "department_unknown"]
    assert unknown.row == 5 and unknown.value == "局机关"  # not mapped
    # the clerk with a department's own export (divisions in this column) is told the two ways out,
    # in the plan's words, not only the list of departments
    assert "values.department" in unknown.reason and "department:" in unknown.reason
    assert "inspectors.xlsx" in unknown.reason
    nb = r.neighbours["SCJG"]
    assert [(o.id, o.department, o.area) for o in nb] == [("63010390007", "SCJG", "城东区东关所")]
    assert [p.row for p in r.problems if p.code == "template_row" and p.file.endswith("nb.xlsx")] == [3, 4]


def test_unknown_field_in_file_settings_is_reported(tmp_path):
    plan = province_plan(tmp_path, [province_officer(1, "消保分局")])
    plan.write_text(plan.read_text(encoding="utf-8").replace("      expert:", "      expret:"), encoding="utf-8")
    r = collect_rosters(load_plan(plan))
    bad = [p for p in r.problems if p.code == "plan_invalid"]
    assert len(bad) == 1 and "「expret」未知" in bad[0].reason and bad[0].severity == "error"


def _formula_roster(path, cached: bool):
    """Targets whose 企业名称 cells 2 and 4 are formulas: without a stored result (as openpyxl
    writes them, like some exporters) or with one (as Excel, here xlsxwriter, saves them)."""
    rows = [target(i) for i in range(1, 6)]
    name_col = TARGET_HEADERS.index("企业名称")
    if cached:
        import xlsxwriter

        wb = xlsxwriter.Workbook(str(path))
        ws = wb.add_worksheet("名录")
        ws.write_row(0, 0, TARGET_HEADERS)
        for r, row in enumerate(rows, 1):
            for c, v in enumerate(row):
                if c == name_col and r in (2, 4):
                    ws.write_formula(r, c, f'="西宁测试"&"{r}号"', None, f"西宁测试{r}号")
                elif v is not None:
                    ws.write(r, c, v.isoformat() if hasattr(v, "isoformat") else v)
        wb.close()
        return path
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "名录"
    ws.append(TARGET_HEADERS)
    for r, row in enumerate(rows, 1):
        if r in (2, 4):
            row = list(row)
            row[name_col] = f'="西宁测试"&"{r}号"'
        ws.append(row)
    wb.save(path)
    return path


def test_formulas_without_stored_results_are_named_as_the_cause(tmp_path):
    """A program-written workbook whose name cells are formulas without results: calamine reads
    them empty (Excel, recalculating, shows names). The rows are rejected as before, and one
    warning says why and what to do, with the cells."""
    _formula_roster(tmp_path / "targets.xlsx", cached=False)
    officers_file(tmp_path, [officer(1)])
    rosters = collect_rosters(load_plan(plan_file(tmp_path)))
    probs = rosters.by_role["targets"].problems
    empty = [p for p in probs if p.reason == "企业名称为空"]
    assert sorted(p.row for p in empty) == [3, 5]
    note = [p for p in probs if p.code == "formula_without_value"]
    assert len(note) == 1 and note[0].severity == "warning"
    assert "有 2 个公式单元格没有保存计算结果（如 B3、B5）" in note[0].reason
    assert "用 Excel 或 WPS 打开该文件并保存" in note[0].reason and note[0].sheet == "名录"


def test_formulas_with_stored_results_read_as_their_results(tmp_path):
    _formula_roster(tmp_path / "targets.xlsx", cached=True)
    officers_file(tmp_path, [officer(1)])
    rosters = collect_rosters(load_plan(plan_file(tmp_path)))
    assert not rosters.by_role["targets"].problems
    names = sorted(t.name for t in rosters.targets)
    assert "西宁测试2号" in names and "西宁测试4号" in names


def test_empty_cells_without_formulas_give_no_formula_note(tmp_path):
    targets_file(tmp_path, [target(1), target(2, 企业名称="")])
    officers_file(tmp_path, [officer(1)])
    probs = collect_rosters(load_plan(plan_file(tmp_path))).by_role["targets"].problems
    assert [p.reason for p in probs if p.row == 4 or p.row == 3] == ["企业名称为空"]
    assert not [p for p in probs if p.code == "formula_without_value"]


def _sheet_xml_workbook(path, rows_xml: str):
    """A workbook (sheet 名录) whose sheet XML is exactly `rows_xml` inside <sheetData>."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "名录"
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/sheet1.xml"] = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                                         'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                                         f'{rows_xml}</sheetData></worksheet>').encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    return path


def test_uncached_formula_scan_tells_stored_results_from_missing_ones(tmp_path):
    """The scan itself, on hand-made sheet XML: a formula with a number or a text result, or an
    empty text result (t="str"), is stored; one with no value or an untyped empty value is not."""
    from shuangsuiji.intake.formulas import uncached_formulas

    cells = ('<c r="A1"><f>1+1</f><v>2</v></c><c r="B1" t="str"><f>"a"</f><v>a</v></c>'
             '<c r="C1" t="str"><f>""</f><v></v></c><c r="D1"><f>X1</f><v></v></c><c r="E1"><f>Y1</f></c>'
             '<c r="F1" t="s"><v>0</v></c><c r="G1"/>')
    path = _sheet_xml_workbook(tmp_path / "f.xlsx", f'<row r="1">{cells}</row>')
    assert uncached_formulas(path, "名录") == (2, ["D1", "E1"])
    assert uncached_formulas(path, "没有这个表") == (0, [])
    assert uncached_formulas(tmp_path / "nothing.xlsx", "名录") == (0, [])


def test_uncached_formula_scan_across_read_blocks(tmp_path, monkeypatch):
    from shuangsuiji.intake import formulas

    rows = "".join(f'<row r="{r}"><c r="A{r}"><f>B{r}</f></c><c r="B{r}" t="inlineStr"><is><t>x</t></is></c></row>'
                   for r in range(1, 60))
    path = _sheet_xml_workbook(tmp_path / "f.xlsx", rows)
    for block in (7, 64, 1000, 1 << 22):  # cells cut anywhere by the reads
        monkeypatch.setattr(formulas, "BLOCK", block)
        assert formulas.uncached_formulas(path, "名录") == (59, ["A1", "A2", "A3", "A4", "A5"])
