"""A large xlsx target roster through fastexcel (intake/xlsxcols.py) reads exactly as the row path.

The fast path is taken only when every cell of the sheet is text or empty (one fastexcel parse,
strict type inference over every row); each case here reads one workbook both ways and compares
targets, problems (in order, with their Excel rows), counts and the check summary, or asserts
that a workbook holding a number, date or boolean cell falls back to the row path and reports
what it reported before (a code typed as a number: code_number).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from factories import TARGET_HEADERS, code, officer, officers_file, plan_file, target, write_xlsx
from test_columnar import TRAPS, _rows, _same

from shuangsuiji.intake import columnar, xlsxcols
from shuangsuiji.intake.rosters import load_rosters
from shuangsuiji.intake.tables import read_table
from shuangsuiji.intake.targets import target_fields
from shuangsuiji.intake.targettable import TargetTable
from shuangsuiji.plan.load import load_plan


def _read(folder, monkeypatch, *, fast: bool):
    monkeypatch.setattr(columnar, "MIN_BYTES", 0 if fast else 1 << 62)
    monkeypatch.setattr(xlsxcols, "MIN_BYTES", 0 if fast else 1 << 62)
    return load_rosters(load_plan(folder / "plan.yaml"))


def _both(folder, monkeypatch):
    officers_file(folder, [officer(1)])
    plan_file(folder, targets="targets.xlsx")
    return _read(folder, monkeypatch, fast=True), _read(folder, monkeypatch, fast=False)


def _table(path, *, columnar_path: bool):
    return read_table(path, target_fields({}), plan_key="targets", columnar=columnar_path)


def _book(path, rows: list[list], *, top: int = 3, left: int = 2, hidden=(), rich=None, formula=None,
          merged=None, error=None, cells=()) -> None:
    """A workbook written by xlsxwriter with the header at 0-based row `top`, `left` empty columns
    before it, a merged title above; `hidden` data rows (0-based data index), `rich` (data index,
    column): a name as rich text, `formula` (data index, column, text): a formula cell whose cached
    value is that text, `error` (data index, column): a formula whose cached value is #DIV/0!, `merged` (data index, first column, last column, text), and typed
    `cells` (data index, column, value) written with their own type (number, date, bool)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("名录")
    ws.merge_range(top - 2, left, top - 2, left + 3, "城中区检查对象名录（导出）")
    ws.write_row(top, left, TARGET_HEADERS)
    bold = wb.add_format({"bold": True})
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v != "":
                ws.write_string(top + 1 + i, left + j, v)
        if i in hidden:
            ws.set_row(top + 1 + i, None, None, {"hidden": True})
    if rich:
        i, j = rich
        text = rows[i][j]
        ws.write_rich_string(top + 1 + i, left + j, text[:2], bold, text[2:])
    if formula:
        i, j, text = formula
        ws.write_formula(top + 1 + i, left + j, f'="{text}"', None, text)
    if error:
        i, j = error
        ws.write_formula(top + 1 + i, left + j, "=1/0", None, "#DIV/0!")
    if merged:
        i, a, b, text = merged
        ws.merge_range(top + 1 + i, left + a, top + 1 + i, left + b, text)
    for i, j, v in cells:
        kind = wb.add_format({"num_format": "yyyy-mm-dd"}) if isinstance(v, (date, datetime)) else None
        ws.write(top + 1 + i, left + j, v, kind)
    wb.close()


def test_every_trap_reads_the_same_both_ways(tmp_path, monkeypatch):
    write_xlsx(tmp_path / "targets.xlsx", [TARGET_HEADERS, *TRAPS])
    assert xlsxcols.looks_all_text(tmp_path / "targets.xlsx", "名录")
    fast, slow = _both(tmp_path, monkeypatch)
    assert isinstance(fast.targets, TargetTable)  # the columnar path took it
    _same(fast, slow)
    rows = {p.row for p in slow.problems}  # Excel rows: the merged title is row 1, the header row 2
    assert {3, 5, 6, 7, 10, 11, 26, 30, 35, 37, 41} <= rows and len(slow.problems) == 20  # as from the CSV


def test_layout_traps_keep_the_sheets_rows_and_columns(tmp_path, monkeypatch):
    """Leading empty rows and columns, a merged title, a hidden row, rich text, a formula with a
    cached text value, a formula with an error value, a merged data cell, a name of spaces only,
    spaces around a value, a line break and a literal _x000D_, an empty row between data rows."""
    rows = _rows(target(1), target(2, 企业名称="  "), target(3), target(4, 企业名称="富文本商贸有限公司"),
                 target(5), target(6), ["", "", "", "", "", "", "", "", "", "", "", "", "", ""],
                 target(7, 信用风险分类="特高"), target(1, 属地监管所="南滩所"), target(8),
                 target(9, 住所="城中区\n人民街_x000D_9号", 行业=" 餐饮业 "))
    _book(tmp_path / "targets.xlsx", rows, hidden=(2,), rich=(3, 1), formula=(4, 4, "城中区公式路5号"),
          merged=(5, 11, 12, "食品经营许可证"), error=(10, 5))
    fast, slow = _both(tmp_path, monkeypatch)
    assert isinstance(fast.targets, TargetTable)
    _same(fast, slow)
    # header at Excel row 4, data from row 5: the spaces-only name (row 6), the unknown risk class
    # (row 12) and the conflicting duplicate of code 1 (rows 5 and 13) keep the sheet's numbers
    assert [(p.row, p.code) for p in fast.problems] == \
        [(5, "duplicate_conflict"), (6, "invalid"), (12, "risk_unmapped"), (13, "duplicate_conflict")]
    by = {t.credit_code: t for t in fast.targets}
    assert by[code(4)].name == "富文本商贸有限公司" and by[code(5)].address == "城中区公式路5号"
    assert by[code(3)].source.row == 7  # the hidden row is read, as Excel numbers it
    assert by[code(6)].licences == ("食品经营许可证",)  # the merged cell's value is in its first cell
    assert code(1) not in by  # a conflicting duplicate: rejected both ways
    # a line break and a literal _x000D_ kept, spaces around stripped, an error cell read as empty
    assert (by[code(9)].address, by[code(9)].industry, by[code(9)].legal_rep) == ("城中区\n人民街_x000D_9号", "餐饮业", "")


def test_the_header_scan_reads_no_sheet_as_python_rows(tmp_path):
    rows = _rows(target(0, 企业名称="案例（请删除）"), *(target(i, 成立日期="2015-05-01") for i in range(1, 30)))
    rows[9] = [""] * len(TARGET_HEADERS)  # a blank row
    _book(tmp_path / "t.xlsx", rows)
    fast = _table(tmp_path / "t.xlsx", columnar_path=True)
    slow = _table(tmp_path / "t.xlsx", columnar_path=False)
    assert fast._rows is None and fast.strings.num_rows == 30 and slow._rows is not None
    assert fast.header_row == slow.header_row == 4 and fast.sheet == slow.sheet == "名录"
    assert fast.headers == slow.headers == ["", "", *TARGET_HEADERS] and fast.columns == slow.columns
    assert fast.skip == slow.skip == {5} and fast.notes == slow.notes  # the example row under the header
    # the row path over the string columns (used when the plan remaps values) gives the same rows
    chunks = list(fast.chunks(7))
    assert chunks == list(slow.chunks(7))
    assert [n for _, numbers in chunks for n in numbers] == [n for n in range(6, 35) if n != 14]
    assert fast.total_rows == 30


def test_a_number_among_text_anywhere_in_the_sheet_falls_back(tmp_path):
    """A number after 3,000 text rows of a column: inference reads every row, so it is not missed;
    a column of numbers only (序号) is typed, and its header is text: mixed, so the file falls back."""
    rows = _rows(*(target(i, 成立日期="2015-05-01") for i in range(1, 3001)))
    _book(tmp_path / "late.xlsx", rows, cells=[(2999, 6, 13800000000)])  # 联系电话 as a number, last row
    assert xlsxcols.looks_all_text(tmp_path / "late.xlsx", "名录")  # the first look (64 KB) cannot see it
    assert xlsxcols.load(tmp_path / "late.xlsx", "名录") is None  # the parse does
    _book(tmp_path / "serial.xlsx", rows[:2], left=1, cells=[(-1, -1, "序号"), (0, -1, 1), (1, -1, 2)])
    assert xlsxcols.load(tmp_path / "serial.xlsx", "名录") is None
    _book(tmp_path / "text.xlsx", rows)
    data = xlsxcols.load(tmp_path / "text.xlsx", "名录")
    assert data.num_rows == 3004 and data.num_columns == 2 + len(TARGET_HEADERS)
    assert xlsxcols.head(data, 4)[3][2:] == TARGET_HEADERS and xlsxcols.head(data, 4)[0] == [""] * 16


def _typed_column(rows, column, values):
    for row in rows:
        row[column] = ""
    return [(i, column, v) for i, v in enumerate(values)]


LEFT_TO_THE_ROW_PATH = {
    # a code typed as a number among text codes: reported as code_number (9.13501E+17)
    "code_number": lambda rows: [(7, 0, 913501001234567890)],
    "number_in_name": lambda rows: [(7, 1, 12.5)],
    "bool_in_name": lambda rows: [(7, 1, True)],
    "date_among_text": lambda rows: [(7, 9, date(2015, 5, 1))],
    # 成立日期 as date cells in every row, as many exports have it: the text header above them makes
    # the column mixed (the header and the title are in the one load): the row path reads the dates
    "date_column": lambda rows: _typed_column(rows, 9, [date(2015, 5, 1 + i) for i in range(len(rows))]),
    # 联系电话 typed as numbers in every row
    "number_column": lambda rows: _typed_column(rows, 6, [13800000000 + i for i in range(len(rows))]),
    # a column of numbers only, headed by a number too: typed but not mixed, so strict coercion
    # does not raise; the dtype check (every column "string" or "null") sends it back
    "typed_header": lambda rows: [(-1, -1, 2026), *((i, -1, i) for i in range(len(rows)))],
}


@pytest.mark.parametrize("case", sorted(LEFT_TO_THE_ROW_PATH))
def test_what_the_fast_path_cannot_read_exactly_takes_the_row_path(tmp_path, monkeypatch, case):
    rows = _rows(*(target(i, 成立日期="2015-05-01") for i in range(1, 12)))
    cells = LEFT_TO_THE_ROW_PATH[case](rows)
    for i, j, _ in cells:
        if i >= 0 and j >= 0:
            rows[i][j] = ""
    _book(tmp_path / "targets.xlsx", rows, cells=cells)
    assert xlsxcols.load(tmp_path / "targets.xlsx", "名录") is None
    assert not xlsxcols.looks_all_text(tmp_path / "targets.xlsx", "名录")  # not even parsed: a typed cell up top
    fast, slow = _both(tmp_path, monkeypatch)
    assert isinstance(fast.targets, list)  # the row path read it
    _same(fast, slow)
    if case == "code_number":
        assert [(p.row, p.code, p.value) for p in fast.problems if p.code == "code_number"] == \
            [(12, "code_number", "9.13501E+17")]


def test_the_first_look_reads_the_named_sheets_own_xml(tmp_path):
    """looks_all_text finds the sheet by name through the workbook's relationships, not by position."""
    write_xlsx(tmp_path / "t.xlsx", [TARGET_HEADERS, *_rows(target(1))], before={"说明": [["年度", 2026]]},
               after={"统计": [["合计", 1.5]]})
    assert xlsxcols.looks_all_text(tmp_path / "t.xlsx", "名录")
    assert not xlsxcols.looks_all_text(tmp_path / "t.xlsx", "说明")
    assert not xlsxcols.looks_all_text(tmp_path / "t.xlsx", "统计")
