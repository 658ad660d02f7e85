"""`ssj freeze`: fix, before any seed exists, who can be drawn for a task and how many.

The freeze applies the task's scope (定向 filters), registration state and exclusions (无事不扰:
entities drawn recently, by the ledger and by the roster's 上次检查日期; newly established ones),
splits the eligible entities into credit-risk strata, computes each stratum's take from the
plan's rule, and fixes the eligible officer pool of every participating department.

Outputs, in out/<task>/freeze/ (freeze-2/, … for a re-freeze):
    pool.csv            public: 分层, 统一社会信用代码, 企业名称 (stratum order, then code)
    pool_details.internal.tsv  INTERNAL, mode 0600, not for release: type, industry, address,
                        area, 法定代表人, 联系电话 of each pooled entity, so the draw workbook needs
                        no second pass over the roster
    officer_pool.json   INTERNAL, mode 0600: eligible officers per department (ids, names), the
                        ineligible with why
    commitment.json     hashes of the plan task, every roster and the files above; pool sizes and
                        takes and reserve counts per stratum; exclusion counts; time. Its full
                        SHA-256 is the commitment announced and verified; the first 16 hex digits,
                        grouped, are a short form that may be read aloud, never verified alone.
A `freeze` ledger entry records the commitment. The pure parts (`pool.build_pool`, `allocation.allocate`,
`officers.eligible_officers`) take plain records, so they are testable without files.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from pathlib import Path

from .. import __version__
from ..core.clock import cn_time
from ..core.errors import InputInvalid, StateError, VerifyFailed
from ..core.fileio import INTERNAL_MODE  # noqa: F401 - draw.run takes it from here
from ..core.fileio import mark_internal, sha256_bytes, sha256_file, staged_dir, write_bytes_atomic
from ..core.jsontext import json_text
from ..core.ledger import LEDGER_HEAD
from ..core.perf import gc_paused
from ..core.progress import report
from ..core.workspace import Workspace
from ..plan.load import LoadedPlan
from ..plan.model import Task
from .allocation import clamp_reserves
from .officers import officer_pool, officers_digest
from .pool import Drawn, build_pool, write_pool_files

SPEC_VERSION = "ssj-draw-v1"
COMMITMENT_VERSION = 1


# --------------------------------------------------------------------------- allocation


# --------------------------------------------------------------------------- strata


# --------------------------------------------------------------------------- officers


# --------------------------------------------------------------------------- files


DETAILS_NAME = "pool_details.internal.tsv"  # personal data: the name says so, mode 0600


def commitment_code(commitment_sha256: str) -> str:
    """The short form read aloud: the first 16 hex digits, upper case, in groups of 4. The
    commitment itself (announced, printed on every public file, verified) is the full SHA-256."""
    h = commitment_sha256[:16].upper()
    return "-".join(h[i:i + 4] for i in range(0, 16, 4))


# --------------------------------------------------------------------------- ledger facts

def drawn_history(ws: Workspace, *, except_task: str | None = None) -> dict[str, Drawn]:
    """Entities selected (after substitutions) by the official draw in force of every other task."""
    from ..core.state import TaskState

    tasks = []
    for e in ws.ledger().entries(kind="draw"):
        if e.get("task") not in tasks and e.get("task") != except_task:
            tasks.append(e.get("task"))
    drawn: dict[str, Drawn] = {}
    for task_id in tasks:
        state = TaskState(ws, task_id)
        entry = state.official_draw
        if entry is None:
            continue
        when = datetime.fromisoformat(entry["time"]).date()
        for sel in state.selected():
            prev = drawn.get(sel.credit_code)
            if prev is None or prev.when < when:
                drawn[sel.credit_code] = Drawn(when, task_id)
    return drawn



def load_commitment(ws: Workspace, task_id: str) -> dict:
    """The task's commitment in force (latest freeze), checked against its ledger hash.

    The returned dict is the commitment record plus "_path" (workspace-relative) and "_sha256".
    """
    from ..core.state import TaskState

    entry = TaskState(ws, task_id).latest_freeze
    if entry is None:
        raise StateError(f"任务 {task_id} 尚未固定名录（台账中没有 freeze 记录）。",
                         hint=f"先运行 ssj freeze --plan 计划文件 --task {task_id}，并公布承诺值。")
    rel = entry["data"]["commitment"]
    path = ws.resolve(rel)
    if not path.is_file():
        raise VerifyFailed(f"承诺文件不存在：{rel}", hint="固定名录的输出被移动或删除；请从备份恢复。")
    digest = sha256_file(path)
    if digest != entry["data"]["commitment_sha256"]:
        raise VerifyFailed(f"承诺文件 {rel} 与台账记录的哈希不一致（文件在固定后被修改）。",
                           hint="请从备份恢复该文件；不要手工编辑固定名录的输出。")
    record = json.loads(path.read_text(encoding="utf-8"))
    record["_path"] = rel
    record["_sha256"] = digest
    return record


# --------------------------------------------------------------------------- the freeze

def _target_rejections(rosters) -> list:
    """Rejected (severity "error") rows of the target roster."""
    return list(rosters.errors("targets"))


def freeze_task(ws: Workspace, lp: LoadedPlan, task: Task, rosters, *, now: datetime,
                reason: str | None = None, allow_rejected: bool = False, reserves: int | None = None,
                progress=None) -> dict:
    """Freeze `task` from loaded `rosters` (see rosters.Rosters). Caller holds the workspace lock.

    Returns what the CLI shows: strata summaries, the commitment code and the files written.
    """
    from ..core.clock import stamp
    from ..core.state import TaskState

    state = TaskState(ws, task.id)
    reason = reason.strip() if reason else None
    if state.freezes and not reason:
        raise StateError(f"任务 {task.id} 已于 {cn_time(state.latest_freeze['time'])} 固定过名录（承诺码 "
                         f"{state.latest_freeze['data'].get('code')}）。",
                         hint="如需重新固定（例如修正名录后），请加 --reason 说明理由；"
                              "新的承诺值需要重新公布。")
    if reserves is not None and reserves < 0:
        from ..core.errors import ExitCode, SsjError

        raise SsjError("--reserves 不能为负数。", exit_code=ExitCode.USAGE, code="usage")
    after_draw = state.official_draw
    rejected = _target_rejections(rosters)
    if rejected and not allow_rejected:
        raise InputInvalid(f"检查对象名录有 {len(rejected)} 行被拒绝，不能固定名录。",
                           hint="先运行 ssj check 并修正这些行；如确认按现状固定，加 --allow-rejected，"
                                "被拒绝的行会列入承诺记录。",
                           problems=rejected)
    report(progress, "读取台账", 0, 1)
    drawn = drawn_history(ws, except_task=task.id)
    report(progress, "筛选抽取范围", 0, 1)
    result = build_pool(lp.plan, task, rosters.targets, special_lists=rosters.special_lists, drawn=drawn)
    strata = result.strata
    report(progress, "筛选抽取范围", 1, 1)
    _refuse_empty(task, strata, result.out_of_scope)
    officers = officer_pool(lp.plan, task, rosters.inspectors, getattr(rosters, "neighbours", None))
    officers_bytes = json_text(officers).encode("utf-8")

    n = len(state.freezes) + 1
    target = ws.task_dir(task.id) / ("freeze" if n == 1 else f"freeze-{n}")
    frozen_at = stamp(now)
    with staged_dir(target) as tmp:
        rel = {name: ws.rel(target / name) for name in
               ("pool.csv", DETAILS_NAME, "officer_pool.json", "commitment.json")}
        summaries = []
        for s in strata:
            summary = s.summary(task.sampling.rounding)
            summary["reserves"] = clamp_reserves(reserves, s.take, len(s.pool)) if s.drawable else 0
            summaries.append(summary)
        # Streamed in chunks, hashed while written: the pool never exists whole as bytes.
        pool_sha, details_sha = write_pool_files(strata, tmp / "pool.csv", tmp / DETAILS_NAME)
        mark_internal(tmp / DETAILS_NAME)
        commitment = {
            "kind": "commitment",
            "version": COMMITMENT_VERSION,
            "spec": SPEC_VERSION,
            "tool": f"ssj {__version__}",
            "task": task.id,
            "task_number": task.number,
            "task_name": task.name,
            "frozen_at": frozen_at,
            "freeze_no": n,
            "reason": reason,
            "after_draw": after_draw["data"]["manifest"] if after_draw else None,
            "plan": {"path": ws.rel(lp.path), "sha256": lp.sha256, "task_digest": lp.plan.task_digest(task),
                     "digest_version": 2},
            "officers_digest": officers_digest(rosters.inspectors, getattr(rosters, "neighbours", None)),
            "rosters": {role: {"path": ws.rel(p), "sha256": digest}
                        for role, (p, digest) in sorted(rosters.files.items())},
            "pool_file": rel["pool.csv"],
            "pool_sha256": pool_sha,
            "pool_details": {"path": rel[DETAILS_NAME], "sha256": details_sha, "internal": True},
            "officer_pool": {"path": rel["officer_pool.json"], "sha256": sha256_bytes(officers_bytes)},
            "draw_date": task.draw_date.isoformat(),
            "exclusions": task.exclusions.model_dump(mode="json"),
            "scope": task.scope.model_dump(mode="json"),
            "out_of_scope": result.out_of_scope,
            "reserves_option": reserves,
            "strata": summaries,
            "officers": {d: len(v["eligible"]) for d, v in officers["departments"].items()},
            "rejected_rows": [{"file": Path(p.file).name if p.file else None, "sheet": p.sheet,
                               "row": p.row, "column": p.column, "reason": p.reason}
                              for p in rejected],
        }
        commitment_bytes = json_text(commitment).encode("utf-8")
        ws.ledger().write_head(tmp)
        head_sha = sha256_file(tmp / LEDGER_HEAD)
        write_bytes_atomic(tmp / "officer_pool.json", officers_bytes)
        mark_internal(tmp / "officer_pool.json")  # officer names and 执法证号
        write_bytes_atomic(tmp / "commitment.json", commitment_bytes)
    commitment_sha = sha256_bytes(commitment_bytes)
    code = commitment_code(commitment_sha)
    files = {rel["pool.csv"]: commitment["pool_sha256"],
             rel[DETAILS_NAME]: commitment["pool_details"]["sha256"],
             rel["officer_pool.json"]: commitment["officer_pool"]["sha256"],
             rel["commitment.json"]: commitment_sha, ws.rel(target / LEDGER_HEAD): head_sha}
    data = {"commitment": rel["commitment.json"], "commitment_sha256": commitment_sha, "code": code}
    if reason:
        data["reason"] = reason
    if after_draw:
        data["after_draw"] = after_draw["data"]["manifest"]
    entry = ws.ledger().append("freeze", task=task.id, time=frozen_at, data=data, files=files)
    return {
        "task": task.id, "task_number": task.number, "task_name": task.name,
        "freeze_no": n, "frozen_at": frozen_at, "code": code, "commitment_sha256": commitment_sha,
        "commitment": rel["commitment.json"], "pool_file": rel["pool.csv"],
        "pool_sha256": commitment["pool_sha256"], "out_of_scope": result.out_of_scope,
        "strata": commitment["strata"], "officers": commitment["officers"],
        "officer_ineligible": {d: dict(Counter(x["kind"] for x in v["ineligible"]))
                               for d, v in officers["departments"].items()},
        "rejected_rows": len(rejected), "excluded_examples": result.excluded_examples,
        "ledger_seq": entry["seq"], "files": sorted(files),
        "after_draw": data.get("after_draw"),
    }


def _refuse_empty(task: Task, strata, out_of_scope: int) -> None:
    """A freeze that would draw nothing is a mistake (a renamed risk column, a too narrow scope,
    every entity excluded), never a result: refuse it, saying why."""
    if sum(s.take for s in strata if s.drawable) > 0:
        return
    why = []
    in_roster = sum(s.in_roster for s in strata)
    if out_of_scope and not in_roster:
        why.append(f"名录中 {out_of_scope} 户全部不在本任务的定向范围内")
    for s in strata:
        if not s.drawable:
            if s.in_roster:
                why.append(f"{s.in_roster} 户的信用风险类别在本任务中没有抽取规则")
            continue
        if s.in_roster and not s.pool:
            reasons = "、".join(f"{r} {n} 户" for r, n in s.excluded.items() if n)
            why.append(f"分层「{s.name}」名录内 {s.in_roster} 户全部被排除（{reasons}）")
        elif s.pool and not s.take:
            why.append(f"分层「{s.name}」可抽取 {len(s.pool)} 户，但按规则抽取数为 0")
    if not why:
        why.append("检查对象名录中没有符合本任务的对象")
    raise InputInvalid(f"任务 {task.id} 按现有名录和规则一户也抽不到，不能固定名录：" + "；".join(why) + "。",
                       hint="先运行 ssj check 看名录的列是否被识别（如信用风险分类、属地监管所），"
                            "再核对本任务的定向范围、排除规则和抽取比例。")


def freeze_from_plan(plan_path: Path, task_key: str, *, now: datetime, reason: str | None = None,
                     allow_rejected: bool = False, reserves: int | None = None, progress=None) -> dict:
    """The whole `ssj freeze`: load plan and rosters, lock the workspace, freeze, record."""
    from ..core.workspace import find_workspace
    from ..intake.rosters import load_rosters
    from ..plan.load import load_plan

    lp = load_plan(plan_path)
    task = lp.plan.task(task_key)
    ws = find_workspace(lp.path)
    with gc_paused():
        rosters = load_rosters(lp, progress=progress)
        with ws.lock():
            return freeze_task(ws, lp, task, rosters, now=now, reason=reason,
                               allow_rejected=allow_rejected, reserves=reserves, progress=progress)


