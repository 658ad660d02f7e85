"""What the public sees, and which entities are ready (pure; no files).

`merged_result` and `public_record` merge the departments that inspected one entity into one
public line, in the national display's terms (检查实施机关, 类型, 日期, 结果; see docs/publish.md §3); `assess` sorts entities into complete-and-valid, incomplete and invalid; `compare`
lists what changed between two publications. `Published` is one publication version in memory.
Public columns hold no officer and no personal data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter, itemgetter
from pathlib import Path

from ..core.errors import Problem
from ..core.resultcodes import NO_PROBLEM, PROBLEM_CODES, PROBLEM_SUBCODES, RESULT_CODES
from ..plan.model import Task
from .validate import Expected

# The public columns: the national display's per-entity record (序号 | 检查实施机关 | 类型 | 日期 | 结果)
# with the entity (统一社会信用代码/注册号, 企业名称) in front, as an office's list shows it, and the
# task last (a public list is often merged across tasks: each line must still say which one).
CODE_KEY, DATE_KEY, RESULT_KEY = "统一社会信用代码/注册号", "日期", "结果"
PUBLIC_HEADERS = ["序号", CODE_KEY, "企业名称", "检查实施机关", "类型", DATE_KEY, RESULT_KEY, "抽查任务编号", "抽查任务名称"]
RECORD_KEYS = PUBLIC_HEADERS[1:]  # a record (manifest) has no 序号 (its place in the file) and an ISO date
RESULT_SEPARATOR = "；"  # several results in one cell, as the national system joins them
DATE_STYLES = {"年月日": "%Y年%m月%d日", "iso": "%Y-%m-%d"}
# Records of manifests written before the national layout: old key -> new key.
_OLD_KEYS = {"统一社会信用代码": CODE_KEY, "检查完成日期": DATE_KEY, "检查结果": RESULT_KEY}


PUBLIC_KIND = "抽查"


FINDING_CODES = set(PROBLEM_CODES) | {"8"}  # a finding that makes 未发现问题 untrue for the entity


CSV_NAME, XLSX_NAME, OFFICE_NAME, MANIFEST_NAME = "公示结果.csv", "公示结果.xlsx", "办公室留存.xlsx", "manifest.json"


def merged_result(rows: Iterable) -> str:
    """结果 of one entity from all its departments' rows: every code in the code table's order,
    A followed by its problem types, joined by 「；」 as the national system shows them."""
    codes: set[str] = set()
    subs: set[str] = set()
    for r in rows:
        codes.update(c for c in r.codes if c in RESULT_CODES)
        if "A" in r.codes:
            subs.update(s for s in r.subcodes if s in PROBLEM_SUBCODES)
    if codes & FINDING_CODES:
        codes.discard(NO_PROBLEM)
    parts = []
    for code, text in RESULT_CODES.items():
        if code in codes:
            parts.append(text)
            if code == "A":
                parts += [t for s, t in PROBLEM_SUBCODES.items() if s in subs]
    return RESULT_SEPARATOR.join(parts)


def public_record(task: Task, expected: Expected, code: str, rows: list, memo: dict | None = None) -> dict:
    """One public line. `rows` are the entity's valid rows, one per inspecting department.
    `memo` (a dict kept across the entities of one publication) holds what repeats: the merged
    result of a combination of codes, the 检查实施机关 of a set of departments, a date's text."""
    memo = {} if memo is None else memo
    key = ("result", *map(_RESULT_PARTS, rows))
    result = memo.get(key)
    if result is None:
        result = memo[key] = merged_result(rows)
    key = ("departments", *map(_DEPARTMENT, rows))
    shown = memo.get(key)
    if shown is None:
        order = {d: i for i, d in enumerate(task.participants)}
        depts = sorted({r.department for r in rows}, key=lambda d: (order.get(d, len(order)), d))
        shown = memo[key] = "、".join(expected.dept_name(d) for d in depts)
    day = max(map(_INSPECTED, rows))
    iso = memo.get(day)
    if iso is None:
        iso = memo[day] = day.isoformat()
    return {
        CODE_KEY: code,
        "企业名称": expected.names.get(code) or next((r.name for r in rows if r.name), ""),
        "检查实施机关": shown,
        "类型": PUBLIC_KIND,
        DATE_KEY: iso,
        RESULT_KEY: result,
        "抽查任务编号": task.number,
        "抽查任务名称": task.name,
    }


_RESULT_PARTS = attrgetter("result", "more_codes", "subcodes")  # what merged_result reads of a row
_DEPARTMENT = attrgetter("department")
_INSPECTED = attrgetter("inspected")


def public_records(task: Task, expected: Expected, ready: dict[str, list]) -> list[dict]:
    """The public lines of the ready entities, by credit code."""
    memo: dict = {}
    return [public_record(task, expected, c, ready[c], memo) for c in sorted(ready)]


def public_rows(records: list[dict], dates: str = "年月日") -> list[list]:
    """The public file's rows: 序号 from 1, the date written in the plan's style (publicity.dates)."""
    fmt = DATE_STYLES[dates]
    at = PUBLIC_HEADERS.index(DATE_KEY)
    cells = itemgetter(*RECORD_KEYS)
    shown: dict[str, str] = {}  # ISO date -> as written (a publication has few distinct dates)
    out = []
    for n, r in enumerate(records, 1):
        row = [n, *cells(r)]
        day = shown.get(row[at])
        if day is None:
            day = shown[row[at]] = date.fromisoformat(row[at]).strftime(fmt)
        row[at] = day
        out.append(row)
    return out


def upgrade_record(record: dict) -> dict:
    """A record of an earlier manifest in today's keys (so a new version compares with it)."""
    return {_OLD_KEYS.get(k, k): v for k, v in record.items()}


@dataclass
class Assessment:
    ready: dict[str, list]  # credit code -> valid rows (one per expected department)
    withheld: dict[str, list[str]]  # credit code -> reasons it cannot be published yet
    problems: list[Problem]  # every problem (errors and warnings), as found
    stray: list[Problem]  # errors not about any drawn entity (other entities, unreadable files)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]


def assess(rows: list, problems: list[Problem], expected: Expected) -> Assessment:
    """Sort drawn entities into ready (every department entered one valid row) and withheld."""
    bad = {}
    for p in problems:
        if p.severity == "error" and p.row is not None:
            bad.setdefault((p.file, p.sheet, p.row), []).append(p)
    by_code: dict[str, list] = {}
    for r in rows:
        by_code.setdefault(r.credit_code, []).append(r)
    ready: dict[str, list] = {}
    withheld: dict[str, list[str]] = {}
    used: set[int] = set()
    for code, depts in expected.departments.items():
        reasons: list[str] = []
        mine = by_code.get(code, ())
        for r in mine if bad else ():
            for p in bad.get((r.source.file, r.source.sheet, r.source.row), ()):
                used.add(id(p))
                reasons.append(p.message())
        entered = {r.department for r in mine if r.result or r.more_codes}  # rows with any result code
        reasons += [f"{expected.dept_name(d)}尚未录入检查结果" for d in depts if d not in entered]
        if reasons:
            withheld[code] = reasons
        else:
            first = {r.department: r for r in reversed(mine)}  # a department's first row
            ready[code] = [first[d] for d in depts]
    stray = [p for p in problems if p.severity == "error" and id(p) not in used and p.code != "missing"]
    return Assessment(ready, withheld, problems, stray)


def compare(previous: list[dict], current: list[dict]) -> dict[str, list[str]]:
    """Credit codes added, changed and withdrawn between two publications."""
    old = {r[CODE_KEY]: r for r in map(upgrade_record, previous)}
    new = {r[CODE_KEY]: r for r in current}
    # sorted() over the dicts, not over sets: records come in code order, which timsort takes in one pass
    return {"added": [c for c in sorted(new) if c not in old],
            "changed": [c for c in sorted(new) if c in old and new[c] != old[c]],
            "withdrawn": [c for c in sorted(old) if c not in new]}


@dataclass
class Published:
    version: int
    folder: Path
    records: list[dict]
    assessment: Assessment
    changes: dict[str, list[str]]
    partial: bool
    reason: str
    files: dict[str, str] = field(default_factory=dict)  # workspace-relative path -> sha256
    notes: list[str] = field(default_factory=list)
