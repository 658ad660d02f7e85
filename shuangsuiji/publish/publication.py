"""一公开: turn checked results into the public record, one line per entity per task.

Pure part (record.py: `assess`, `merged_result`, `public_record`, `compare`): which entities are
complete and valid, and what the public sees for each. Edge part (`publish`): reads the workspace state,
writes `out/<T>/publish/v<n>/` with `staged_dir` under the workspace lock, and appends the
`publish` ledger entry last.

Public columns (国家企业信用信息公示系统 / 信用中国; record.PUBLIC_HEADERS): 序号, 统一社会信用代码/注册号,
企业名称, 检查实施机关, 类型, 日期, 结果, 抽查任务编号, 抽查任务名称. Nothing else: no officer, no
personal data.

Merging the departments that inspected one entity:
- 检查实施机关: the names of the departments, in the task's order (initiator first), joined 、.
- 类型: always 抽查 (the publicity system's vocabulary is 抽查 / 检查; a joint task shows as
  several 检查实施机关, not as another type).
- 日期: the latest inspection date of the departments (written 2026年06月06日, or ISO by the plan's
  publicity.dates).
- 结果: every code any department entered, in the code list's order, written out in
  Chinese and joined ；. A's problem types follow A. 未发现问题 is left out when another
  department found a problem (A, E or 8): the entity as a whole was not found clean.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..core.clock import cn_time
from ..core.errors import ExitCode, InputInvalid, Problem, SsjError, StateError
from ..core.perf import gc_paused
from ..plan.load import LoadedPlan
from ..plan.model import Task
from . import files as publishfiles
from .record import MANIFEST_NAME, Assessment, Published, assess, compare, public_records

ENCODINGS = {"utf-8-sig": "utf-8-sig", "utf8-sig": "utf-8-sig", "gb18030": "gb18030"}


# -- what the public sees -----------------------------------------------------------------------


# -- which entities are ready -------------------------------------------------------------------


# -- the publication ----------------------------------------------------------------------------


@dataclass
class Options:
    partial: bool = False
    encoding: str = "utf-8-sig"
    correction: bool = False
    reason: str | None = None


def check_options(opts: Options) -> str:
    enc = ENCODINGS.get((opts.encoding or "").lower().replace("_", "-"))
    if enc is None:
        raise SsjError(f"不支持的编码：{opts.encoding}", hint="--encoding 可选 utf-8-sig（默认）或 gb18030。",
                       exit_code=ExitCode.USAGE, code="usage")
    if opts.correction and not (opts.reason or "").strip():
        raise SsjError("更正发布须用 --reason 说明更正原因。", hint="例如：--correction --reason \"卫健局更正检查日期\"",
                       exit_code=ExitCode.USAGE, code="usage")
    return enc


def publish(ws, lp: LoadedPlan, task: Task, files: list[Path], *, today: date, now: datetime,
            opts: Options, progress=None) -> Published:
    """Validate the results and write the next publication version (see the module docstring)."""
    from ..core.clock import stamp
    from ..core.progress import report
    from ..core.state import TaskState
    from .intake import read_results, require_files
    from .validate import load_expected, validate

    encoding = check_options(opts)
    refuse_future_today(today)
    with ws.lock(), gc_paused():  # a million result rows are millions of small objects (core.perf)
        expected = load_expected(ws, lp, task)
        files = require_files(files, ws, task)
        report(progress, "读取结果表", 0, len(files))
        rows, problems = read_results(files, lp, task)
        report(progress, "读取结果表", len(files), len(files))
        problems = problems + _one_date_problem(validate(rows, expected, task, today), _before_dispatch(ws, task, rows))
        found = assess(rows, problems, expected)
        _refuse_if_invalid(found, opts.partial, task)
        records = public_records(task, expected, found.ready)
        state = TaskState(ws, task.id)
        version, previous, changes, reason = _next_version(state, records, opts, task)
        folder = ws.task_dir(task.id) / "publish" / f"v{version}"
        if folder.exists():
            raise StateError(f"输出目录 {ws.rel(folder)} 已存在，但台账中没有对应的发布记录（可能上次发布中断）。",
                             hint="请核对该目录后将其移出 publish/，再重新发布。")
        pub = Published(version, folder, records, found, changes, opts.partial and bool(found.withheld), reason)
        pub.notes = expected.notes
        ctx = publishfiles.Context(ws, lp, task, expected, rows, files, today, stamp(now), encoding, previous)
        publishfiles.write_version(pub, ctx)
        manifest_rel = ws.rel(folder / MANIFEST_NAME)
        ws.ledger().append("publish", task=task.id, time=stamp(now), files=pub.files,
                           data={"manifest": manifest_rel, "manifest_sha256": pub.files[manifest_rel],
                                 "version": version, "reason": reason, "partial": pub.partial})
    return pub


def refuse_future_today(today: date, act: str = "发布") -> None:
    """`--today` may move the day back (re-checking an old publication), never past the real date:
    a future "today" would let inspection dates that have not happened yet pass (publish, summary)."""
    from ..core.clock import today as real_today

    if today > real_today():
        raise SsjError(f"--today {today} 晚于实际的今天（{real_today()}），不能用将来的日期{act}。",
                       hint="去掉 --today，或给出不晚于今天的日期。", exit_code=ExitCode.USAGE, code="usage")


def _before_dispatch(ws, task: Task, rows: list) -> list[Problem]:
    """An inspection dated before the task was dispatched (ssj match) cannot belong to this task."""
    from ..core.state import TaskState
    from .validate import _at

    match = TaskState(ws, task.id).match
    if match is None or not match["data"].get("dispatched"):
        return []
    dispatched = datetime.fromisoformat(match["data"]["dispatched"]).date()
    return [_at(row, "inspected", f"检查日期 {row.inspected} 早于本任务的派发日期（{dispatched}），不可能是本任务的检查",
                code="date_before_dispatch")
            for row in rows if row.inspected is not None and row.inspected < dispatched]


def _one_date_problem(found: list[Problem], early: list[Problem]) -> list[Problem]:
    """A date before the dispatch is also outside the window: report it once, as the sharper of the
    two (it cannot be this task's inspection), so one bad cell counts as one error."""
    cells = {(p.file, p.sheet, p.row, p.column) for p in early}
    return [p for p in found if not (p.code == "date_outside" and (p.file, p.sheet, p.row, p.column) in cells)] + early


def _refuse_if_invalid(found: Assessment, partial: bool, task: Task) -> None:
    errors = found.errors
    if partial:
        if not found.ready:
            raise InputInvalid(f"任务 {task.id} 没有任何完整且无误的对象可以公示（共 {len(errors)} 处问题）。",
                               hint="请各部门补录或更正结果后重新发布。", problems=errors)
        return
    if errors:
        missing = sum(1 for p in errors if p.code == "missing")
        raise InputInvalid(
            f"结果有 {len(errors) - missing} 处错误、{missing} 项未录入，未发布任何内容。",
            hint="请按所列位置更正结果表后重新运行；如需先公示已完整无误的对象，请加 --partial。",
            problems=errors)


def _next_version(state, records: list[dict], opts: Options, task: Task):
    """(version, previous publication or None, changes, reason) — or a refusal."""
    pubs = state.publications
    if not pubs:
        if opts.correction:
            raise StateError(f"任务 {task.id} 尚未发布过结果，无需更正。", hint="去掉 --correction 后重新运行。")
        return 1, None, compare([], records), (opts.reason or "").strip() or "首次公示"
    last = pubs[-1]
    version = int(last["data"]["version"]) + 1
    before = state.load_json(last["data"]["manifest"]).get("records", [])
    changes = compare(before, records)
    shown = f"第{version - 1}版（{cn_time(last['time'])}）"
    if not any(changes.values()):
        raise StateError(f"任务 {task.id} 的结果与已发布的{shown}完全相同，不再重复发布。",
                         hint=f"已发布的版本见 {last['data']['manifest'].rsplit('/', 1)[0]}/；无需再次操作。")
    if (changes["changed"] or changes["withdrawn"]) and not opts.correction:
        raise StateError(
            f"任务 {task.id} 的结果已于{shown}发布，本次会改动 {len(changes['changed'])} 户、"
            f"撤回 {len(changes['withdrawn'])} 户已公示的记录。已发布的版本不会被覆盖。",
            hint="如确需更正，请加 --correction --reason \"更正原因\"，将作为新版本发布并记入台账。",
            problems=[Problem(reason=f"已公示记录将被{kind}：{c}", code=key)
                      for kind, key in (("改动", "changed"), ("撤回", "withdrawn")) for c in changes[key]])
    reason = (opts.reason or "").strip()
    if not reason:
        reason = f"补充公示：新增 {len(changes['added'])} 户"
    return version, last, changes, reason
