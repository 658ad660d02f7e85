"""What a sheet is, before any file format: `Sheet` (title, headers, rows, dropdowns), `Dropdown`,
`escape_cell` (formula injection: cells starting with = + - @ tab CR LF get a leading '),
and `display_width` (CJK characters count double) for column widths.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
FORMULA_FIRST = frozenset(FORMULA_PREFIXES)  # the same rule as a set of first characters (hot loops)


def escape_cell(value):
    """OWASP CSV-injection rule: a text cell starting with = + - @ TAB CR LF gets a leading quote.

    Numbers, dates and None pass unchanged (a real negative number is not a formula).
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def display_width(text: str) -> int:
    """Width as Excel shows it: CJK and full-width characters count double.

    Called for every wrapped cell of every row (the row's height), where the same texts repeat
    down a column (department names, result labels): a text's width is kept once computed. A new
    text is its length plus what each run of non-ASCII characters in it adds, and runs repeat too
    (「检查结果录入」第 in every 来源 cell, 商贸有限公司 in names): a run is counted once, character by
    character (`_CharWidths`)."""
    if text.isascii():  # no wide character is ASCII
        return len(text)
    width = _WIDTHS.get(text)
    if width is None:
        if len(_WIDTHS) >= _WIDTHS_KEPT:  # a column of distinct texts (names): keep memory bounded
            _WIDTHS.clear()
        width = len(text)
        for run in _NON_ASCII.findall(text):
            extra = _RUN_EXTRA.get(run)
            if extra is None:
                if len(_RUN_EXTRA) >= _WIDTHS_KEPT:
                    _RUN_EXTRA.clear()
                extra = _RUN_EXTRA[run] = sum(map(_CHAR_WIDTHS.__getitem__, run)) - len(run)
            width += extra
        _WIDTHS[text] = width
    return width


class _CharWidths(dict):
    """character -> 2 if East Asian Wide or Full-width (unicodedata), else 1; filled on first use."""

    def __missing__(self, ch: str) -> int:
        width = self[ch] = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        return width


_CHAR_WIDTHS = _CharWidths()
_NON_ASCII = re.compile("[^\x00-\x7f]+")
_WIDTHS: dict[str, int] = {}  # text -> width
_RUN_EXTRA: dict[str, int] = {}  # run of non-ASCII characters -> its wide characters (the width it adds)
_WIDTHS_KEPT = 100_000


@dataclass
class Dropdown:
    """A list validation on one column: `choices` offered in every data row.

    `only_when=(column, prefix)`: the list is offered only on rows whose cell in `column` starts
    with `prefix` (问题类型 only under result A); elsewhere the cell accepts nothing.
    """

    column: int  # 0-based index into headers
    choices: Sequence[str]
    prompt: str | None = None
    strict: bool = True  # False: offered, not enforced (e.g. several codes joined with 、)
    only_when: tuple[int, str] | None = None


@dataclass
class Chart:
    """A column chart below the data: one series per column in `series` (0-based), categories
    from `categories`; series whose cells are all empty or zero are left out."""

    title: str
    series: Sequence[int]
    categories: int = 0
    x_title: str = ""
    y_title: str = ""
    stacked: bool = True


@dataclass
class Sheet:
    name: str
    headers: Sequence[str]
    rows: Sequence[Sequence]
    title: str | None = None  # a merged title row above the header
    dropdowns: list[Dropdown] = field(default_factory=list)
    date_columns: Sequence[int] = ()  # 0-based columns formatted as yyyy-mm-dd
    text_columns: Sequence[int] = ()  # forced text format (codes, ids)
    extra_rows: int = 0  # empty rows kept open for data entry (dropdowns reach them too)
    col_widths: dict[int, int] | None = None
    # Print and entry settings (writers.write_xlsx applies them; every workbook prints on A4).
    landscape: bool | None = None  # None: landscape when the columns are wider than a portrait page
    autofilter: bool | None = None  # None: on for data sheets (more than two columns)
    wrap_columns: Sequence[int] = ()  # wrapped besides those whose content is wider than the column
    protect: bool = False  # lock every cell except `entry_columns`
    entry_columns: Sequence[int] = ()  # left open for typing when protected
    chart: Chart | None = None


PORTRAIT_WIDTH = 95  # column-width units that fit an A4 portrait page at a readable scale


HEADER_FILL = "DDEBF7"
