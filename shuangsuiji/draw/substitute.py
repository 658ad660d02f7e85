"""`ssj substitute`: the next reserve of the same stratum replaces a drawn entity that cannot be
inspected, for a reason from the documented list (history.SUBSTITUTION_REASONS: 注销, 吊销 …) plus
an optional note. The draw manifest is not rewritten: the substitution is a ledger entry naming the
draw manifest, the entity out, the reserve in, the stratum and the reason, and it publishes a new
version of the public list (out/<task>/draw-list-<k>/: 公示名单.csv with the substitute in place
and a 递补说明, the draw history, the ledger head), which `ssj verify` recomputes.
"""

from __future__ import annotations

from datetime import datetime

from ..core.errors import ExitCode, InputInvalid, SsjError, StateError, VerifyFailed
from ..core.fileio import sha256_file
from ..core.workspace import Workspace
from ..plan.load import LoadedPlan
from ..plan.model import Task
from .history import PUBLIC_CSV, PUBLIC_HEADERS, nature_text


def substitute(ws: Workspace, lp: LoadedPlan, task: Task, out_code: str, reason: str, *,
               now: datetime, note: str | None = None) -> dict:
    """Replace a drawn entity by the next unused reserve of its stratum. Caller holds the lock."""
    from ..core.clock import stamp
    from ..core.state import TaskState
    from .history import SUBSTITUTION_REASONS

    allowed = "、".join(SUBSTITUTION_REASONS)
    if not reason or not reason.strip():
        raise SsjError(f"递补必须用 --reason 给出理由，可选：{allowed}。", exit_code=ExitCode.USAGE, code="usage",
                       hint="具体情况（如注销日期、文号）写在 --note 中。")
    reason = reason.strip()
    if reason not in SUBSTITUTION_REASONS:
        raise SsjError(f"递补理由「{reason}」不在规定的理由中；可选：{allowed}。", exit_code=ExitCode.USAGE, code="usage",
                       hint="--reason 只写规定的理由之一，具体情况（如“2026-04-10 注销”）写在 --note 中；"
                            "理由清单见 docs/draw-spec.md。")
    note = note.strip() if note and note.strip() else None
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
                         hint="候补户数在固定名录时确定；如确需更多候补，只能重新固定名录（ssj freeze --reason --reserves）并用新种子重做抽取，两者都会列入核验发现。")
    rank = stratum["take"] + stratum["reserves"].index(nxt) + 1
    data = {"draw_manifest": manifest_rel, "out": out_code, "in": nxt, "stratum": stratum_name,
            "reason": reason, "ticket_rank": rank}
    if note:
        data["note"] = note
    swaps = [e["data"] for e in state.substitutions] + [data]
    version = len(swaps) + 1
    # named after the draw folder (draw-list-k, draw-redo-2-list-k, …): a redo's list versions
    # start again at 2 and must not collide with the versions of the draw it replaced
    folder = ws.resolve(manifest_rel).parent.with_name(f"{ws.resolve(manifest_rel).parent.name}-list-{version}")
    files = _write_list_version(ws, task, manifest, swaps, folder)
    data["list"] = ws.rel(folder / PUBLIC_CSV)
    data["version"] = version
    entry = ws.ledger().append("substitution", task=task.id, time=stamp(now), data=data, files=files)
    warnings = []
    if state.match is not None:
        warnings.append("该任务已完成匹配派发；请为递补对象安排检查组（重新匹配或补派），并通知相关部门。")
    return {**data, "ledger_seq": entry["seq"], "warnings": warnings,
            "reserves_left": sum(1 for c in stratum["reserves"] if c not in used | {nxt} and c not in replaced)}


def _write_list_version(ws: Workspace, task: Task, manifest: dict, swaps: list[dict], folder) -> dict[str, str]:
    from ..core.fileio import staged_dir, write_bytes_atomic
    from ..sheets.fastxlsx import fast_csv_bytes
    from .history import HISTORY_CSV, LIST_EXTRA, attempts, history_csv_bytes, list_rows
    from .poolread import listed_codes, read_pool_names

    names = read_pool_names(ws.resolve(manifest["pool_file"]), listed_codes(manifest))
    rows = list_rows(manifest, names, swaps, nature_text(manifest))
    with staged_dir(folder) as tmp:
        write_bytes_atomic(tmp / PUBLIC_CSV, fast_csv_bytes(PUBLIC_HEADERS + [LIST_EXTRA], rows))
        write_bytes_atomic(tmp / HISTORY_CSV, history_csv_bytes(attempts(ws, task.id)))
        ws.ledger().write_head(tmp)
        names_written = sorted(p.name for p in tmp.iterdir())
        hashes = {ws.rel(folder / n): sha256_file(tmp / n) for n in names_written}
    return hashes
