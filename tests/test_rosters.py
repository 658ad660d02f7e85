"""Roster intake over small generated files carrying the traps of domain.md §5.

Every assertion names the row (as Excel numbers it), the column and the reason.
"""

from __future__ import annotations

from datetime import date

import pytest
from factories import (
    OFFICER_HEADERS,
    TARGET_HEADERS,
    basic_workspace,
    code,
    officer,
    officers_file,
    plan_file,
    target,
    targets_file,
    write_csv,
    write_xlsx,
)

from shuangsuiji.core.errors import FileMissing, InputInvalid
from shuangsuiji.intake.codes import NUMBER_REASON
from shuangsuiji.intake.records import REGNO
from shuangsuiji.intake.rosters import collect_rosters, load_rosters
from shuangsuiji.plan.load import load_plan


def load(plan):
    return load_rosters(load_plan(plan))


def problem_at(rosters, row, column=None, file="targets"):
    found = [p for p in rosters.problems if p.row == row and (column is None or p.column == column)
             and file in (p.file or "").rsplit("/", 1)[-1]]
    assert found, f"no problem at row {row} {column}: {[p.message() for p in rosters.problems]}"
    return found[0]


# -- targets: layout ------------------------------------------------------------------------------
def test_merged_title_row_and_excel_row_numbers(tmp_path):
    r = load(basic_workspace(tmp_path, [target(1), target(2)]))
    assert [t.source.row for t in r.targets] == [3, 4]  # title row 1, header row 2
    assert r.targets[0].source.sheet == "名录"
    assert r.reports[0].column_map["credit_code"] == "统一社会信用代码"
    assert r.problems == []


def test_header_found_below_several_title_rows_and_blank_rows_keep_numbers(tmp_path):
    rows = [["城中区检查对象名录"], ["导出时间：2026-03-31"], [], TARGET_HEADERS, target(1), [None] * 3, target(2)]
    write_xlsx(tmp_path / "targets.xlsx", rows, title=None)
    officers_file(tmp_path, [officer(1)])
    r = load(plan_file(tmp_path))
    assert [t.source.row for t in r.targets] == [5, 7]


def test_data_on_a_later_sheet_needs_the_sheet_name(tmp_path):
    targets_file(tmp_path, [target(1)], before={"说明": [["本表由系统导出"], ["请勿修改"]]})
    officers_file(tmp_path, [officer(1)])
    with pytest.raises(InputInvalid) as e:
        load(plan_file(tmp_path))
    assert "第一个工作表「说明」中找不到表头" in e.value.message and "名录" in e.value.message
    assert "targets_sheet" in e.value.hint
    r = load(plan_file(tmp_path, rosters_extra="targets_sheet: 名录"))
    assert [t.credit_code for t in r.targets] == [code(1)]


def test_officers_on_a_later_sheet_hint_names_inspectors_sheet(tmp_path):
    targets_file(tmp_path, [target(1)])
    officers_file(tmp_path, [officer(1)], before={"说明": [["本表由系统导出"]]})
    with pytest.raises(InputInvalid) as e:
        load(plan_file(tmp_path))
    assert "inspectors_sheet: 人员" in e.value.hint and "targets_sheet" not in e.value.hint


def test_neighbour_roster_on_a_later_sheet_is_told_to_move_the_sheet(tmp_path):
    basic_workspace(tmp_path)
    write_xlsx(tmp_path / "nb.xlsx", [OFFICER_HEADERS, officer(1)], sheet="人员", before={"说明": [["说明"]]})
    with pytest.raises(InputInvalid) as e:
        load(plan_file(tmp_path, neighbour="nb.xlsx"))
    assert "_sheet" not in e.value.hint and "把工作表「人员」拖到最前面" in e.value.hint


def test_header_with_a_stray_bom_still_matches(tmp_path):
    rows = [["\ufeff" + TARGET_HEADERS[0], *TARGET_HEADERS[1:]], target(1)]
    write_csv(tmp_path / "targets.csv", rows, encoding="gb18030")
    officers_file(tmp_path, [officer(1)])
    r = load(plan_file(tmp_path, targets="targets.csv"))
    assert [t.credit_code for t in r.targets] == [code(1)]


def test_unknown_sheet_lists_the_sheets(tmp_path):
    basic_workspace(tmp_path)
    with pytest.raises(InputInvalid) as e:
        load(plan_file(tmp_path, rosters_extra="targets_sheet: 汇总"))
    assert "没有名为「汇总」的工作表" in e.value.message and "名录" in e.value.message


def test_missing_required_column_names_file_sheet_headers_and_the_fix(tmp_path):
    headers = [h for h in TARGET_HEADERS if h != "企业名称"]
    write_xlsx(tmp_path / "targets.xlsx", [headers, [code(1)] + ["x"] * (len(headers) - 1)])
    officers_file(tmp_path, [officer(1)])
    with pytest.raises(InputInvalid) as e:
        load(plan_file(tmp_path))
    msg = e.value.message
    assert "targets.xlsx" in msg and "工作表「名录」" in msg and "第2行" in msg
    assert "缺少必需的列「企业名称」" in msg and "统一社会信用代码、市场主体类型" in msg
    assert "rosters.columns.targets" in e.value.hint and "name:" in e.value.hint
    p = e.value.problems[0]
    assert (p.row, p.column, p.sheet) == (2, "企业名称", "名录")


def test_renamed_columns_mapped_in_the_plan(tmp_path):
    headers = ["社会统一代码", "市场主体名字", "风险"] + TARGET_HEADERS[2:10]
    write_xlsx(tmp_path / "targets.xlsx", [headers, [code(7), "西宁甲公司", "B类", *target(7)[2:10]]])
    officers_file(tmp_path, [officer(1)])
    extra = "columns:\n  targets:\n    credit_code: 社会统一代码\n    name: [市场主体名字]\n    risk: 风险"
    r = load(plan_file(tmp_path, rosters_extra=extra))
    t = r.targets[0]
    assert (t.credit_code, t.name, t.risk) == (code(7), "西宁甲公司", "一般")


def test_unknown_field_in_the_plan_column_map_is_reported(tmp_path):
    plan = basic_workspace(tmp_path, rosters_extra="columns:\n  targets:\n    creditcode: 代码")
    r = load(plan)
    p = [p for p in r.problems if p.code == "plan_invalid"][0]
    assert "creditcode" in p.reason and "credit_code" in p.reason and p.severity == "error"


# -- targets: codes -------------------------------------------------------------------------------
def test_code_traps_row_column_reason(tmp_path):
    rows = [target(1, 统一社会信用代码=code(1)[:17] + ("0" if code(1)[17] != "0" else "1")),  # row 3: check char
            target(2, 统一社会信用代码=code(2).lower()),  # row 4: lower-case, accepted
            target(3, 统一社会信用代码="91350100O000100Y43"),  # row 5: letter O
            target(4, 统一社会信用代码="９１３５０１００Ｍ０００１００Ｙ４３"),  # row 6: full-width, accepted
            target(5, 统一社会信用代码=" 9135 0100 M000 100Y43"),  # row 7: spaces -> same code as row 6!
            target(6, 统一社会信用代码=913501001234567890),  # row 8: stored as a number
            target(7, 统一社会信用代码="630103000012342"),  # row 9: 15-digit 注册号
            target(8, 统一社会信用代码=630103000099992),  # row 10: 注册号 as a number: exact
            target(9, 统一社会信用代码="9.13501E+17")]  # row 11: text of a number
    r = load(basic_workspace(tmp_path, rows))
    assert "校验位不符" in problem_at(r, 3, "统一社会信用代码").reason
    assert "字母「O」" in problem_at(r, 5, "统一社会信用代码").reason
    number = problem_at(r, 8, "统一社会信用代码")
    assert number.reason == NUMBER_REASON and number.value == "9.13501E+17" and number.severity == "error"
    assert problem_at(r, 11).reason == NUMBER_REASON
    regno_number = problem_at(r, 10)
    assert regno_number.severity == "warning" and "注册号被存成了数字" in regno_number.reason
    by_code = {t.credit_code: t for t in r.targets}
    assert code(2) in by_code
    assert by_code["630103000012342"].code_kind == REGNO
    assert by_code["630103000099992"].code_kind == REGNO
    # rows 6 and 7 normalise to the same code but differ in name: a conflicting duplicate
    assert "91350100M000100Y43" not in by_code
    assert {p.row for p in r.errors() if p.code == "duplicate_conflict"} == {6, 7}
    assert {p.row for p in r.errors()} == {3, 5, 6, 7, 8, 11}


def test_separate_regno_column_fills_blank_codes(tmp_path):
    headers = ["统一社会信用代码", "注册号", "企业名称"]
    write_xlsx(tmp_path / "targets.xlsx", [headers, [code(1), "", "甲"], ["", "630103000012342", "乙"]])
    officers_file(tmp_path, [officer(1)])
    r = load(plan_file(tmp_path))
    assert sorted(t.credit_code for t in r.targets) == sorted([code(1), "630103000012342"])


# -- targets: duplicates, states, risks, dates ----------------------------------------------------
def test_duplicates_per_licence_collapsed_with_one_warning(tmp_path):
    rows = [target(1, 许可证名称="危险化学品经营许可证", 许可证编号="青001", 上次检查日期=date(2024, 5, 1)),
            target(2),
            target(1, 许可证名称="食品经营许可证", 许可证编号="JY163", 上次检查日期=date(2025, 1, 2)),
            target(1, 许可证名称="危险化学品经营许可证", 许可证编号="青001")]
    r = load(basic_workspace(tmp_path, rows))
    t = next(t for t in r.targets if t.credit_code == code(1))
    assert t.licences == ("危险化学品经营许可证（青001）", "食品经营许可证（JY163）")
    assert t.last_inspected == date(2025, 1, 2) and t.source.row == 3
    warn = problem_at(r, 3, "统一社会信用代码")
    assert warn.severity == "warning" and "出现 3 行（第 3、5、6 行" in warn.reason
    assert r.reports[0].duplicates_collapsed == 2 and len(r.targets) == 2


def test_conflicting_duplicates_rejected_every_row(tmp_path):
    rows = [target(1, 信用风险分类="低"), target(1, 信用风险分类="高"), target(2, 企业名称="甲"),
            target(2, 企业名称=" 甲 ")]
    r = load(basic_workspace(tmp_path, rows))
    assert [t.credit_code for t in r.targets] == [code(2)]
    p3, p4 = problem_at(r, 3), problem_at(r, 4)
    assert p3.severity == p4.severity == "error"
    assert "「信用风险分类」不一致（第3行：低；第4行：高）" in p3.reason


def test_registration_states(tmp_path):
    rows = [target(1, 登记状态="存续"), target(2, 登记状态="吊销，未注销"), target(3, 登记状态="注销"),
            target(4, 登记状态="歇业"), target(5, 登记状态=""), target(6, 登记状态="注销中"),
            target(7, 登记状态="在业")]
    r = load(basic_workspace(tmp_path, rows))
    drawable = {t.credit_code: t.drawable for t in r.targets}
    assert drawable == {code(1): True, code(2): False, code(3): False, code(4): False, code(5): False,
                        code(6): False, code(7): True}
    assert "未知的登记状态" in problem_at(r, 6, "登记状态").reason
    assert "未填写登记状态" in problem_at(r, 7, "登记状态").reason
    assert all(p.severity == "warning" for p in r.problems)
    plan = plan_file(tmp_path, rosters_extra="").read_text(encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(plan.replace("tasks:", "registration_states:\n  pending_cancel_drawable: true\n"
                                                     "  drawable: [存续, 在业, 歇业]\ntasks:"), encoding="utf-8")
    r = load(tmp_path / "plan.yaml")
    assert {t.credit_code: t.drawable for t in r.targets}[code(6)] is True
    assert {t.credit_code: t.drawable for t in r.targets}[code(4)] is True


def test_risk_classes_and_aliases(tmp_path):
    rows = [target(1, 信用风险分类="B"), target(2, 信用风险分类="高风险"), target(3, 信用风险分类="Ｃ类"),
            target(4, 信用风险分类="特高"), target(5, 信用风险分类="")]
    r = load(basic_workspace(tmp_path, rows))
    risk = {t.credit_code: t.risk for t in r.targets}
    assert risk == {code(1): "一般", code(2): "高", code(3): "较高", code(4): "", code(5): ""}
    assert "risk_aliases" in problem_at(r, 6, "信用风险分类").reason
    assert "未填写信用风险分类" in problem_at(r, 7, "信用风险分类").reason


def test_dates_in_every_format_and_bad_dates_rejected(tmp_path):
    rows = [target(1, 成立日期=date(2026, 3, 1)), target(2, 成立日期="2026-03-01"), target(3, 成立日期="2026/3/1"),
            target(4, 成立日期="2026年3月1日"), target(5, 成立日期="20260301"), target(6, 成立日期=20260301),
            target(7, 成立日期="2026-02-30"), target(8, 成立日期="三月一日"), target(9, 成立日期=46082)]
    r = load(basic_workspace(tmp_path, rows))
    assert {t.established for t in r.targets} == {date(2026, 3, 1)} and len(r.targets) == 6
    assert "不存在的日期" in problem_at(r, 9, "成立日期").reason
    assert "无法识别的日期" in problem_at(r, 10, "成立日期").reason
    assert "单元格是数字 46082" in problem_at(r, 11, "成立日期").reason


def test_name_starting_with_formula_character_warned_and_kept(tmp_path):
    r = load(basic_workspace(tmp_path, [target(1, 企业名称="=HYPERLINK(1)"), target(2, 企业名称="")]))
    assert r.targets[0].name == "=HYPERLINK(1)"
    assert problem_at(r, 3, "企业名称").code == "formula"
    assert problem_at(r, 4, "企业名称").reason == "企业名称为空"


# -- CSV ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_encodings(tmp_path, encoding):
    write_csv(tmp_path / "targets.csv", [["城中区名录"], TARGET_HEADERS,
                                         [str(v) if v is not None else "" for v in target(1, 企业名称="西宁鑫源商贸")]],
              encoding=encoding)
    officers_file(tmp_path, [officer(1)])
    r = load(plan_file(tmp_path, targets="targets.csv"))
    t = r.targets[0]
    assert (t.name, t.source.row, t.source.sheet, t.established) == ("西宁鑫源商贸", 3, None, date(2015, 5, 1))


def test_csv_short_rows_and_scientific_codes(tmp_path):
    write_csv(tmp_path / "targets.csv", [["统一社会信用代码", "企业名称", "登记状态"], [code(1), "甲"],
                                         ["9.13501E+17", "乙", "存续"]])
    officers_file(tmp_path, [officer(1)])
    r = load(plan_file(tmp_path, targets="targets.csv"))
    assert [t.credit_code for t in r.targets] == [code(1)]
    assert problem_at(r, 3, "统一社会信用代码").reason == NUMBER_REASON
    assert "未填写登记状态" in problem_at(r, 2, "登记状态").reason


# -- officers -------------------------------------------------------------------------------------
def test_officer_traps(tmp_path):
    rows = [officer(1),  # row 3
            officer(2, 执法证有效期至=date(2025, 12, 31)),  # expired: kept, eligibility later
            officer(3, 在岗状态="失效"),
            officer(4, 执法证号=""),  # no credential and no 工号 column: rejected
            officer(5, 部门="城中区卫生健康局", 执法门类="卫生监督"),
            officer(6, 部门="卫生健康局"),  # unique tail of a plan department name
            officer(7, 部门="城东区市场监督管理局"),  # unknown department
            officer(8, 身份证号=630103199001010011),  # ID stored as a number
            officer(9, 执法门类="市场监管综合，食品安全；特种设备 价格", 业务专长="食品/特种设备", 是否专家="是"),
            officer(10, 在岗状态="借调"),
            officer(1, 姓名="重复")]  # row 13: same credential as row 3
    basic_workspace(tmp_path, officers=rows)
    r = load(tmp_path / "plan.yaml")
    by_id = {o.id: o for o in r.inspectors}
    assert by_id["63010300002"].credential_expiry == date(2025, 12, 31) and by_id["63010300002"].active
    assert by_id["63010300003"].active is False and by_id["63010300003"].status == "失效"
    assert "63010300004" not in by_id
    assert "既没有执法证号也没有工号" in problem_at(r, 6, "执法证号", "inspectors").reason
    assert by_id["63010300005"].department == "WSJK" and by_id["63010300006"].department == "WSJK"
    dept = problem_at(r, 9, "部门", "inspectors")
    assert dept.severity == "error" and "SCJG（城中区市场监督管理局）" in dept.reason
    idp = problem_at(r, 10, "身份证号", "inspectors")
    assert idp.severity == "warning" and idp.value == "6301…" and by_id["63010300008"].id_number == ""
    o9 = by_id["63010300009"]
    assert o9.categories == ("市场监管综合", "食品安全", "特种设备", "价格") and o9.expert
    assert o9.specialties == ("食品/特种设备",)  # "/" is not a separator
    assert by_id["63010300010"].active is False
    assert "无法识别的在岗状态" in problem_at(r, 12, "在岗状态", "inspectors").reason
    # a repeated licence number rejects every row involved (not first-row-wins)
    assert "63010300001" not in by_id
    for row in (3, 13):
        dup = problem_at(r, row, "执法证号", "inspectors")
        assert "出现在 2 行" in dup.reason and "第3行" in dup.reason and "第13行" in dup.reason
        assert dup.severity == "error" and dup.code == "duplicate_officer"


def test_officer_without_credential_kept_by_staff_number(tmp_path):
    headers = ["工号", *OFFICER_HEADERS]
    rows = [headers, ["SC001", *officer(1)], ["SC002", *officer(2, 执法证号="", 执法证有效期至=None)]]
    write_xlsx(tmp_path / "inspectors.xlsx", rows, sheet="人员")
    targets_file(tmp_path, [target(1)])
    r = load(plan_file(tmp_path))
    by_id = {o.id: o for o in r.inspectors}
    assert by_id["SC002"].credential_no == "" and by_id["63010300001"].credential_no == "63010300001"
    w = problem_at(r, 4, "执法证号", "inspectors")
    assert w.severity == "warning" and "辅助人员" in w.reason


def test_officer_credential_number_stored_as_number_is_exact_but_warned(tmp_path):
    basic_workspace(tmp_path, officers=[officer(1, 执法证号=63010300001)])
    r = load(tmp_path / "plan.yaml")
    assert r.inspectors[0].id == "63010300001"
    assert "前导" not in r.inspectors[0].id and problem_at(r, 3, "执法证号", "inspectors").severity == "warning"


# -- conflicts, special lists, neighbours ---------------------------------------------------------
def test_conflicts_special_lists_and_neighbours(tmp_path):
    write_csv(tmp_path / "conflicts.csv", [["执法证号", "姓名", "统一社会信用代码", "回避原因"],
                                           ["63010300001", "检查员1", code(1), "配偶任法定代表人"],
                                           ["63010399999", "", code(2), "近亲属任职"],
                                           ["63010300002", "别人", code(3).lower(), ""],
                                           ["63010300001", "", "91110000800088421P", "持股"]])
    write_csv(tmp_path / "special.csv", [[code(1)], [code(2)], [code(99)], ["abc"]], encoding="gb18030")
    write_xlsx(tmp_path / "neighbour.xlsx", [OFFICER_HEADERS, officer(50, 部门="城东区市场监督管理局", 所属所="东关所")])
    extra = "conflicts: conflicts.csv\nspecial_lists:\n  特种设备: special.csv"
    r = load(basic_workspace(tmp_path, rosters_extra=extra, neighbour="neighbour.xlsx"))
    assert [(c.inspector_id, c.credit_code, c.reason) for c in r.conflicts] == [
        ("63010300001", code(1), "配偶任法定代表人"), ("63010399999", code(2), "近亲属任职"),
        ("63010300002", code(3), "")]
    unknown = problem_at(r, 3, "执法证号", "conflicts")
    assert "名录中没有该执法证号" in unknown.reason and unknown.value == "63010399999"
    assert "姓名与执法人员名录不一致" in problem_at(r, 4, "姓名", "conflicts").reason
    assert "未填写回避原因" in problem_at(r, 4, "回避原因", "conflicts").reason
    assert problem_at(r, 5, "统一社会信用代码", "conflicts").severity == "error"
    assert r.special_lists == {"特种设备": {code(1), code(2)}}
    assert "检查对象名录中没有该代码" in problem_at(r, 3, None, "special").reason
    assert problem_at(r, 4, None, "special").severity == "error"
    nb = r.neighbours["SCJG"][0]
    assert (nb.department, nb.area) == ("SCJG", "东关所")
    assert set(r.files) == {"targets", "inspectors", "conflicts", "special:特种设备", "neighbour:SCJG"}


def test_missing_files_raise_and_collect_lists_them(tmp_path):
    targets_file(tmp_path, [target(1)])
    plan = plan_file(tmp_path, rosters_extra="conflicts: nope.csv")
    with pytest.raises(InputInvalid) as e:
        load(plan)
    assert "有 2 个名录文件无法使用" in e.value.message and "找不到文件" in e.value.message
    r = collect_rosters(load_plan(plan))
    assert {p.file.rsplit("/", 1)[-1] for p in r.unusable} == {"inspectors.xlsx", "nope.csv"}
    assert [t.credit_code for t in r.targets] == [code(1)]


def test_missing_file_alone_is_not_found(tmp_path):
    from shuangsuiji.intake.targets import read_targets

    plan = basic_workspace(tmp_path)
    with pytest.raises(FileMissing):
        read_targets(tmp_path / "none.xlsx", load_plan(plan).plan)


def test_not_a_workbook(tmp_path):
    basic_workspace(tmp_path)
    (tmp_path / "targets.xlsx").write_bytes(b"\x00\x01not a zip\x00")
    with pytest.raises(InputInvalid) as e:
        load(tmp_path / "plan.yaml")
    assert "不是表格文件（实际是二进制文件" in e.value.problems[0].reason


@pytest.mark.parametrize("content, said", [
    (b"", "空文件（0 字节）"),
    (b"%PDF-1.7\n...", "PDF 文档"),
    (b"PK\x03\x04" + b"\x01" * 100, "文件已损坏或不完整"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "EncryptionInfo".encode("utf-16-le"), "文件设置了打开密码"),
])
def test_not_a_workbook_says_what_the_file_really_is(tmp_path, content, said):
    basic_workspace(tmp_path)
    (tmp_path / "targets.xlsx").write_bytes(content)
    with pytest.raises(InputInvalid) as e:
        load(tmp_path / "plan.yaml")
    assert said in e.value.message and said in e.value.problems[0].reason
    assert e.value.problems[0].file.endswith("targets.xlsx")
    assert "Error" not in e.value.message and "Zip" not in e.value.message


def test_unreadable_targets_do_not_flood_other_files_with_unknown_codes(tmp_path):
    write_csv(tmp_path / "conflicts.csv", [["执法证号", "统一社会信用代码", "回避原因"], ["63010300001", code(1), "亲属"]])
    write_xlsx(tmp_path / "special.xlsx", [[code(1)], [code(2)]], title=None)  # headerless xlsx
    plan = basic_workspace(tmp_path, rosters_extra="conflicts: conflicts.csv\nspecial_lists:\n  电梯: special.xlsx")
    (tmp_path / "targets.xlsx").unlink()
    r = collect_rosters(load_plan(plan))
    assert r.special_lists == {"电梯": {code(1), code(2)}} and len(r.conflicts) == 1
    assert not [p for p in r.problems if "没有该代码" in p.reason]
    assert [p.code for p in r.unusable] == ["file_missing"]
