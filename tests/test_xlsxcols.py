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
          merged=None, cells=()) -> None:
    """A workbook written by xlsxwriter with the header at 0-based row `top`, `left` empty columns
    before it, a merged title above; `hidden` data rows (0-based data index), `rich` (data index,
    column): a name as rich text, `formula` (data index, column, text): a formula cell whose cached
    value is that text, `merged` (data index, first column, last column, text), and typed
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
    if merged:
        i, a, b, text = merged
        ws.merge_range(top + 1 + i, left + a, top + 1 + i, left + b, text)
    for i, j, v in cells:
        kind = wb.add_format({"num_format": "yyyy-mm-dd"}) if isinstance(v, (date, datetime)) else None
        ws.write(top + 1 + i, left + j, v, kind)
    wb.close()


def test_every_trap_reads_the_same_both_ways(tmp_path, monkeypatch):
    write_xlsx(tmp_path / "targets.xlsx", [TARGET_HEADERS, *TRAPS])
    fast, slow = _both(tmp_path, monkeypatch)
    assert isinstance(fast.targets, TargetTable)  # the columnar path took it
    _same(fast, slow)
    rows = {p.row for p in slow.problems}  # Excel rows: the merged title is row 1, the header row 2
    assert {3, 5, 6, 7, 10, 11, 26, 30, 35, 37, 41} <= rows and len(slow.problems) == 20  # as from the CSV


def test_layout_traps_keep_the_sheets_rows_and_columns(tmp_path, monkeypatch):
    """Leading empty rows and columns, a merged title, a hidden row, rich text, a formula with a
    cached text value, a merged data cell, a name of spaces only, an empty row between data rows."""
    rows = _rows(target(1), target(2, 企业名称="  "), target(3), target(4, 企业名称="富文本商贸有限公司"),
                 target(5), target(6), ["", "", "", "", "", "", "", "", "", "", "", "", "", ""],
                 target(7, 信用风险分类="特高"), target(1, 属地监管所="南滩所"), target(8))
    _book(tmp_path / "targets.xlsx", rows, hidden=(2,), rich=(3, 1), formula=(4, 4, "城中区公式路5号"),
          merged=(5, 11, 12, "食品经营许可证"))
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


def test_the_header_scan_reads_no_sheet_as_python_rows(tmp_path):
    rows = _rows(*(target(i, 成立日期="2015-05-01") for i in range(1, 30)))
    _book(tmp_path / "t.xlsx", rows)
    fast = _table(tmp_path / "t.xlsx", columnar_path=True)
    slow = _table(tmp_path / "t.xlsx", columnar_path=False)
    assert fast._rows is None and fast.strings.num_rows == 29 and slow._rows is not None
    assert (fast.header_row, fast.headers, fast.columns, fast.sheet) == \
        (slow.header_row, slow.headers, slow.columns, slow.sheet) == (4, slow.headers, slow.columns, "名录")
    # the row path over the string columns (used when the plan remaps values) gives the same rows
    assert list(fast.chunks(7)) == list(slow.chunks(7))
    assert fast.total_rows == 29


NOT_TEXT = {
    "code_number": (0, 913501001234567890),  # a code typed as a number (9.13501E+17)
    "date_cell": (9, date(2015, 5, 1)),  # 成立日期 as a date
    "bool_cell": (1, True),  # 企业名称 as TRUE
    "number_name": (1, 12.5),
}


@pytest.mark.parametrize("case", sorted(NOT_TEXT))
def test_a_sheet_with_a_number_date_or_bool_cell_takes_the_row_path(tmp_path, monkeypatch, case):
    column, value = NOT_TEXT[case]
    rows = _rows(*(target(i, 成立日期="2015-05-01") for i in range(1, 12)))
    rows[7][column] = ""
    _book(tmp_path / "targets.xlsx", rows, cells=[(7, column, value)])
    assert xlsxcols.load(tmp_path / "targets.xlsx", "名录") is None
    fast, slow = _both(tmp_path, monkeypatch)
    assert isinstance(fast.targets, list)  # the row path read it
    _same(fast, slow)
    if case == "code_number":
        assert [(p.row, p.code, p.value) for p in fast.problems if p.code == "code_number"] == \
            [(12, "code_number", "9.13501E+17")]


def test_a_number_anywhere_in_the_sheet_falls_back(tmp_path, monkeypatch):
    """A column of numbers only (序号), a number in the title row, a number after 3,000 text rows:
    inference reads every row, so none of them is missed."""
    rows = _rows(*(target(i, 成立日期="2015-05-01") for i in range(1, 3001)))
    _book(tmp_path / "late.xlsx", rows, cells=[(2999, 6, 13800000000)])  # 联系电话 as a number, last row
    assert xlsxcols.load(tmp_path / "late.xlsx", "名录") is None
    _book(tmp_path / "serial.xlsx", _rows(target(1), target(2)), cells=[(0, -1, 1), (1, -1, 2)])
    assert xlsxcols.load(tmp_path / "serial.xlsx", "名录") is None
    _book(tmp_path / "text.xlsx", rows)
    data = xlsxcols.load(tmp_path / "text.xlsx", "名录")
    assert data.num_rows == 3004 and data.num_columns == 2 + len(TARGET_HEADERS)
    assert xlsxcols.head(data, 4)[3][2:] == TARGET_HEADERS and xlsxcols.head(data, 4)[0] == [""] * 16
