"""`ssj match` in a workspace: gather the frozen inputs, check them, match, write, record.

Inputs come from what the freeze and the draw fixed, never from a fresh reading that could
have changed since: the selected targets (draw manifest + substitutions in the ledger) with
their details from the frozen pool_details file, the eligible officers from officer_pool.json,
and the officer roster, neighbouring-area rosters and conflicts file, which must still have the
SHA-256 the commitment recorded (otherwise: refused). Officers of the entity's last inspection
come from the match manifests of other tasks in the ledger.

Outputs in out/<task>/match/ (match-redo-2/, … for a redo), built in a staged folder:
    manifest.json, 派发单-全部.xlsx, 派发单-<部门名>.xlsx, 结果录入-<部门名>.xlsx
then a `match` ledger entry (last). Everything before the write is checked first, so a refusal
or an infeasible task writes nothing.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..core.clock import cn_time
from ..core.errors import StateError
from ..core.progress import report
from ..core.workspace import Workspace
from ..plan.load import LoadedPlan
from ..plan.model import Task
from .outputs import build_manifest, summary, write_outputs
from .prepare import MANIFEST, _usage, prepare
from .teams import match, workload_notes

# --------------------------------------------------------------------------- preparing


# --------------------------------------------------------------------------- the match

def run_match(ws: Workspace, lp: LoadedPlan, task: Task, seed: str, *, now: datetime,
              seed_source: str | None = None, redo: bool = False, reason: str | None = None,
              direct_reason: str | None = None, weak_seed_reason: str | None = None, progress=None) -> dict:
    """The whole `ssj match` of one task. The caller holds the workspace lock."""
    from ..draw.seeds import enforce_seed, workspace_seeds
    from ..core.clock import stamp
    from ..core.state import TaskState
    from ..core.workdays import WorkCalendar

    if redo and not (reason and reason.strip()):
        raise _usage("重新匹配必须用 --reason 说明理由。")
    if reason and not redo:
        raise _usage("--reason 只用于重新匹配，须与 --redo 一起使用。")
    previous = [e for e in TaskState(ws, task.id).entries if e["kind"] == "match"]
    if previous and not redo:
        raise StateError(f"任务 {task.id} 已于 {cn_time(previous[-1]['time'])} 匹配派发（{previous[-1]['data']['manifest']}），"
                         "不能再次匹配。",
                         hint="如确需重新匹配（如抽取重做、人员变动），加 --redo --reason 理由；原派发单保留备查。")
    seen = [] if previous else _interrupted_matches(ws, task.id, seed)
    if seen and not redo:
        raise StateError(f"任务 {task.id} 有一次中断的匹配（{seen[-1][0]}，种子「{seen[-1][1]}」），其派发结果可能已被看到，"
                         "不能悄悄换用另一个种子。",
                         hint="用同一种子重新运行（同一抽取、同一种子，结果相同）；确需换种子，加 --redo --reason 理由"
                              "（记入台账，核验时列为发现）。")
    if redo and not previous and not seen:
        raise StateError(f"任务 {task.id} 还没有匹配过，无需 --redo。", hint="去掉 --redo 和 --reason 重新运行。")
    prep = prepare(ws, lp, task, seed, direct_reason=direct_reason, progress=progress)
    seed_warnings, weak = enforce_seed(seed, workspace_seeds(ws), trial=False, weak_reason=weak_seed_reason)
    warnings = seed_warnings + list(prep.warnings)
    if not seed_source:
        warnings.append("未用 --seed-source 说明种子如何产生（如“5 人现场第二次掷骰”），复核者无从查证。")
    report(progress, "匹配", 0, 1)
    result = match(prep.inp)
    report(progress, "匹配", 1, 1)
    warnings += result.warnings
    if direct_reason and not any(f["kind"] == "direct_appointment" for f in result.fallbacks):
        warnings.append("各部门人员充足，未使用直接委派；--direct-reason 未被使用。")
    confirm_wd = lp.plan.deadlines_for(task).confirm_wd
    deadline = WorkCalendar(ws.calendar_dir).add_workdays(now.date(), confirm_wd)
    n = len(previous) + 1
    folder = ws.task_dir(task.id) / ("match" if n == 1 else f"match-redo-{n}")
    dispatched = stamp(now)
    manifest_rel = ws.rel(folder / MANIFEST)
    manifest = build_manifest(prep, result, seed=seed, seed_source=seed_source, dispatched=dispatched,
                              deadline=deadline, confirm_wd=confirm_wd, match_no=n, redo=redo,
                              reason=reason, supersedes=previous[-1]["data"]["manifest"] if previous else
                              (f"{seen[-1][0]}/{MANIFEST}" if seen else None))
    manifest["weak_seed"] = weak
    notes = workload_notes(result, prep.rules)
    files = write_outputs(prep, result, manifest, folder, manifest_rel, notes, warnings, progress)
    data = {"manifest": manifest_rel, "manifest_sha256": files[manifest_rel], "dispatched": dispatched,
            "redo": bool(redo), "reason": reason if redo else None, "seed": seed,
            **({"weak_seed": weak} if weak else {}), **({"supersedes": manifest["supersedes"]} if redo else {}),
            "fallbacks": [{k: f[k] for k in ("kind", "department", "reason") if k in f} | {"targets": len(f["targets"])}
                          for f in result.fallbacks]}
    entry = ws.ledger().append("match", task=task.id, time=dispatched, data=data, files=files)
    return summary(prep, result, manifest, files, entry["seq"], notes, warnings)


def _interrupted_matches(ws: Workspace, task_id: str, seed: str) -> list[tuple[str, str]]:
    """(folder, seed) of matches of the task on the draw in force that were interrupted after their
    folder was in place (moved to .interrupted/, never recorded) and used another seed."""
    import json

    from ..core.state import TaskState
    from ..draw.seeds import seed_key

    draw = TaskState(ws, task_id).official_draw
    out = []
    for path in sorted((ws.task_dir(task_id) / ".interrupted").glob(f"*/{MANIFEST}")):
        try:
            m = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if (m.get("kind") == "match" and draw is not None and (m.get("draw") or {}).get("manifest") == draw["data"]["manifest"]
                and isinstance(m.get("seed"), str) and seed_key(m["seed"]) != seed_key(seed)):
            out.append((ws.rel(path.parent), m["seed"]))
    return out


def match_from_plan(plan_path: Path, task_key: str, seed: str, *, now: datetime, **kw) -> dict:
    from ..core.workspace import find_workspace
    from ..plan.load import load_plan

    lp = load_plan(plan_path)
    task = lp.plan.task(task_key)
    ws = find_workspace(lp.path)
    with ws.lock():
        return run_match(ws, lp, task, seed, now=now, **kw)
