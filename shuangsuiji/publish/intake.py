"""Results intake (检查结果): read the filled results-entry workbooks and check them.

Two steps, both without I/O side effects beyond reading the given files:

- `read_results(files, lp, task)` reads what the departments entered into their copies of the
  template `ssj match` wrote (`resultcodes.TEMPLATE_HEADERS`), tolerating a department that
  re-typed it: header aliases (信用代码, 结果, 处置, 检查完成日期 …), title rows above the header,
  blank rows, several sheets, the dropdown label ("A 发现问题待后续处理"), a bare code ("A") or
  the text alone ("发现问题待后续处理"), and the 检查部门 cell as a department name or id.
  Cells that cannot be read at all (a date that is not a date, a department the plan does not
  know) are reported here; the row is kept with the field listed in `unreadable`.
- `validate(rows, expected, task, today)` (in `validate.py`) applies the
  rules: drawn or not, codes, follow-ups, dates, duplicates, missing results.

A result row whose result, dates, problem types and follow-up are all blank is an untouched
template row: it is not returned (that target simply has no result yet).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..core.errors import InputInvalid, Problem
from ..core.resultcodes import PROBLEM_SUBCODES, RESULT_CODES, TEMPLATE_SHEET
from ..intake.cells import parse_date
from ..intake.codes import normalise_code, number_cell_reason
from ..intake.records import Source
from ..plan.load import LoadedPlan
from ..plan.model import Task
from .validate import _CODE_HEAD, norm_text

# -- the record ---------------------------------------------------------------------------------


@dataclass(slots=True)
class ResultRow:
    """One department's result for one target, as entered (codes normalised, not yet judged)."""

    credit_code: str
    department: str  # plan department id (the raw cell text when "department" is unreadable)
    result: str | None  # primary result code ("1", "A", …); unknown text is kept as written
    subcodes: tuple[str, ...]  # 问题类型 codes (unknown text kept as written)
    follow_up: str | None  # 后续处置; several joined with "、"
    method: str | None
    inspected: date | None
    entered: date | None
    source: Source
    more_codes: tuple[str, ...] = ()  # further result codes written in the same cell ("A、7")
    name: str = ""  # 企业名称 as the department wrote it
    unreadable: frozenset[str] = frozenset()  # fields whose cell could not be read (reported)
    columns: dict[str, str] | None = None  # field -> header text of this row's sheet

    @property
    def codes(self) -> tuple[str, ...]:
        return (self.result, *self.more_codes) if self.result else self.more_codes

    def column(self, name: str) -> str:
        """The header under which `name` (a field) appears in this row's sheet."""
        return (self.columns or {}).get(name) or FIELD_LABELS[name]

    def key(self) -> tuple[str, str]:
        return self.credit_code, self.department


# Canonical header (the template's) for each field, and the aliases a re-typed sheet may use.
FIELD_LABELS: dict[str, str] = {
    "seq": "序号",
    "task_number": "抽查任务编号",
    "credit_code": "统一社会信用代码",
    "name": "企业名称",
    "department": "检查部门",
    "items": "检查事项",
    "result": "检查结果",
    "subcodes": "问题类型",
    "follow_up": "后续处置",
    "method": "检查方式",
    "inspected": "检查日期",
    "entered": "录入日期",
    "note": "备注",
}
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号"),
    "task_number": ("抽查任务编号", "任务编号", "抽查任务", "任务号"),
    "credit_code": ("统一社会信用代码", "信用代码", "统一代码", "社会信用代码", "统一社会信用代码/注册号",
                    "注册号", "统一社会信用代码或注册号", "信用代码/注册号"),
    "name": ("企业名称", "名称", "市场主体名称", "主体名称", "单位名称", "检查对象", "检查对象名称"),
    "department": ("检查部门", "检查单位", "检查实施机关", "实施机关", "检查机关", "部门"),
    "items": ("检查事项", "抽查事项"),
    "result": ("检查结果", "结果", "检查结果代码", "结果代码", "抽查结果", "抽查检查结果", "检查结论"),
    "subcodes": ("问题类型", "问题代码", "问题类别", "发现问题类型", "问题子类"),
    "follow_up": ("后续处置", "处置", "后续处理", "处置措施", "后续处置情况", "处理措施", "处理情况"),
    "method": ("检查方式", "抽查方式"),
    "inspected": ("检查日期", "检查完成日期", "检查时间", "完成日期", "检查完成时间", "实施日期"),
    "entered": ("录入日期", "录入时间", "填报日期", "填报时间"),
    "note": ("备注", "说明"),
}
REQUIRED_FIELDS = ("credit_code", "result")
RESULTS_SUFFIXES = (".xlsx", ".xlsm")

_ALIAS_TO_FIELD = {alias: f for f, aliases in HEADER_ALIASES.items() for alias in aliases}
_SPLIT = re.compile(r"[、,，;；/|\n]+")
_PAREN = re.compile(r"[（(][^）)]*[）)]$")


# -- cell normalisation -------------------------------------------------------------------------


def norm_header(value) -> str:
    text = re.sub(r"[\s*＊]+", "", norm_text(value))
    return _PAREN.sub("", text) or text


def norm_code(value) -> str:
    """A credit code as the rest of ssj keys it (spaces out, half-width, upper-case)."""
    return normalise_code(value)


def norm_number(value) -> str:
    """A task number compared loosely: 〔2026〕, [2026], (2026) and spacing all alike."""
    return re.sub(r"[\s〔〕\[\]()【】]+", "", norm_text(value))


BLANK_WORDS = {"无", "没有", "-", "—", "——", "/", "N/A", "NA"}  # what people write for "nothing"


def cell_parts(cell) -> list[str]:
    """A multi-value cell split on 、 , ; / and newlines; words meaning "nothing" dropped."""
    text = norm_text(cell)
    if text.upper() in BLANK_WORDS:
        return []
    return [p.strip() for p in _SPLIT.split(text) if p.strip() and p.strip().upper() not in BLANK_WORDS]


def parse_codes(cell, known: dict[str, str]) -> tuple[str, ...]:
    """Codes in a result or problem-type cell, in the order written, duplicates dropped.

    Accepts "A 发现问题待后续处理", "A", "发现问题待后续处理", "Ａ", 1 (a number) and several
    joined with 、 , ; /. A part that is not a known code is kept as written (the check reports it).
    """
    by_text = {norm_text(label): code for code, label in known.items()}
    out: list[str] = []
    for part in cell_parts(cell):
        code = _one_code(part, known, by_text)
        if code not in out:
            out.append(code)
    return tuple(out)


def _one_code(part: str, known: dict[str, str], by_text: dict[str, str]) -> str:
    if part in by_text:
        return by_text[part]
    m = _CODE_HEAD.match(part.upper())
    if m:
        code, rest = m.group(1), m.group(2).strip()
        if code in known and (not rest or rest == norm_text(known[code])):
            return code
    return part


# -- departments --------------------------------------------------------------------------------


class DepartmentIndex:
    """Maps a 检查部门 cell (id or name, any width or spacing) to a plan department id."""

    def __init__(self, lp: LoadedPlan):
        self.names = {d.id: d.name for d in lp.plan.departments}
        self._names = {d.id: re.sub(r"\s+", "", norm_text(d.name)) for d in lp.plan.departments}
        self._exact: dict[str, str] = {}
        for d in lp.plan.departments:
            for key in (d.id, d.id.upper(), d.name):
                self._exact[re.sub(r"\s+", "", norm_text(key))] = d.id

    def lookup(self, cell) -> str | None:
        text = re.sub(r"\s+", "", norm_text(cell))
        if not text:
            return None
        found = self._exact.get(text) or self._exact.get(text.upper())
        if found:
            return found
        hits = {i for i, n in self._names.items() if len(text) >= 4 and (text in n or n in text)}
        return hits.pop() if len(hits) == 1 else None

    def from_filename(self, path: Path) -> str | None:
        """结果录入-城中区卫生健康局.xlsx -> WSJK (only when exactly one department name fits)."""
        stem = norm_text(path.stem)
        hits = {i for i, n in self.names.items() if n in stem}
        return hits.pop() if len(hits) == 1 else None


# -- reading ------------------------------------------------------------------------------------


def read_results(files: list[Path], lp: LoadedPlan, task: Task) -> tuple[list[ResultRow], list[Problem]]:
    """Read filled results workbooks. Returns the rows that carry any entry, and every problem
    found while reading (missing columns, unreadable dates, unknown departments, a sheet of
    another task). The rules about the content are applied by `validate`."""
    depts = DepartmentIndex(lp)
    rows: list[ResultRow] = []
    problems: list[Problem] = []
    for path in files:
        r, p = read_results_file(Path(path), depts, task)
        rows.extend(r)
        problems.extend(p)
    return rows, problems


def read_results_file(path: Path, depts: DepartmentIndex, task: Task) -> tuple[list[ResultRow], list[Problem]]:
    """One workbook: its 「检查结果录入」 sheet if it has one, else its first visible sheet."""
    from ..core.errors import SsjError
    from ..intake.tables import display_path, read_table

    shown = display_path(path)
    try:
        table = read_table(path, _field_specs(), sheet=_template_sheet(path), plan_key="results")
    except SsjError as e:
        found = e.problems or [Problem(reason=e.message, file=shown)]
        for p in found:
            p.code = "unreadable"
        return [], found
    return _read_table(table, depts, task, path)


def _field_specs():
    from ..intake.tables import FieldSpec

    return [FieldSpec(f, (FIELD_LABELS[f], *(a for a in HEADER_ALIASES[f] if a != FIELD_LABELS[f])),
                      required=f in REQUIRED_FIELDS) for f in FIELD_LABELS]


def _template_sheet(path: Path) -> str | None:
    if path.suffix.lower() not in RESULTS_SUFFIXES:
        return None
    try:
        from python_calamine import CalamineWorkbook

        return TEMPLATE_SHEET if TEMPLATE_SHEET in CalamineWorkbook.from_path(str(path)).sheet_names else None
    except Exception:  # noqa: BLE001 - read_table reports the unreadable file itself
        return None


def _read_table(table, depts: DepartmentIndex, task: Task, path: Path) -> tuple[list[ResultRow], list[Problem]]:
    rows: list[ResultRow] = []
    problems: list[Problem] = []
    labels = {f: (table.header_of(f) if f in table.columns else FIELD_LABELS[f]) for f in FIELD_LABELS}
    file_dept = depts.from_filename(path)
    where = {"shown": table.display, "sheet": table.sheet, "labels": labels}
    if "department" not in table.columns and file_dept is None:
        problems.append(Problem(reason="找不到「检查部门」列，文件名中也没有可识别的部门名称",
                                file=table.display, sheet=table.sheet, row=table.header_row, code="unreadable"))
        return rows, problems
    numbers = {norm_number(task.number), norm_number(task.id)}
    index = table.columns
    for chunk, row_numbers in table.chunks():
        for values, row_no in zip(chunk, row_numbers):
            cells = {f: (values[c] if c < len(values) else None) for f, c in index.items()}
            row, found = _read_row(cells, row_no, depts, file_dept, numbers, task, where)
            problems.extend(found)
            if row is not None:
                rows.append(row)
    return rows, problems


_ENTRY_FIELDS = ("result", "subcodes", "follow_up", "inspected", "entered")


def _read_row(cells: dict, row_no: int, depts: DepartmentIndex, file_dept: str | None, numbers: set[str],
              task: Task, where: dict):
    shown, sheet, labels = where["shown"], where["sheet"], where["labels"]

    def problem(f: str, reason: str, value=None, code: str = "invalid") -> Problem:
        return Problem(reason=reason, file=shown, sheet=sheet, row=row_no, column=labels[f],
                       value=None if value in (None, "") else norm_text(value), code=code)

    if not any(cell_parts(cells.get(f)) for f in _ENTRY_FIELDS):
        return None, []  # an untouched template row (or a blank / note row)
    found: list[Problem] = []
    unreadable: set[str] = set()
    raw_code = cells.get("credit_code")
    code = norm_code(raw_code)
    if number_cell_reason(raw_code):
        found.append(problem("credit_code", number_cell_reason(raw_code), raw_code))
        unreadable.add("credit_code")
    elif not code:
        found.append(problem("credit_code", "未填写统一社会信用代码"))
        unreadable.add("credit_code")
    dept_cell = cells.get("department")
    dept = depts.lookup(dept_cell) if norm_text(dept_cell) else file_dept
    if dept is None:
        if norm_text(dept_cell):
            found.append(problem("department", "检查部门不是计划中的部门", dept_cell))
        else:
            found.append(problem("department", "未填写检查部门"))
        unreadable.add("department")
        dept = norm_text(dept_cell)
    number = norm_text(cells.get("task_number"))
    if number and norm_number(number) not in numbers:
        found.append(problem("task_number", f"抽查任务编号与本任务（{task.number}）不符", number))
    dates: dict[str, date | None] = {}
    for f in ("inspected", "entered"):
        dates[f], why = parse_date(cells.get(f))
        if why:
            found.append(problem(f, f"{labels[f]}：{why}", cells.get(f), code="bad_date"))
            unreadable.add(f)
    codes = parse_codes(cells.get("result"), RESULT_CODES)
    follow = "、".join(cell_parts(cells.get("follow_up")))
    row = ResultRow(
        credit_code=code, department=dept, result=codes[0] if codes else None,
        subcodes=parse_codes(cells.get("subcodes"), PROBLEM_SUBCODES), follow_up=follow or None,
        method=norm_text(cells.get("method")) or None, inspected=dates["inspected"],
        entered=dates["entered"], source=Source(shown, sheet, row_no), more_codes=codes[1:],
        name=norm_text(cells.get("name")), unreadable=frozenset(unreadable), columns=labels)
    return row, found


# -- the files of a task ------------------------------------------------------------------------


def results_dir(ws, task: Task) -> Path:
    """Where departments drop their filled workbooks: data/results/<task-id>/."""
    from ..core.workspace import safe_name

    return ws.root / "data" / "results" / safe_name(task.id)


def default_files(ws, task: Task) -> list[Path]:
    """Every results workbook in data/results/<task-id>/ (Excel's ~$ lock files skipped)."""
    folder = results_dir(ws, task)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.suffix.lower() in RESULTS_SUFFIXES and not p.name.startswith(("~$", ".")))


def require_files(files: Iterable[Path], ws, task: Task) -> list[Path]:
    files = [Path(f) for f in files]
    missing = [f for f in files if not f.is_file()]
    if missing:
        from ..core.errors import FileMissing

        raise FileMissing(f"找不到结果文件：{'、'.join(str(m) for m in missing)}",
                          hint="请检查文件路径；不写文件名时读取 data/results/<任务>/ 下的全部 xlsx。")
    if not files:
        files = default_files(ws, task)
    if not files:
        raise InputInvalid(f"没有可读取的结果文件：{ws.rel(results_dir(ws, task))}/ 下没有 xlsx 文件。",
                           hint="请把各部门填好的《结果录入》表放入该目录，或在命令行上列出文件。",
                           code="no_results")
    return files
