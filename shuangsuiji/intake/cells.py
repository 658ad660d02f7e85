"""Cell converters for roster columns, applied a whole column at a time.

Each distinct raw value is converted once (`convert`): a roster of a million rows has a few
thousand distinct dates, states or departments, so the cost is per distinct value, not per row,
and equal texts share one string object.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from ..core.errors import Problem
from .tables import Table, columns

SPLIT = re.compile(r"[、,，;；\s]+")
DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
DATE_DIGITS = re.compile(r"(\d{4})(\d{2})(\d{2})")
YES = {"是", "y", "yes", "true", "1", "√", "✓", "专家", "有"}
NO = {"否", "n", "no", "false", "0", "×", "无", ""}
DATE_HINT = "日期应写作 2026-03-01、2026/3/1、2026年3月1日 或 20260301，或设为 Excel 日期格式"


def text(v) -> str:
    """A cell as text: numbers without `.0`, dates as ISO, spaces trimmed."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == datetime.min.time() else v.isoformat(sep=" ")
    if isinstance(v, date):
        return v.isoformat()
    return str(v).strip()


def key(v) -> str:
    """Text for comparing labels: NFKC (full-width → half-width), no spaces, upper-case."""
    return "".join(unicodedata.normalize("NFKC", text(v)).split()).upper()


def split_multi(v) -> tuple[str, ...]:
    """A multi-value cell (categories, specialties) split on 、,，;； and spaces, order kept."""
    parts = SPLIT.split(unicodedata.normalize("NFKC", text(v)))
    return tuple(dict.fromkeys(p for p in parts if p))


def parse_date(v) -> tuple[date | None, str | None]:
    """(date, None), (None, None) for an empty cell, or (None, Chinese reason)."""
    if v is None or v == "":
        return None, None
    if isinstance(v, datetime):
        return v.date(), None
    if isinstance(v, date):
        return v, None
    if isinstance(v, bool):
        return None, f"不是日期；{DATE_HINT}"
    if isinstance(v, (int, float)):
        if float(v).is_integer() and 19000101 <= v <= 21001231:
            return _ymd(*DATE_DIGITS.fullmatch(str(int(v))).groups())
        return None, f"单元格是数字 {text(v)}，不是日期；{DATE_HINT}"
    s = unicodedata.normalize("NFKC", str(v)).strip()
    m = DATE_TEXT.fullmatch(s) or DATE_DIGITS.fullmatch(s)
    if not m:
        return None, f"无法识别的日期；{DATE_HINT}"
    return _ymd(*m.groups())


def _ymd(y: str, m: str, d: str) -> tuple[date | None, str | None]:
    try:
        return date(int(y), int(m), int(d)), None
    except ValueError:
        return None, "不存在的日期（月或日超出范围）"


def parse_bool(v) -> tuple[bool, str | None]:
    k = key(v).lower()
    if k in YES:
        return True, None
    if k in NO:
        return False, None
    return False, "无法识别（应为「是」或「否」），按「否」处理"


def convert(values: list, fn: Callable) -> tuple[list, dict]:
    """Apply fn(raw) -> (value, reason | None) once per distinct raw value.

    Returns the converted column and {raw: reason} for the raw values that carry a reason.
    """
    table = {v: fn(v) for v in set(values)}
    out = {v: r[0] for v, r in table.items()}
    reasons = {v: r[1] for v, r in table.items() if r[1]}
    return list(map(out.__getitem__, values)), reasons


def texts(values, *, shared: bool = False) -> list[str]:
    """A text column. `shared` (few distinct values: types, industries, areas): equal texts share
    one string object, which keeps a million-row roster small."""
    if not shared:
        try:
            return list(map(str.strip, values))
        except TypeError:
            pass
    table = {v: text(v) for v in set(values)}
    return list(map(table.__getitem__, values))


def translate(col, mapping: dict[str, str]) -> list:
    """A column with each cell whose key is in `mapping` replaced by the plan term."""
    table = {}
    for v in set(col):
        k = key(v)
        table[v] = mapping.get(k, v)
    return list(map(table.__getitem__, col))


@dataclass
class Chunk:
    """One chunk of data rows with problem bookkeeping: which rows are rejected, and why."""

    table: Table
    rows: list[list]
    numbers: list[int]
    problems: list[Problem]
    rejected: set[int] = field(default_factory=set)
    _columns: list | None = None

    def has(self, name: str) -> bool:
        return name in self.table.columns

    def raw(self, name: str):
        """The raw cells of one field (a sequence as long as the chunk)."""
        if name not in self.table.columns:
            return [None] * len(self.rows)
        col = self._column(self.table.columns[name])
        mapping = self.table.values.get(name)
        return translate(col, mapping) if mapping else col

    def raw_all(self, name: str) -> list:
        """Every column of a multi field (several licence columns), first column first."""
        if name not in self.table.columns:
            return [[None] * len(self.rows)]
        return [self.raw(name)] + [self._column(i) for i in self.table.more.get(name, [])]

    def _column(self, index: int):
        if self._columns is None:
            self._columns = columns(self.rows, len(self.table.headers))
        return self._columns[index]

    def texts(self, name: str, *, shared: bool = False) -> list[str]:
        return texts(self.raw(name), shared=shared) if self.has(name) else [""] * len(self.rows)

    def report(self, i: int, name: str, raw, reason: str, *, severity: str = "error",
               code: str = "invalid", value: str | None = None) -> None:
        """Record a problem for row i of this chunk; an error rejects the row."""
        col = self.table.header_of(name) if name in self.table.columns else name
        self.problems.append(Problem(reason=reason, file=self.table.display, sheet=self.table.sheet,
                                     row=self.numbers[i], column=col,
                                     value=text(raw) if value is None else value,
                                     code=code, severity=severity))
        if severity == "error":
            self.rejected.add(i)

    def report_values(self, name: str, raw: list, reasons: dict, *, severity: str = "error",
                      code: str = "invalid") -> None:
        """Report every row whose raw value carries a reason (from `convert`)."""
        if reasons:
            for i, v in enumerate(raw):
                if v in reasons:
                    self.report(i, name, v, reasons[v], severity=severity, code=code)
