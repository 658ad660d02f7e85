"""The figures behind each unit's 总结材料: per task and department, and plan-wide.

Per task and department: drawn (the targets dispatched to it), inspected (a result entered),
not yet inspected, results by code, problem rate (rows with A or E over rows inspected),
follow-ups by kind, entries made late (录入日期 after "entry_wd working days after the
inspection", per `WorkCalendar.is_late`). Plan-wide: the share of joint tasks among the tasks
actually carried out (dispatched by `ssj match`), with the plan's share beside it; and per
credit-risk class the coverage of the non-directed tasks' draws, each measured against the pool
committed at its own draw (the draw manifest's stratum pool sizes, not today's roster), next to
the ratio the plan's non-directed tasks set for that class.

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
    population: int  # the class's pool at the latest non-directed draw (committed at the freeze)
    drawn: int  # entities drawn in this class by the non-directed tasks
    planned: float | None  # summed ratio of the plan's non-directed tasks for this class
    coverage: float | None = None  # sum over those draws of drawn / pool committed for that draw
    tasks: int = 0  # non-directed draws counted

    @property
    def reached(self) -> bool | None:
        if self.planned is None or self.coverage is None:
            return None
        return self.coverage >= self.planned - 1e-9

    def to_dict(self) -> dict:
        return {"risk": self.risk, "population": self.population, "drawn": self.drawn,
                "coverage": self.coverage, "planned": self.planned, "reached": self.reached, "tasks": self.tasks}


@dataclass
class Summary:
    today: date
    tasks: list[TaskFigures]
    joint_tasks: int  # joint tasks carried out (dispatched)
    total_tasks: int  # tasks carried out (dispatched)
    risk: list[RiskRow] | None  # None when no non-directed task has been drawn
    warnings: list[str] = field(default_factory=list)
    planned_joint: int = 0  # joint tasks in the plan
    planned_total: int = 0  # tasks in the plan
    office: str = ""
    year: int = 0

    @property
    def joint_share(self) -> float | None:
        return self.joint_tasks / self.total_tasks if self.total_tasks else None

    @property
    def planned_joint_share(self) -> float | None:
        return self.planned_joint / self.planned_total if self.planned_total else None

    def to_dict(self) -> dict:
        return {"today": self.today.isoformat(), "tasks": [t.to_dict() for t in self.tasks],
                "joint_tasks": self.joint_tasks, "total_tasks": self.total_tasks, "joint_share": self.joint_share,
                "planned_joint_tasks": self.planned_joint, "planned_total_tasks": self.planned_total,
                "planned_joint_share": self.planned_joint_share,
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


def risk_coverage(plan: Plan, draws: list[tuple[Task, list[dict]]]) -> tuple[list[RiskRow], list[str]]:
    """Per risk class, the non-directed draws against the pools committed for them.

    `draws`: (task, the official draw manifest's strata) in plan order. A stratum named after a
    risk class counts for that class (selected / pool_size of that very draw); a non-directed
    task not stratified by risk class is named in the notes and not counted (never guessed).
    """
    planned = planned_ratios(plan)
    rows = {c: RiskRow(c, 0, 0, planned.get(c)) for c in plan.risk_classes}
    notes = []
    for task, strata in draws:
        if task.scope.directed:
            continue
        other = [s["name"] for s in strata if s["name"] not in rows]
        if other:
            notes.append(f"任务 {task.id} 的抽取分层（{'、'.join(other)}）不是信用风险分类，未计入风险分类覆盖率。")
        for s in strata:
            row = rows.get(s["name"])
            if row is None or not s.get("pool_size"):
                continue
            row.population = int(s["pool_size"])
            row.drawn += len(s["selected"])
            row.coverage = (row.coverage or 0.0) + len(s["selected"]) / int(s["pool_size"])
            row.tasks += 1
    return list(rows.values()), notes


# -- gathering from the workspace ---------------------------------------------------------------


def build_summary(ws, lp: LoadedPlan, tasks: list[Task], today: date, cal, *, progress=None) -> Summary:
    from ..core.progress import report
    from ..core.state import TaskState
    from .intake import default_files, read_results
    from .publication import refuse_future_today
    from .validate import load_expected, validate

    refuse_future_today(today, "汇总")

    plan = lp.plan
    out: list[TaskFigures] = []
    draws: list[tuple[Task, list[dict]]] = []
    carried_out: list[Task] = []
    warnings: list[str] = []
    for i, t in enumerate(plan.tasks):
        state = TaskState(ws, t.id)
        selected = [s.credit_code for s in state.selected()]
        if state.official_draw is not None:
            draws.append((t, state.load_json(state.official_draw["data"]["manifest"])["strata"]))
        if state.match is not None:
            carried_out.append(t)
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
    risk, notes = risk_coverage(plan, draws)
    warnings += notes
    if not any(r.tasks for r in risk):
        risk = None
    return Summary(today, out, sum(1 for t in carried_out if t.joint), len(carried_out), risk, warnings,
                   planned_joint=sum(1 for t in plan.tasks if t.joint), planned_total=len(plan.tasks),
                   office=plan.office, year=plan.year)
