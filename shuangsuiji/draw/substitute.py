"""`ssj substitute`: the next reserve of the same stratum replaces a drawn entity that cannot be
inspected (注销, 吊销 …). The draw manifest is not rewritten: the substitution is a ledger entry
naming the draw manifest, the entity out, the reserve in, the stratum and the reason.
"""

from __future__ import annotations

from datetime import datetime

from ..core.errors import ExitCode, InputInvalid, SsjError, StateError, VerifyFailed
from ..core.fileio import sha256_file
from ..core.workspace import Workspace
from ..plan.load import LoadedPlan
from ..plan.model import Task


def substitute(ws: Workspace, lp: LoadedPlan, task: Task, out_code: str, reason: str, *,
               now: datetime) -> dict:
    """Replace a drawn entity by the next unused reserve of its stratum. Caller holds the lock."""
    from ..core.clock import stamp
    from ..core.state import TaskState

    if not reason or not reason.strip():
        raise SsjError("递补必须用 --reason 说明理由（如“已注销”）。", exit_code=ExitCode.USAGE, code="usage")
    out_code = out_code.strip().upper()
    state = TaskState(ws, task.id)
    draw = state.official_draw
    if draw is None:
        raise StateError(f"任务 {task.id} 还没有正式抽取，无法递补。", hint="先运行 ssj draw。")
    manifest_rel = draw["data"]["manifest"]
    path = ws.resolve(manifest_rel)
    if not path.is_file() or sha256_file(path) != draw["data"]["manifest_sha256"]:
        raise VerifyFailed(f"抽取清单 {manifest_rel} 缺失或与台账记录不一致。", hint="运行 ssj verify 检查。")
    import json

    manifest = json.loads(path.read_text(encoding="utf-8"))
    current = {s.credit_code: s for s in state.selected()}
    if out_code not in current:
        raise InputInvalid(f"{out_code} 不在任务 {task.id} 当前的抽中名单中。",
                           hint="请核对统一社会信用代码；已被递补替换的对象不能再次替换。")
    stratum_name = current[out_code].stratum
    stratum = next(s for s in manifest["strata"] if s["name"] == stratum_name)
    used = {e["data"]["in"] for e in state.substitutions}
    replaced = {e["data"]["out"] for e in state.substitutions}
    nxt = next((c for c in stratum["reserves"] if c not in used and c not in replaced), None)
    if nxt is None:
        raise StateError(f"「{stratum_name}」层的候补已用完（共 {len(stratum['reserves'])} 户），无法递补。",
                         hint="如确需更多候补，可重做抽取（ssj draw --redo --reason，加 --reserves 指定候补数）。")
    rank = stratum["take"] + stratum["reserves"].index(nxt) + 1
    data = {"draw_manifest": manifest_rel, "out": out_code, "in": nxt, "stratum": stratum_name,
            "reason": reason.strip(), "ticket_rank": rank}
    entry = ws.ledger().append("substitution", task=task.id, time=stamp(now), data=data)
    warnings = []
    if state.match is not None:
        warnings.append("该任务已完成匹配派发；请为递补对象安排检查组（重新匹配或补派），并通知相关部门。")
    return {**data, "ledger_seq": entry["seq"], "warnings": warnings,
            "reserves_left": sum(1 for c in stratum["reserves"] if c not in used | {nxt} and c not in replaced)}
