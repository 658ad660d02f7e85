"""Working-day deadlines of a plan's tasks, and their status on a given day.

Deadlines (the plan's `deadlines`, overridable per task; seed defaults in brackets):
    confirm    认领确认   each participating department: dispatch + confirm_wd [5]
    inspect    实施检查   each drawn entity x inspecting department: the window's end (a date)
    entry      结果录入   each entity x department: inspection date + entry_wd [7]
    publicity  结果公示   each entity: first inspection date + publicity_max_wd [20] (legal maximum)
    summary    总结报送   each participating department: window end + summary_wd [10]
"N working days after D" is WorkCalendar.add_workdays(D, N): the N-th working day after D.

Facts come from the ledger (dispatch, publications, `ssj mark` entries) and the departments'
results workbooks; facts.gather_facts reads them, everything here is pure (today is passed in),
and render.py turns a report into text, Markdown, CSV and JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..core.errors import ExitCode
from ..core.workdays import CalendarMissing, WorkCalendar
from ..plan.load import LoadedPlan
from ..plan.model import Plan, Task
from .facts import ResultFact, TaskFacts, gather_facts

# Kinds, in workflow order, with their Chinese names.
KINDS = {
    "confirm": "认领确认",
    "inspect": "实施检查",
    "entry": "结果录入",
    "publicity": "结果公示",
    "summary": "总结报送",
}
# Statuses, most urgent first, with their Chinese names.
OVERDUE = "overdue"
NO_CALENDAR = "calendar_missing"
DUE = "due"
PENDING = "pending"
LATE = "done_late"
DONE = "done"
STATUSES = {
    OVERDUE: "已逾期",
    NO_CALENDAR: "无法计算",
    DUE: "即将到期",
    PENDING: "未到期",
    LATE: "逾期完成",
    DONE: "按期完成",
}


@dataclass(frozen=True)
class DeadlineItem:
    task_id: str
    task_number: str
    kind: str  # a key of KINDS
    department: str | None  # department id (None for per-entity publicity)
    department_name: str
    credit_code: str | None
    start: date | None  # the fact the count starts from (dispatch, inspection, window end)
    workdays: int | None  # N of "N working days after start"; None for the inspection window
    deadline: date | None  # None when the calendar cannot say
    done: date | None
    status: str  # a key of STATUSES
    days: int | None  # working days: overdue by / left / late by (see `describe`)
    note: str = ""
    entity_name: str = ""

    def to_dict(self) -> dict:
        return {
            "task": self.task_id, "task_number": self.task_number,
            "kind": self.kind, "kind_name": KINDS[self.kind],
            "department": self.department, "department_name": self.department_name,
            "credit_code": self.credit_code, "entity_name": self.entity_name,
            "start": _iso(self.start), "workdays": self.workdays, "deadline": _iso(self.deadline),
            "done": _iso(self.done), "status": self.status, "status_name": STATUSES[self.status],
            "days": self.days, "note": self.note,
        }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


# --------------------------------------------------------------------------------------------
# Status of one deadline


def classify(cal: WorkCalendar, deadline: date, done: date | None, today: date,
             within: int) -> tuple[str, int]:
    """(status, working days). Done on the deadline day is on time.

    done:      DONE (0) or LATE (working days after the deadline, 0 if done on a day off just after)
    not done:  OVERDUE (working days since the deadline) when today > deadline; else DUE when at
               most `within` working days are left (0 = due today), else PENDING (days left).
    """
    if done is not None:
        if done <= deadline:
            return DONE, 0
        return LATE, cal.workdays_between(deadline, done)
    if today > deadline:
        return OVERDUE, cal.workdays_between(deadline, today)
    left = cal.workdays_between(today, deadline)
    return (DUE if left <= within else PENDING), left


# --------------------------------------------------------------------------------------------
# The items of one task


def inspecting_departments(plan: Plan, task: Task) -> list[str]:
    """Departments that check at least one of the task's items, in participant order."""
    owners = {plan.item(i).department for i in task.items}
    return [d for d in task.participants if d in owners]


def _earliest(results: list[ResultFact]) -> dict[tuple[str, str], ResultFact]:
    """One fact per (entity, department): the earliest inspection (rows without a date last)."""
    out: dict[tuple[str, str], ResultFact] = {}
    for r in results:
        key = (r.credit_code, r.department)
        cur = out.get(key)
        if cur is None or (r.inspected and (cur.inspected is None or r.inspected < cur.inspected)):
            out[key] = r
    return out


class _Builder:
    """Collects a task's items; a deadline the calendar cannot compute becomes NO_CALENDAR."""

    def __init__(self, plan: Plan, task: Task, cal: WorkCalendar, today: date, within: int):
        self.plan, self.task, self.cal, self.today, self.within = plan, task, cal, today, within
        self.items: list[DeadlineItem] = []
        self.names: dict[str, str] = {}
        self.missing: dict[int, CalendarMissing] = {}

    def add(self, kind: str, department: str | None, code: str | None, start: date | None,
            n: int | None, done: date | None, fixed: date | None = None, note: str = "") -> None:
        name = self.plan.department(department).name if department else ""
        try:
            deadline = fixed if fixed is not None else self.cal.add_workdays(start, n)
            status, days = classify(self.cal, deadline, done, self.today, self.within)
        except CalendarMissing as e:
            self.missing[e.year] = e
            deadline, status, days = None, NO_CALENDAR, None
            note = (note + "；" if note else "") + f"缺少 {e.year} 年日历：请添加 {e.shown}"
        self.items.append(DeadlineItem(self.task.id, self.task.number, kind, department, name, code,
                                       start, n, deadline, done, status, days, note,
                                       self.names.get(code, "") if code else ""))


def task_items(plan: Plan, task: Task, facts: TaskFacts, cal: WorkCalendar, today: date,
               within: int) -> tuple[list[DeadlineItem], dict[int, CalendarMissing]]:
    """Every deadline of a dispatched task; nothing before dispatch (there is nothing to track)."""
    if facts.dispatched is None:
        return [], {}
    dl = plan.deadlines_for(task)
    b = _Builder(plan, task, cal, today, within)
    b.names = facts.names
    for dept in task.participants:
        b.add("confirm", dept, None, facts.dispatched, dl.confirm_wd, facts.confirmed.get(dept))
    by_key = _earliest(facts.results)
    depts = inspecting_departments(plan, task)
    for code in facts.entities:
        first_inspection: date | None = None
        for dept in depts:
            fact = by_key.get((code, dept))
            if fact is None or fact.inspected is None:
                note = "结果表中有该行但没有检查日期" if fact is not None else ""
                b.add("inspect", dept, code, None, None, None, fixed=task.window.end, note=note)
                continue
            b.add("entry", dept, code, fact.inspected, dl.entry_wd, fact.entered)
            if first_inspection is None or fact.inspected < first_inspection:
                first_inspection = fact.inspected
        if first_inspection is not None:
            b.add("publicity", None, code, first_inspection, dl.publicity_max_wd,
                  facts.published.get(code))
    for dept in task.participants:
        b.add("summary", dept, None, task.window.end, dl.summary_wd, facts.summaries.get(dept))
    return b.items, b.missing


# --------------------------------------------------------------------------------------------
# The report


@dataclass
class Report:
    today: date
    within: int
    items: list[DeadlineItem]
    missing: dict[int, CalendarMissing]  # year -> error, for years a deadline needed
    undispatched: list[Task]  # tasks whose draw date has passed but that have no dispatch yet
    warnings: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for i in self.items if i.status == status)

    def counts(self) -> dict[str, int]:
        return {s: self.count(s) for s in STATUSES}

    def attention(self) -> list[DeadlineItem]:
        """What a clerk must look at: overdue, due soon, and deadlines that could not be computed."""
        return [i for i in self.items if i.status in (OVERDUE, DUE, NO_CALENDAR)]

    def exit_code(self) -> ExitCode:
        """OVERDUE (9) if anything is overdue; else CALENDAR_MISSING (8) if a deadline could not
        be computed (the report is incomplete); else OK."""
        if self.count(OVERDUE):
            return ExitCode.OVERDUE
        if self.missing:
            return ExitCode.CALENDAR_MISSING
        return ExitCode.OK


_STATUS_ORDER = {s: i for i, s in enumerate(STATUSES)}
_KIND_ORDER = {k: i for i, k in enumerate(KINDS)}


def build_report(plan: Plan, facts: dict[str, TaskFacts], cal: WorkCalendar, today: date,
                 within: int = 3) -> Report:
    items: list[DeadlineItem] = []
    missing: dict[int, CalendarMissing] = {}
    undispatched = []
    for task in plan.tasks:
        f = (facts.get(task.id) or TaskFacts(task.id)).as_of(today)
        if f.dispatched is None:
            if task.draw_date <= today:
                undispatched.append(task)
            continue
        task_list, task_missing = task_items(plan, task, f, cal, today, within)
        items.extend(task_list)
        missing.update(task_missing)
    items.sort(key=lambda i: (_STATUS_ORDER[i.status], i.deadline or date.max, i.task_id,
                              _KIND_ORDER[i.kind], i.department or "", i.credit_code or ""))
    report = Report(today, within, items, missing, undispatched)
    for year, err in sorted(missing.items()):
        report.warnings.append(err.message.split("\n", 1)[0])
    nag = cal.next_year_warning(today)
    if nag and not any(nag == w for w in report.warnings):
        report.warnings.append(nag)
    return report


# --------------------------------------------------------------------------------------------
# Reading the facts (ledger + results workbooks)


def load_report(ws, lp: LoadedPlan, cal: WorkCalendar, today: date, within: int = 3) -> Report:
    facts, warnings = {}, []
    for task in lp.plan.tasks:
        facts[task.id], w = gather_facts(ws, lp, task)
        warnings.extend(w)
    report = build_report(lp.plan, facts, cal, today, within)
    report.warnings = warnings + report.warnings
    return report


# --------------------------------------------------------------------------------------------
# Renderings (text lines; CSV and Markdown as strings)


