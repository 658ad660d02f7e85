"""Roster intake: every file the plan references → typed records plus every problem found.

`load_rosters(lp)` reads the target roster (检查对象名录库), the inspector roster (执法检查人员名录库),
the conflicts file (回避名单), the special lists (专项库) and the neighbouring areas' officer
rosters. A file that cannot be used at all raises `InputInvalid` / `FileMissing` (every such file
listed); rows that are rejected (severity "error") or suspicious ("warning") are kept as
`Problem`s with file, sheet, row and column. Deciding what a rejected row means for a draw is
the caller's business (freeze refuses them unless told otherwise).

Default header names per field are in `DEFAULT_COLUMNS`; the plan's `rosters.columns` adds names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from ..core.errors import InputInvalid, Problem, SsjError
from ..core.fileio import sha256_file
from ..core.perf import gc_paused
from ..core.progress import report
from ..plan.load import LoadedPlan
from . import cells
from .cells import Chunk
from .codes import check_code, check_column, normalise_code, problem_code
from .inspectors import (INSPECTOR_COLUMNS, InspectorIntake, inspector_roles, merge_intakes, neighbour_roles,
                         read_inspectors)
from .records import Conflict, Inspector, RosterReport, Source, Target
from .tables import FieldSpec, display_path, read_table
from .targets import TARGET_COLUMNS, read_targets
from .targettable import TargetTable

CONFLICT_COLUMNS: dict[str, tuple[str, ...]] = {
    "inspector_id": ("执法证号", "工号", "执法人员证号", "人员编号", "执法证号/工号"),
    "inspector_name": ("姓名", "执法人员", "执法人员姓名"),
    "credit_code": TARGET_COLUMNS["credit_code"],
    "entity_name": ("企业名称", "主体名称", "名称"),
    "reason": ("回避原因", "原因", "利害关系", "回避事由", "说明"),
}
DEFAULT_COLUMNS = {"targets": TARGET_COLUMNS, "inspectors": INSPECTOR_COLUMNS, "conflicts": CONFLICT_COLUMNS}


@dataclass
class Rosters:
    targets: list[Target] | TargetTable = field(default_factory=list)  # accepted, duplicates collapsed,
    # sorted by code; a TargetTable (a read-only sequence of Target over Arrow columns) for a large CSV
    inspectors: list[Inspector] = field(default_factory=list)  # accepted rows, roster order
    conflicts: list[Conflict] = field(default_factory=list)
    special_lists: dict[str, set[str]] = field(default_factory=dict)  # list name -> credit codes
    neighbours: dict[str, list[Inspector]] = field(default_factory=dict)  # department id -> officers
    reports: list[RosterReport] = field(default_factory=list)  # one per file read
    problems: list[Problem] = field(default_factory=list)  # every rejected or suspicious row
    files: dict[str, tuple[Path, str]] = field(default_factory=dict)  # role -> (path, sha256)
    unusable: list[Problem] = field(default_factory=list)  # file-level failures (collect mode only)
    failures: list[SsjError] = field(default_factory=list, repr=False)  # the errors behind `unusable`
    by_role: dict[str, RosterReport] = field(default_factory=dict)  # role -> its report

    def errors(self, role: str | None = None) -> list[Problem]:
        """Rejected rows (severity error), of one role's file or of all files."""
        if role is None:
            return [p for p in self.problems if p.severity == "error"]
        rep = self.by_role.get(role)
        return [p for p in rep.problems if p.severity == "error"] if rep else []


def load_rosters(lp: LoadedPlan, *, progress=None) -> Rosters:
    """Read every roster the plan references; raise if any file cannot be used."""
    rosters = collect_rosters(lp, progress=progress)
    if len(rosters.failures) == 1:
        raise rosters.failures[0]
    if rosters.failures:
        lines = "；".join(f"（{i}）{e.message}" for i, e in enumerate(rosters.failures, 1))
        hints = "；".join(dict.fromkeys(e.hint for e in rosters.failures if e.hint))
        raise InputInvalid(f"有 {len(rosters.failures)} 个名录文件无法使用：{lines}", hint=hints or None,
                           problems=rosters.unusable)
    return rosters


def collect_rosters(lp: LoadedPlan, *, progress=None) -> Rosters:
    """Like load_rosters, but a file that cannot be used is recorded in `unusable` (and `problems`)."""
    with gc_paused():
        return _collect(lp, progress)


def _collect(lp: LoadedPlan, progress) -> Rosters:
    plan = lp.plan
    out = Rosters()
    out.problems += _column_keys(lp)
    spec = plan.rosters.target_file()
    targets = _guard(out, "targets", lp.resolve(spec.path),
                     lambda p: read_targets(p, plan, progress=progress, spec=spec))
    if targets:
        out.targets = targets.targets
    officers = _read_officers(out, lp, inspector_roles(plan))
    if officers:
        out.inspectors = officers.inspectors
    report(progress, "读取名录", 2, 4)
    for d in plan.departments:
        if d.neighbour_inspectors:
            intake = _read_officers(out, lp, neighbour_roles(plan, d.id), d.id)
            out.neighbours[d.id] = intake.inspectors if intake else []
    # None when the target roster could not be read: then "not in the roster" is not reported.
    needed = plan.rosters.conflicts or plan.rosters.special_lists
    codes = _codes(out.targets) if targets and needed else None if not targets else set()
    if plan.rosters.conflicts:
        path = lp.resolve(plan.rosters.conflicts)
        found = _guard(out, "conflicts", path, lambda p: read_conflicts(p, lp, officers, codes))
        out.conflicts = found[0] if found else []
    for name, rel in plan.rosters.special_lists.items():
        found = _guard(out, f"special:{name}", lp.resolve(rel), lambda p: read_special_list(p, codes))
        out.special_lists[name] = found[0] if found else set()
    report(progress, "读取名录", 4, 4)
    return out


def _codes(targets) -> set[str]:
    return targets.codes() if isinstance(targets, TargetTable) else set(map(attrgetter("credit_code"), targets))


def _read_officers(out: Rosters, lp: LoadedPlan, roles: dict, department: str | None = None):
    """Every file of one officer roster (one per department, or one), merged; None if any is unusable."""
    intakes = [_guard(out, role, lp.resolve(f.path),
                      lambda p, f=f: read_inspectors(p, lp.plan, department=department, spec=f))
               for role, f in roles.items()]
    found = [x for x in intakes if x is not None]
    if not found:
        return None
    merged = merge_intakes(found)
    if len(found) > 1:
        out.problems += merged.problems  # cross-file duplicates (each file's own are in already)
    return merged


def _guard(out: Rosters, role: str, path: Path, read):
    """Run one file's reader; record its report, problems and hash, or its file-level failure."""
    try:
        result = read(path)
    except SsjError as e:
        problems = e.problems or [Problem(reason=e.message, file=display_path(path))]
        out.failures.append(e)
        out.unusable += problems
        out.problems += problems
        rep = RosterReport(display_path(path), None, problems=list(problems))
        out.reports.append(rep)
        out.by_role[role] = rep
        if path.is_file():
            out.files[role] = (path, sha256_file(path))
        return None
    rep = result.report if hasattr(result, "report") else result[1]
    out.reports.append(rep)
    out.by_role[role] = rep
    out.problems += rep.problems
    out.files[role] = (path, sha256_file(path))
    return result


def _column_keys(lp: LoadedPlan) -> list[Problem]:
    """Unknown field names under rosters.columns are plan errors (a typo would be ignored otherwise)."""
    problems = []
    for role, known in DEFAULT_COLUMNS.items():
        for name in getattr(lp.plan.rosters.columns, role):
            if name not in known:
                problems.append(Problem(
                    reason=f"rosters.columns.{role} 中的字段「{name}」未知；可用字段：{'、'.join(known)}",
                    file=display_path(lp.path), column=f"rosters.columns.{role}.{name}", code="plan_invalid"))
    files = [("targets", "rosters.targets", lp.plan.rosters.target_file())]
    files += [("inspectors", f"rosters.inspectors（{f.path}）", f) for f in lp.plan.rosters.inspector_files()]
    files += [("inspectors", f"departments.{d.id}.neighbour_inspectors（{f.path}）", f)
              for d in lp.plan.departments for f in d.neighbour_files()]
    for role, where, f in files:
        known = DEFAULT_COLUMNS[role]
        for kind, names in (("columns", f.columns), ("values", f.values)):
            for name in names:
                if name not in known:
                    problems.append(Problem(
                        reason=f"{where} 的 {kind} 中的字段「{name}」未知；可用字段：{'、'.join(known)}",
                        file=display_path(lp.path), column=f"{where}.{kind}.{name}", code="plan_invalid"))
    return problems


# -- 回避名单 --------------------------------------------------------------------------------------
def read_conflicts(path: Path, lp: LoadedPlan, officers: InspectorIntake | None,
                   codes: set[str] | None) -> tuple[list[Conflict], RosterReport]:
    extra = lp.plan.rosters.columns.conflicts
    fields = [FieldSpec(n, tuple(extra.get(n, ())) + a, n in ("inspector_id", "credit_code"))
              for n, a in CONFLICT_COLUMNS.items()]
    table = read_table(path, fields, plan_key="conflicts")
    by_id = {o.id: o for o in officers.inspectors} if officers else {}
    aliases = officers.aliases if officers else {}
    problems: list[Problem] = []
    out: list[Conflict] = []
    rows_read = 0
    for rows, numbers in table.chunks():
        chunk = Chunk(table, rows, numbers, problems)
        out += _conflicts_of(chunk, by_id, aliases, codes)
        rows_read += len(rows)
    rep = RosterReport(table.display, table.sheet, rows_read=rows_read, accepted=len(out), problems=problems,
                       column_map={k: table.headers[i] for k, i in table.columns.items()})
    return out, rep


def _conflicts_of(chunk: Chunk, by_id: dict, aliases: dict, codes: set[str] | None) -> list[Conflict]:
    raw_codes = chunk.raw("credit_code")
    norm, reasons = check_column(raw_codes)
    ids = ["".join(x.split()).upper() for x in chunk.texts("inspector_id")]
    names, why = chunk.texts("inspector_name"), chunk.texts("reason")
    out = []
    for i, (code, reason) in enumerate(zip(norm, reasons)):
        officer_id = aliases.get(ids[i], ids[i])
        if reason:
            chunk.report(i, "credit_code", raw_codes[i], reason + "；该回避关系无法使用", code=problem_code(reason))
        if not officer_id:
            chunk.report(i, "inspector_id", "", "执法证号/工号为空；该回避关系无法使用")
        if i in chunk.rejected:
            continue
        _conflict_warnings(chunk, i, officer_id, by_id.get(officer_id), (names[i], why[i]), codes is None or code in codes, code)
        out.append(Conflict(officer_id, code, why[i], Source(chunk.table.display, chunk.table.sheet, chunk.numbers[i])))
    return out


def _conflict_warnings(chunk: Chunk, i: int, officer_id: str, officer, texts: tuple[str, str], known: bool,
                       code: str) -> None:
    name, reason = texts
    if officer is None:
        chunk.report(i, "inspector_id", officer_id, "执法人员名录中没有该执法证号/工号，此回避关系不会起作用",
                     severity="warning", code="conflict_unknown_officer")
    elif name and cells.key(name) != cells.key(officer.name):
        chunk.report(i, "inspector_name", name, f"姓名与执法人员名录不一致（名录中为「{officer.name}」），请核对",
                     severity="warning", code="conflict_name_mismatch")
    if not known:
        chunk.report(i, "credit_code", code, "检查对象名录中没有该代码，此回避关系不会起作用",
                     severity="warning", code="conflict_unknown_target")
    if not reason:
        chunk.report(i, "reason", "", "未填写回避原因", severity="warning", code="conflict_no_reason")


# -- 专项库 ----------------------------------------------------------------------------------------
def read_special_list(path: Path, codes: set[str] | None) -> tuple[set[str], RosterReport]:
    """A CSV/xlsx of credit codes (with a code header, or one headerless column of codes)."""
    fields = [FieldSpec("credit_code", TARGET_COLUMNS["credit_code"], True),
              FieldSpec("name", TARGET_COLUMNS["name"])]
    table = read_table(path, fields, plan_key="targets",
                       headerless=lambda v: check_code(normalise_code(v)) is None)
    problems: list[Problem] = []
    found: set[str] = set()
    rows_read = 0
    for rows, numbers in table.chunks():
        chunk = Chunk(table, rows, numbers, problems)
        raw = chunk.raw("credit_code")
        norm, reasons = check_column(raw)
        for i, (code, reason) in enumerate(zip(norm, reasons)):
            if reason:
                chunk.report(i, "credit_code", raw[i], reason, code=problem_code(reason))
            elif codes is not None and code not in codes:
                chunk.report(i, "credit_code", code, "检查对象名录中没有该代码（或该行被拒收），不会被抽到",
                             severity="warning", code="special_unknown_target")
            else:
                found.add(code)
        rows_read += len(rows)
    rep = RosterReport(table.display, table.sheet, rows_read=rows_read, accepted=len(found), problems=problems,
                       column_map={k: table.headers[i] for k, i in table.columns.items()})
    return found, rep
