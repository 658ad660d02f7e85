"""The figures behind each unit's 总结材料: per task and department, and plan-wide.

Per task and department: drawn (the targets dispatched to it), inspected (a result entered),
not yet inspected, results by code, problem rate (rows with A or E over rows inspected),
follow-ups by kind, entries made late (录入日期 after "entry_wd working days after the
inspection", per `WorkCalendar.is_late`). Plan-wide: the share of joint tasks (联合抽查占比)
and, per credit-risk class, the entities drawn in any task against the drawable entities of the
target roster, next to the ratio the plan's non-directed tasks set for that class.

`task_figures` and `risk_coverage` are pure; `build_summary` gathers the facts from the
workspace (ledger, match manifests, results folders, target roster).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from ..core.errors import SsjError
from ..core.resultcodes import PROBLEM_CODES, RESULT_CODES
from ..plan.load import LoadedPlan
from ..plan.model import Plan, Task
from .validate import Expected

UNCLASSIFIED = "未分类"


@dataclass
class DeptFigures:
    department: str
    name: str
    drawn: int = 0
    inspected: int = 0
    by_code: Counter = field(default_factory=Counter)
    follow_ups: Counter = field(default_factory=Counter)
    with_problem: int = 0
    late: int = 0
    no_entry_date: int = 0
    late_unknown: int = 0  # no calendar data for the year
    errors: int = 0  # rows of this department with validation errors

    @property
    def not_inspected(self) -> int:
        return self.drawn - self.inspected

    @property
    def problem_rate(self) -> float | None:
        return self.with_problem / self.inspected if self.inspected else None

    def to_dict(self) -> dict:
        return {"department": self.department, "name": self.name, "drawn": self.drawn,
                "inspected": self.inspected, "not_inspected": self.not_inspected,
                "by_code": dict(self.by_code), "problem_rate": self.problem_rate,
                "follow_ups": dict(self.follow_ups), "late": self.late, "no_entry_date": self.no_entry_date,
                "late_unknown": self.late_unknown, "errors": self.errors}


@dataclass
class TaskFigures:
    task: Task
    status: str  # 未抽取 / 已抽取未派发 / 已派发 / 已公示（第n版）
    entities: int = 0
    complete: int = 0  # entities every department has entered
    departments: list[DeptFigures] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"task": self.task.id, "number": self.task.number, "name": self.task.name,
                "joint": self.task.joint, "status": self.status, "entities": self.entities,
                "complete": self.complete, "departments": [d.to_dict() for d in self.departments],
                "notes": self.notes}


@dataclass
class RiskRow:
    risk: str
    population: int  # drawable entities of the roster in this class
    drawn: int  # distinct entities drawn in any task
    planned: float | None  # ratio of the plan's non-directed tasks for this class

    @property
    def coverage(self) -> float | None:
        return self.drawn / self.population if self.population else None

    def to_dict(self) -> dict:
        return {"risk": self.risk, "population": self.population, "drawn": self.drawn,
                "coverage": self.coverage, "planned": self.planned}


@dataclass
class Summary:
    today: date
    tasks: list[TaskFigures]
    joint_tasks: int
    total_tasks: int
    risk: list[RiskRow] | None  # None when the roster could not be read
    warnings: list[str] = field(default_factory=list)

    @property
    def joint_share(self) -> float | None:
        return self.joint_tasks / self.total_tasks if self.total_tasks else None

    def to_dict(self) -> dict:
        return {"today": self.today.isoformat(), "tasks": [t.to_dict() for t in self.tasks],
                "joint_tasks": self.joint_tasks, "total_tasks": self.total_tasks, "joint_share": self.joint_share,
                "risk": None if self.risk is None else [r.to_dict() for r in self.risk]}


# -- pure figures -------------------------------------------------------------------------------


def task_figures(task: Task, expected: Expected, rows: list, problems: list, cal, entry_wd: int,
                 status: str = "") -> TaskFigures:
    """Figures of one task from its expected pairs and result rows (the first row per pair counts)."""
    figs = {d: DeptFigures(d, expected.dept_name(d)) for d in task.participants}
    for code, dept in expected.pairs():
        figs.setdefault(dept, DeptFigures(dept, expected.dept_name(dept))).drawn += 1
    wanted = set(expected.pairs())
    first: dict[tuple[str, str], object] = {}
    for r in rows:
        if r.codes and r.key() in wanted and r.key() not in first:
            first[r.key()] = r
    bad_rows = {(p.file, p.sheet, p.row) for p in problems if p.severity == "error" and p.row is not None}
    for r in rows:
        if (r.source.file, r.source.sheet, r.source.row) in bad_rows and r.department in figs:
            figs[r.department].errors += 1
    missing_years: set[int] = set()
    for (code, dept), r in first.items():
        _count(figs[dept], r, cal, entry_wd, missing_years)
    out = TaskFigures(task, status, entities=len(expected.departments), departments=list(figs.values()))
    out.complete = sum(1 for c, ds in expected.departments.items() if all((c, d) in first for d in ds))
    out.notes = [f"{y} 年没有工作日数据，该年的录入是否逾期无法判断。" for y in sorted(missing_years)]
    return out


def _count(f: DeptFigures, r, cal, entry_wd: int, missing_years: set[int]) -> None:
    f.inspected += 1
    f.by_code.update(c for c in r.codes if c in RESULT_CODES)
    if any(c in PROBLEM_CODES for c in r.codes):
        f.with_problem += 1
    if r.follow_up:
        f.follow_ups.update(r.follow_up.split("、"))
    if r.entered is None or r.inspected is None:
        f.no_entry_date += r.entered is None
        return
    try:
        f.late += cal.is_late(r.inspected, r.entered, entry_wd)
    except SsjError as e:  # CalendarMissing: never guess a year
        f.late_unknown += 1
        missing_years.add(getattr(e, "year", r.entered.year))


def planned_ratios(plan: Plan) -> dict[str, float]:
    """Per risk class, the summed ratio of the plan's non-directed tasks (the whole registry)."""
    out: dict[str, float] = {}
    for t in plan.tasks:
        if t.scope.directed:
            continue
        for risk in plan.risk_classes:
            rule = t.sampling.strata.get(risk) or t.sampling.default
            if rule is not None and rule.ratio is not None:
                out[risk] = out.get(risk, 0.0) + rule.ratio
    return out


def risk_coverage(plan: Plan, targets: list, drawn: set[str]) -> list[RiskRow]:
    """Drawn against drawable entities per class, in the plan's class order (then 未分类)."""
    population: Counter = Counter()
    risk_of = {}
    for t in targets:
        risk_of[t.credit_code] = t.risk or UNCLASSIFIED
        if t.drawable:
            population[t.risk or UNCLASSIFIED] += 1
    hits = Counter(risk_of.get(c, UNCLASSIFIED) for c in drawn)
    planned = planned_ratios(plan)
    classes = list(plan.risk_classes) + ([UNCLASSIFIED] if population[UNCLASSIFIED] or hits[UNCLASSIFIED] else [])
    return [RiskRow(c, population[c], hits[c], planned.get(c)) for c in classes]


# -- gathering from the workspace ---------------------------------------------------------------


def build_summary(ws, lp: LoadedPlan, tasks: list[Task], today: date, cal, *, progress=None) -> Summary:
    from ..core.progress import report
    from ..core.state import TaskState
    from .intake import default_files, read_results
    from .validate import load_expected, validate

    plan = lp.plan
    out: list[TaskFigures] = []
    drawn: set[str] = set()
    warnings: list[str] = []
    for i, t in enumerate(plan.tasks):
        state = TaskState(ws, t.id)
        selected = [s.credit_code for s in state.selected()]
        drawn.update(selected)
        if t not in tasks:
            continue
        report(progress, "汇总任务", i, len(plan.tasks))
        if state.official_draw is None:
            out.append(TaskFigures(t, "未抽取"))
            continue
        if state.match is None:
            exp = Expected({c: tuple(t.participants) for c in selected},
                           dept_names={d.id: d.name for d in plan.departments})
            status = "已抽取，未派发"
        else:
            exp = load_expected(ws, lp, t)
            status = "已派发"
        pubs = state.publications
        if pubs:
            status = f"已公示（第{pubs[-1]['data']['version']}版" + ("，部分" if pubs[-1]["data"].get("partial") else "") + "）"
        rows, problems = read_results(default_files(ws, t), lp, t)
        problems = problems + validate(rows, exp, t, today)
        figs = task_figures(t, exp, rows, problems, cal, plan.deadlines_for(t).entry_wd, status)
        figs.notes = exp.notes + figs.notes
        warnings += [f"{t.id}：{n}" for n in figs.notes]
        out.append(figs)
    risk = _risk(lp, drawn, warnings)
    joint = sum(1 for t in plan.tasks if t.joint)
    return Summary(today, out, joint, len(plan.tasks), risk, warnings)


def _risk(lp: LoadedPlan, drawn: set[str], warnings: list[str]) -> list[RiskRow] | None:
    try:
        from ..intake.rosters import load_rosters

        targets = load_rosters(lp).targets
    except SsjError as e:
        warnings.append(f"检查对象名录无法读取，未计算风险分类覆盖率：{e.message}")
        return None
    return risk_coverage(lp.plan, targets, drawn)
