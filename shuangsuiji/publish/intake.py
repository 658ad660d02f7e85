"""Results intake (检查结果): read the filled results-entry workbooks and check them.

Two steps, both without I/O side effects beyond reading the given files:

- `read_results(files, lp, task)` reads what the departments entered into their copies of the
  template `ssj match` wrote (`resultcodes.TEMPLATE_HEADERS`), tolerating a department that
  re-typed it: header aliases (信用代码, 结果, 处置, 检查完成日期 …), title rows above the header,
  blank rows, several sheets, the dropdown label ("A 发现问题待后续处理"), a bare code ("A") or
  the text alone ("发现问题待后续处理"), and the 检查部门 cell as a department name or id.
- The platform's own results export (统一代码/注册号, 检查结果, 后续处置措施, 检查执行部门, 检查日期 …),
  with the plan's `results:` settings: `columns` (field -> header names), `values` (cell text ->
  department id, result code, follow-up category, method) and `sheet`. Combined result cells
  and the platform's disposal phrases are read by `cells.CellReader`; the text as entered is
  kept on the row (`result_text`, `follow_up_text`) for the office copy.
  Cells that cannot be read at all (a date that is not a date, a department the plan does not
  know) are reported here; the row is kept with the field listed in `unreadable`. The rows of
  a sheet are read per column, each distinct cell once (`columns.read_chunk`).
- `validate(rows, expected, task, today)` (in `validate.py`) applies the
  rules: drawn or not, codes, follow-ups, dates, duplicates, missing results.

A result row whose result, dates, problem types and follow-up are all blank is an untouched
template row: it is not returned (that target simply has no result yet).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from ..core.errors import InputInvalid, Problem
from ..core.resultcodes import TEMPLATE_SHEET
from ..plan.load import LoadedPlan
from ..plan.model import Task
from .cells import CellReader, norm_number, norm_text, parse_codes  # noqa: F401 - norm_number, parse_codes re-exported
from .columns import read_chunk
from .rows import FIELD_LABELS, HEADER_ALIASES, REQUIRED_FIELDS, ResultRow  # noqa: F401 - re-exported

RESULTS_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")  # the platform exports .xls; .csv as a last resort

# -- departments --------------------------------------------------------------------------------


class DepartmentIndex:
    """Maps a 检查部门 cell (id or name, any width or spacing) to a plan department id.

    The plan's `results.values.department` is tried first: a platform writes the division that
    inspected (消保分局, 文新所 …), which the plan maps to a department id (or name)."""

    def __init__(self, lp: LoadedPlan):
        self.names = {d.id: d.name for d in lp.plan.departments}
        by_name = {d.name: d.id for d in lp.plan.departments}
        self._mapped = {re.sub(r"\s+", "", norm_text(k)): by_name.get(v, v)
                        for k, v in lp.plan.results.values.get("department", {}).items()}
        self._names = {d.id: re.sub(r"\s+", "", norm_text(d.name)) for d in lp.plan.departments}
        self._exact: dict[str, str] = {}
        for d in lp.plan.departments:
            for key in (d.id, d.id.upper(), d.name):
                self._exact[re.sub(r"\s+", "", norm_text(key))] = d.id

    def lookup(self, cell) -> str | None:
        text = re.sub(r"\s+", "", norm_text(cell))
        if not text:
            return None
        found = self._mapped.get(text) or self._exact.get(text) or self._exact.get(text.upper())
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
    how = Reading(lp, task)
    rows: list[ResultRow] = []
    problems: list[Problem] = []
    for path in files:
        r, p = read_results_file(Path(path), how)
        rows.extend(r)
        problems.extend(p)
    return rows, problems


class Reading:
    """What reading a task's results needs from the plan: departments, `results:` settings."""

    def __init__(self, lp: LoadedPlan, task: Task):
        settings = lp.plan.results
        self.task = task
        self.depts = DepartmentIndex(lp)
        self.cells = CellReader(settings.values)
        self.sheet = settings.sheet
        self.specs = field_specs(settings.columns)
        self.numbers = {norm_number(task.number), norm_number(task.id)}


def read_results_file(path: Path, how: Reading) -> tuple[list[ResultRow], list[Problem]]:
    """One workbook: its 「检查结果录入」 sheet if it has one, else the plan's `results.sheet` if it
    has that, else its first visible sheet."""
    from ..core.errors import SsjError
    from ..intake.tables import display_path, read_table

    shown = display_path(path)
    try:
        table = read_table(path, how.specs, sheet=_sheet(path, how.sheet), plan_key="results")
    except SsjError as e:
        found = e.problems or [Problem(reason=e.message, file=shown)]
        for p in found:
            p.code = "unreadable"
        return [], found
    return _read_table(table, how, path)


def field_specs(columns: dict[str, list[str]] | None = None):
    """Header names per field: the plan's `results.columns` first, then the built-in ones."""
    from ..intake.tables import FieldSpec

    columns = columns or {}
    specs = []
    for f in FIELD_LABELS:
        names = [*columns.get(f, ()), FIELD_LABELS[f], *HEADER_ALIASES[f]]
        specs.append(FieldSpec(f, tuple(dict.fromkeys(names)), required=f in REQUIRED_FIELDS))
    return specs


def _sheet(path: Path, planned: str | None) -> str | None:
    if path.suffix.lower() == ".csv":
        return None
    try:
        from python_calamine import CalamineWorkbook

        names = CalamineWorkbook.from_path(str(path)).sheet_names
    except Exception:  # noqa: BLE001 - read_table reports the unreadable file itself
        return planned
    return next((s for s in (TEMPLATE_SHEET, planned) if s and s in names), planned if planned else None)


def _read_table(table, how: Reading, path: Path) -> tuple[list[ResultRow], list[Problem]]:
    rows: list[ResultRow] = []
    problems: list[Problem] = []
    labels = {f: (table.header_of(f) if f in table.columns else FIELD_LABELS[f]) for f in FIELD_LABELS}
    file_dept = how.depts.from_filename(path)
    where = {"shown": table.display, "sheet": table.sheet, "labels": labels, "file_dept": file_dept}
    if "department" not in table.columns and file_dept is None:
        problems.append(Problem(reason="找不到「检查部门」列，文件名中也没有可识别的部门名称"
                                       "（表头不同时可在计划文件 results.columns.department 中写明）",
                                file=table.display, sheet=table.sheet, row=table.header_row, code="unreadable"))
        return rows, problems
    where["index"] = table.columns
    for chunk, row_numbers in table.chunks():
        r, p = read_chunk(chunk, row_numbers, how, where)
        rows.extend(r)
        problems.extend(p)
    return rows, problems


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
                          hint="请检查文件路径；不写文件名时读取 data/results/<任务>/ 下的全部结果表（xlsx、xls、csv）。")
    if not files:
        files = default_files(ws, task)
    if not files:
        raise InputInvalid(f"没有可读取的结果文件：{ws.rel(results_dir(ws, task))}/ 下没有结果表（xlsx、xls、csv）。",
                           hint="请把各部门填好的《结果录入》表放入该目录，或在命令行上列出文件。",
                           code="no_results")
    return files
