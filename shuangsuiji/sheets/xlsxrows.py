"""The data rows of a sheet as worksheet XML, written straight into xlsxwriter's row stream.

xlsxwriter (constant-memory mode) costs ~5 us a cell: each cell is stored as a tuple, then
written by a general routine (attribute lists, three regular expressions, a write call per cell).
A province draw lists millions of cells, and every data cell of our sheets is one of four shapes
(text, number, date, formatted blank), so `RowWriter` writes a block of rows as one string, into
the same temporary file xlsxwriter streams rows to, and keeps xlsxwriter's bookkeeping (the sheet's
dimensions, the last row written) so that whatever it writes before and after is unchanged.

The bytes are xlsxwriter's own. A plain text cell (no XML special character, control character,
_xHHHH_ look-alike or edge whitespace, as `_PLAIN` and `isspace` decide) is written as it is; any
other text passes through xlsxwriter's own escaping functions, in its order (truncation, control
characters, whitespace, XML). Row tags with a height are rendered by xlsxwriter's `_write_row`.
tests/test_sheet_cells.py writes ordinary and adversarial sheets both ways and compares every part
of the workbook byte for byte.

One deliberate difference: xlsxwriter pastes a text that starts with "<r>" and ends with "</r>" into
the file as raw rich-text XML, so a roster name of that shape made the workbook unreadable; here it is
escaped like any other text and reads back as written.

`RowWriter.usable(ws)` says whether this xlsxwriter has the internals used here; when it has not,
writers.py keeps its per-cell loop. `fast_deflate` zips the workbook at zlib level 1 (xlsxwriter has
no option for it): the same parts, ~3x less time deflating, a file 5-35 % larger.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from datetime import date, datetime

from .base import FORMULA_FIRST, escape_cell

BLOCK = 2048  # rows formatted per write
MAX_PLAIN = 16383  # a longer text may exceed Excel's 32,767 UTF-16 units: xlsxwriter's check runs
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f]|_x[0-9a-fA-F]{4}_")  # what xlsxwriter would change


class RowWriter:
    """Writes data rows of worksheet `ws` (constant-memory mode) after the rows xlsxwriter holds.

    `col_fmt[c]`: the format of column c; `blank_ok[c]`: an empty cell is written (formatted) in
    column c; `date_fmt(c)`: the format of a date in column c; `height(row)`: the row's height in
    points, or None for the default."""

    _NEEDED = ("fh", "previous_row", "row_info", "table", "dim_rowmin", "dim_rowmax", "dim_colmin",
               "dim_colmax", "_write_single_row", "_write_row", "_check_dimensions", "_convert_date_time",
               "_escape_control_characters", "_escape_data", "xls_strmax")

    @classmethod
    def usable(cls, ws) -> bool:
        """True if `ws` is a constant-memory xlsxwriter worksheet whose plain row tag and
        internals are the ones this module reproduces."""
        if not getattr(ws, "constant_memory", False) or not all(hasattr(ws, n) for n in cls._NEEDED):
            return False
        try:
            from xlsxwriter.utility import _preserve_whitespace, _utf16_len, _utf16_truncate  # noqa: F401
        except ImportError:
            return False
        return _render(ws, 4, None) == '<row r="5">'

    def __init__(self, ws, col_fmt: Sequence, blank_ok: Sequence[bool], date_fmt: Callable[[int], object],
                 height: Callable[[Sequence], float | None] | None = None):
        from xlsxwriter.utility import xl_col_to_name

        self.ws = ws
        self.col_fmt = list(col_fmt)
        self.blank_ok = list(blank_ok)
        self.date_fmt = date_fmt
        self.height = height
        self.refs = [f'<c r="{xl_col_to_name(c)}' for c in range(len(self.col_fmt))]
        # xf indexes are given by xlsxwriter on a format's first use, so they are taken as cells
        # are written, not beforehand (the order of first use numbers the formats in styles.xml).
        self._text: list[str | None] = [None] * len(self.col_fmt)
        self._number: list[str | None] = [None] * len(self.col_fmt)
        self._blank: list[str | None] = [None] * len(self.col_fmt)
        self.used: set[int] = set()
        self._tags: dict = {}  # a row height -> its tag's attributes after r="…"
        self._serials: dict = {}  # a date -> its Excel serial number (xlsxwriter's conversion)

    def write(self, rows: Sequence[Sequence], r: int) -> int:
        """Write `rows` below row `r`; returns the last row written (as writers._write_rows)."""
        if not rows:
            return r
        ws = self.ws
        ws._write_single_row(r + 1)  # flush the rows xlsxwriter holds (the header), as its next write would
        last_cell_row = None
        for start in range(0, len(rows), BLOCK):
            block = rows[start:start + BLOCK]
            text, last = self._block(block, r)
            ws.fh.write(text)
            r += len(block)
            if last is not None:
                last_cell_row = last
        if self.used:
            ws._check_dimensions(last_cell_row, min(self.used))
            ws._check_dimensions(last_cell_row, max(self.used))
        ws.previous_row = r + 1  # the next row xlsxwriter writes starts a new row element
        return r

    def _block(self, rows: Sequence[Sequence], r: int) -> tuple[str, int | None]:
        """Rows r+1, r+2, ... as XML, and the last of them with a cell (None if none has).

        The hot loop: one f-string a cell. A text is plain (written as it is) when it is all
        letters and digits (str.isalnum, fast: most codes and names), else when `_SPECIAL`, the
        edges and the length say so; otherwise xlsxwriter's escaping runs (`_special_text`)."""
        ws = self.ws
        parts: list[str] = []
        append = parts.append
        refs, text, blank, blank_ok = self.refs, self._text, self._blank, self.blank_ok
        ncols = len(refs)
        special = _SPECIAL.search
        traps = FORMULA_FIRST
        height = self.height
        row_info = ws.row_info
        last = None
        for row in rows:
            r += 1
            if height is not None:
                h = height(row)
                if h:
                    ws.set_row(r, h)
            n = str(r + 1)
            at = len(parts)
            append("")  # the row tag, once the row is known to have a cell
            c = 0
            for v in row:
                if c == ncols:
                    break
                t = type(v)
                if t is str:
                    if v:
                        if v[0] in traps:
                            v = "'" + v
                        if (v.isalnum() and len(v) <= MAX_PLAIN) or not (  # _is_plain(v), inlined
                                special(v) or v[0].isspace() or v[-1].isspace() or len(v) > MAX_PLAIN):
                            append(f"{refs[c]}{n}{text[c] or self._text_mid(c)}{v}</t></is></c>")
                        else:
                            append(self._special_text(c, n, v))
                    elif blank_ok[c]:
                        append(f"{refs[c]}{n}{blank[c] or self._blank_tail(c)}")
                elif t is int or t is float:
                    append(self._number_cell(c, n, v))
                else:
                    cell = self._other(c, n, v)
                    if cell:
                        append(cell)
                c += 1
            while c < ncols:
                if blank_ok[c]:
                    append(f"{refs[c]}{n}{blank[c] or self._blank_tail(c)}")
                c += 1
            if len(parts) > at + 1:
                parts[at] = self._tag(r, n, row_info[r]) if r in row_info else f'<row r="{n}">'
                append("</row>")
                last = r
            else:
                del parts[at]  # as in xlsxwriter's constant-memory mode, a row without cells is not written
        return "".join(parts), last

    def _tag(self, r: int, n: str, info) -> str:
        """The <row> tag of a row with a height: xlsxwriter's own rendering, made once per distinct
        height (its attributes after r="…" do not depend on the row; a publication has a few
        heights over a million rows)."""
        plain = (getattr(info, "row_format", 1) is None and not getattr(info, "hidden", 1)
                 and not getattr(info, "level", 1) and not getattr(info, "collapsed", 1))
        if not plain:  # only a height is ever set here; anything else is rendered row by row
            return _render(self.ws, r, info)
        rest = self._tags.get(info.height)
        if rest is None:
            full = _render(self.ws, r, info)
            head = f'<row r="{n}"'
            if not full.startswith(head):
                return full
            rest = self._tags[info.height] = full[len(head):]
        return f'<row r="{n}"{rest}'

    def _text_mid(self, c: int) -> str:
        self.used.add(c)
        self._text[c] = f'" s="{self.col_fmt[c]._get_xf_index()}" t="inlineStr"><is><t>'
        return self._text[c]

    def _blank_tail(self, c: int) -> str:
        self.used.add(c)
        self._blank[c] = f'" s="{self.col_fmt[c]._get_xf_index()}"/>'
        return self._blank[c]

    def _number_cell(self, c: int, n: str, v, fmt=None) -> str:
        if isinstance(v, float) and not math.isfinite(v):
            raise TypeError("NAN/INF not supported in write_number() without 'nan_inf_to_errors' Workbook() option")
        self.used.add(c)
        if fmt is None:
            mid = self._number[c]
            if mid is None:
                mid = self._number[c] = f'" s="{self.col_fmt[c]._get_xf_index()}"><v>'
        else:
            mid = f'" s="{fmt._get_xf_index()}"><v>'
        return f"{self.refs[c]}{n}{mid}{v:.16G}</v></c>"

    def _special_text(self, c: int, n: str, v: str) -> str:
        """A text cell as xlsxwriter's `_write_string` + `_write_cell` write it (inline string)."""
        from xlsxwriter.utility import _preserve_whitespace, _utf16_len, _utf16_truncate

        ws = self.ws
        if len(v) > ws.xls_strmax // 2 and _utf16_len(v) > ws.xls_strmax:
            v = _utf16_truncate(v, ws.xls_strmax)
        v = ws._escape_control_characters(v)
        space = ' xml:space="preserve"' if _preserve_whitespace(v) else ""
        mid = f'" s="{self.col_fmt[c]._get_xf_index()}" t="inlineStr"><is><t{space}>'
        self.used.add(c)
        return f"{self.refs[c]}{n}{mid}{ws._escape_data(v)}</t></is></c>"

    def _other(self, c: int, n: str, v) -> str | None:
        """Any other value, as writers._write_other writes it: booleans 是/否, numbers, dates as
        dates, None as a blank where blanks are written, anything else as its escaped text."""
        if isinstance(v, bool):
            v = "是" if v else "否"
        elif isinstance(v, (int, float)):
            return self._number_cell(c, n, v)
        elif isinstance(v, (date, datetime)):
            serial = self._serials.get(v)  # a publication repeats a few hundred dates a million times
            if serial is None:
                when = v if isinstance(v, datetime) else datetime(v.year, v.month, v.day)
                serial = self._serials[v] = self.ws._convert_date_time(when)
            return self._number_cell(c, n, serial, self.date_fmt(c))
        elif v is not None:
            v = escape_cell(str(v))
        if v is None or v == "":
            return f"{self.refs[c]}{n}{self._blank[c] or self._blank_tail(c)}" if self.blank_ok[c] else None
        if not _is_plain(v):
            return self._special_text(c, n, v)
        return f"{self.refs[c]}{n}{self._text[c] or self._text_mid(c)}{v}</t></is></c>"


def _is_plain(v: str) -> bool:
    """A non-empty text xlsxwriter would write unchanged: no character it escapes, no edge
    whitespace (which would add xml:space), not long enough to need its length check."""
    return (v.isalnum() and len(v) <= MAX_PLAIN) or not (
        _SPECIAL.search(v) or v[0].isspace() or v[-1].isspace() or len(v) > MAX_PLAIN)


def _render(ws, r: int, info) -> str:
    """xlsxwriter's own <row> start tag for row `r` (`info`: its height, if set)."""
    fh, ws.fh = ws.fh, io.StringIO()
    try:
        ws._write_row(r, None, info)
        return ws.fh.getvalue()
    finally:
        ws.fh = fh


ZIP_LEVEL = 1  # zlib level of the workbook's parts


@contextmanager
def fast_deflate():
    """xlsxwriter zips the workbook with zlib's default level (6), which costs a third of a large
    sheet's time; level 1 deflates ~3x faster for files ~35 % larger (the parts inside are the
    same bytes). xlsxwriter has no option for it, so its module's ZipFile is swapped for one with
    that default while it closes the workbook, then put back. Without that name, nothing changes."""
    import zipfile

    import xlsxwriter.workbook as xw

    saved = getattr(xw, "ZipFile", None)
    if saved is not zipfile.ZipFile:
        yield
        return

    class _ZipFile(zipfile.ZipFile):
        def __init__(self, *args, **kwargs):
            kwargs.setdefault("compresslevel", ZIP_LEVEL)
            super().__init__(*args, **kwargs)

    xw.ZipFile = _ZipFile
    try:
        yield
    finally:
        xw.ZipFile = saved
