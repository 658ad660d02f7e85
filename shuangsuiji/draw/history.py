"""A task's public draw history and the versions of its public list (issue 11).

Every official draw folder carries `抽取记录.csv`: one row per official draw attempt of the task up
to and including that one (commitment, seed, time, reason, whether in force), so a redo can never
hide the attempt it replaced. Every substitution writes a new version of the public list,
`out/<task>/draw-list-<k>/公示名单.csv` (k = 2, 3, …; version 1 is the draw's own list; after a redo
`draw-redo-<n>-list-<k>/`), with the
substitute in the place of the entity it replaces and a 递补说明 column, plus the history.
`findings(ws)` lists, for `ssj verify`, every redo, every re-freeze after an official draw, every
weak seed accepted with a reason; `verify_list_versions(ws)` recomputes each list version.
"""

from __future__ import annotations

import csv
import io
import json

from ..core.audit import Report
from ..core.fileio import sha256_file
from ..core.workspace import Workspace
from ..sheets.fastxlsx import escaped, fast_csv_bytes

RESULT_XLSX = "抽取结果.xlsx"
PUBLIC_CSV = "公示名单.csv"
TRIAL_PREFIX = "试抽-"
PUBLIC_HEADERS = ["结果性质", "抽查任务编号", "抽查任务名称", "分层", "序号", "统一社会信用代码", "企业名称"]
HISTORY_CSV = "抽取记录.csv"
HISTORY_HEADERS = ["抽查任务编号", "次序", "抽取时间", "承诺值（SHA-256）", "承诺码（简写，仅供宣读）", "随机种子",
                   "种子来源", "重做理由", "抽取前重新固定名录的理由", "种子强度不足仍使用的理由", "状态", "抽取清单"]
LIST_DIR = "{draw_folder}-list-{k}"  # draw-list-2, draw-redo-2-list-2, …
LIST_EXTRA = "递补说明"

# The documented reasons a drawn entity may be replaced by a reserve (docs/draw-spec.md §6).
SUBSTITUTION_REASONS = ["注销", "吊销", "撤销登记", "迁出", "歇业", "无法联系", "已列入经营异常", "已被依法查处"]


def nature_text(manifest: dict) -> str:
    """结果性质 of a draw's public list: 正式 / 正式（第n次抽取，重做） / 试抽（非正式结果）."""
    if manifest["trial"]:
        return "试抽（非正式结果）"
    if manifest["redo"]:
        return f"正式（第{manifest['draw_no']}次抽取，重做）"
    return "正式"


def _load(ws: Workspace, rel: str) -> dict | None:
    try:
        return json.loads(ws.resolve(rel).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def attempts(ws: Workspace, task_id: str, upto_seq: int | None = None) -> list[dict]:
    """The task's official draws (up to ledger seq `upto_seq`), each with what the public must see."""
    entries = [e for e in ws.ledger().entries(task=task_id) if upto_seq is None or e["seq"] <= upto_seq]
    draws = [e for e in entries if e["kind"] == "draw" and e["data"].get("official")]
    out = []
    for n, e in enumerate(draws, 1):
        m = _load(ws, e["data"]["manifest"]) or {}
        earlier = draws[n - 2]["seq"] if n > 1 else 0
        refreezes = [f for f in entries if f["kind"] == "freeze" and earlier < f["seq"] < e["seq"]
                     and f["data"].get("reason")]
        weak = m.get("weak_seed") or e["data"].get("weak_seed") or {}
        out.append({
            "no": n, "seq": e["seq"], "time": e["time"], "manifest": e["data"]["manifest"],
            "task_number": m.get("task_number", ""),
            "commitment_sha256": m.get("commitment_sha256", e["data"].get("commitment_sha256", "")),
            "commitment_code": m.get("commitment_code") or "", "seed": m.get("seed", e["data"].get("seed", "")),
            "seed_source": m.get("seed_source") or "", "reason": e["data"].get("reason") or "",
            "refreeze": "；".join(f"台账第 {f['seq']} 条：{f['data']['reason']}" for f in refreezes),
            "weak": weak.get("accepted_because", ""), "in_force": n == len(draws),
        })
    return out


def history_csv_bytes(rows: list[dict]) -> bytes:
    body = []
    for a in rows:
        state = "有效" if a["in_force"] else f"已被第 {a['no'] + 1} 次抽取取代，不再有效"
        body.append([escaped(a["task_number"]), str(a["no"]), a["time"], a["commitment_sha256"], a["commitment_code"],
                     escaped(a["seed"]), escaped(a["seed_source"]), escaped(a["reason"]), escaped(a["refreeze"]),
                     escaped(a["weak"]), state, a["manifest"]])
    return fast_csv_bytes(HISTORY_HEADERS, body)


def history_with_pending(ws: Workspace, task_id: str, manifest: dict, manifest_rel: str, time: str,
                         weak: dict | None) -> bytes:
    """抽取记录.csv for a draw being written: every earlier attempt (no longer in force) and this one."""
    rows = attempts(ws, task_id)
    for a in rows:
        a["in_force"] = False
    last = rows[-1]["seq"] if rows else 0
    refreezes = [f for f in ws.ledger().entries(kind="freeze", task=task_id) if f["seq"] > last and f["data"].get("reason")]
    pending = _pending(manifest, manifest_rel, time, weak)
    pending["refreeze"] = "；".join(f"台账第 {f['seq']} 条：{f['data']['reason']}" for f in refreezes)
    return history_csv_bytes(rows + [pending])


def _pending(manifest: dict, manifest_rel: str, time: str, weak: dict | None) -> dict:
    return {"no": manifest["draw_no"], "seq": None, "time": time, "manifest": manifest_rel,
            "task_number": manifest["task_number"], "commitment_sha256": manifest["commitment_sha256"],
            "commitment_code": manifest.get("commitment_code") or "", "seed": manifest["seed"],
            "seed_source": manifest.get("seed_source") or "", "reason": manifest.get("reason") or "",
            "refreeze": "", "weak": (weak or {}).get("accepted_because", ""), "in_force": True}


def interrupted_draws(ws: Workspace, task_id: str) -> list[dict]:
    """Official draws of the task that were interrupted after their folder was in place (moved to
    .interrupted/ by the next command, never recorded): their result may have been seen. Each is
    {"folder", "seed", "commitment_sha256", "draw_no"}."""
    out = []
    for path in sorted((ws.task_dir(task_id) / ".interrupted").glob("*/manifest.json")):
        m = _load(ws, ws.rel(path)) or {}
        if m.get("kind") == "draw" and m.get("official") and m.get("seed"):
            out.append({"folder": ws.rel(path.parent), "seed": m["seed"], "commitment_sha256": m.get("commitment_sha256"),
                        "draw_no": m.get("draw_no")})
    return out


# --------------------------------------------------------------------------- list versions

def list_rows(manifest: dict, names: dict[str, str], swaps: list[dict], nature: str) -> list[list[str]]:
    """The public list with substitutions applied: each substitute in the place (stratum, 序号) of the
    entity it replaces, followed by a 递补说明 naming the replaced entity and the documented reason."""
    by_out = {d["out"]: d for d in swaps}
    rows = []
    for s in manifest["strata"]:
        for code in s["selected"]:
            note, current = "", code
            while current in by_out:
                d = by_out[current]
                note = f"递补：替换 {d['out']}（{d['reason']}{'：' + d['note'] if d.get('note') else ''}）"
                current = d["in"]
            rows.append([nature, escaped(manifest["task_number"]), escaped(manifest["task_name"]), escaped(s["name"]),
                         str(len(rows) + 1), current, escaped(names.get(current, "")), escaped(note)])
    return rows


def verify_list_versions(ws: Workspace) -> Report | None:
    """Each public list version written by a substitution, recomputed from the draw manifest, the
    pool names and the substitutions recorded up to it."""
    from .poolread import listed_codes, read_pool_names

    entries = ws.ledger().read()
    subs = [e for e in entries if e["kind"] == "substitution" and e["data"].get("list")]
    if not subs:
        return None
    rep = Report("递补后的公示名单各版")
    for e in subs:
        rel = e["data"]["list"]
        path = ws.resolve(rel)
        manifest = _load(ws, e["data"]["draw_manifest"])
        if manifest is None or not path.is_file():
            rep.add(False, f"{rel} 或其抽取清单缺失")
            continue
        swaps = [x["data"] for x in entries if x["kind"] == "substitution" and x["seq"] <= e["seq"]
                 and x["data"].get("draw_manifest") == e["data"]["draw_manifest"]]
        try:
            names = read_pool_names(ws.resolve(manifest["pool_file"]), listed_codes(manifest))
        except Exception as err:  # noqa: BLE001 - a broken pool is a failed check, not a crash
            rep.add(False, f"{rel}：池文件无法读取（{getattr(err, 'message', err)}）")
            continue
        want = [PUBLIC_HEADERS + [LIST_EXTRA]] + list_rows(manifest, names, swaps, nature_text(manifest))
        got = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
        diffs = [f"第 {i} 行应为 {'，'.join(w[5:8])}，文件为 {'，'.join(g[5:8])}"
                 for i, (w, g) in enumerate(zip(want, got), 1) if w != g][:3]
        if len(want) != len(got):
            diffs.append(f"应有 {len(want) - 1} 户，文件为 {len(got) - 1} 户")
        recorded = e.get("files", {}).get(rel)
        rep.add(recorded == sha256_file(path), f"{rel} 的 SHA-256 与台账第 {e['seq']} 条一致",
                f"{rel} 的 SHA-256 与台账第 {e['seq']} 条不一致（被修改）")
        rep.add(not diffs, f"{rel}（{PUBLIC_CSV} 第 {e['data'].get('version')} 版）按抽取清单和 {len(swaps)} 次递补复算一致",
                f"{rel} 与复算不一致：" + "；".join(diffs))
    return rep


# --------------------------------------------------------------------------- findings

KIND_TEXT = {"freeze": "固定名录", "draw": "抽取", "substitution": "递补", "match": "匹配", "publish": "发布",
             "recovery": "中断恢复", "mark": "登记"}


def _time_findings(rep: Report, e: dict, before: dict | None) -> None:
    """An entry whose time was set with SSJ_NOW (demo/test clock) or is earlier than the entry
    before it: the times that prove a freeze preceded a seed ceremony cannot be trusted there."""
    from datetime import datetime

    what = f"台账第 {e['seq']} 条（任务 {e.get('task')} 的{KIND_TEXT.get(e.get('kind'), e.get('kind'))}）"
    if e.get("clock"):
        rep.finding(f"{what}的时间 {e.get('time')} 是用 SSJ_NOW 指定的（演示或测试用时钟），不是实际时间；"
                    "正式工作中出现须查明原因")
    try:
        backwards = before is not None and datetime.fromisoformat(e["time"]) < datetime.fromisoformat(before["time"])
    except (KeyError, TypeError, ValueError):
        backwards = False
    if backwards:
        rep.finding(f"{what}的时间 {e['time']} 早于其前一条（台账第 {before['seq']} 条，{before['time']}）："
                    "台账的先后顺序才是操作的真实顺序，电脑时钟可能被调过")


def findings(ws: Workspace) -> Report | None:
    """What an auditor must not miss although the record is consistent (ssj verify's findings):
    redo, re-freeze after a draw, weak seeds, and entries whose time was set by SSJ_NOW or runs
    backwards."""
    entries = ws.ledger().read()
    rep = Report("须注意的核验发现（重做、抽取后重新固定、弱种子、时间）")
    drawn: dict[str, dict] = {}
    matched: set[str] = set()
    frozen: set[str] = set()
    for n, e in enumerate(entries):
        task, d = e.get("task"), e["data"]
        _time_findings(rep, e, entries[n - 1] if n else None)
        if e["kind"] == "freeze" and not (d.get("after_draw") or task in drawn) and task in frozen:
            rep.finding(f"任务 {task} 在抽取前重新固定了名录：台账第 {e['seq']} 条，{e['time']}，理由：{d.get('reason') or '（未写）'}；"
                        f"新承诺值 {d.get('commitment_sha256')}。须确认此时间早于种子产生（种子公开后任何人都能由 pool.csv 算出结果）")
        if e["kind"] == "freeze":
            frozen.add(task)
        if e["kind"] == "freeze" and (d.get("after_draw") or task in drawn):
            rep.finding(f"任务 {task} 在正式抽取（{drawn[task]['data']['manifest'] if task in drawn else d.get('after_draw')}）"
                        f"之后重新固定了名录：台账第 {e['seq']} 条，{e['time']}，理由：{d.get('reason') or '（未写）'}；"
                        f"新承诺值 {d.get('commitment_sha256')}")
        elif e["kind"] == "draw" and d.get("official"):
            if d.get("redo") and task in drawn:
                old = drawn[task]
                rep.finding(f"任务 {task} 重做了抽取：台账第 {e['seq']} 条（{e['time']}，{d['manifest']}）取代了"
                            f"第 {old['seq']} 条（{old['time']}，{old['data']['manifest']}），理由：{d.get('reason')}")
            elif d.get("redo"):
                rep.finding(f"任务 {task} 重做了抽取：台账第 {e['seq']} 条（{e['time']}，{d['manifest']}）换用新种子，取代了"
                            f"中断而未记入台账的抽取 {d.get('supersedes') or '（未写明）'}（其结果可能已被看到），理由：{d.get('reason')}")
            for m in d.get("interrupted", []):
                rep.finding(f"任务 {task} 的抽取（台账第 {e['seq']} 条，种子「{d.get('seed')}」）之前，同一承诺上有一次中断而未记入台账的"
                            f"抽取 {m.get('folder')}（种子「{m.get('seed')}」），其结果可能已被看到")
            drawn[task] = e
        elif e["kind"] == "match":
            if d.get("redo") and task in matched:
                rep.finding(f"任务 {task} 重新匹配：台账第 {e['seq']} 条（{e['time']}），理由：{d.get('reason')}")
            elif d.get("redo"):
                rep.finding(f"任务 {task} 重新匹配：台账第 {e['seq']} 条（{e['time']}）换用新种子，取代了中断而未记入台账的匹配 "
                            f"{d.get('supersedes') or '（未写明）'}（其结果可能已被看到），理由：{d.get('reason')}")
            matched.add(task)
        if d.get("weak_seed"):
            w = d["weak_seed"]
            rep.finding(f"任务 {task} 的{'抽取' if e['kind'] == 'draw' else '匹配'}（台账第 {e['seq']} 条）使用了强度不足的种子"
                        f"（{'；'.join(w.get('reasons', []))}），理由：{w.get('accepted_because')}")
    return rep if rep.checks else None
