"""Everything a match (or a fairness run) of one task needs, read and checked: the draw manifest
and substitutions, the frozen officer pool, the selected targets' details, conflicts, the
previous inspectors of each target, and whether the rosters changed since the freeze.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from ..core.errors import ExitCode, InputInvalid, SsjError, StateError, VerifyFailed
from ..core.fileio import sha256_file
from ..core.progress import report
from ..core.workspace import Workspace
from ..intake.inspectors import inspector_roles, neighbour_roles
from ..intake.records import Inspector, Target
from ..plan.load import LoadedPlan
from ..plan.model import Task
from .teams import MatchInput, MatchRules, rules_for

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
                         hint=f"先运行 ssj freeze --task {task.id} 并公布承诺值，公开产生种子后运行 "
                              f"ssj draw --task {task.id} --seed 种子（所用计划不是 workspace.yaml 中记录的计划时，"
                              "各命令加 --plan 计划文件）。")
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
    pools, neighbours, conflicts = _officers(lp, task, pool, {t.credit_code for t in targets},
                                             commitment.get("officers_digest"))
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
    if lp.plan.task_digest(task, version=commitment["plan"].get("digest_version", 1)) != commitment["plan"]["task_digest"]:
        changed.append(f"计划文件中任务 {task.id} 的设置（检查组规则、事项、部门等）在固定名录后被修改")
    wanted = {role: f.path for role, f in inspector_roles(lp.plan).items()}
    if lp.plan.rosters.conflicts:
        wanted["conflicts"] = lp.plan.rosters.conflicts
    if task.fallback.neighbour_pool:
        for d in task.participants:
            wanted.update({role: f.path for role, f in neighbour_roles(lp.plan, d).items()})
    for role in sorted(set(wanted) | {r for r in frozen if r.split(":")[0] in ("inspectors", "conflicts")}):
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
    from ..draw.poolread import read_details

    rec = commitment.get("pool_details")
    if not rec:
        raise StateError("固定名录中没有对象明细文件，无法取得抽中对象的住所和属地监管所。",
                         hint="请用当前版本重新固定名录并抽取。")
    path = ws.resolve(rec["path"])
    if not path.is_file() or sha256_file(path) != rec["sha256"]:
        raise VerifyFailed(f"对象明细文件 {rec['path']} 缺失或与承诺记录不一致。", hint="请从备份恢复该文件。")
    headers, rows = read_details(path, codes)  # only the drawn entities' lines are kept
    at = {f: headers.index(h) for f, h in DETAIL_FIELDS.items() if h in headers}
    out = []
    for code in codes:
        row = rows.get(code)
        if row is None:
            raise VerifyFailed(f"抽中对象 {code} 不在固定的对象明细中。", hint="运行 ssj verify 检查抽取清单和固定名录。")
        out.append(Target(code, **{f: row[i] if i < len(row) else "" for f, i in at.items()}))
    return out


def _officers(lp: LoadedPlan, task: Task, pool: dict, codes: set[str], frozen_digest: str | None = None):
    """Frozen pool ids -> roster records (the roster's hash was checked), neighbours, conflicts.

    With `frozen_digest` (commitments from digest version 2), the officer records parsed now must
    be those parsed at freeze: a changed way of reading the roster that changes a record blocks."""
    from ..intake.inspectors import merge_intakes, read_inspector_files, read_inspectors
    from ..intake.rosters import read_conflicts

    plan = lp.plan
    intake = read_inspector_files(lp, inspector_roles(plan))
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
            roles = neighbour_roles(plan, d)
            if not roles or d not in task.participants:
                continue
            roster = {o.id: o for o in read_inspector_files(lp, roles, department=d).inspectors}
            neighbours[d] = records(v["eligible"], roster, f"{plan.department(d).name}相邻区域名录")
    if frozen_digest is not None:
        from ..draw.officers import officers_digest

        all_neighbours = {}
        for d in lp.plan.departments:
            if d.neighbour_inspectors:
                found = []
                for f in neighbour_roles(plan, d.id).values():
                    try:  # as the freeze does (rosters._guard): an unreadable file counts as absent
                        found.append(read_inspectors(lp.resolve(f.path), plan, department=d.id, spec=f))
                    except SsjError:
                        pass
                all_neighbours[d.id] = merge_intakes(found).inspectors if found else []
        if officers_digest(intake.inspectors, all_neighbours) != frozen_digest:
            raise StateError("按现在的计划读取执法人员名录，得到的人员记录与固定名录时不同（名录的列设置或读法被修改）。",
                             hint="如修改是有意的，须重新固定名录（ssj freeze --reason）并用新种子重新抽取；"
                                  "否则请恢复计划中名录的设置。")
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
