"""The xlsx writer's cell loop: the fast loop writes the very file the plain per-cell loop wrote.

`writers._write_rows` inlines the common cell types and calls xlsxwriter's undecorated cell
methods (a large draw writes over a million cells). `_reference_rows` below is the loop it
replaced, kept verbatim as the specification: both must give byte-identical sheet XML for every
kind of cell, column and row shape.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from shuangsuiji.sheets import writers
from shuangsuiji.sheets.base import Dropdown, Sheet, display_width, escape_cell


def _reference_value(v):
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (int, float, date, datetime)) or v is None:
        return v
    return escape_cell(str(v))


def _reference_rows(ws, fmts, sheet, r, widths, col_fmt, kinds, wrap, entry):
    """The per-cell loop of writers._write_sheet before the fast loop (the behaviour to keep)."""
    ncols = len(col_fmt)
    for row in sheet.rows:
        r += 1
        height = writers._row_height(row, wrap, widths) if wrap else None
        if height:
            ws.set_row(r, height)
        for c in range(ncols):
            v = _reference_value(row[c]) if c < len(row) else None
            fmt = col_fmt[c]
            if v is None or v == "":
                if kinds[c] != "general" or c in entry or c in wrap:
                    ws.write_blank(r, c, None, fmt)
            elif isinstance(v, str):
                ws.write_string(r, c, v, fmt)
            elif isinstance(v, (date, datetime)):
                ws.write_datetime(r, c, v if isinstance(v, datetime) else datetime(v.year, v.month, v.day),
                                  fmts.get("date", c in wrap, c in entry))
            else:
                ws.write_number(r, c, v, fmt)
    return r


class Name(str):
    """A str subclass (e.g. a value read through a library that wraps strings)."""


HEADERS = ["代码", "名称", "金额", "日期", "备注", "是否", "录入"]
ROWS = [
    ["91630103MA7XXXXX1X", "=HYPERLINK(\"x\")", 3, date(2026, 5, 6), "普通文本", True, ""],
    ["-1", "+86 138", 2.5, datetime(2026, 5, 6, 9, 30), "", False, None],
    ["", "", 0, None, None, None, "@x"],
    ["@sum", "\t缩进", -4, "2026-05-06", "一段很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长的说明", 1, 0.0],
    [Name("=子类"), Decimal("1.50"), Name(""), date(2026, 1, 1)],  # short row: the rest is empty
    ["9163", "名", 1, date(2026, 2, 2), "x", "y", "z", "past the headers", 99],  # long row
    [None, "换行\n第二行", float("1e20"), date(2099, 12, 31), "\r回车", "是", "-"],
]


def _sheets():
    return [
        Sheet("数据", HEADERS, ROWS, title="=标题", text_columns=[0], date_columns=[3], wrap_columns=[4],
              protect=True, entry_columns=[5, 6], extra_rows=2,
              dropdowns=[Dropdown(5, ["是", "否"])]),
        Sheet("宽表", HEADERS + ["很长的列" * 8] * 6, [r + ["长文本" * 30] * 6 for r in ROWS]),
        Sheet("窄", ["项目"], [["a"], [], [None], [7]], autofilter=False),
    ]


def _xml(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}  # core.xml: the time written


def test_fast_cell_loop_writes_the_same_file_as_the_plain_loop(tmp_path, monkeypatch):
    fast = _xml(writers.write_xlsx(tmp_path / "fast.xlsx", _sheets()))
    monkeypatch.setattr(writers, "_write_rows", _reference_rows)
    plain = _xml(writers.write_xlsx(tmp_path / "plain.xlsx", _sheets()))
    assert sorted(fast) == sorted(plain)
    assert [n for n in fast if fast[n] != plain[n]] == []
    wide = fast["xl/worksheets/sheet2.xml"]
    assert wide.count(b"<row ") == 1 + len(ROWS)  # header and rows (no title)
    assert wide.count(b'customHeight="1"') >= len(ROWS)  # narrowed long columns wrap: explicit heights
    assert b"<t>'=HYPERLINK" in fast["xl/worksheets/sheet1.xml"]


def test_undecorated_cell_methods_give_the_same_file_as_the_public_ones(tmp_path, monkeypatch):
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(tmp_path / "probe.xlsx"))
    used = writers._cell_writers(wb.add_worksheet())
    wb.close()
    assert [f.__name__ for f in used] == ["_write_string", "_write_number", "_write_blank"]  # the shortcut is in use
    fast = _xml(writers.write_xlsx(tmp_path / "fast.xlsx", _sheets()))
    monkeypatch.setattr(writers, "_cell_writers", lambda ws: (ws.write_string, ws.write_number, ws.write_blank))
    public = _xml(writers.write_xlsx(tmp_path / "public.xlsx", _sheets()))
    assert [n for n in fast if fast[n] != public[n]] == []


def test_cells_read_back_as_the_rules_say(tmp_path):
    ws = load_workbook(writers.write_xlsx(tmp_path / "r.xlsx", _sheets()))["数据"]
    assert ws["A1"].value == "'=标题"
    row = [c.value for c in ws[3]]
    assert row == ["91630103MA7XXXXX1X", "'=HYPERLINK(\"x\")", 3, datetime(2026, 5, 6), "普通文本", "是", None]
    assert [c.value for c in ws[4]][:3] == ["'-1", "'+86 138", 2.5]
    assert ws["D4"].value == datetime(2026, 5, 6, 9, 30) and ws["D4"].number_format == "yyyy-mm-dd"
    assert ws["F4"].value == "否"
    assert [c.value for c in ws[7]][:4] == ["'=子类", "1.50", None, datetime(2026, 1, 1)]
    assert ws["B7"].data_type == "s"  # a Decimal is written as its text, as before
    assert [c.value for c in ws[8]] == ["9163", "名", 1, datetime(2026, 2, 2), "x", "y", "z"]  # no column past 录入
    # empty cells: written (bordered, text format) in the text column, absent in a general one
    assert ws["A5"].border.left.style == "thin" and ws["A5"].number_format == "@"
    assert ws["B5"].border.left.style is None
    assert ws["G5"].protection.locked is False and ws["G5"].value == "'@x"
    assert ws["E7"].border.left.style == "thin"  # wrapped column, past the end of a short row
    assert ws["B9"].value == "换行\n第二行" and ws["E9"].value.startswith("'")  # (CR kept as _x000D_)
    assert ws.row_dimensions[6].height == writers._row_height(ROWS[3], {4}, writers.column_widths(_sheets()[0]))


def test_display_width_counts_ascii_once_and_wide_characters_twice():
    for text in ["", "abc", "城中", "ａｂ", "a城b", "9163 0103", "Ω", "\t"]:
        assert display_width(text) == sum(2 if ord(ch) > 127 and __import__("unicodedata").east_asian_width(ch) in "WF"
                                          else 1 for ch in text)


def test_a_sheet_longer_than_a_worksheet_continues_on_further_sheets(tmp_path, monkeypatch):
    """Excel holds 1,048,576 rows a sheet and xlsxwriter drops cells below without a word: a longer
    sheet (a province draw) continues on 「名称（续2）」… with its title and header, no row lost."""
    monkeypatch.setattr(writers, "EXCEL_ROWS", 6)  # title + header + 4 data rows a sheet
    rows = [[i, f"9163010300000{i:05d}", f"商户{i}"] for i in range(1, 11)]
    path = tmp_path / "big.xlsx"
    writers.write_xlsx(path, [Sheet("抽中名单", ["序号", "统一社会信用代码", "企业名称"], rows, title="抽取结果"),
                              Sheet("抽取说明", ["项目", "内容"], [["a", "b"]], title="说明")])
    wb = load_workbook(path)
    assert wb.sheetnames == ["抽中名单", "抽中名单（续2）", "抽中名单（续3）", "抽取说明"]
    got = []
    for name in wb.sheetnames[:3]:
        ws = wb[name]
        assert ws.cell(1, 1).value.startswith("抽取结果（第 ") and ws.cell(1, 1).value.endswith("部分，共 3 部分）")
        assert [c.value for c in ws[2]] == ["序号", "统一社会信用代码", "企业名称"]
        got += [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    assert got == rows
    assert [c.value for c in wb["抽取说明"][3]] == ["a", "b"]


# --- xlsxrows.RowWriter: data rows written as XML in blocks, byte for byte what xlsxwriter writes ---

class Count(int):
    """An int subclass (written as a number, through the slow branch)."""


TRICKY_TEXT = [
    "a&b", "<b>", "x > y", "&amp;", "_x0041_", "a_x00e9_b", "_X0041_", "_x004_", "\x01ctrl", "bell\x07", "\x1f",
    " lead", "trail ", "\u3000全角空格", "\xa0nbsp\xa0", "tab\tin", "line\n", "中\n文", "\x0b", "\x0c分页",
    "a" * 16383, "b" * 16384, "长" * 20000, "😀" * 17000, "x" * 40000, "=1+1", "-", "@", "'", "\"quoted\"",
    "<r><t>rich</t></r>x", "普通名称", "91630103MA7XXXXX1X",
]
NUMBERS = [0, -0.0, 1e-300, 1 / 3, 2 ** 70, -5, 1e20, 123456789.125, Count(7), True, False]


def _tricky_sheets():
    rows = []
    for i, text in enumerate(TRICKY_TEXT):
        n = NUMBERS[i % len(NUMBERS)]
        when = [date(2026, 5, 6), datetime(2026, 5, 6, 9, 30, 15), None, "2026-05-06"][i % 4]
        rows.append([text, n, when, Decimal("2.50") if i % 5 == 0 else text[:3], "", Name(text[:5])])
    rows.insert(0, [None, None, None, None, None, None])  # a first data row without cells
    rows.insert(3, [])
    return [
        Sheet("怪", ["文本", "数", "日期", "其他", "录入", "子类"], rows, title="边界", text_columns=[0],
              date_columns=[2], wrap_columns=[3], protect=True, entry_columns=[4], extra_rows=3),
        Sheet("无格式", ["a", "b"], [[t, t] for t in TRICKY_TEXT[:12]] + [[None, ""], ["", None]]),
    ]


def test_row_writer_writes_what_xlsxwriter_writes_for_adversarial_cells(tmp_path, monkeypatch):
    from shuangsuiji.sheets.xlsxrows import RowWriter

    import xlsxwriter
    wb = xlsxwriter.Workbook(str(tmp_path / "probe.xlsx"), {"constant_memory": True})
    assert RowWriter.usable(wb.add_worksheet())  # the fast path is the one in use
    wb.close()

    sheets = [s for s in _tricky_sheets()]
    for s in sheets:  # the one deliberate difference is tested separately below
        s.rows[:] = [[v for v in row if not (isinstance(v, str) and v.startswith("<r>") and v.endswith("</r>"))]
                     for row in s.rows]
    fast = _xml(writers.write_xlsx(tmp_path / "fast.xlsx", sheets))
    monkeypatch.setattr(writers, "_write_rows", _reference_rows)
    plain = _xml(writers.write_xlsx(tmp_path / "plain.xlsx", sheets))
    assert sorted(fast) == sorted(plain)
    assert [n for n in fast if fast[n] != plain[n]] == []
    sheet1 = fast["xl/worksheets/sheet1.xml"].decode()
    for piece in ["a&amp;b", "&lt;b&gt;", "_x005F_x0041_", "_x0001_ctrl", 't xml:space="preserve"> lead',
                  "<v>1E+20</v>", "<v>1.180591620717411E+21</v>"]:
        assert piece in sheet1


def test_the_per_cell_loop_still_writes_the_same_file(tmp_path, monkeypatch):
    """Where xlsxwriter lacks what RowWriter uses, writers.py falls back to its per-cell loop."""
    from shuangsuiji.sheets.xlsxrows import RowWriter

    sheets = _sheets() + _tricky_sheets()[1:]
    monkeypatch.setattr(RowWriter, "usable", classmethod(lambda cls, ws: False))
    slow = _xml(writers.write_xlsx(tmp_path / "slow.xlsx", sheets))
    monkeypatch.undo()
    fast = _xml(writers.write_xlsx(tmp_path / "fast.xlsx", sheets))
    assert [n for n in fast if fast[n] != slow[n]] == []


def test_row_writer_refuses_nan_as_xlsxwriter_does(tmp_path, monkeypatch):
    import pytest

    sheet = Sheet("数", ["值"], [[1.5], [float("nan")]])
    with pytest.raises(TypeError, match="NAN/INF"):
        writers.write_xlsx(tmp_path / "fast.xlsx", [sheet])
    monkeypatch.setattr(writers, "_write_rows", _reference_rows)
    with pytest.raises(TypeError, match="NAN/INF"):
        writers.write_xlsx(tmp_path / "plain.xlsx", [sheet])


def test_a_text_shaped_like_rich_text_xml_reads_back_as_written(tmp_path):
    """xlsxwriter pastes "<r>…</r>" into the sheet as raw XML (an unreadable workbook for a name
    like "<r>某公司</r>"); RowWriter escapes it like any text."""
    names = ["<r>某公司</r>", "<r><t>x</t></r>", "<r></r>"]
    path = writers.write_xlsx(tmp_path / "r.xlsx", [Sheet("名单", ["名称", "序号"], [[n, i] for i, n in enumerate(names)])])
    ws = load_workbook(path)["名单"]
    assert [ws.cell(r, 1).value for r in range(2, 5)] == names
    from python_calamine import CalamineWorkbook

    got = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("名单").to_python()
    assert [row[0] for row in got[1:]] == names


def test_tricky_cells_read_back_as_written(tmp_path):
    """Read back by calamine (which, like Excel, undoes the _xHHHH_ escapes; openpyxl does not)."""
    from python_calamine import CalamineWorkbook

    sheet = _tricky_sheets()[1]
    path = writers.write_xlsx(tmp_path / "t.xlsx", [sheet])
    got = [row[0] for row in CalamineWorkbook.from_path(str(path)).get_sheet_by_name("无格式").to_python()[1:13]]
    assert got == [escape_cell(t) for t in TRICKY_TEXT[:12]]


def test_workbooks_are_deflated_fast_with_the_same_parts(tmp_path, monkeypatch):
    """The workbook is zipped at zlib level 1 (xlsxrows.fast_deflate): the same parts as at
    xlsxwriter's default level, a larger file, and xlsxwriter's ZipFile put back afterwards."""
    import zipfile

    import xlsxwriter.workbook as xw

    big = [Sheet("大", ["代码", "名称"], [[f"9163{i:014d}", f"城中区第{i}号商店"] for i in range(3000)])]
    fast = writers.write_xlsx(tmp_path / "fast.xlsx", big)
    assert xw.ZipFile is zipfile.ZipFile
    from shuangsuiji.sheets import xlsxrows

    monkeypatch.setattr(xlsxrows, "ZIP_LEVEL", 6)
    default = writers.write_xlsx(tmp_path / "default.xlsx", big)
    assert _xml(fast) == _xml(default)
    assert fast.stat().st_size > default.stat().st_size
    assert zipfile.ZipFile(fast).testzip() is None
