"""A large xlsx target roster read by fastexcel in one parse, as string columns (issue 12).

The row path (python-calamine `to_python`) makes a Python object of every cell so that each
cell keeps its type: a code Excel stored as a number must be reported as one (code_number),
a date cell read as a date. fastexcel renders a number as text, losing that. So this path is
taken only when the sheet has *no* number, date, time or boolean cell at all: then calamine's
str of a cell is fastexcel's string, an empty cell is "" both ways, and every check downstream
(columnar.py, targets.py) sees exactly what the row path sees.

One parse answers both questions: `load_sheet(header_row=None, skip_rows=0,
schema_sample_rows=None, dtype_coercion="strict")` infers each column's type from *every* row
(the title and header rows included) and raises on a column mixing text with numbers, dates or
booleans; a column of only numbers (or dates, booleans) is inferred as such. So the load either
gives only string (or all-empty) columns — exact — or `load` returns None and the file takes the
row path, which reads it as before. Checked against fastexcel 0.21 (tests/test_xlsxcols.py):
formula cells with a cached text value, rich text, merged cells (the value in the first cell),
hidden rows, cells holding only spaces, error cells (empty both ways), leading empty rows and
columns (fastexcel drops leading empty columns: `absolute_index` puts them back, so column and
row positions are the sheet's, as `to_python(skip_empty_area=False)` gives them).

Row numbers: row i of the load is Excel row i + 1 (skip_rows=0 keeps leading empty rows).

Before that parse, `looks_all_text` reads the first 64 KB of the sheet's XML: a number, date or
boolean cell there (most typed rosters have one in every row) sends the file to the row path at
once instead of after a wasted parse. It only saves time; the parse decides.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator

MIN_BYTES = 1 << 20  # smaller workbooks take the row path: as fast, and no fastexcel import
HEAD_BYTES = 1 << 16  # of the sheet's XML, looked at before parsing it (`looks_all_text`)
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/?)>")
_CELL_TYPE = re.compile(rb'\st\s*=\s*"([^"]*)"')
TEXT_CELLS = {b"s", b"inlineStr", b"str", b"e"}  # shared, inline, formula text; error (empty both ways)
TEXT_TYPES = ("string", "null")  # fastexcel dtypes of a column with no number, date or boolean cell


def load(path, sheet: str):
    """Every row of the sheet (from Excel row 1, from column A) as string columns c0..cN, empty
    cells "", or None when a cell of some column is not text (the row path must read the file)."""
    import fastexcel
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        loaded = fastexcel.read_excel(str(path)).load_sheet(
            sheet, header_row=None, skip_rows=0, schema_sample_rows=None, dtype_coercion="strict")
        info = loaded.selected_columns  # all columns (none deselected); available_columns() re-derives them: 0.08 s on 200k rows
        if not info or any(c.dtype not in TEXT_TYPES for c in info):
            return None
        batch = loaded.to_arrow()
    except Exception:  # FastExcelError: a column mixing text with other types, or a file it cannot read
        return None  # (the row path reads it, and names what is wrong with it)
    except BaseException as e:  # a Rust panic: pyo3's PanicException derives from BaseException
        if type(e).__name__ == "PanicException":
            return None
        raise
    first = info[0].absolute_index
    if [c.absolute_index for c in info] != list(range(first, first + len(info))):
        return None  # not the contiguous range calamine gives: let the row path read it
    n = batch.num_rows
    empty = pa.array([""] * n, pa.string()) if first else None
    columns = [empty] * first
    for i, c in enumerate(info):
        col = batch.column(i)
        if c.dtype == "null" or pa.types.is_null(col.type):
            columns.append(empty if empty is not None else pa.array([""] * n, pa.string()))
        else:
            columns.append(pc.fill_null(col.cast(pa.string()), ""))
    return pa.table(columns, names=[f"c{i}" for i in range(len(columns))])


def looks_all_text(path, sheet: str) -> bool:
    """A first look at the sheet's XML before parsing it, for speed only: False when a cell in its
    first HEAD_BYTES is a number, date or boolean (`load` would parse the whole sheet to return
    None: most typed rosters have a date or a number in every row), else True and `load` decides.
    Never decides what is read: a typed cell further down is found by `load`."""
    try:
        with zipfile.ZipFile(path) as zf:
            part = sheet_part(zf, sheet)
            if part is None:
                return True
            with zf.open(part) as f:
                start = f.read(HEAD_BYTES)
    except Exception:  # noqa: BLE001 - load and the row path say what is wrong with the file
        return True
    for m in _CELL.finditer(start):
        if m.group(2):
            continue  # <c .../>: a cell without a value
        kind = _CELL_TYPE.search(b" " + m.group(1))
        if kind is None or kind.group(1) not in TEXT_CELLS:
            return False  # no type is a number (a date is a number with a date format)
    return True


def sheet_part(zf: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding the sheet named `sheet` (xl/workbook.xml and its relationships)."""
    from defusedxml import ElementTree as ET

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    book = ET.fromstring(zf.read("xl/workbook.xml"))
    rid = next((e.get(rel) for e in book.iter(f"{main}sheet") if e.get("name") == sheet), None)
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    target = next((e.get("Target") for e in rels if e.get("Id") == rid), None)
    if rid is None or target is None:
        return None
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def head(data, n: int) -> list[list[str]]:
    """The first n rows of the sheet as lists, as calamine's to_python gives them (all text)."""
    part = data.slice(0, n)
    return [list(r) for r in zip(*(c.to_pylist() for c in part.columns))]


def below(data, header_row: int):
    """The rows under the header (`header_row` as Excel numbers it): row k is Excel row header_row + 1 + k."""
    return data.slice(header_row)


def row_chunks(data, first: int, skip: set[int], size: int) -> Iterator[tuple[list[list], list[int]]]:
    """The row path over the string columns: (rows, Excel row numbers) without blank or template rows;
    `first` is the Excel number of the first row of `data`."""
    for start in range(0, data.num_rows, size):
        part = data.slice(start, size)
        rows, numbers = [], []
        for number, row in enumerate(zip(*(c.to_pylist() for c in part.columns)), first + start):
            if number in skip or not any(row):
                continue
            rows.append(list(row))
            numbers.append(number)
        if rows:
            yield rows, numbers
