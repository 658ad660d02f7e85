"""CSV and xlsx writers for people who open files in Chinese Excel and print them on A4.

- CSV: UTF-8 with BOM by default (gb18030 on request), every cell escaped against formula injection.
- xlsx (xlsxwriter, constant-memory: rows stream to disk, so 15,000-row draws stay small in
  memory): a title row saying what the sheet is, a frozen bold header, CJK-aware column widths,
  optional dropdowns (data validation, conditional lists), date validation, sheet protection
  with entry columns left open, a column chart; cells escaped the same way. Print setup on
  every sheet: A4, orientation by width, fit to one page wide, title and header repeated on
  every page, footer 「第 N 页 共 M 页」, long columns wrapped, an autofilter on data sheets.
All writes are atomic (temp file + rename).

Cost: the data rows go through xlsxrows.RowWriter (~1.5 us a written cell, xlsxwriter's own path
~5 us). Where it cannot be used, the per-cell loop (`_write_rows`) inlines str, int and float cells
and calls xlsxwriter's undecorated cell methods; tests/test_sheet_cells.py keeps the plain per-cell
loop both replaced and requires byte-identical workbooks from all three.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

from ..core.fileio import write_bytes_atomic, write_with
from .base import (FORMULA_FIRST, HEADER_FILL, PORTRAIT_WIDTH, Chart, Dropdown, Sheet, _text, display_width,
                   escape_cell)
from .xlsxrows import RowWriter, fast_deflate


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence], encoding: str = "utf-8-sig") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([escape_cell(h) for h in headers])
    for row in rows:
        writer.writerow([escape_cell(_text(v)) for v in row])
    text = buf.getvalue()
    if encoding.lower().replace("_", "-") in ("utf-8-sig", "utf8-sig"):
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode(encoding)


def write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence], *,
              encoding: str = "utf-8-sig", overwrite: bool = True) -> Path:
    return write_bytes_atomic(Path(path), csv_bytes(headers, rows, encoding), overwrite=overwrite)


BIG_SHEET = 5000  # rows; kept for callers and tests that build large sheets (one writer serves all sizes)
MAX_WIDTH = 60
CODE_WIDTH = 24  # text columns at most this wide are never narrowed to fit the page
OPTIONS_SHEET = "选项"  # hidden sheet holding conditional dropdown lists
DATE_FORMAT = "yyyy-mm-dd"
FOOTER = "&C第 &P 页 共 &N 页"


def write_xlsx(path: Path, sheets: Sequence[Sheet], *, overwrite: bool = True) -> Path:
    """Write a workbook atomically (xlsxwriter, constant memory, any size)."""
    def writer(tmp: Path) -> None:
        _build(tmp, sheets)

    return write_with(Path(path), writer, overwrite=overwrite)


def content_widths(sheet: Sheet) -> list[int]:
    """Display width of the widest cell per column (header included; first 2,000 rows)."""
    widths = [display_width(str(h)) for h in sheet.headers]
    for row in sheet.rows[:2000]:
        for i, v in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], display_width(_text(v)))
    return widths


LANDSCAPE_WIDTH = 190  # column-width units still readable on A4 landscape fitted to width (~75 %)
LINE_HEIGHT = 15  # points per wrapped line (11 pt 等线 with CJK)


def column_widths(sheet: Sheet, content: list[int] | None = None) -> list[int]:
    """Widths in Excel units: content width, `col_widths` overrides, capped; when the sheet is
    wider than a landscape page, the widest columns are narrowed (and wrap) until it fits.
    `content`: `content_widths(sheet)` when the caller has it already."""
    widths = list(content_widths(sheet) if content is None else content)
    if sheet.col_widths:
        for i, w in sheet.col_widths.items():
            widths[i] = w
    out = [min(max(w + 2, 6), MAX_WIDTH) for w in widths]
    # Short text columns (credit codes, ids) keep their width: a code broken over two lines is
    # misread on paper. Long text columns may still narrow and wrap.
    fixed = set(sheet.col_widths or ()) | {i for i in sheet.text_columns if i < len(widths) and widths[i] <= CODE_WIDTH}
    cap = MAX_WIDTH
    while sum(out) > LANDSCAPE_WIDTH and cap > 16:
        cap -= 2
        out = [w if i in fixed else min(w, cap) for i, w in enumerate(out)]
    return out


def line_count(text: str, width: int) -> int:
    """Lines a wrapped cell of `width` units needs for `text` (CJK counts double)."""
    usable = max(width - 1, 1)
    return sum(max(1, -(-display_width(part) // usable)) for part in text.split("\n"))


def _row_height(values: Sequence, wrap: set[int], widths: list[int]) -> float | None:
    """The height of a row whose cells in `wrap` wrap: as many lines as its tallest cell needs.
    Called for every row of a sheet, whose wrapped columns repeat a few texts (department names,
    labels): a text's line count at a width is kept once computed (`_LINES`, bounded)."""
    lines = 1
    n = len(values)
    for c in wrap:
        if c < n:
            v = values[c]
            if v is None:
                continue
            if type(v) is str:
                key = (v, widths[c])
                k = _LINES.get(key)
                if k is None:
                    if len(_LINES) >= _LINES_KEPT:  # a column of distinct texts: keep memory bounded
                        _LINES.clear()
                    k = _LINES[key] = line_count(v, widths[c])
            else:
                k = line_count(_text(v), widths[c])
            if k > lines:
                lines = k
    return LINE_HEIGHT * lines + 3 if lines > 1 else None


_LINES: dict[tuple[str, int], int] = {}
_LINES_KEPT = 100_000


def is_landscape(sheet: Sheet, widths: list[int] | None = None) -> bool:
    """`widths`: `column_widths(sheet)` when the caller has them already."""
    if sheet.landscape is not None:
        return sheet.landscape
    return sum(column_widths(sheet) if widths is None else widths) > PORTRAIT_WIDTH


def _cell_value(v):
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (int, float, date, datetime)) or v is None:
        return v
    return escape_cell(str(v))


def _cell_writers(ws):
    """(write_string, write_number, write_blank) of worksheet `ws`.

    xlsxwriter's public methods are decorated to accept "A1" cell names as well as (row, col); the
    undecorated versions it calls from them (`_write_string`, ... in xlsxwriter 3.x) skip that
    check, which costs ~0.25 us a cell. Only (row, col) integers are passed here, so both give the
    same file; the public methods are used when a future xlsxwriter renames the internal ones.
    """
    names = ("write_string", "write_number", "write_blank")
    found = [getattr(ws, "_" + n, None) for n in names]
    if all(callable(f) for f in found):
        return tuple(found)
    return tuple(getattr(ws, n) for n in names)


def _write_other(ws, fmts: "_Formats", r: int, c: int, v, fmt, blank_ok: bool, wrap: bool, unlocked: bool) -> None:
    """One cell of any other type than str, int and float (None, bool, dates, other objects)."""
    v = _cell_value(v)
    if v is None or v == "":
        if blank_ok:
            ws.write_blank(r, c, None, fmt)
    elif isinstance(v, str):
        ws.write_string(r, c, v, fmt)
    elif isinstance(v, (date, datetime)):
        ws.write_datetime(r, c, v if isinstance(v, datetime) else datetime(v.year, v.month, v.day),
                          fmts.get("date", wrap, unlocked))
    else:
        ws.write_number(r, c, v, fmt)


class _Formats:
    """xlsxwriter formats, one per (kind, wrap, unlocked) combination."""

    def __init__(self, wb):
        self.wb = wb
        self.cache: dict = {}
        self.title = wb.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
        self.header = wb.add_format({"bold": True, "bg_color": "#" + HEADER_FILL, "align": "center",
                                     "valign": "vcenter", "text_wrap": True, "border": 1})

    def get(self, kind: str, wrap: bool, unlocked: bool):
        key = (kind, wrap, unlocked)
        if key not in self.cache:
            props: dict = {"valign": "top", "border": 1}
            if kind == "date":
                props["num_format"] = DATE_FORMAT
            elif kind == "text":
                props["num_format"] = "@"
            if wrap:
                props["text_wrap"] = True
            if unlocked:
                props["locked"] = False
            self.cache[key] = self.wb.add_format(props)
        return self.cache[key]


EXCEL_ROWS = 1_048_576  # rows a worksheet holds; xlsxwriter silently drops cells below


def split_sheet(sheet: Sheet) -> list[Sheet]:
    """A sheet with more rows than a worksheet holds, as several sheets: 「名称」, 「名称（续2）」…,
    each with the title (saying which part of how many) and the header, so that no row is lost
    (a province draw lists over a million entities)."""
    from dataclasses import replace

    room = EXCEL_ROWS - (1 if sheet.title else 0) - 1 - sheet.extra_rows
    if len(sheet.rows) <= room:
        return [sheet]
    parts = range(0, len(sheet.rows), room)
    out = []
    for k, start in enumerate(parts, 1):
        suffix = "" if k == 1 else f"（续{k}）"
        title = f"{sheet.title or sheet.name}（第 {k} 部分，共 {len(parts)} 部分）"
        out.append(replace(sheet, name=sheet.name[:31 - len(suffix)] + suffix, rows=sheet.rows[start:start + room],
                           title=title, chart=sheet.chart if k == 1 else None))
    return out


def _build(path: Path, sheets: Sequence[Sheet]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                         "strings_to_urls": False, "strings_to_numbers": False})
    fmts = _Formats(wb)
    conditional = [s for s in sheets if any(d.only_when for d in s.dropdowns)]
    names: dict[tuple[str, int], str] = {}
    for sheet in (part for whole in sheets for part in split_sheet(whole)):
        _write_sheet(wb, fmts, sheet, names)
    if conditional:  # the lists conditional dropdowns point at, on a hidden sheet at the end
        options = wb.add_worksheet(OPTIONS_SHEET)  # constant memory: written in order, after the data
        col = 0
        for s in conditional:
            for d in s.dropdowns:
                if d.only_when:
                    for r, choice in enumerate(d.choices):
                        options.write_string(r, col, choice)
                    col += 1
        options.hide()
    with fast_deflate():
        wb.close()



def _write_sheet(wb, fmts: _Formats, sheet: Sheet, names: dict) -> None:
    ws = wb.add_worksheet(sheet.name[:31])
    ncols = max(len(sheet.headers), 1)
    content = content_widths(sheet)
    widths = column_widths(sheet, content)
    wrap = {i for i in range(len(widths)) if content[i] + 2 > widths[i]} | set(sheet.wrap_columns)
    entry = set(sheet.entry_columns) if sheet.protect else set()
    kinds = ["date" if c in sheet.date_columns else "text" if c in sheet.text_columns else "general"
             for c in range(ncols)]
    col_fmt = [fmts.get(kinds[c], c in wrap, c in entry) for c in range(ncols)]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    r = 0
    if sheet.title:
        if ncols > 1:
            ws.merge_range(0, 0, 0, ncols - 1, escape_cell(sheet.title), fmts.title)
        else:
            ws.write_string(0, 0, escape_cell(sheet.title), fmts.title)
        ws.set_row(0, 24)
        r = 1
    header_row = r
    # Explicit heights for wrapped rows: LibreOffice does not fit row heights of xlsx files on load.
    height = _row_height(sheet.headers, set(range(len(sheet.headers))), widths)
    if height:
        ws.set_row(r, height)
    for c, h in enumerate(sheet.headers):
        ws.write_string(r, c, escape_cell(str(h)), fmts.header)
    r = _write_rows(ws, fmts, sheet, r, widths, col_fmt, kinds, wrap, entry)
    last_data = r
    last_row = r + sheet.extra_rows
    for extra in range(r + 1, last_row + 1):
        for c in range(ncols):
            if kinds[c] != "general" or c in entry:
                ws.write_blank(extra, c, None, col_fmt[c])
    ws.freeze_panes(header_row + 1, 0)
    first, last = header_row + 1, max(last_row, header_row + 1)
    for dd in sheet.dropdowns:
        _dropdown(ws, sheet, dd, first, last, names)
    if sheet.protect:
        for c in sheet.date_columns:
            if c in entry:
                ws.data_validation(first, c, last, c, {
                    "validate": "date", "criteria": "between", "minimum": date(2000, 1, 1),
                    "maximum": date(2099, 12, 31), "input_title": "日期", "input_message": "填写日期，如 2026-05-06",
                    "error_title": "日期无效", "error_message": "请填写有效日期，格式 2026-05-06。"})
        ws.protect("", {"autofilter": True, "sort": False, "format_columns": True, "format_rows": True,
                        "select_locked_cells": True, "select_unlocked_cells": True})
    autofilter = sheet.autofilter if sheet.autofilter is not None else ncols > 2
    if autofilter and sheet.headers:
        ws.autofilter(header_row, 0, max(last_data, header_row), ncols - 1)
    if sheet.chart is not None and any(row[c] for row in sheet.rows for c in sheet.chart.series if c < len(row)):
        _chart(wb, ws, sheet, sheet.chart, header_row, last_data)  # no chart while every value is empty
    # Print: A4, orientation by width, one page wide, title + header on every page, page numbers.
    ws.set_paper(9)
    if is_landscape(sheet, widths):
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, header_row)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer(FOOTER)


def _write_rows(ws, fmts: _Formats, sheet: Sheet, r: int, widths: list[int], col_fmt: list, kinds: list[str],
                wrap: set[int], entry: set[int]) -> int:
    """The data rows below row `r`; returns the last row written. Cells: text escaped, numbers,
    dates as dates, booleans 是/否; an empty cell is written (blank, formatted) only in a text,
    date, wrapped or entry column. The hot loop of a large workbook (over a million cells on a
    province draw): the common types inline, the rest in `_write_other`."""
    ncols = len(col_fmt)
    blank_ok = [kinds[c] != "general" or c in entry or c in wrap for c in range(ncols)]
    if RowWriter.usable(ws):  # the same bytes, ~10x faster (xlsxrows.py)
        height = (lambda row: _row_height(row, wrap, widths)) if wrap else None
        return RowWriter(ws, col_fmt, blank_ok, lambda c: fmts.get("date", c in wrap, c in entry),
                         height).write(sheet.rows, r)
    write_string, write_number, write_blank = _cell_writers(ws)
    traps = FORMULA_FIRST
    for row in sheet.rows:
        r += 1
        if wrap:
            height = _row_height(row, wrap, widths)
            if height:
                ws.set_row(r, height)
        # Cells past the end of a short row are empty; values past the headers are not written.
        c = 0
        for v, fmt in zip(row, col_fmt):
            t = type(v)
            if t is str:
                if v:
                    write_string(r, c, "'" + v if v[0] in traps else v, fmt)
                elif blank_ok[c]:
                    write_blank(r, c, None, fmt)
            elif t is int or t is float:
                write_number(r, c, v, fmt)
            else:
                _write_other(ws, fmts, r, c, v, fmt, blank_ok[c], c in wrap, c in entry)
            c += 1
        while c < ncols:
            if blank_ok[c]:
                write_blank(r, c, None, col_fmt[c])
            c += 1
    return r


def _dropdown(ws, sheet: Sheet, dd: Dropdown, first: int, last: int, names: dict) -> None:
    from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

    opts = {"validate": "list", "ignore_blank": True, "error_title": "请从列表中选择",
            "error_message": "请从下拉列表中选择。"}
    if dd.only_when:
        cond_col, prefix = dd.only_when
        n = len(names)
        names[(sheet.name, dd.column)] = str(n)
        letter = xl_col_to_name(n)
        src = f"'{OPTIONS_SHEET}'!${letter}$1:${letter}${len(dd.choices)}"
        cond = xl_rowcol_to_cell(first, cond_col, col_abs=True)
        opts["source"] = f'=IF(LEFT({cond},{len(prefix)})="{prefix}",{src},"")'
        opts["error_message"] = f"只有「{sheet.headers[cond_col]}」为 {prefix.strip()} 时才填写本列，请从下拉列表中选择。"
    else:
        opts["source"] = list(dd.choices)
        if len(",".join(dd.choices)) > 255:  # Excel's limit for an inline list
            raise ValueError(f"dropdown on column {dd.column} too long for an inline list")
    if dd.prompt:
        opts["input_title"] = str(sheet.headers[dd.column])[:32]
        opts["input_message"] = dd.prompt[:255]
    if not dd.strict:
        opts["error_type"] = "information"
        opts["show_error"] = False
    ws.data_validation(first, dd.column, last, dd.column, opts)


def _chart(wb, ws, sheet: Sheet, spec: Chart, header_row: int, last: int) -> None:
    chart = wb.add_chart({"type": "column", "subtype": "stacked" if spec.stacked else None} if spec.stacked
                         else {"type": "column"})
    name = sheet.name[:31]
    for c in spec.series:
        values = [row[c] for row in sheet.rows if c < len(row)]
        if not any(values):
            continue
        chart.add_series({"name": [name, header_row, c], "categories": [name, header_row + 1, spec.categories,
                                                                         last, spec.categories],
                          "values": [name, header_row + 1, c, last, c]})
    chart.set_title({"name": spec.title})
    chart.set_x_axis({"name": spec.x_title})
    chart.set_y_axis({"name": spec.y_title})
    chart.set_size({"width": 900, "height": 450})
    ws.insert_chart(last + 2, 0, chart)
