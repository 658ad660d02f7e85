"""The match workbooks: marks in the team cell, formula-safe names, a large template keeps its dropdowns."""

from __future__ import annotations

from datetime import date

from openpyxl import load_workbook

from shuangsuiji.core.resultcodes import TEMPLATE_HEADERS, TEMPLATE_SHEET
from shuangsuiji.intake.records import Inspector, Target
from shuangsuiji.match.dispatch import ALL_FILE, DispatchInfo, template_sheet, workbooks
from shuangsuiji.match.teams import ItemRule, MatchInput, MatchRules, match
from shuangsuiji.sheets.writers import BIG_SHEET, write_xlsx

NAMES = (("SCJG", "城中区市场监督管理局"), ("WSJK", "城中区卫生健康局"))


def setup(n: int = 4, direct: bool = False):
    items = (ItemRule("SX02", "餐饮服务食品安全的检查", "SCJG", "食品安全", "食品"),
             ItemRule("SX03", "公共场所卫生的检查", "WSJK", "卫生监督"))
    rules = MatchRules("T02", "城中市监抽查〔2026〕2号", "SCJG", (("SCJG", 2), ("WSJK", 1)), items, NAMES,
                       date(2026, 5, 18), date(2026, 8, 31), direct_appointment=direct)
    targets = [Target(f"91630103TEST{i:05d}X", "=HYPERLINK(\"x\")餐馆" if i == 0 else f"测试餐饮{i}号", area="南川所",
                      address=f"人民街{i}号") for i in range(n)]
    sc = [Inspector(f"S{j}", f"市监{j}", "SCJG", credential_no=f"6301031000{j}", categories=("食品安全",))
          for j in range(3)]
    sc.append(Inspector("E1", "专家甲", "SCJG", credential_no="63010310099", categories=("食品安全",), expert=True,
                        specialties=("食品",)))
    ws = [] if direct else [Inspector("W1", "卫健一", "WSJK", credential_no="63010320001", categories=("卫生监督",))]
    inp = MatchInput(rules, targets, {"SCJG": sc, "WSJK": ws}, seed="派发单测试的种子0000000001",
                     direct_reason="卫健局人员外派，经批准直接委派" if direct else None)
    info = DispatchInfo("T02", rules.task_number, "餐饮联合抽查", list(NAMES), list(items), ["现场检查", "书面检查"],
                        "2026-05-11T15:00:00+08:00", date(2026, 5, 18), 5, inp.seed, "ab" * 32, "掷骰",
                        "out/T02/match/manifest.json", "out/T02/draw/manifest.json", "5B01-1899-77FE-32F6",
                        direct_reason=inp.direct_reason)
    return inp, match(inp), info


def test_team_cell_marks_leader_specialist_and_direct_appointment(tmp_path):
    inp, result, info = setup(direct=True)
    books = workbooks(info, result, inp.targets)
    assert set(books) == {ALL_FILE, "派发单-城中区市场监督管理局.xlsx", "派发单-城中区卫生健康局.xlsx",
                          "结果录入-城中区市场监督管理局.xlsx", "结果录入-城中区卫生健康局.xlsx"}
    write_xlsx(tmp_path / ALL_FILE, books[ALL_FILE])
    sheet = load_workbook(tmp_path / ALL_FILE)["派发单"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=3)]
    assert sum(str(r[3]).startswith("'=") for r in rows) == 1  # formula injection escaped
    special = {t.credit_code for t in result.teams if any(m.specialist_for for m in t.members)}
    assert special and len(special) < len(rows)  # E1 is a regular member of some teams, added to the others
    leaders = [r[0] for r in rows]
    assert leaders == sorted(leaders, key=leaders.index)  # a leader's targets are together
    for row in rows:
        team = row[7]
        assert row[5] == "南川所"  # 属地监管所
        assert team.startswith("城中区市场监督管理局：" + row[0].split("（")[0] + "【组长】")  # leader first
        assert "（执法证号 6301031" in team
        assert "城中区卫生健康局：【直接委派】待城中区卫生健康局指定 1 名持有效执法证人员" in team
        assert "直接委派" in row[9] and "经批准直接委派" in row[9]
        assert ("专家甲【专家：食品】" in team) == (row[2] in special)
    info_rows = {r[0]: r[1] for r in load_workbook(tmp_path / ALL_FILE)["说明"].iter_rows(min_row=3, values_only=True)}
    assert info_rows["匹配随机种子"] == inp.seed and info_rows["复核方法"].startswith("ssj verify ")
    assert info_rows["派发时间"] == "2026年5月11日 15:00"  # clerk-facing, not ISO
    assert "直接委派" in info_rows["兜底方式"]


def test_a_large_template_keeps_dropdowns_and_date_cells(tmp_path):
    inp, result, info = setup(n=BIG_SHEET + 1)
    sheet = template_sheet(info, result, {t.credit_code: t for t in inp.targets}, "WSJK")
    assert len(sheet.rows) == BIG_SHEET + 1
    write_xlsx(tmp_path / "t.xlsx", [sheet])
    ws = load_workbook(tmp_path / "t.xlsx")[TEMPLATE_SHEET]
    assert [c.value for c in ws[2]] == TEMPLATE_HEADERS
    assert len(ws.data_validations.dataValidation) == 6  # 4 lists, 2 date checks
    assert any(str(dv.sqref).endswith(str(BIG_SHEET + 3)) for dv in ws.data_validations.dataValidation)
    last = BIG_SHEET + 3
    assert ws.cell(row=last, column=TEMPLATE_HEADERS.index("检查日期") + 1).number_format == "yyyy-mm-dd"
    assert ws.cell(row=last, column=5).value == "城中区卫生健康局"
    assert ws.cell(row=last, column=6).value == "公共场所卫生的检查"


def test_template_locks_prefilled_columns_and_offers_problem_types_only_under_a(tmp_path):
    inp, result, info = setup()
    sheet = template_sheet(info, result, {t.credit_code: t for t in inp.targets}, "SCJG")
    write_xlsx(tmp_path / "t.xlsx", [sheet])
    wb = load_workbook(tmp_path / "t.xlsx")
    ws = wb[TEMPLATE_SHEET]
    assert ws.protection.sheet is True
    col = {h: i + 1 for i, h in enumerate(TEMPLATE_HEADERS)}
    for h in ("统一社会信用代码", "企业名称", "抽查任务编号", "检查事项"):
        assert ws.cell(row=3, column=col[h]).protection.locked is True, h
    for h in ("检查结果", "问题类型", "检查日期", "备注"):
        assert ws.cell(row=3, column=col[h]).protection.locked is False, h
    dvs = {str(dv.sqref).split(":")[0][:1]: dv for dv in ws.data_validations.dataValidation}
    problem = dvs["H"]
    assert problem.formula1.startswith('IF(LEFT($G3,2)="A ",\'选项\'!$A$1:$A$9')
    assert dvs["K"].type == "date" and dvs["L"].type == "date"
    assert wb["选项"].sheet_state == "hidden"
    assert [wb["选项"].cell(row=r, column=1).value for r in (1, 9)] == ["2 违反市场监管相关规定", "G 违反公安部门相关规定"]
