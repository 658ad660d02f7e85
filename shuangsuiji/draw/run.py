"""`ssj draw`: the first 随机, recomputable by anyone (substitution: substitute.py).

A draw reads only the freeze's files (never the roster again): it checks that the commitment,
the pool file, the plan task and every roster are exactly as frozen, derives the sampler seed
from the public seed and the task number (sampler.sampler_seed), and per stratum takes the first
`take` ids of the consistent-sampling ticket order, then the next ones as reserves (候补).

Outputs, in out/<task>/draw/ (draw-redo-2/, … for a redo; trial-<time>/ for --dry-run):
    manifest.json     everything needed to recompute and check the draw (see docs/draw-spec.md)
    抽取结果.xlsx      for the office: selected and reserves with ticket and entity details
    公示名单.csv       public: task, stratum, code, name (UTF-8 BOM, formula-escaped)
An official draw appends a `draw` ledger entry; a trial writes files marked 试抽 only.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from .. import __version__
from ..core.clock import cn_time
from ..core.errors import ExitCode, InputInvalid, SsjError, StateError, VerifyFailed
from ..core.fileio import sha256_file, staged_dir, write_bytes_atomic, write_json_atomic
from ..core.perf import gc_paused
from ..core.progress import report
from ..core.workspace import Workspace
from ..plan.load import LoadedPlan
from ..plan.model import Task
from ..plan.numbers import number_key
from ..sheets.fastxlsx import write_xlsx_fast
from .allocation import default_reserves
from .freeze import INTERNAL_MODE, SPEC_VERSION, load_commitment
from .drawfiles import DETAIL_COLUMNS, REFERENCE, public_csv, workbook  # noqa: F401  (DETAIL_COLUMNS: bench)
from .history import HISTORY_CSV, PUBLIC_CSV, RESULT_XLSX, TRIAL_PREFIX, history_with_pending, interrupted_draws
from .partition import sample_in_chunks
from .poolread import read_details
from .poolscan import draw_pool_file
from .seeds import check_seed, derive_seed, enforce_seed, seed_key, seed_sha256, workspace_seeds


# --------------------------------------------------------------------------- pure parts

def draw_strata(pool: dict[str, list[str]], plan_strata: list[dict], seed: str) -> list[dict]:
    """Per frozen stratum: the first `take` ids of the ticket order, then the reserves.

    `plan_strata` are the commitment's stratum summaries (name, pool_size, take, reserves,
    drawable). The reserve count is the one fixed at freeze; a commitment written before it was
    fixed there (no "reserves") uses `default_reserves`.
    """
    out = []
    for s in plan_strata:
        if not s.get("drawable", True):
            continue
        ids = pool.get(s["name"], [])
        if len(ids) != s["pool_size"]:
            raise VerifyFailed(f"池文件中「{s['name']}」层有 {len(ids)} 户，承诺记录为 {s['pool_size']} 户。")
        take = s["take"]
        n_res = s["reserves"] if "reserves" in s else default_reserves(take, len(ids))
        tickets = sample_in_chunks(ids, seed, take + n_res) if take else []
        out.append({
            "name": s["name"],
            "pool_size": len(ids),
            "take": take,
            "selected": [t.id for t in tickets[:take]],
            "reserves": [t.id for t in tickets[take:]],
            "selected_tickets": [t.ticket for t in tickets[:take]],
            "reserve_tickets": [t.ticket for t in tickets[take:]],
        })
    return out


# --------------------------------------------------------------------------- checks


def inputs_changed(ws: Workspace, lp: LoadedPlan, task: Task, commitment: dict) -> list[str]:
    """What differs from the freeze: the plan task and each roster file (Chinese, one per item)."""
    changes = []
    if lp.plan.task_digest(task, version=commitment["plan"].get("digest_version", 1)) != commitment["plan"]["task_digest"]:
        changes.append(f"计划文件中任务 {task.id} 的设置（或其用到的事项、部门、规则）在固定名录后被修改")
    for role, rec in commitment["rosters"].items():
        path = ws.resolve(rec["path"])
        label = ROLE_TEXT.get(role.split(":")[0], role)
        if not path.is_file():
            changes.append(f"{label} {rec['path']} 已不存在")
        elif sha256_file(path) != rec["sha256"]:
            changes.append(f"{label} {rec['path']} 在固定名录后被修改")
    return changes


ROLE_TEXT = {"targets": "检查对象名录", "inspectors": "执法检查人员名录", "conflicts": "回避名单",
             "special": "专项库", "neighbour": "相邻地区执法人员名录"}


def _frozen_pool(ws: Workspace, commitment: dict) -> Path:
    path = ws.resolve(commitment["pool_file"])
    if not path.is_file():
        raise VerifyFailed(f"池文件不存在：{commitment['pool_file']}", hint="固定名录的输出被移动或删除；请从备份恢复。")
    if sha256_file(path) != commitment["pool_sha256"]:
        raise VerifyFailed(f"池文件 {commitment['pool_file']} 与承诺记录的哈希不一致（固定后被修改）。",
                           hint="请从备份恢复；不要手工编辑固定名录的输出。")
    return path


def _load_details(ws: Workspace, commitment: dict, codes) -> tuple[list[str], dict[str, list]]:
    rec = commitment.get("pool_details")
    if not rec:
        return [], {}
    path = ws.resolve(rec["path"])
    if not path.is_file() or sha256_file(path) != rec["sha256"]:
        raise VerifyFailed(f"对象明细文件 {rec['path']} 缺失或与承诺记录不一致。", hint="请从备份恢复该文件。")
    return read_details(path, codes)


# --------------------------------------------------------------------------- the draw

def run_draw(ws: Workspace, lp: LoadedPlan, task: Task, seed: str, *, now: datetime,
             seed_source: str | None = None, redo: bool = False, reason: str | None = None,
             dry_run: bool = False, reserves: int | None = None, weak_seed_reason: str | None = None,
             progress=None) -> dict:
    """The whole draw of one task. The caller holds the workspace lock for an official draw."""
    from ..core.clock import stamp
    from ..core.state import TaskState

    check_seed(seed)
    if reserves is not None:
        raise SsjError("候补户数在固定名录时确定，并计入承诺，抽取时不能再指定。", exit_code=ExitCode.USAGE,
                       code="usage", hint="如需改变候补户数，须在产生种子之前用 ssj freeze --reserves N 固定。")
    if redo and not (reason and reason.strip()):
        raise SsjError("重做抽取必须用 --reason 说明理由。", exit_code=ExitCode.USAGE, code="usage")
    if redo and dry_run:
        raise SsjError("--dry-run（试抽）不能与 --redo 同时使用。", exit_code=ExitCode.USAGE, code="usage")
    state = TaskState(ws, task.id)
    previous = [e for e in state.entries if e["kind"] == "draw" and e["data"].get("official")]
    if not dry_run:
        if previous and not redo:
            first = previous[-1]
            raise StateError(f"任务 {task.id} 已于 {cn_time(first['time'])} 正式抽取，不能再次正式抽取。",
                             hint="如确需重做（须有正当理由并记录），加 --redo --reason 理由；"
                                  "只想演练请用 --dry-run。")
        other = drawn_under_other_id(ws, task)
        if other is not None:
            raise StateError(f"任务编号「{task.number}」已于 {cn_time(other['time'])} 以任务简称 {other['task']} 正式抽取"
                             f"（{other['data']['manifest']}），不能以 {task.id} 再次正式抽取。",
                             hint=f"任务简称被改过时，请在计划中改回 {other['task']}；确需重做须用原简称并加 "
                                  "--redo --reason 理由。")
        current = (state.latest_freeze or {}).get("data", {}).get("commitment_sha256")
        seen = [m for m in interrupted_draws(ws, task.id)
                if m["commitment_sha256"] == current and seed_key(m["seed"]) != seed_key(seed)]
        if seen and not previous and not redo:
            raise StateError(f"任务 {task.id} 有一次中断的正式抽取（{seen[-1]['folder']}，种子「{seen[-1]['seed']}」），其结果可能已被"
                             "看到，不能悄悄换用另一个种子。",
                             hint="用同一种子重新运行（同一承诺、同一种子，结果相同）；确需换种子，加 --redo --reason 理由"
                                  "（记入台账和抽取记录，核验时列为发现）。")
        if redo and not previous and not seen:
            raise StateError(f"任务 {task.id} 还没有正式抽取，无需 --redo。", hint="去掉 --redo 重新运行。")
        for e in previous:
            used = e["data"].get("seed")
            if used is None:
                used = _manifest_seed(ws, e)
            if used is not None and seed_key(used) == seed_key(seed):
                raise InputInvalid(f"重做抽取必须使用新的随机种子：「{seed}」已用于任务 {task.id} 于 {e['time']} 的抽取"
                                   f"（台账第 {e['seq']} 条）。",
                                   hint="在公开场合重新产生种子（如再次掷骰）后重做；同一种子配上重新固定的名录，"
                                        "等于看过种子后再挑名录。")
    earlier = workspace_seeds(ws) + _interrupted_seeds(ws, task.id, state)
    warnings, weak = enforce_seed(seed, earlier, trial=dry_run, weak_reason=weak_seed_reason)
    commitment = load_commitment(ws, task.id)
    changed = inputs_changed(ws, lp, task, commitment)
    if changed:
        raise StateError(f"固定名录（承诺码 {_code(state)}）后输入已变化，不能抽取：" + "；".join(changed) + "。",
                         hint="如修改是有意的，请重新固定名录（ssj freeze --reason 理由），公布新的承诺码，"
                              "再公开产生种子后抽取。",
                         problems=[])
    if not seed_source and not dry_run:
        warnings.append("未用 --seed-source 说明种子如何产生（如“5 人现场掷骰”），复核者无从查证。")
    drawn_at = stamp(now)
    if now.date() != task.draw_date and not dry_run:
        warnings.append(f"计划的抽取日期为 {task.draw_date.isoformat()}，今天是 {now.date().isoformat()}。")
    if redo and state.match is not None:
        warnings.append("该任务已完成匹配派发；重做抽取后须重新匹配（ssj match --redo）。")

    report(progress, "读取固定的抽取池", 0, 1)
    pool_path = _frozen_pool(ws, commitment)
    derived = derive_seed(seed, task.number, trial=dry_run)
    report(progress, "抽取", 0, 1)
    # poolscan.py: draw_strata's result in one pass over pool.csv's bytes, with each listed id's row.
    strata, wanted = draw_pool_file(pool_path, commitment["strata"], derived)
    report(progress, "抽取", 1, 1)
    details = _load_details(ws, commitment, wanted)

    draw_no = len(previous) + 1
    if dry_run:
        folder = ws.task_dir(task.id) / f"trial-{now.strftime('%Y%m%d-%H%M%S')}"
    else:
        folder = ws.task_dir(task.id) / ("draw" if draw_no == 1 else f"draw-redo-{draw_no}")
    prefix = TRIAL_PREFIX if dry_run else ""
    manifest = {
        "kind": "draw",
        "spec": SPEC_VERSION,
        "tool": f"ssj {__version__}",
        "reference": REFERENCE,
        "task": task.id,
        "task_number": task.number,
        "task_name": task.name,
        "official": not dry_run,
        "trial": dry_run,
        "redo": bool(redo),
        "draw_no": draw_no if not dry_run else None,
        "reason": reason if redo else None,
        "supersedes": (previous[-1]["data"]["manifest"] if previous else f"{seen[-1]['folder']}/manifest.json") if redo else None,
        "seed": seed,
        "seed_sha256": seed_sha256(seed),
        "seed_source": seed_source,
        "weak_seed": weak,
        "sampler_seed": derived,
        "pool_file": commitment["pool_file"],
        "pool_sha256": commitment["pool_sha256"],
        "commitment": commitment["_path"],
        "commitment_sha256": commitment["_sha256"],
        "commitment_code": _code(state),
        "frozen_at": commitment["frozen_at"],
        "drawn_at": drawn_at,
        "strata": strata,
    }
    files: dict[str, str] = {}
    with staged_dir(folder) as tmp:
        manifest_name = "manifest.json"
        write_json_atomic(tmp / manifest_name, manifest)
        write_xlsx_fast(tmp / f"{prefix}{RESULT_XLSX}", workbook(manifest, details, lp))
        write_bytes_atomic(tmp / f"{prefix}{PUBLIC_CSV}", public_csv(manifest, details))
        os.chmod(tmp / f"{prefix}{RESULT_XLSX}", INTERNAL_MODE)  # 法定代表人, 联系电话: internal
        if not dry_run:
            write_bytes_atomic(tmp / HISTORY_CSV, history_with_pending(ws, task.id, manifest, ws.rel(folder / "manifest.json"),
                                                                       drawn_at, weak))
            ws.ledger().write_head(tmp)
        for p in sorted(tmp.iterdir()):
            files[ws.rel(folder / p.name)] = sha256_file(p)
    manifest_rel = ws.rel(folder / "manifest.json")
    entry = None
    if not dry_run:
        data = {"manifest": manifest_rel, "manifest_sha256": files[manifest_rel], "official": True,
                "redo": bool(redo), "reason": reason if redo else None, "seed": seed,
                "commitment_sha256": commitment["_sha256"]}
        if redo:  # an interrupted attempt after the draw in force, on this commitment, stays visible
            data["supersedes"] = manifest["supersedes"]
            data["interrupted"] = [{"folder": m["folder"], "seed": m["seed"]} for m in seen if m["draw_no"] == draw_no]
        if weak:
            data["weak_seed"] = weak
        entry = ws.ledger().append("draw", task=task.id, time=drawn_at, data=data, files=files)
    return {
        "task": task.id, "task_number": task.number, "task_name": task.name,
        "official": not dry_run, "trial": dry_run, "redo": bool(redo), "draw_no": manifest["draw_no"],
        "seed": seed, "seed_sha256": manifest["seed_sha256"], "sampler_seed": derived,
        "commitment_code": manifest["commitment_code"], "commitment_sha256": manifest["commitment_sha256"],
        "manifest": manifest_rel,
        "strata": [{k: s[k] for k in ("name", "pool_size", "take", "selected", "reserves")} for s in strata],
        "selected_total": sum(len(s["selected"]) for s in strata),
        "files": sorted(files), "ledger_seq": entry["seq"] if entry else None,
        "warnings": warnings,
    }


def drawn_under_other_id(ws: Workspace, task: Task) -> dict | None:
    """The latest official draw entry of the same task number recorded under another task id.

    The ledger keys tasks by their short id, but the draw is bound to the task number (the sampler
    seed and the public list use it): renaming the id must not open a second official draw, nor
    retyping the number with a full-width digit, spaces or other brackets (plan.numbers.number_key).
    """
    import json

    found = None
    for e in ws.ledger().entries(kind="draw"):
        if e.get("task") == task.id or not e["data"].get("official"):
            continue
        path = ws.resolve(e["data"]["manifest"])
        try:
            number = json.loads(path.read_text(encoding="utf-8")).get("task_number")
        except (OSError, ValueError):
            continue  # a missing or unreadable manifest is for ssj verify to report
        if isinstance(number, str) and number_key(number) == number_key(task.number):
            found = e  # also a look-alike number (全角数字, spaces, other brackets): the same task
    return found


def _interrupted_seeds(ws: Workspace, task_id: str, state) -> list[tuple[str, str]]:
    """Seeds of official draws of this task that were interrupted (moved aside, never recorded) and
    drawn on another commitment than the one in force: their result may have been seen, so using the
    seed again after a re-freeze counts as a reused seed. The same seed on the same commitment (a
    plain rerun after a crash) gives the same result and is fine."""
    import json

    current = (state.latest_freeze or {}).get("data", {}).get("commitment_sha256")
    out = []
    for path in sorted((ws.task_dir(task_id) / ".interrupted").glob("*/manifest.json")):
        try:
            m = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if m.get("kind") == "draw" and m.get("official") and m.get("commitment_sha256") != current and m.get("seed"):
            out.append((m["seed"], f"中断的抽取 {ws.rel(path.parent)}，其承诺与现行承诺不同"))
    return out


def _manifest_seed(ws: Workspace, entry: dict) -> str | None:
    import json

    try:
        return json.loads(ws.resolve(entry["data"]["manifest"]).read_text(encoding="utf-8")).get("seed")
    except (OSError, ValueError):
        return None


def _code(state) -> str | None:
    f = state.latest_freeze
    return f["data"].get("code") if f else None


def draw_from_plan(plan_path: Path, task_key: str, seed: str, *, now: datetime, **kw) -> dict:
    from ..core.workspace import find_workspace
    from ..plan.load import load_plan

    lp = load_plan(plan_path)
    task = lp.plan.task(task_key)
    ws = find_workspace(lp.path)
    with ws.lock(), gc_paused():
        return run_draw(ws, lp, task, seed, now=now, **kw)


# --------------------------------------------------------------------------- substitution

