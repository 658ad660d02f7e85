"""Reading roster sheets by content (formats.sniff): xlsx/xlsm/xls with python-calamine (workbooks.py),
CSV with the csv module, SpreadsheetML 2003 and HTML-table exports with formats.py. A large xlsx
target roster whose cells are all text is parsed once by fastexcel into string columns
(xlsxcols.py; `read_table(columnar=True)`): its header is found in those columns, no Python
object per cell.

- Template rows (an instruction row under the header, a row marked 案例（请删除）/示例/填写说明)
  in the first TEMPLATE_SCAN rows below the header are skipped, each with a warning in `notes`.

- The header row is found automatically (below merged title rows) by matching known header
  names; each field maps to exactly one column.
- Cells keep their type (python-calamine gives float/date/str): a number in an identifier column
  must be *seen* as a number by the caller, never silently turned into text here.
- Every data row keeps its row number as Excel shows it (CSV: the record number).
- CSV: UTF-8 with or without BOM, else GB18030; read in chunks so a million rows fit in memory.
A file that cannot be used raises `InputInvalid` naming the file, sheet, headers found and what
to do.
"""

from __future__ import annotations

import codecs
import csv
import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import FileMissing, InputInvalid, Problem
from . import utf8check
from .templates import TEMPLATE_SCAN, template_rows
from .formats import HTML, OLE2, TEXT, XML2003, ZIP, markup_sheet, sniff
from .workbooks import excel_sheet, first_sheet, open_workbook

HEADER_SCAN = 30  # rows searched for the header
CHUNK = 50_000


@dataclass(frozen=True)
class FieldSpec:
    """One logical column: its name in the plan's `rosters.columns`, label, and header names."""

    name: str
    aliases: tuple[str, ...]
    required: bool = False
    multi: bool = False  # every matching column is kept (several licence columns), in alias order

    @property
    def label(self) -> str:
        return self.aliases[0]


def norm_header(text) -> str:
    """Header text for matching: NFKC (full-width → half-width), no spaces, no `*` markers."""
    s = unicodedata.normalize("NFKC", str(text or "")).translate(_INVISIBLE)
    return "".join(s.split()).strip("*").lower()


# A BOM left inside the text (e.g. a UTF-8 file converted to GBK) and zero-width characters
# copied from web pages make a header look right but not match.
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"))


def display_path(path: Path) -> str:
    """A path for messages: relative to the current folder when inside it."""
    path = Path(path)
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


@dataclass
class Table:
    """A sheet with its header found: columns by field, and the data rows in chunks."""

    path: Path
    display: str
    sheet: str | None
    header_row: int  # as Excel numbers it
    headers: list[str]
    columns: dict[str, int]  # field name -> 0-based column index
    encoding: str | None = None  # CSV only
    _rows: list | None = field(default=None, repr=False)  # Excel: every row of the sheet
    more: dict[str, list[int]] = field(default_factory=dict)  # multi field -> further columns
    skip: set[int] = field(default_factory=set)  # template rows (Excel numbers), never data
    notes: list[Problem] = field(default_factory=list)  # a warning per template row skipped
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> {cell key -> plan term}
    strings: object = field(default=None, repr=False)  # Excel, columnar: the data rows as string columns

    def header_of(self, name: str) -> str:
        return self.headers[self.columns[name]]

    @property
    def total_rows(self) -> int | None:
        if self.strings is not None:
            return self.strings.num_rows
        return None if self._rows is None else max(len(self._rows) - self.header_row, 0)

    def chunks(self, size: int = CHUNK) -> Iterator[tuple[list[list], list[int]]]:
        """Yield (rows, row_numbers) for non-empty data rows below the header."""
        if self._rows is not None:
            yield from self._excel_chunks(size)
            return
        if self.strings is not None:
            from .xlsxcols import row_chunks

            yield from row_chunks(self.strings, self.header_row + 1, self.skip, size)
            return
        source = self._csv_rows()
        rows: list[list] = []
        numbers: list[int] = []
        skip = self.skip
        for number, row in source:
            if (not any(row) and _blank(row)) or number in skip:
                continue
            rows.append(row)
            numbers.append(number)
            if len(rows) >= size:
                yield rows, numbers
                rows, numbers = [], []
        if rows:
            yield rows, numbers

    def _excel_chunks(self, size: int):
        for start in range(self.header_row, len(self._rows), size):
            rows = self._rows[start:start + size]
            numbers = list(range(start + 1, start + 1 + len(rows)))
            blank = [i for i, r in enumerate(rows) if not any(r) and _blank(r)]
            # template rows (Excel numbers) that fall in this chunk
            blank += [n - start - 1 for n in self.skip if start < n <= start + len(rows)]
            if blank:
                skip = set(blank)
                rows = [r for i, r in enumerate(rows) if i not in skip]
                numbers = [n for i, n in enumerate(numbers) if i not in skip]
            if rows:
                yield rows, numbers

    def _csv_rows(self):
        number = 0
        with open(self.path, encoding=self.encoding, newline="") as f:
            try:
                for number, row in enumerate(csv.reader(f), 1):
                    if number > self.header_row:
                        yield number, row
            except csv.Error as e:
                raise _csv_error(self.display, number + 1, e) from None
            except UnicodeDecodeError:  # a large file is UTF-8-checked at its head only (utf8check)
                raise mixed_encoding(self.path, self.display) from None


def _key(v) -> str:
    """As cells.key: NFKC, no spaces, upper-case (cells imports this module, not the reverse)."""
    return "".join(unicodedata.normalize("NFKC", str(v).strip()).split()).upper()


def _blank(row) -> bool:
    for v in row:
        if v is not None and v != "":
            return False
    return True


def columns(rows: list[list], width: int) -> list[tuple]:
    """A chunk transposed into columns (short CSV rows padded with '')."""
    lengths = set(map(len, rows))
    if len(lengths) != 1 or min(lengths) < width:
        width = max(width, *lengths)
        rows = [r if len(r) == width else list(r) + [""] * (width - len(r)) for r in rows]
    return list(zip(*rows))


def read_table(path: Path, fields: list[FieldSpec], *, sheet: str | None = None,
               plan_key: str = "targets", headerless=None, sheet_option: str | None = None,
               values: dict[str, dict[str, str]] | None = None, columnar: bool = False) -> Table:
    """Open a roster file, find its header row and map every field to a column.

    `sheet_option`: the plan key that chooses this file's sheet (`targets_sheet`…), if there is one.

    `headerless(cell) -> bool`: when no header is found and the first cell of the first non-empty
    row passes it, the file is read as one headerless column mapped to the first field.

    `columnar`: a large xlsx whose cells are all text is parsed into string columns (`strings`)
    instead of Python rows (the target roster: columnar.py reads it).
    """
    path = Path(path)
    display = display_path(path)
    if not path.is_file():
        raise FileMissing(f"找不到文件：{display}", hint="请检查计划文件 rosters 中的路径（相对于计划文件所在目录）。",
                          problems=[Problem(reason="文件不存在", file=display, code="file_missing")])
    kind, what = sniff(path)
    in_memory = kind != TEXT
    wb = open_workbook(path, display) if kind in (ZIP, OLE2) else None
    strings = _text_columns(path, wb, sheet, fields) if columnar and kind == ZIP else None
    if strings is not None:
        rows, sheet_name, strings = strings
        encoding, in_memory = None, False
    elif kind in (ZIP, OLE2):
        rows, sheet_name = excel_sheet(wb, display, sheet, lambda r: _find_header(r, fields) is not None,
                                       sheet_option)
        encoding = None
    elif kind in (XML2003, HTML):
        rows, sheet_name = markup_sheet(path, display, kind, sheet, lambda r: _find_header(r, fields) is not None)
        encoding = None
    elif kind == TEXT:
        encoding, sheet_name = _csv_encoding(path, display), None
        rows = _csv_head(path, display, encoding)
    else:
        raise InputInvalid(f"{display}：文件内容是{what}，不是名录表格。",
                           hint="名录请用 Excel（.xlsx/.xls）、CSV，或平台导出的 XML/网页表格；请确认选对了文件。",
                           problems=[Problem(reason=f"不是表格文件（实际是{what}）", file=display)])
    head = _find_header(rows, fields)
    if head is None and headerless is not None and _headerless(rows, headerless):
        return Table(path, display, sheet_name, 0, [fields[0].label], {fields[0].name: 0}, encoding,
                     rows if in_memory else None)
    if head is None:
        raise _no_header(display, sheet_name, rows, fields, plan_key)
    headers = ["" if v is None else str(v).strip() for v in rows[head]]
    columns, more = _map_columns(headers, fields, display, sheet_name, head + 1, plan_key)
    table = Table(path, display, sheet_name, head + 1, headers, columns, encoding,
                  rows if in_memory else None, more)
    table.values = {name: {_key(k): v for k, v in m.items()} for name, m in (values or {}).items()}
    if strings is not None:
        from .xlsxcols import below

        table.strings = below(strings, head + 1)
    for number, reason in template_rows(rows, head):
        table.skip.add(number)
        table.notes.append(Problem(reason=f"{reason}，已跳过（不作为数据读取）", file=display, sheet=sheet_name,
                                   row=number, severity="warning", code="template_row"))
    return table


def _text_columns(path: Path, wb, sheet: str | None, fields: list[FieldSpec]):
    """(first rows, sheet name, the sheet as string columns) of a large xlsx whose cells are all
    text and whose header is found where the row path finds it; else None (the row path)."""
    from . import xlsxcols

    if path.stat().st_size < xlsxcols.MIN_BYTES or path.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    name = first_sheet(wb, sheet)
    data = xlsxcols.load(path, name) if name is not None and xlsxcols.looks_all_text(path, name) else None
    if data is None:
        return None
    rows = xlsxcols.head(data, HEADER_SCAN + TEMPLATE_SCAN + 1)
    return (rows, name, data) if _find_header(rows, fields) is not None else None


# -- CSV ------------------------------------------------------------------------------------------
def _csv_encoding(path: Path, display: str) -> str:
    """utf-8-sig when the whole file decodes as UTF-8 (BOM or not), else gb18030; checked in blocks."""
    for encoding in ("utf-8-sig", "gb18030"):
        if encoding == "utf-8-sig" and path.stat().st_size >= utf8check.ARROW_CHECK_BYTES:
            if utf8check.valid_utf8(path, limit=utf8check.HEAD_BYTES):  # the rest: as it is read
                return encoding
            continue
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise InputInvalid(f"{display}：文件既不是 UTF-8 也不是 GB18030/GBK 编码，无法读取。",
                       hint="请在 Excel 中另存为「CSV UTF-8（逗号分隔）」或 .xlsx 后重试。",
                       problems=[Problem(reason="无法识别的文本编码", file=display)])


def mixed_encoding(path: Path, display: str) -> InputInvalid:
    """A file that is UTF-8 at its head but not further on: the line where it changes."""
    line = utf8check.first_invalid_line(path)
    return InputInvalid(f"{display} 第{line}行：文件开头是 UTF-8 编码，从这一行起出现了不是 UTF-8 的字节"
                        "（常见于把不同编码导出的文件拼在一起）。为免读错名称，整个文件未读取。",
                        hint="请在 Excel 或 WPS 中打开后另存为「CSV UTF-8（逗号分隔）」或 .xlsx，再重试。",
                        problems=[Problem(reason="文件中途换了编码（不是 UTF-8 的字节）", file=display, row=line,
                                          code="encoding_mixed")])


def _csv_head(path: Path, display: str, encoding: str) -> list[list]:
    rows = []
    with open(path, encoding=encoding, newline="") as f:
        try:
            for row in csv.reader(f):
                rows.append(row)
                if len(rows) >= HEADER_SCAN:
                    break
        except csv.Error as e:
            raise _csv_error(display, len(rows) + 1, e) from None
    return rows


def _csv_error(display: str, row: int, e: Exception) -> InputInvalid:
    return InputInvalid(f"{display} 第{row}行：CSV 格式错误（{e}）。",
                        hint="请检查引号是否成对，或用 Excel 重新另存为 CSV。",
                        problems=[Problem(reason=f"CSV 格式错误（{e}）", file=display, row=row)])


# -- header ---------------------------------------------------------------------------------------
def _find_header(rows: list[list], fields: list[FieldSpec]) -> int | None:
    """Index of the first row (of the first HEADER_SCAN) with the most known header names."""
    known = {norm_header(a) for f in fields for a in f.aliases}
    best, best_count = None, 0
    for i, row in enumerate(rows[:HEADER_SCAN]):
        count = sum(1 for v in row if isinstance(v, str) and v and norm_header(v) in known)
        if count > best_count:
            best, best_count = i, count
    return best


def _headerless(rows: list[list], probe) -> bool:
    first = next((r for r in rows if not _blank(r)), None)
    return bool(first) and probe(first[0])


def _no_header(display, sheet, rows, fields, plan_key) -> InputInvalid:
    first = next((r for r in rows[:HEADER_SCAN] if not _blank(r)), [])
    seen = "、".join(str(v) for v in first if v not in (None, "")) or "（前 30 行为空）"
    required = "、".join(f.label for f in fields if f.required)
    where = f"{display}" + (f" 工作表「{sheet}」" if sheet else "")
    return InputInvalid(
        f"{where}：前 {HEADER_SCAN} 行中找不到表头（需要的列：{required}）；第一行非空内容为：{seen}。",
        hint=f"请确认选对了文件和工作表；表头名称不同时，在计划文件 rosters.columns.{plan_key} 中写明，"
             f"例如 `{fields[0].name}: [实际表头名]`。",
        problems=[Problem(reason=f"找不到表头（需要的列：{required}）", file=display, sheet=sheet, value=seen[:200])])


def _map_columns(headers: list[str], fields: list[FieldSpec], display: str, sheet: str | None,
                 header_row: int, plan_key: str) -> tuple[dict[str, int], dict[str, list[int]]]:
    normed = [norm_header(h) for h in headers]
    columns: dict[str, int] = {}
    more: dict[str, list[int]] = {}
    problems: list[Problem] = []
    for spec in fields:
        if spec.multi:
            hits = list(dict.fromkeys(i for a in spec.aliases for i, h in enumerate(normed)
                                      if h == norm_header(a) and i not in columns.values()))
            if hits:
                columns[spec.name], more[spec.name] = hits[0], hits[1:]
                continue
        for alias in spec.aliases:
            hits = [i for i, h in enumerate(normed) if h == norm_header(alias) and i not in columns.values()]
            if len(hits) > 1:
                problems.append(Problem(reason=f"表头「{alias}」出现了 {len(hits)} 次，无法确定用哪一列",
                                        file=display, sheet=sheet, row=header_row, column=alias))
            if hits:
                columns[spec.name] = hits[0]
                break
        else:
            if spec.required:
                problems.append(Problem(
                    reason=f"缺少必需的列「{spec.label}」（可用的表头名：{'、'.join(spec.aliases)}）",
                    file=display, sheet=sheet, row=header_row, column=spec.label))
    if problems:
        found = "、".join(h for h in headers if h) or "（空）"
        where = display + (f" 工作表「{sheet}」" if sheet else "")
        raise InputInvalid(
            f"{where} 第{header_row}行表头有问题：{problems[0].reason}。找到的表头：{found}。",
            hint=f"把表头改为可识别的名称，或在计划文件 rosters.columns.{plan_key} 中映射，"
                 f"例如 `{_first_missing(problems, fields)}: [您表中的表头名]`。",
            problems=problems)
    return columns, more


def _first_missing(problems: list[Problem], fields: list[FieldSpec]) -> str:
    for spec in fields:
        if any(p.column == spec.label for p in problems):
            return spec.name
    return fields[0].name
