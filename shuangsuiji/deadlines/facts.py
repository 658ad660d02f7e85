"""What has happened for a task, from the workspace: dispatch, results entered per department and
entity (from the filled templates), publications, and the marks a clerk recorded (a department
confirmed; the summary arrived). The report (report.py) compares these facts with deadlines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..core.clock import TZ
from ..plan.load import LoadedPlan
from ..plan.model import Task

MARK_CONFIRMED = "confirmed"


MARK_SUMMARY = "summary_received"


@dataclass(frozen=True)
class ResultFact:
    """One department's result for one entity, as far as dates go."""

    credit_code: str
    department: str
    inspected: date | None
    entered: date | None


@dataclass
class TaskFacts:
    """What is known about a task on the day of the report."""

    task_id: str
    dispatched: date | None = None
    entities: list[str] = field(default_factory=list)  # drawn targets in force (after substitutions)
    results: list[ResultFact] = field(default_factory=list)
    published: dict[str, date] = field(default_factory=dict)  # credit code -> first publication
    confirmed: dict[str, date] = field(default_factory=dict)  # department -> date (ssj mark)
    summaries: dict[str, date] = field(default_factory=dict)  # department -> date (ssj mark)
    names: dict[str, str] = field(default_factory=dict)  # credit code -> 企业名称 (display only)

    def as_of(self, day: date) -> TaskFacts:
        """The facts as they stood on `day`: anything dated later has not happened yet, so a
        report for a past day (--today) shows what was due and late then."""
        if self.dispatched is None or self.dispatched > day:
            return TaskFacts(self.task_id)

        def upto(d: date | None) -> date | None:
            return d if d is not None and d <= day else None

        results = []
        for r in self.results:
            inspected = upto(r.inspected)
            results.append(ResultFact(r.credit_code, r.department, inspected,
                                      upto(r.entered) if inspected else None))
        return TaskFacts(
            self.task_id, self.dispatched, list(self.entities), results,
            {k: v for k, v in self.published.items() if v <= day},
            {k: v for k, v in self.confirmed.items() if v <= day},
            {k: v for k, v in self.summaries.items() if v <= day},
            dict(self.names),
        )


def entry_date(stamp: str) -> date:
    """A ledger time ('2026-06-01T09:30:00+08:00') as a date in Asia/Shanghai."""
    moment = datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TZ)
    return moment.astimezone(TZ).date()


def _published_codes(state, entry: dict, entities: list[str]) -> set[str]:
    """Entities a publish entry covers: the manifest's `published` list of credit codes (or
    `entities` / `records` of dicts with `credit_code`); a non-partial publication without such
    a list covers every drawn entity."""
    try:
        manifest = state.load_json(entry["data"]["manifest"])
    except (OSError, KeyError, ValueError):
        manifest = {}
    for key in ("published", "entities", "records"):
        value = manifest.get(key) if isinstance(manifest, dict) else None
        if isinstance(value, list):
            codes = {v if isinstance(v, str) else v.get("credit_code") for v in value
                     if isinstance(v, (str, dict))}
            return {c for c in codes if c}
    return set() if entry["data"].get("partial") else set(entities)


def results_files(ws, task_id: str) -> list[Path]:
    """The results tables `ssj publish` would read for the task (xlsx, xls, csv: publish.intake)."""
    from ..core.workspace import safe_name
    from ..publish.intake import RESULTS_SUFFIXES

    folder = ws.root / "data" / "results" / safe_name(task_id)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.suffix.lower() in RESULTS_SUFFIXES and not p.name.startswith(("~$", ".")))


def read_result_facts(ws, lp: LoadedPlan, task: Task) -> tuple[list[ResultFact], dict[str, str], list[str]]:
    """(facts, credit code -> name as the departments wrote it, warnings)."""
    files = results_files(ws, task.id)
    if not files:
        return [], {}, []
    try:
        from ..publish.intake import read_results
    except ImportError:
        return [], {}, [f"任务 {task.id}：有 {len(files)} 个结果表，但结果读取模块尚不可用，检查与录入日期未计入。"]
    rows, problems = read_results(files, lp, task)
    warnings = []
    errors = [p for p in problems if getattr(p, "severity", "error") == "error"]
    if errors:
        warnings.append(f"任务 {task.id}：结果表有 {len(errors)} 处错误（运行 ssj publish 查看详情），"
                        "出错的行未计入期限。")
    facts = [ResultFact(r.credit_code, r.department, r.inspected, r.entered) for r in rows]
    names = {r.credit_code: r.name for r in reversed(rows) if getattr(r, "name", "")}
    return facts, names, warnings


def gather_facts(ws, lp: LoadedPlan, task: Task) -> tuple[TaskFacts, list[str]]:
    """A task's facts from the ledger and the results folder."""
    from ..core.state import TaskState

    state = TaskState(ws, task.id)
    facts = TaskFacts(task.id)
    match = state.match
    if match is not None:
        facts.dispatched = entry_date(match["data"].get("dispatched") or match["time"])
    if state.official_draw is not None:
        facts.entities = [s.credit_code for s in state.selected()]
    for e in state.marks:
        data = e["data"]
        target = {MARK_CONFIRMED: facts.confirmed, MARK_SUMMARY: facts.summaries}.get(data.get("what"))
        if target is not None:
            target[data["department"]] = date.fromisoformat(data["date"])  # the latest mark wins
    for e in state.publications:
        when = entry_date(e["time"])
        for code in _published_codes(state, e, facts.entities):
            facts.published.setdefault(code, when)
    facts.results, facts.names, warnings = read_result_facts(ws, lp, task)
    return facts, warnings
