"""Formula cells without a stored result, in an xlsx sheet: why a cell Excel shows came out empty.

Excel and WPS store each formula's last result beside it (`<v>`), and that result is what
calamine and fastexcel read. A workbook written by a program (openpyxl and some exporters) may
carry formulas without results: every reader then sees an empty cell, while Excel, which
recalculates on opening, shows a value. A clerk told 「企业名称为空」 would look at a filled-in
name. So when rows of an xlsx roster were rejected for an empty cell, `formula_note` scans the
sheet for formulas without a result and, if there are any, adds one warning saying where and what
to do (open and save the file in Excel or WPS, or paste the cells as values).

The scan streams the sheet's XML (rows are cut at `</row>`), so it costs one decompression of
the sheet, and only runs when such a row exists.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..core.errors import Problem

_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br\s*=\s*"([A-Z]+[0-9]+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*>[^<]")  # a value element with content
_TEXT_RESULT = re.compile(rb'\bt\s*=\s*"str"')  # a formula whose stored result is a text (maybe "")
BLOCK = 1 << 22
EXAMPLES = 5


def uncached_formulas(path: Path, sheet: str) -> tuple[int, list[str]]:
    """(formula cells of the sheet without a stored result, the first EXAMPLES of their cell
    names). Without a result: no value, or an empty one in a cell not typed as a text result
    (Excel stores an empty text result as t="str" with an empty value; openpyxl writes an empty
    value and no type). (0, []) when the file is not an xlsx or the sheet is not found."""
    from .xlsxcols import sheet_part

    try:
        with zipfile.ZipFile(path) as zf:
            part = sheet_part(zf, sheet)
            if part is None:
                return 0, []
            count, refs = 0, []
            with zf.open(part) as f:
                rest = b""
                for block in iter(lambda: f.read(BLOCK), b""):
                    data = rest + block
                    cut = data.rfind(b"</row>")
                    if cut < 0:
                        rest = data
                        continue
                    rest = data[cut + 6:]
                    count += _scan(data[:cut + 6], refs)
                count += _scan(rest, refs)
            return count, refs
    except (zipfile.BadZipFile, OSError, KeyError):
        return 0, []


def _scan(data: bytes, refs: list[str]) -> int:
    if not _FORMULA.search(data):
        return 0
    n = 0
    for m in _CELL.finditer(data):
        body = m.group(2)
        if body and _FORMULA.search(body) and not _VALUE.search(body) and not _TEXT_RESULT.search(m.group(1)):
            n += 1
            if len(refs) < EXAMPLES:
                ref = _REF.search(m.group(1))
                refs.append(ref.group(1).decode() if ref else "?")
    return n


def formula_note(path: Path, sheet: str | None, display: str, problems: list[Problem]) -> list[Problem]:
    """One warning when rows of this xlsx were rejected for an empty cell and the sheet holds
    formulas without a stored result; else nothing."""
    if sheet is None or not zipfile.is_zipfile(path):
        return []
    if not any(p.severity == "error" and p.row is not None and p.value in ("", None) for p in problems):
        return []
    count, refs = uncached_formulas(path, sheet)
    if not count:
        return []
    return [Problem(
        reason=f"工作表中有 {count} 个公式单元格没有保存计算结果（如 {'、'.join(refs)}），读取时为空，"
               "名录中「…为空」的问题可能由此而来。这类文件通常由程序导出、未经 Excel 保存。"
               "请用 Excel 或 WPS 打开该文件并保存（或把这些单元格复制后「粘贴为数值」），再重新运行",
        file=display, sheet=sheet, code="formula_without_value", severity="warning")]
