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

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .. import __version__
from ..core.errors import ExitCode, InputInvalid, SsjError, StateError, VerifyFailed
from ..core.fileio import sha256_file, staged_dir, write_json_atomic
from ..core.progress import report
from ..core.workspace import Workspace
from ..draw.seeds import seed_sha256
from ..intake.records import Inspector, Target
from ..plan.model import LoadedPlan, Task
from .flow import SPEC_VERSION
from .teams import MatchInput, MatchResult, MatchRules, match, rules_for, workload_notes

MANIFEST = "manifest.json"
DETAIL_FIELDS = {"name": "企业名称", "address": "住所", "area": "属地监管所", "entity_type": "市场主体类型",
                 "industry": "行业"}
ROLE_TEXT = {"inspectors": "执法检查人员名录", "conflicts": "回避名单", "neighbour": "相邻区域执法人员名录"}


def _usage(message: str, hint: str | None = None) -> SsjError:
    return SsjError(message, hint=hint, exit_code=ExitCode.USAGE, code="usage")



@dataclass
class Prepared:
    """Everything a match (or a fairness run) of one task needs, checked."""

    ws: Workspace
    lp: LoadedPlan
    task: Task
    rules: MatchRules
    targets: list[Target]
    inp: MatchInput
    draw: dict  # {"manifest", "sha256", "seed_sha256", "commitment_code"}
    commitment: dict
    pool: dict  # {"path", "sha256"}
    rosters: dict  # role -> {"path", "sha256"}
    substitutions: list[dict]
    last_sources: list[dict]
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- preparing

def prepare(ws: Workspace, lp: LoadedPlan, task: Task, seed: str, *, direct_reason: str | None = None,
            progress=None) -> Prepared:
    from ..core.state import TaskState
    from ..draw.freeze import load_commitment
    from ..draw.run import check_seed
    from ..draw.seeds import seed_key

    warnings = check_seed(seed)
    state = TaskState(ws, task.id)
    entry = state.official_draw
    if entry is None:
        raise StateError(f"任务 {task.id} 还没有正式抽取结果，不能匹配检查人员。",
                         hint=f"先运行 ssj freeze 和 ssj draw --plan {lp.path.name} --task {task.id} --seed 种子。")
    draw_rel = entry["data"]["manifest"]
    draw_path = ws.resolve(draw_rel)
    if not draw_path.is_file() or sha256_file(draw_path) != entry["data"]["manifest_sha256"]:
        raise VerifyFailed(f"抽取清单 {draw_rel} 缺失或与台账记录的哈希不一致。", hint="运行 ssj verify 检查，并从备份恢复。")
    draw = json.loads(draw_path.read_text(encoding="utf-8"))
    if seed == draw.get("seed") or (seed_key(seed) and seed_key(seed) == seed_key(draw.get("seed") or "")):
        raise InputInvalid("匹配种子与抽取种子完全相同，不能使用。" if seed == draw.get("seed") else
                           f"匹配种子「{seed}」与抽取种子「{draw.get('seed')}」只差全角半角、大小写、空格或标点，"
                           "实为同一个种子，不能使用。",
                           hint="匹配须用抽取之后新产生的公开随机种子（如再次公开掷骰），"
                                "否则抽取结果可能影响人员配对。")
    if direct_reason is not None and not direct_reason.strip():
        raise _usage("--direct-reason 不能为空。", "请写明直接委派的理由，如“本局持证人员不足，经分管领导批准”。")
    if direct_reason and not task.fallback.direct_appointment:
        raise _usage(f"计划未允许任务 {task.id} 使用直接委派（fallback.direct_appointment），不能使用 --direct-reason。",
                     "如确需直接委派，请先修改计划并重新固定名录。")
    commitment = load_commitment(ws, task.id)
    if draw.get("commitment_sha256") != commitment["_sha256"]:
        raise StateError(f"任务 {task.id} 在正式抽取之后又重新固定了名录，抽取结果与现行承诺不一致。",
                         hint="请按新的承诺重新抽取（ssj draw --redo --reason）后再匹配。")
    rosters, changed, notes = _roster_changes(ws, lp, task, commitment)
    if changed:
        raise StateError("固定名录后输入已变化，不能匹配：" + "；".join(changed) + "。",
                         hint="如修改是有意的，须重新固定名录（ssj freeze --reason）并重新抽取；"
                              "否则请恢复固定时的文件。")
    warnings += notes
    report(progress, "读取固定的名录", 0, 3)
    pool_rec = commitment["officer_pool"]
    pool_path = ws.resolve(pool_rec["path"])
    if not pool_path.is_file() or sha256_file(pool_path) != pool_rec["sha256"]:
        raise VerifyFailed(f"执法人员池 {pool_rec['path']} 缺失或与承诺记录的哈希不一致。", hint="请从备份恢复该文件。")
    pool = json.loads(pool_path.read_text(encoding="utf-8"))
    selected = state.selected()
    targets = _targets(ws, commitment, [s.credit_code for s in selected])
    report(progress, "读取固定的名录", 1, 3)
    pools, neighbours, conflicts = _officers(lp, task, pool, {t.credit_code for t in targets})
    report(progress, "读取固定的名录", 2, 3)
    last, sources, last_warnings = last_inspections(ws, task.id, {t.credit_code for t in targets})
    warnings += last_warnings
    report(progress, "读取固定的名录", 3, 3)
    rules = rules_for(lp.plan, task)
    excluded = {d: dict(Counter(x.get("kind") or x["reason"].split("：")[0] for x in v.get("ineligible", [])))
                for d, v in pool["departments"].items()}
    inp = MatchInput(rules=rules, targets=targets, pools=pools, seed=seed, conflicts=conflicts,
                     last=last if task.team.avoid_repeat else {}, neighbours=neighbours,
                     direct_reason=direct_reason.strip() if direct_reason else None, excluded=excluded)
    subs = [{"seq": e["seq"], "out": e["data"]["out"], "in": e["data"]["in"]} for e in state.substitutions]
    return Prepared(ws, lp, task, rules, targets, inp,
                    {"manifest": draw_rel, "sha256": entry["data"]["manifest_sha256"],
                     "seed_sha256": draw.get("seed_sha256"), "commitment_code": draw.get("commitment_code")},
                    commitment, {"path": pool_rec["path"], "sha256": pool_rec["sha256"]}, rosters, subs,
                    sources, warnings)


def _roster_changes(ws: Workspace, lp: LoadedPlan, task: Task, commitment: dict):
    """(the rosters the match relies on with their hashes, refusals, warnings)."""
    frozen = commitment.get("rosters", {})
    changed, notes, used = [], [], {}
    if lp.plan.task_digest(task) != commitment["plan"]["task_digest"]:
        changed.append(f"计划文件中任务 {task.id} 的设置（检查组规则、事项、部门等）在固定名录后被修改")
    wanted = {"inspectors": lp.plan.rosters.inspectors}
    if lp.plan.rosters.conflicts:
        wanted["conflicts"] = lp.plan.rosters.conflicts
    if task.fallback.neighbour_pool:
        for d in task.participants:
            dept = lp.plan.department(d)
            if dept.neighbour_inspectors:
                wanted[f"neighbour:{d}"] = dept.neighbour_inspectors
    for role in sorted(set(wanted) | {r for r in frozen if r in ("inspectors", "conflicts")}):
        label = ROLE_TEXT.get(role.split(":")[0], role)
        rec = frozen.get(role)
        if rec is None:
            changed.append(f"{label}（{wanted[role]}）在固定名录时不存在，之后才加入")
            continue
        path = ws.resolve(rec["path"])
        if role not in wanted:
            changed.append(f"{label} {rec['path']} 已从计划中移除")
        elif not path.is_file():
            changed.append(f"{label} {rec['path']} 已不存在")
        elif sha256_file(path) != rec["sha256"]:
            changed.append(f"{label} {rec['path']} 在固定名录后被修改")
        used[role] = {"path": rec["path"], "sha256": rec["sha256"]}
    rec = frozen.get("targets")
    if rec is not None:
        path = ws.resolve(rec["path"])
        if not path.is_file() or sha256_file(path) != rec["sha256"]:
            notes.append(f"检查对象名录 {rec['path']} 在固定名录后有变化；派发单中的企业信息取自固定时的明细")
    return used, changed, notes


def _targets(ws: Workspace, commitment: dict, codes: list[str]) -> list[Target]:
    from ..draw.pool import read_details

    rec = commitment.get("pool_details")
    if not rec:
        raise StateError("固定名录中没有对象明细文件，无法取得抽中对象的住所和属地监管所。",
                         hint="请用当前版本重新固定名录并抽取。")
    path = ws.resolve(rec["path"])
    if not path.is_file() or sha256_file(path) != rec["sha256"]:
        raise VerifyFailed(f"对象明细文件 {rec['path']} 缺失或与承诺记录不一致。", hint="请从备份恢复该文件。")
    headers, rows = read_details(path)
    at = {f: headers.index(h) for f, h in DETAIL_FIELDS.items() if h in headers}
    out = []
    for code in codes:
        row = rows.get(code)
        if row is None:
            raise VerifyFailed(f"抽中对象 {code} 不在固定的对象明细中。", hint="运行 ssj verify 检查抽取清单和固定名录。")
        out.append(Target(code, **{f: row[i] if i < len(row) else "" for f, i in at.items()}))
    return out


def _officers(lp: LoadedPlan, task: Task, pool: dict, codes: set[str]):
    """Frozen pool ids -> roster records (the roster's hash was checked), neighbours, conflicts."""
    from ..intake.inspectors import read_inspectors
    from ..intake.rosters import read_conflicts

    plan = lp.plan
    intake = read_inspectors(lp.resolve(plan.rosters.inspectors), plan, sheet=plan.rosters.inspectors_sheet)
    by_id = {o.id: o for o in intake.inspectors}

    def records(entries: list[dict], roster: dict[str, Inspector], what: str) -> list[Inspector]:
        missing = [e["id"] for e in entries if e["id"] not in roster]
        if missing:
            raise StateError(f"{what}中有 {len(missing)} 名固定时可抽取的人员在名录中找不到（{'、'.join(missing[:5])}）。",
                             hint="名录文件未变而读法不同，可能是软件版本变化；请重新固定名录。")
        return [roster[e["id"]] for e in entries]

    pools = {d: records(v["eligible"], by_id, plan.department(d).name)
             for d, v in pool["departments"].items() if d in task.participants}
    neighbours = {}
    if task.fallback.neighbour_pool:
        for d, v in (pool.get("neighbours") or {}).items():
            path = plan.department(d).neighbour_inspectors
            if not path or d not in task.participants:
                continue
            roster = {o.id: o for o in read_inspectors(lp.resolve(path), plan, department=d).inspectors}
            neighbours[d] = records(v["eligible"], roster, f"{plan.department(d).name}相邻区域名录")
    conflicts = []
    if plan.rosters.conflicts:
        conflicts, _ = read_conflicts(lp.resolve(plan.rosters.conflicts), lp, intake, codes)
    return pools, neighbours, conflicts


def last_inspections(ws: Workspace, task_id: str, codes: set[str], before_seq: int | None = None):
    """credit code -> officer ids of its latest inspection by another task's match in force
    (matches recorded before ledger entry `before_seq`, when given)."""
    latest: dict[str, dict] = {}
    for e in ws.ledger().entries(kind="match"):
        if before_seq is not None and e["seq"] >= before_seq:
            continue
        if e.get("task") != task_id:
            latest[e["task"]] = e  # a redo supersedes the earlier match of that task
    last: dict[str, tuple[int, list[str]]] = {}
    sources, warnings = [], []
    for t, e in sorted(latest.items(), key=lambda kv: kv[1]["seq"]):
        rel = e["data"]["manifest"]
        path = ws.resolve(rel)
        if not path.is_file() or sha256_file(path) != e["data"].get("manifest_sha256"):
            warnings.append(f"任务 {t} 的匹配清单 {rel} 缺失或被改动，无法据此回避上次检查人员")
            continue
        manifest = json.loads(path.read_text(encoding="utf-8"))
        used = False
        for team in manifest.get("teams", []):
            code = team.get("credit_code")
            if code in codes:
                ids = sorted({m["officer"] for m in team.get("members", []) if m.get("officer")})
                if ids:
                    last[code] = (e["seq"], ids)
                    used = True
        if used:
            sources.append({"task": t, "manifest": rel, "sha256": e["data"]["manifest_sha256"], "seq": e["seq"]})
    return {c: ids for c, (_, ids) in sorted(last.items())}, sources, warnings


# --------------------------------------------------------------------------- the match

def run_match(ws: Workspace, lp: LoadedPlan, task: Task, seed: str, *, now: datetime,
              seed_source: str | None = None, redo: bool = False, reason: str | None = None,
              direct_reason: str | None = None, progress=None) -> dict:
    """The whole `ssj match` of one task. The caller holds the workspace lock."""
    from ..core.clock import stamp
    from ..core.state import TaskState
    from ..core.workdays import WorkCalendar

    if redo and not (reason and reason.strip()):
        raise _usage("重新匹配必须用 --reason 说明理由。")
    if reason and not redo:
        raise _usage("--reason 只用于重新匹配，须与 --redo 一起使用。")
    previous = [e for e in TaskState(ws, task.id).entries if e["kind"] == "match"]
    if previous and not redo:
        raise StateError(f"任务 {task.id} 已于 {previous[-1]['time']} 匹配派发（{previous[-1]['data']['manifest']}），"
                         "不能再次匹配。",
                         hint="如确需重新匹配（如抽取重做、人员变动），加 --redo --reason 理由；原派发单保留备查。")
    if redo and not previous:
        raise StateError(f"任务 {task.id} 还没有匹配过，无需 --redo。", hint="去掉 --redo 和 --reason 重新运行。")
    prep = prepare(ws, lp, task, seed, direct_reason=direct_reason, progress=progress)
    warnings = list(prep.warnings)
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
                              reason=reason, supersedes=previous[-1]["data"]["manifest"] if previous else None)
    notes = workload_notes(result, prep.rules)
    files = write_outputs(prep, result, manifest, folder, manifest_rel, notes, warnings, progress)
    data = {"manifest": manifest_rel, "manifest_sha256": files[manifest_rel], "dispatched": dispatched,
            "redo": bool(redo), "reason": reason if redo else None,
            "fallbacks": [{k: f[k] for k in ("kind", "department", "reason") if k in f} | {"targets": len(f["targets"])}
                          for f in result.fallbacks]}
    entry = ws.ledger().append("match", task=task.id, time=dispatched, data=data, files=files)
    return summary(prep, result, manifest, files, entry["seq"], notes, warnings)


def build_manifest(prep: Prepared, result: MatchResult, *, seed: str, seed_source: str | None, dispatched: str,
                   deadline, confirm_wd: int, match_no: int, redo: bool, reason: str | None,
                   supersedes: str | None) -> dict:
    task, ws = prep.task, prep.ws
    depts = [d for d, _ in prep.rules.mix]
    names = {t.credit_code: t.name for t in prep.targets}
    teams = []
    for team in result.teams:
        d = team.to_dict()
        present = [x for x in depts if any(m.department == x for m in team.members)]
        teams.append({"no": d["no"], "credit_code": d["credit_code"], "name": names[team.credit_code],
                      "departments": present, "members": d["members"], "notes": d["notes"]})
    conflicts = sorted({(c.inspector_id, c.credit_code) for c in prep.inp.conflicts
                        if c.credit_code in names and c.inspector_id in result.officers})
    return {
        "kind": "match",
        "spec": SPEC_VERSION,
        "tool": f"ssj {__version__}",
        "task": task.id,
        "task_number": task.number,
        "task_name": task.name,
        "match_no": match_no,
        "redo": bool(redo),
        "reason": reason if redo else None,
        "supersedes": supersedes,
        "seed": seed,
        "seed_sha256": seed_sha256(seed),
        "seed_source": seed_source,
        "dispatched": dispatched,
        "confirm_deadline": deadline.isoformat(),
        "confirm_wd": confirm_wd,
        "direct_reason": prep.inp.direct_reason,
        "draw": prep.draw,
        "commitment": {"path": prep.commitment["_path"], "sha256": prep.commitment["_sha256"]},
        "officer_pool": prep.pool,
        "rosters": prep.rosters,
        "plan": {"path": ws.rel(prep.lp.path), "sha256": prep.lp.sha256,
                 "task_digest": prep.lp.plan.task_digest(task)},
        "substitutions": prep.substitutions,
        "last_inspection_sources": prep.last_sources,
        "rules": prep.rules.to_dict(),
        "inputs": {
            "targets": [{"credit_code": t.credit_code, "area": t.area} for t in prep.targets],
            "conflicts": [list(x) for x in conflicts],
            "last_inspection": {c: list(ids) for c, ids in prep.inp.last.items()},
        },
        "teams": teams,
        "workload": result.workload,
        "fallbacks": result.fallbacks,
        "warnings": result.warnings,
    }


def write_outputs(prep: Prepared, result: MatchResult, manifest: dict, folder: Path, manifest_rel: str,
                  notes: list[str], warnings: list[str], progress=None) -> dict[str, str]:
    from ..sheets.writers import write_xlsx
    from .dispatch import DispatchInfo, workbooks

    info = DispatchInfo(
        task_id=prep.task.id, task_number=prep.task.number, task_name=prep.task.name,
        departments=list(prep.rules.departments), items=list(prep.rules.items), methods=list(prep.task.method),
        dispatched=manifest["dispatched"], deadline=_date(manifest["confirm_deadline"]),
        confirm_wd=manifest["confirm_wd"], seed=manifest["seed"], seed_sha256=manifest["seed_sha256"],
        seed_source=manifest["seed_source"], manifest=manifest_rel, draw_manifest=prep.draw["manifest"],
        commitment_code=prep.draw.get("commitment_code"), redo=manifest["redo"], reason=manifest["reason"],
        direct_reason=manifest["direct_reason"], workload_notes=notes, warnings=warnings)
    books = workbooks(info, result, prep.targets)
    files: dict[str, str] = {}
    with staged_dir(folder) as tmp:
        write_json_atomic(tmp / MANIFEST, manifest)
        for i, (name, sheets) in enumerate(books.items(), 1):
            report(progress, "写派发单", i, len(books))
            write_xlsx(tmp / name, sheets)
        for p in sorted(tmp.iterdir()):
            files[prep.ws.rel(folder / p.name)] = sha256_file(p)
    return files


def _date(text: str):
    from datetime import date

    return date.fromisoformat(text)


def summary(prep: Prepared, result: MatchResult, manifest: dict, files: dict, seq: int, notes: list[str],
            warnings: list[str]) -> dict:
    rules = prep.rules
    depts = []
    for d, n in rules.mix:
        w = result.workload.get(d, {})
        depts.append({"department": d, "name": rules.dept_name(d), "per_team": n, "officers": w.get("officers", 0),
                      "min": w.get("min", 0), "max": w.get("max", 0), "balanced": w.get("balanced", True),
                      "direct_slots": w.get("direct_slots", 0)})
    added = sum(1 for t in result.teams for x in t.notes if x["rule"] == "specialist_added")
    missing = sum(1 for t in result.teams for x in t.notes if x["rule"] == "specialist_missing")
    return {
        "task": prep.task.id, "task_number": prep.task.number, "task_name": prep.task.name,
        "match_no": manifest["match_no"], "redo": manifest["redo"], "reason": manifest["reason"],
        "seed": manifest["seed"], "seed_sha256": manifest["seed_sha256"], "seed_source": manifest["seed_source"],
        "draw_manifest": prep.draw["manifest"], "commitment_code": prep.draw.get("commitment_code"),
        "teams": len(result.teams), "team_size": rules.team_size, "initiator": rules.initiator,
        "initiator_name": rules.dept_name(rules.initiator), "departments": depts,
        "specialists_added": added, "specialists_missing": missing,
        "fallbacks": result.fallbacks, "workload_notes": notes,
        "dispatched": manifest["dispatched"], "confirm_deadline": manifest["confirm_deadline"],
        "confirm_wd": manifest["confirm_wd"], "manifest": next(f for f in files if f.endswith(MANIFEST)),
        "files": sorted(files), "ledger_seq": seq, "warnings": warnings,
    }


def match_from_plan(plan_path: Path, task_key: str, seed: str, *, now: datetime, **kw) -> dict:
    from ..core.workspace import find_workspace
    from ..plan.model import load_plan

    lp = load_plan(plan_path)
    task = lp.plan.task(task_key)
    ws = find_workspace(lp.path)
    with ws.lock():
        return run_match(ws, lp, task, seed, now=now, **kw)
