"""One chunk of a results sheet read per column, each distinct cell of a column read once.

A results sheet repeats itself down its columns: a handful of distinct results, follow-ups,
methods, departments and dates over a million rows. `read_chunk` therefore works column by
column: each column is taken out of the chunk once, every distinct cell of it (keyed by type
too: 1, 1.0 and True are different cells) is read once by `cells.CellReader` or the date and
code rules, and the answers are mapped back onto the column in C (`map` over a dict). Only
the rows that carry a problem are visited one by one, to report it; the other rows become a
`ResultRow` each without further Python work per cell.

What is reported, with which row, column, value and wording, and in which order (by row, then
credit code, department, task number, inspection date, entry date), is exactly what reading
the cells one row at a time gave (tests/test_publish_scale.py pins it).
"""

from __future__ import annotations

import unicodedata
from itertools import compress, repeat
from operator import itemgetter

from ..core.errors import Problem
from ..core.resultcodes import PROBLEM_SUBCODES
from ..intake.cells import parse_date
from ..intake.codes import normalise_code, number_cell_reason
from ..intake.records import Source
from .cells import cell_parts, norm_number, norm_text
from .rows import ResultRow

ENTRY_FIELDS = ("result", "subcodes", "follow_up", "inspected", "entered")  # all blank: an untouched row
_NONE = type(None)
_EMPTY: frozenset[str] = frozenset()
SEP = "\x00"  # joins a column's cells for one call over all of them (no sheet cell holds it)


def column(chunk: list[list], index: int | None, shortest: int) -> list:
    """One column of a chunk; None where a row is too short or the field has no column.
    `shortest`: the length of the chunk's shortest row."""
    if index is None:
        return [None] * len(chunk)
    if index < shortest:
        return list(map(itemgetter(index), chunk))
    return [r[index] if index < len(r) else None for r in chunk]


def per_value(col: list, fn) -> list:
    """[fn(v) for v in col], calling fn once per distinct cell. Cells are told apart by type too
    when the column mixes types (1, 1.0 and True are equal in Python, not in a sheet). A column
    of mostly distinct cells (names) is mapped directly: a table would save nothing."""
    try:
        distinct = set(col)
    except TypeError:  # an unhashable cell: never from a sheet, but read it anyway
        return list(map(fn, col))
    if 2 * len(distinct) > len(col):
        return list(map(fn, col))
    kinds = set(map(type, col))  # not of `distinct`: there 1, 1.0 and True are one cell
    kinds.discard(_NONE)
    if len(kinds) <= 1:
        table = {v: fn(v) for v in distinct}
        return list(map(table.__getitem__, col))
    keys = list(zip(map(type, col), col))
    table = {k: fn(k[1]) for k in set(keys)}
    return list(map(table.__getitem__, keys))


def codes_of(col: list) -> list[str]:
    """[normalise_code(v) for v in col]; a column of ASCII letters and digits only (credit codes
    as they are almost always written) is upper-cased in one call on the joined column."""
    try:
        joined = SEP.join(col)
    except TypeError:  # not all text: a code typed as a number, an empty cell
        return list(map(normalise_code, col))
    if col and joined.isascii() and joined.replace(SEP, "").isalnum():
        out = joined.upper().split(SEP)
        if len(out) == len(col):
            return out
    return list(map(normalise_code, col))


def texts_of(col: list) -> list[str]:
    """[norm_text(v) for v in col] for a column of mostly distinct texts (names): NFKC in one call
    on the column joined by NUL. NUL is a stable code point of Unicode normalisation (a starter
    that composes with nothing, UAX #15), so the joined text normalises part by part."""
    try:
        joined = SEP.join(col)
    except TypeError:  # not all text (an empty cell, a number)
        return per_value(col, norm_text)
    parts = unicodedata.normalize("NFKC", joined).split(SEP)
    if not col or len(parts) != len(col):  # a NUL inside a cell
        return per_value(col, norm_text)
    return list(map(str.strip, parts))


def read_chunk(chunk: list[list], numbers: list[int], how, where: dict) -> tuple[list[ResultRow], list[Problem]]:
    """The rows of one chunk that carry any entry, and the problems found while reading them.
    `how` is intake.Reading (departments, cell reader, task numbers); `where` names the sheet."""
    index = where["index"]
    cells = how.cells
    shortest = min(map(len, chunk), default=0)
    taken: dict[str, list] = {}  # field -> its column (result, follow-up and dates are read twice)

    def col(f: str) -> list:
        found = taken.get(f)
        if found is None:
            found = taken[f] = column(chunk, index.get(f), shortest)
        return found

    entries = [per_value(col(f), cell_parts) for f in ENTRY_FIELDS if f in index]
    keep = list(map(any, zip(*entries))) if entries else [False] * len(chunk)
    if not all(keep):  # untouched template rows (or blank / note rows) are not results
        chunk = list(compress(chunk, keep))
        numbers = list(compress(numbers, keep))
        shortest = min(map(len, chunk), default=0)
        taken.clear()
    n = len(chunk)
    if not n:
        return [], []

    raw_code = col("credit_code")
    codes = codes_of(raw_code)
    kinds = set(map(type, raw_code))
    code_why = per_value(raw_code, number_cell_reason) if kinds - {str, _NONE} else [None] * n
    file_dept = where["file_dept"]
    depts = per_value(col("department"), lambda v: _department(v, how, file_dept))
    task_no = per_value(col("task_number"), lambda v: _task_number(v, how))
    dates = {f: per_value(col(f), parse_date) for f in ("inspected", "entered")}
    results = per_value(col("result"), _result_parts(cells))
    subcodes = per_value(col("subcodes"), lambda v: cells.codes(v, PROBLEM_SUBCODES))
    follow = per_value(col("follow_up"), lambda v: "、".join(cells.follow_up(v)) or None)
    methods = per_value(col("method"), cells.method)
    names = texts_of(col("name"))
    result_texts = per_value(col("result"), as_entered)
    follow_texts = per_value(col("follow_up"), as_entered)

    dept_ids = [d[0] for d in depts]
    seen, entered = [d[0] for d in dates["inspected"]], [d[0] for d in dates["entered"]]
    unreadable = [_EMPTY] * n
    problems: list[Problem] = []
    flagged = {i for i, (why, code, d, t, s, e) in enumerate(zip(code_why, codes, depts, task_no, *dates.values()))
               if why or not code or d[1] or t or s[1] or e[1]}
    for i in sorted(flagged):
        found, bad = _row_problems(i, chunk, numbers, where, raw_code, code_why, codes, depts, task_no, dates)
        problems.extend(found)
        unreadable[i] = frozenset(bad)
        if "department" in bad:
            dept_ids[i] = depts[i][2]

    subs = [s if not r[2] else r[2] if not s else tuple(dict.fromkeys((*r[2], *s))) for r, s in zip(results, subcodes)]
    shown, sheet, labels = where["shown"], where["sheet"], where["labels"]
    sources = [Source(shown, sheet, no) for no in numbers]
    rows = list(map(ResultRow, codes, dept_ids, map(itemgetter(0), results), subs, follow, methods, seen, entered,
                    sources, map(itemgetter(1), results), names, unreadable, repeat(labels, n), result_texts,
                    follow_texts))
    return rows, problems


def _row_problems(i, chunk, numbers, where, raw_code, code_why, codes, depts, task_no, dates):
    """The problems of row i, in the order the row is read, and the fields that could not be read."""
    shown, sheet, labels, index = where["shown"], where["sheet"], where["labels"], where["index"]
    row_no = numbers[i]

    def cell(f: str):
        c = index.get(f)
        return chunk[i][c] if c is not None and c < len(chunk[i]) else None

    def problem(f: str, reason: str, value=None, code: str = "invalid") -> Problem:
        return Problem(reason=reason, file=shown, sheet=sheet, row=row_no, column=labels[f],
                       value=None if value in (None, "") else norm_text(value), code=code)

    found: list[Problem] = []
    bad: set[str] = set()
    if code_why[i]:
        found.append(problem("credit_code", code_why[i], raw_code[i]))
        bad.add("credit_code")
    elif not codes[i]:
        found.append(problem("credit_code", "未填写统一社会信用代码或注册号"))
        bad.add("credit_code")
    if depts[i][1]:
        dept_cell = cell("department")
        found.append(problem("department", depts[i][1], dept_cell) if norm_text(dept_cell)
                     else problem("department", depts[i][1]))
        bad.add("department")
    if task_no[i]:
        found.append(problem("task_number", task_no[i], norm_text(cell("task_number"))))
    for f in ("inspected", "entered"):
        why = dates[f][i][1]
        if why:
            found.append(problem(f, f"{labels[f]}：{why}", cell(f), code="bad_date"))
            bad.add(f)
    return found, bad


def _department(v, how, file_dept) -> tuple[str | None, str | None, str]:
    """(department id or None, the reason it is unreadable or None, the cell's text)."""
    text = norm_text(v)
    dept = how.depts.lookup(v) if text else file_dept
    if dept is not None:
        return dept, None, text
    if text:
        return None, ("检查部门不是计划中的部门（本单位平台的科室、所名可在计划文件 "
                      "results.values.department 中映射到部门）"), text
    return None, "未填写检查部门", text


def _task_number(v, how) -> str | None:
    number = norm_text(v)
    if number and norm_number(number) not in how.numbers:
        return f"抽查任务编号与本任务（{how.task.number}）不符"
    return None


def _result_parts(cells):
    """A result cell -> (first code or None, further codes, problem types written in it)."""
    def read(v):
        codes, in_result = cells.result(v)
        return (codes[0] if codes else None), codes[1:], in_result
    return read


def as_entered(cell) -> str:
    """The cell's text exactly as the department wrote it (full-width punctuation kept)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()
