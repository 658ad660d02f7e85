"""CSV and xlsx writers for people who open files in Chinese Excel.

- CSV: UTF-8 with BOM by default (gb18030 on request), every cell escaped against formula injection.
- xlsx: a title row saying what the sheet is, a frozen bold header, CJK-aware column widths,
  optional dropdowns (data validation); cells escaped the same way.
All writes are atomic (temp file + rename).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

from ..core.fileio import write_bytes_atomic, write_with
from .base import HEADER_FILL, Sheet, _text, display_width, escape_cell


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


BIG_SHEET = 5000  # rows; beyond this, sheets without dropdowns are written as raw XML


def write_xlsx(path: Path, sheets: Sequence[Sheet], *, overwrite: bool = True) -> Path:
    """Write a workbook atomically.

    Large workbooks without dropdowns go through fastxlsx.write_xlsx_fast (same look, ~20x
    faster than openpyxl); everything else through openpyxl, keeping dropdowns at any size.
    """
    big = any(len(s.rows) > BIG_SHEET for s in sheets)
    if big and not any(s.dropdowns or s.extra_rows for s in sheets):
        from .fastxlsx import write_xlsx_fast

        return write_xlsx_fast(path, sheets, overwrite=overwrite)

    def writer(tmp: Path) -> None:
        _build(sheets).save(tmp)

    return write_with(Path(path), writer, overwrite=overwrite)


def _widths(sheet: Sheet) -> list[int]:
    widths = [display_width(str(h)) for h in sheet.headers]
    for row in sheet.rows[:2000]:
        for i, v in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], display_width(_text(v)))
    if sheet.col_widths:
        for i, w in sheet.col_widths.items():
            widths[i] = w
    return [min(max(w + 2, 6), 60) for w in widths]


def _cell_value(v):
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (int, float, date, datetime)) or v is None:
        return v
    return escape_cell(str(v))


def _build(sheets: Sequence[Sheet]):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name[:31])
        ncols = max(len(sheet.headers), 1)
        r = 1
        if sheet.title:
            ws.cell(row=1, column=1, value=sheet.title).font = Font(bold=True, size=14)
            if ncols > 1:
                ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
            ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
            r = 2
        header_row = r
        for c, h in enumerate(sheet.headers, 1):
            cell = ws.cell(row=r, column=c, value=h)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in sheet.rows:
            r += 1
            for c, v in enumerate(row, 1):
                cell = ws.cell(row=r, column=c, value=_cell_value(v))
                if c - 1 in sheet.date_columns:  # blank date cells too: they are for entry
                    cell.number_format = "yyyy-mm-dd"
                if c - 1 in sheet.text_columns:
                    cell.number_format = "@"
        last_row = r + sheet.extra_rows
        for extra in range(r + 1, last_row + 1):
            for c in sheet.text_columns:
                ws.cell(row=extra, column=c + 1).number_format = "@"
            for c in sheet.date_columns:
                ws.cell(row=extra, column=c + 1).number_format = "yyyy-mm-dd"
        for i, w in enumerate(_widths(sheet), 1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        for dd in sheet.dropdowns:
            formula = '"' + ",".join(dd.choices) + '"'
            dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False)
            if dd.prompt:
                dv.prompt = dd.prompt
                dv.showInputMessage = True
            dv.error = "请从下拉列表中选择。"
            dv.showErrorMessage = dd.strict
            letter = get_column_letter(dd.column + 1)
            dv.add(f"{letter}{header_row + 1}:{letter}{max(last_row, header_row + 1)}")
            ws.add_data_validation(dv)
    return wb
