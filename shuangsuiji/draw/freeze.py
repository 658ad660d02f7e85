"""`ssj freeze`: fix, before any seed exists, who can be drawn for a task and how many.

The freeze applies the task's scope (定向 filters), registration state and exclusions (无事不扰:
entities drawn recently, by the ledger and by the roster's 上次检查日期; newly established ones),
splits the eligible entities into credit-risk strata, computes each stratum's take from the
plan's rule, and fixes the eligible officer pool of every participating department.

Outputs, in out/<task>/freeze/ (freeze-2/, … for a re-freeze):
    pool.csv            public: 分层, 统一社会信用代码, 企业名称 (stratum order, then code)
    pool_details.tsv   internal: type, industry, address, area, contact… of each pooled entity,
                        so the draw workbook needs no second pass over the roster
    officer_pool.json   internal: eligible officers per department (ids), the ineligible with why
    commitment.json     hashes of the plan task, every roster and the files above; pool sizes and
                        takes per stratum; exclusion counts; time. Its SHA-256 is the commitment;
                        its first 16 hex digits, grouped, are the code announced publicly.
A `freeze` ledger entry records the commitment. The pure parts (`build_pool`, `allocate`,
`eligible_officers`) take plain records, so they are testable without files.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from pathlib import Path

from .. import __version__
from ..core.errors import InputInvalid, StateError, VerifyFailed
from ..core.fileio import sha256_bytes, sha256_file, staged_dir, write_bytes_atomic
from ..core.progress import report
from ..core.workspace import Workspace
from ..intake.records import Inspector, Target
from ..plan.model import LoadedPlan, Plan, StratumRule, Task
from ..sheets.fastxlsx import escaped, fast_csv_bytes, gc_paused

SPEC_VERSION = "ssj-draw-v1"
COMMITMENT_VERSION = 1
POOL_HEADERS = ["分层", "统一社会信用代码", "企业名称"]
DETAIL_HEADERS = ["统一社会信用代码", "企业名称", "市场主体类型", "行业", "住所", "属地监管所", "登记状态",
                  "信用风险分类", "法定代表人", "联系电话"]
DEFAULT_STRATUM_ALL = "全部"  # the stratum of a plan with only a default rule
DEFAULT_STRATUM_OTHER = "其他"  # classes without their own rule, when some classes have one

# Exclusion reasons, in the order they are tested (an entity is counted under the first).
R_SCOPE = "不在定向范围"
R_STATE = "登记状态不可抽取"
R_NO_RULE = "信用风险类别无抽取规则"
R_NEW = "新设立未满期限"
R_DRAWN = "近期已被抽取（台账）"
R_INSPECTED = "近期已检查（名录上次检查日期）"
REASON_ORDER = [R_SCOPE, R_STATE, R_NO_RULE, R_NEW, R_DRAWN, R_INSPECTED]
ROUNDING_TEXT = {"up": "向上取整", "down": "向下取整", "nearest": "四舍五入"}


# --------------------------------------------------------------------------- allocation

def allocate(rule: StratumRule, pool_size: int, rounding: str) -> tuple[int, list[str]]:
    """How many to take from a stratum of `pool_size` eligible entities, and notes on why.

    ratio × pool is rounded as the plan says (exact decimal arithmetic: 0.03 × 100 is 3, not 4);
    with both ratio and count the larger wins; then min_count and max_count bound it; a take
    above the pool takes the whole pool (said so in the notes).
    """
    notes: list[str] = []
    if pool_size == 0:
        if rule.min_count or rule.count:
            notes.append("该层没有可抽取的对象，抽取 0 户")
        return 0, notes
    candidates = []
    if rule.ratio is not None:
        exact = Decimal(str(rule.ratio)) * pool_size
        mode = {"up": ROUND_CEILING, "down": ROUND_FLOOR, "nearest": ROUND_HALF_UP}[rounding]
        candidates.append(int(exact.to_integral_value(rounding=mode)))
    if rule.count is not None:
        candidates.append(rule.count)
    take = max(candidates)
    if take < rule.min_count:
        notes.append(f"按比例计算为 {take} 户，低于最少 {rule.min_count} 户，取 {rule.min_count} 户")
        take = rule.min_count
    if rule.max_count is not None and take > rule.max_count:
        notes.append(f"计算为 {take} 户，超过最多 {rule.max_count} 户，取 {rule.max_count} 户")
        take = rule.max_count
    if take > pool_size:
        notes.append(f"应抽 {take} 户，超过可抽取的 {pool_size} 户，全部抽取")
        take = pool_size
    return take, notes


def rule_text(rule: StratumRule, rounding: str) -> str:
    parts = []
    if rule.ratio is not None:
        pct = (Decimal(str(rule.ratio)) * 100).normalize()
        parts.append(f"比例 {pct:f}%（{ROUNDING_TEXT[rounding]}）")
    if rule.count is not None:
        parts.append(f"数量 {rule.count}")
    if rule.min_count:
        parts.append(f"最少 {rule.min_count}")
    if rule.max_count is not None:
        parts.append(f"最多 {rule.max_count}")
    return "，".join(parts)


# --------------------------------------------------------------------------- strata

@dataclass
class Stratum:
    name: str
    classes: list[str]  # risk classes it covers ("" = no class)
    rule: StratumRule
    pool: list[Target] = field(default_factory=list)  # eligible, sorted by credit code
    take: int = 0
    notes: list[str] = field(default_factory=list)
    excluded: Counter = field(default_factory=Counter)  # reason -> count
    in_roster: int = 0  # roster entities of its classes (before any exclusion)
    drawable: bool = True  # False only for the report line of classes without a rule

    def summary(self, rounding: str) -> dict:
        return {
            "name": self.name,
            "classes": self.classes,
            "rule": self.rule.model_dump(mode="json"),
            "rule_text": rule_text(self.rule, rounding),
            "in_roster": self.in_roster,
            "excluded": {r: self.excluded[r] for r in REASON_ORDER if self.excluded[r]},
            "pool_size": len(self.pool),
            "take": self.take,
            "notes": self.notes,
            "drawable": self.drawable,
        }


def strata_for(plan: Plan, task: Task) -> tuple[list[Stratum], dict[str, str | None]]:
    """The task's strata in plan order, and a map risk class ("" for none) -> stratum name or None."""
    sampling = task.sampling
    strata: list[Stratum] = []
    class_to: dict[str, str | None] = {}
    for cls in plan.risk_classes:
        if cls in sampling.strata:
            strata.append(Stratum(cls, [cls], sampling.strata[cls]))
            class_to[cls] = cls
    if sampling.default is not None:
        name = DEFAULT_STRATUM_OTHER if strata else DEFAULT_STRATUM_ALL
        rest = [c for c in plan.risk_classes if c not in sampling.strata] + [""]
        strata.append(Stratum(name, rest, sampling.default))
        for cls in rest:
            class_to[cls] = name
    for cls in [*plan.risk_classes, ""]:
        class_to.setdefault(cls, None)
    return strata, class_to


@dataclass
class Drawn:
    """An entity an earlier official draw selected (the evidence for a 无事不扰 exclusion)."""

    when: date
    task: str


def _in_scope(t: Target, task: Task, special: set[str] | None) -> bool:
    scope = task.scope
    if not scope.directed:
        return True
    # Type, industry and area match the roster's cell exactly: a substring rule would let
    # 娱乐业 also catch 文化、体育和娱乐业, and nobody could predict the pool from the plan.
    if scope.entity_types and t.entity_type not in scope.entity_types:
        return False
    if scope.industries and t.industry not in scope.industries:
        return False
    if scope.areas and t.area not in scope.areas:
        return False
    if scope.licence and not any(scope.licence in lic for lic in t.licences):
        return False
    if scope.special_list is not None and (special is None or t.credit_code not in special):
        return False
    return True


def _window_start(task: Task) -> date | None:
    """Earliest date of a previous draw or inspection that still excludes an entity."""
    ex = task.exclusions
    starts = []
    if ex.drawn_within_days is not None:
        starts.append(task.draw_date - timedelta(days=ex.drawn_within_days))
    if ex.drawn_since is not None:
        starts.append(ex.drawn_since)
    return min(starts) if starts else None


@dataclass
class PoolResult:
    strata: list[Stratum]
    out_of_scope: int
    excluded_examples: dict[str, list[str]]  # reason -> a few credit codes (for the clerk)


def build_pool(plan: Plan, task: Task, targets: Iterable[Target], *,
               special_lists: dict[str, set[str]] | None = None,
               drawn: dict[str, Drawn] | None = None) -> PoolResult:
    """Apply scope, state and exclusions; split the eligible entities into strata; allocate."""
    strata, class_to = strata_for(plan, task)
    by_name = {s.name: s for s in strata}
    special = (special_lists or {}).get(task.scope.special_list) if task.scope.special_list else None
    drawn = drawn or {}
    ex = task.exclusions
    since = _window_start(task)
    new_after = (task.draw_date - timedelta(days=ex.established_within_days)
                 if ex.established_within_days is not None else None)
    high = set(plan.high_risk_classes)
    exempt_high = ex.high_risk_exempt
    out_of_scope = 0
    examples: dict[str, list[str]] = {}
    unassigned = Stratum("（无抽取规则）", [], StratumRule(count=0), drawable=False)

    def exclude(s: Stratum, reason: str, code: str) -> None:
        s.excluded[reason] += 1
        ex_list = examples.setdefault(reason, [])
        if len(ex_list) < 5:
            ex_list.append(code)

    for t in targets:
        name = class_to.get(t.risk, class_to.get(""))
        s = by_name[name] if name is not None else unassigned
        s.in_roster += 1
        if not _in_scope(t, task, special):
            out_of_scope += 1
            s.excluded[R_SCOPE] += 1
            continue
        if not t.drawable:
            exclude(s, R_STATE, t.credit_code)
            continue
        if name is None:
            exclude(s, R_NO_RULE, t.credit_code)
            continue
        if new_after is not None and t.established is not None and t.established > new_after:
            exclude(s, R_NEW, t.credit_code)
            continue
        if since is not None and not (exempt_high and t.risk in high):
            d = drawn.get(t.credit_code)
            if d is not None and since <= d.when <= task.draw_date:
                exclude(s, R_DRAWN, t.credit_code)
                continue
            if t.last_inspected is not None and since <= t.last_inspected <= task.draw_date:
                exclude(s, R_INSPECTED, t.credit_code)
                continue
        s.pool.append(t)
    for s in strata:
        s.pool.sort(key=lambda t: t.credit_code)
        s.take, s.notes = allocate(s.rule, len(s.pool), task.sampling.rounding)
    if unassigned.in_roster:
        # Entities of a class the plan gives no rule: shown as their own line, never drawn.
        unassigned.notes.append("这些对象的信用风险类别在本任务中没有抽取规则（也未设 default），不参与抽取")
        strata.append(unassigned)
    return PoolResult(strata, out_of_scope, examples)


# --------------------------------------------------------------------------- officers

def required_categories(plan: Plan, task: Task, department: str) -> list[str]:
    """执法门类 an officer of `department` must hold: those of the task's items it checks."""
    cats = []
    for item_id in task.items:
        item = plan.item(item_id)
        if item.department == department and item.category and item.category not in cats:
            cats.append(item.category)
    return cats


INELIGIBLE_KINDS = ("不在岗", "无执法证", "执法证到期", "缺少执法门类")


def officer_check(officer: Inspector, task: Task, categories: list[str]) -> tuple[str, str] | None:
    """None when the officer may be drawn for the task, else (kind, reason in Chinese)."""
    if not officer.active:
        return "不在岗", (f"不在岗（{officer.status}）" if officer.status else "不在岗")
    if not officer.credential_no:
        return "无执法证", "无执法证"
    if not officer.credential_valid(task.window.start, task.window.end):
        expiry = officer.credential_expiry.isoformat() if officer.credential_expiry else "?"
        return "执法证到期", f"执法证 {expiry} 到期，不能覆盖检查期（至 {task.window.end.isoformat()}）"
    missing = [c for c in categories if not any(c == have or c in have for have in officer.categories)]
    if missing:
        return "缺少执法门类", "缺少执法门类：" + "、".join(missing)
    return None


def officer_ineligibility(officer: Inspector, task: Task, categories: list[str]) -> str | None:
    """None when the officer may be drawn for the task, else the reason in Chinese."""
    found = officer_check(officer, task, categories)
    return found[1] if found else None


def eligible_officers(inspectors: Iterable[Inspector], plan: Plan, task: Task, department: str
                      ) -> tuple[list[Inspector], list[tuple[Inspector, str]]]:
    """(eligible officers of `department`, [(ineligible officer, reason)]), both sorted by id.

    The rule: active (在岗), a credential number, the credential valid over the whole inspection
    window, and every 执法门类 the task's items of that department require.
    """
    cats = required_categories(plan, task, department)
    ok: list[Inspector] = []
    bad: list[tuple[Inspector, str]] = []
    for officer in inspectors:
        if officer.department != department:
            continue
        why = officer_ineligibility(officer, task, cats)
        if why is None:
            ok.append(officer)
        else:
            bad.append((officer, why))
    ok.sort(key=lambda o: o.id)
    bad.sort(key=lambda x: x[0].id)
    return ok, bad


def officer_pool(plan: Plan, task: Task, inspectors: list[Inspector],
                 neighbours: dict[str, list[Inspector]] | None = None) -> dict:
    """The internal officer-pool record: per participating department, eligible ids and why not."""

    def describe(officers: list[Inspector], dept: str) -> dict:
        ok, bad = eligible_officers(officers, plan, task, dept)
        cats = required_categories(plan, task, dept)
        return {
            "required_categories": required_categories(plan, task, dept),
            "eligible": [{"id": o.id, "name": o.name, "area": o.area, "expert": o.expert,
                          "specialties": list(o.specialties)} for o in ok],
            "ineligible": [{"id": o.id, "name": o.name, "kind": officer_check(o, task, cats)[0], "reason": why}
                           for o, why in bad],
        }

    record = {"task": task.id, "window": {"start": task.window.start.isoformat(),
                                          "end": task.window.end.isoformat()},
              "departments": {d: describe(inspectors, d) for d in task.participants}}
    if task.fallback.neighbour_pool and neighbours:
        record["neighbours"] = {d: describe(neighbours[d], d) for d in task.participants
                                if neighbours.get(d)}
    return record


# --------------------------------------------------------------------------- files

def pool_csv_bytes(strata: list[Stratum]) -> bytes:
    """The public pool file: UTF-8 with BOM, CRLF; names escaped against formula injection."""
    rows = ((s.name, t.credit_code, escaped(t.name)) for s in strata if s.drawable for t in s.pool)
    return fast_csv_bytes(POOL_HEADERS, rows)


_FLATTEN = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


def details_tsv_bytes(strata: list[Stratum]) -> bytes:
    """The internal details of every pooled entity, one tab-separated line each (UTF-8).

    Display-only (the office's draw workbook): tabs and line breaks inside a cell become spaces.
    Not escaped against formulas: the file is read by ssj, and the workbook escapes.
    """
    width = len(DETAIL_HEADERS) - 1
    lines = ["\t".join(DETAIL_HEADERS)]
    for s in strata:
        if not s.drawable:
            continue
        for t in s.pool:
            line = "\t".join((t.credit_code, t.name, t.entity_type, t.industry, t.address, t.area, t.state,
                              t.risk, t.legal_rep, t.phone))
            if line.count("\t") != width or "\n" in line or "\r" in line:
                line = "\t".join(x.translate(_FLATTEN) for x in (
                    t.credit_code, t.name, t.entity_type, t.industry, t.address, t.area, t.state, t.risk,
                    t.legal_rep, t.phone))
            lines.append(line)
    lines.append("")
    return "\n".join(lines).encode("utf-8")


def read_pool_csv(path: Path) -> dict[str, list[tuple[str, str]]]:
    """stratum -> [(credit code, name as written in the file)] from a pool file, in file order."""
    return _parse_pool(Path(path).read_bytes().decode("utf-8-sig"), path)


def _parse_pool(text: str, path) -> dict[str, list[tuple[str, str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header != POOL_HEADERS:
        raise InputInvalid(f"池文件 {path} 的表头应为 {','.join(POOL_HEADERS)}，实际为 {header}。")
    out: dict[str, list[tuple[str, str]]] = {}
    for row in reader:
        if len(row) != 3:
            raise InputInvalid(f"池文件 {path} 第{reader.line_num}行应有 3 列。")
        out.setdefault(row[0], []).append((row[1], row[2]))
    return out


def read_pool_ids(path: Path) -> dict[str, list[str]]:
    """stratum -> [credit code] from a pool file, in file order (fast path for unquoted files)."""
    text = Path(path).read_bytes().decode("utf-8-sig")
    if '"' in text:  # quoted cells may hold commas or line breaks: parse properly
        return {k: [c for c, _ in v] for k, v in _parse_pool(text, path).items()}
    lines = text.split("\r\n") if "\r\n" in text else text.split("\n")
    if lines[0] != ",".join(POOL_HEADERS):
        raise InputInvalid(f"池文件 {path} 的表头应为 {','.join(POOL_HEADERS)}，实际为 {lines[0]}。")
    out: dict[str, list[str]] = {}
    for n, line in enumerate(lines[1:], 2):
        if not line:
            continue
        parts = line.split(",", 2)
        if len(parts) != 3:
            raise InputInvalid(f"池文件 {path} 第{n}行应有 3 列。")
        out.setdefault(parts[0], []).append(parts[1])
    return out


def read_details(path: Path, wanted: dict[str, int] | None = None) -> tuple[list[str], dict[str, list[str]]]:
    """(headers, credit code -> row) from pool_details.tsv, whose lines follow the pool file's order.

    `wanted` maps credit codes to their 0-based position in the pool file: only those lines are
    split (a line whose code does not match its position is looked up by scanning instead).
    """
    lines = Path(path).read_bytes().decode("utf-8").split("\n")
    headers = lines[0].split("\t")
    body = lines[1:]
    if wanted is None:
        return headers, {line[: line.find("\t")]: line.split("\t") for line in body if line}
    out: dict[str, list[str]] = {}
    missing = []
    for code, pos in wanted.items():
        line = body[pos] if 0 <= pos < len(body) else ""
        if line.startswith(code + "\t"):
            out[code] = line.split("\t")
        else:
            missing.append(code)
    if missing:
        every = {line[: line.find("\t")]: line for line in body if line}
        out.update({c: every[c].split("\t") for c in missing if c in every})
    return headers, out


def commitment_code(commitment_sha256: str) -> str:
    """The short code announced publicly: the first 16 hex digits, upper case, in groups of 4."""
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


def _resolve(ws: Workspace, rel: str) -> Path:
    p = Path(rel)
    return p if p.is_absolute() else ws.root / p


def load_commitment(ws: Workspace, task_id: str) -> dict:
    """The task's commitment in force (latest freeze), checked against its ledger hash.

    The returned dict is the commitment record plus "_path" (workspace-relative) and "_sha256".
    """
    from ..core.state import TaskState

    entry = TaskState(ws, task_id).latest_freeze
    if entry is None:
        raise StateError(f"任务 {task_id} 尚未固定名录（台账中没有 freeze 记录）。",
                         hint=f"先运行 ssj freeze --plan 计划文件 --task {task_id}，并公布承诺码。")
    rel = entry["data"]["commitment"]
    path = _resolve(ws, rel)
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
                reason: str | None = None, allow_rejected: bool = False, progress=None) -> dict:
    """Freeze `task` from loaded `rosters` (see rosters.Rosters). Caller holds the workspace lock.

    Returns what the CLI shows: strata summaries, the commitment code and the files written.
    """
    from ..core.clock import stamp
    from ..core.state import TaskState

    state = TaskState(ws, task.id)
    reason = reason.strip() if reason else None
    if state.freezes and not reason:
        raise StateError(f"任务 {task.id} 已于 {state.latest_freeze['time']} 固定过名录（承诺码 "
                         f"{state.latest_freeze['data'].get('code')}）。",
                         hint="如需重新固定（例如修正名录后），请加 --reason 说明理由；"
                              "新的承诺码需要重新公布。")
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
    pool_bytes = pool_csv_bytes(strata)
    details_bytes = details_tsv_bytes(strata)
    officers = officer_pool(lp.plan, task, rosters.inspectors, getattr(rosters, "neighbours", None))
    officers_bytes = (json.dumps(officers, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    n = len(state.freezes) + 1
    target = ws.task_dir(task.id) / ("freeze" if n == 1 else f"freeze-{n}")
    frozen_at = stamp(now)
    with staged_dir(target) as tmp:
        rel = {name: ws.rel(target / name) for name in
               ("pool.csv", "pool_details.tsv", "officer_pool.json", "commitment.json")}
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
            "plan": {"path": ws.rel(lp.path), "sha256": lp.sha256, "task_digest": lp.plan.task_digest(task)},
            "rosters": {role: {"path": ws.rel(p), "sha256": digest}
                        for role, (p, digest) in sorted(rosters.files.items())},
            "pool_file": rel["pool.csv"],
            "pool_sha256": sha256_bytes(pool_bytes),
            "pool_details": {"path": rel["pool_details.tsv"], "sha256": sha256_bytes(details_bytes)},
            "officer_pool": {"path": rel["officer_pool.json"], "sha256": sha256_bytes(officers_bytes)},
            "draw_date": task.draw_date.isoformat(),
            "exclusions": task.exclusions.model_dump(mode="json"),
            "scope": task.scope.model_dump(mode="json"),
            "out_of_scope": result.out_of_scope,
            "strata": [s.summary(task.sampling.rounding) for s in strata],
            "officers": {d: len(v["eligible"]) for d, v in officers["departments"].items()},
            "rejected_rows": [{"file": Path(p.file).name if p.file else None, "sheet": p.sheet,
                               "row": p.row, "column": p.column, "reason": p.reason}
                              for p in rejected],
        }
        commitment_bytes = (json.dumps(commitment, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        write_bytes_atomic(tmp / "pool.csv", pool_bytes)
        write_bytes_atomic(tmp / "pool_details.tsv", details_bytes)
        write_bytes_atomic(tmp / "officer_pool.json", officers_bytes)
        write_bytes_atomic(tmp / "commitment.json", commitment_bytes)
    commitment_sha = sha256_bytes(commitment_bytes)
    code = commitment_code(commitment_sha)
    files = {rel["pool.csv"]: commitment["pool_sha256"],
             rel["pool_details.tsv"]: commitment["pool_details"]["sha256"],
             rel["officer_pool.json"]: commitment["officer_pool"]["sha256"],
             rel["commitment.json"]: commitment_sha}
    data = {"commitment": rel["commitment.json"], "commitment_sha256": commitment_sha, "code": code}
    if reason:
        data["reason"] = reason
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
    }


def freeze_from_plan(plan_path: Path, task_key: str, *, now: datetime, reason: str | None = None,
                     allow_rejected: bool = False, progress=None) -> dict:
    """The whole `ssj freeze`: load plan and rosters, lock the workspace, freeze, record."""
    from ..core.workspace import find_workspace
    from ..intake.rosters import load_rosters
    from ..plan.model import load_plan

    lp = load_plan(plan_path)
    task = lp.plan.task(task_key)
    ws = find_workspace(lp.path)
    with gc_paused():
        rosters = load_rosters(lp, progress=progress)
        with ws.lock():
            return freeze_task(ws, lp, task, rosters, now=now, reason=reason,
                               allow_rejected=allow_rejected, progress=progress)


