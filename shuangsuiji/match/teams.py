"""The second 随机 (`ssj match`): officers drawn from each department and paired with the targets.

Pure core: `match(MatchInput) -> MatchResult`, or `Infeasible` with a Chinese diagnosis naming
the department, how many officers are short and the rule that binds. No I/O, no clock.

Per participating department d with n_d officers per team (`task.team_mix()`):
  own pool   every target gets min(n_d, allowed own officers) officers (flow.py, balanced);
  neighbour  targets still short take officers of the neighbouring area's pool, when the plan
             allows it (`fallback.neighbour_pool`) and names a roster for d;
  direct     slots still open become 直接委派 slots (the department appoints the officer), only
             when the plan allows it and the clerk gave a reason; otherwise: Infeasible.
Then the leader (组长, from the initiating department) and specialists (是否专家 officers added
when no member of the item's department has the item's 业务专长). Every choice derives from
keys.Keys (HMAC-SHA256 of the seed and stable ids); docs/match-spec.md specifies it.
"""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

from ..core.errors import Infeasible, InputInvalid, Problem
from ..core.perf import gc_paused
from ..intake.records import Inspector
from .diagnosis import (
    RULE_CONFLICT,
    RULE_CROSS,
    RULE_POOL,
    RULE_REPEAT,
    Short,
    binding,
    diagnose,
    fallback_hints,
    why,
)
from .diagnosis import workload_notes as _notes
from .flow import StageInput, StageResult, solve_stage
from .keys import SPEC_VERSION, Keys
from .model import (
    DIRECT,
    NEIGHBOUR,
    OWN,
    SOURCE_TEXT,
    ItemRule,
    MatchInput,
    MatchResult,
    MatchRules,
    Member,
    Team,
    rules_for,
)

# --------------------------------------------------------------------------- eligibility

def ineligibility(officer: Inspector, rules: MatchRules) -> str | None:
    """The draw stage's rule (freeze.officer_ineligibility), applied again as a safety net."""
    from ..draw.officers import officer_ineligibility

    cats = []
    for item in rules.items_of(officer.department):
        if item.category and item.category not in cats:
            cats.append(item.category)
    window = SimpleNamespace(window=SimpleNamespace(start=rules.window_start, end=rules.window_end))
    return officer_ineligibility(officer, window, cats)


def _clean_pool(officers: list[Inspector], dept: str, rules: MatchRules, what: str,
                warnings: list[str], seen: dict[str, str], check: bool = True) -> list[Inspector]:
    out = []
    for o in officers:
        if o.id in seen:
            raise InputInvalid(f"执法人员编号 {o.id} 在{seen[o.id]}和{what}中重复出现。",
                               hint="每名执法人员的执法证号（或工号）必须唯一；请修正名录后重新冻结。")
        seen[o.id] = what
        probe = o if o.department == dept else _as_dept(o, dept)
        why = ineligibility(probe, rules) if check else None
        if why:
            warnings.append(f"{what}的 {o.name}（{o.id}）不符合抽取条件（{why}），未参与匹配")
            continue
        out.append(probe)
    return out


def _as_dept(o: Inspector, dept: str) -> Inspector:
    from dataclasses import replace

    return replace(o, department=dept)


# --------------------------------------------------------------------------- the match

class _Ctx:
    def __init__(self, inp: MatchInput):
        self.inp = inp
        self.rules = inp.rules
        self.keys = Keys(inp.seed, inp.rules.task_id)
        self.warnings: list[str] = []
        self.by_code = {}
        for t in inp.targets:
            if t.credit_code in self.by_code:
                raise InputInvalid(f"抽中对象 {t.credit_code} 重复出现。", hint="抽取结果不应重复；请运行 ssj verify 检查。")
            self.by_code[t.credit_code] = t
        self.order = sorted(self.by_code, key=lambda c: (self.keys.digest("target", c), c))
        self.conflicts: dict[str, set[str]] = {}
        for c in inp.conflicts:
            oid, code = (c.inspector_id, c.credit_code) if hasattr(c, "inspector_id") else c
            self.conflicts.setdefault(code, set()).add(oid)
        self.last = {code: set(ids) for code, ids in inp.last.items()} if self.rules.avoid_repeat else {}
        seen: dict[str, str] = {}
        check = inp.check_eligibility
        self.pools = {d: _clean_pool(inp.pools.get(d, []), d, self.rules, f"{self.rules.dept_name(d)}名录",
                                     self.warnings, seen, check) for d, _ in self.rules.mix}
        self.neigh = {}
        if self.rules.neighbour_pool:
            self.neigh = {d: _clean_pool(inp.neighbours.get(d, []), d, self.rules,
                                         f"{self.rules.dept_name(d)}相邻区域名录", self.warnings, seen, check)
                          for d, _ in self.rules.mix if inp.neighbours.get(d)}
        self.officers = {o.id: o for pool in (*self.pools.values(), *self.neigh.values()) for o in pool}
        self._areas_cache: dict = {}
        self.areas = {c: (t.area.strip() if self.rules.cross_area else "") for c, t in self.by_code.items()}
        if self.rules.cross_area:
            blank = sum(1 for t in inp.targets if not t.area.strip())
            if blank:
                self.warnings.append(f"{blank} 户对象没有属地监管所，无法执行所所交叉，已按不限所匹配")

    def area(self, code: str) -> str:
        return self.areas[code]

    def excluded(self, code: str) -> set[str]:
        return self.conflicts.get(code, set()) | self.last.get(code, set())

    def allowed_count(self, code: str, pool: list[Inspector]) -> tuple[int, dict]:
        """Officers of `pool` allowed for the target, and how many are left after each rule."""
        area = self.areas[code]
        conf, rep = self.conflicts.get(code, ()), self.last.get(code, ())
        by_area = self._area_counts(pool)
        counts = {RULE_POOL: len(pool)}
        left = len(pool)
        if area:
            left -= by_area.get(area, 0)
            counts[RULE_CROSS] = left
        if conf or rep:
            ids = self._pool_areas(pool)
            gone = set()
            for rule, group in ((RULE_CONFLICT, conf), (RULE_REPEAT, rep)):
                if group:
                    gone |= {o for o in group if o in ids and not (area and ids[o] == area)}
                    counts[rule] = left - len(gone)
            left -= len(gone)
        return left, counts

    def _pool_areas(self, pool: list[Inspector]) -> dict[str, str]:
        key = id(pool)
        if key not in self._areas_cache:
            self._areas_cache[key] = {o.id: o.area.strip() for o in pool}
        return self._areas_cache[key]

    def _area_counts(self, pool: list[Inspector]) -> Counter:
        key = ("n", id(pool))
        if key not in self._areas_cache:
            self._areas_cache[key] = Counter(self._pool_areas(pool).values())
        return self._areas_cache[key]

    def stage(self, stage: str, dept: str, pool: list[Inspector], demand: dict[str, int]) -> StageResult:
        return solve_stage(self.keys, StageInput(
            stage=stage, department=dept, officers=[o.id for o in pool],
            officer_area=self._pool_areas(pool),
            targets=self.order, target_area=self.areas,
            demand=demand, excluded={c: self.excluded(c) for c in self.order if self.excluded(c)},
            cross_area=self.rules.cross_area))


def match(inp: MatchInput) -> MatchResult:
    """Pair officers with the drawn targets; raise Infeasible (nothing decided) when impossible."""
    with gc_paused():
        return _match(inp)


def _match(inp: MatchInput) -> MatchResult:
    ctx = _Ctx(inp)
    rules = ctx.rules
    members: dict[str, list[Member]] = {c: [] for c in ctx.order}
    notes: dict[str, list[dict]] = {c: [] for c in ctx.order}
    workload: dict[str, dict] = {}
    fallbacks: list[dict] = []
    problems: list[Problem] = []
    hints: list[str] = []
    for dept, need in rules.mix:
        if need <= 0:
            continue
        stats, dept_problems, dept_hints = _staff_department(ctx, dept, need, members, notes, fallbacks)
        workload[dept] = stats
        problems.extend(dept_problems)
        hints.extend(h for h in dept_hints if h not in hints)
    if problems:
        raise Infeasible(f"无法为全部抽中对象组成符合规则的检查组（{len(problems)} 处人员不足，见下）。",
                         hint="；".join(hints) + "。未写入任何文件。", problems=problems, code="infeasible")
    _choose_leaders(ctx, members, workload)
    _add_specialists(ctx, members, notes, workload)
    teams = []
    for no, t in enumerate(inp.targets, 1):
        ms = sorted(members[t.credit_code], key=lambda m: _member_order(rules, m))
        teams.append(Team(no, t.credit_code, ms, notes[t.credit_code]))
    neighbours = {o.id for pool in ctx.neigh.values() for o in pool}
    return MatchResult(teams, workload, fallbacks, ctx.warnings, dict(sorted(ctx.officers.items())), neighbours)


def _member_order(rules: MatchRules, m: Member):
    depts = [d for d, _ in rules.mix]
    return (not m.leader, depts.index(m.department) if m.department in depts else len(depts),
            bool(m.specialist_for), m.officer_id is None, m.officer_id or "")


def _staff_department(ctx: _Ctx, dept: str, need: int, members, notes, fallbacks):
    rules = ctx.rules
    name = rules.dept_name(dept)
    pool = ctx.pools[dept]
    demand, shorts = {}, []
    for code in ctx.order:
        allowed, counts = ctx.allowed_count(code, pool)
        demand[code] = min(need, allowed)
        if allowed < need:
            shorts.append(Short(code, ctx.area(code), need, allowed, binding(need, counts), counts))
    own = ctx.stage(OWN, dept, pool, demand)
    for code, ids in own.teams.items():
        members[code].extend(Member(o, dept, OWN) for o in ids)
    stats = _stats(own, len(pool))
    open_slots = {s.code: s.need - s.allowed for s in shorts}
    short_of = {s.code: s for s in shorts}
    if shorts and rules.neighbour_pool and ctx.neigh.get(dept):
        npool = ctx.neigh[dept]
        ndemand = {}
        for code, gap in open_slots.items():
            allowed, _ = ctx.allowed_count(code, npool)
            ndemand[code] = min(gap, allowed)
        nres = ctx.stage(NEIGHBOUR, dept, npool, ndemand)
        used = []
        for code, ids in nres.teams.items():
            if not ids:
                continue
            members[code].extend(Member(o, dept, NEIGHBOUR) for o in ids)
            open_slots[code] -= len(ids)
            used.append(code)
            s = short_of[code]
            notes[code].append({"rule": "neighbour_pool", "department": dept,
                                "text": f"{name}本区域人员不足（{why(s)}），由相邻区域执法人员 "
                                        f"{len(ids)} 名参与"})
        if used:
            fallbacks.append({"kind": "neighbour_pool", "department": dept, "targets": used,
                              "officers": sorted({o for c in used for o in nres.teams[c]}),
                              "text": f"{name}：{len(used)} 户对象使用相邻区域执法人员"})
        stats["neighbour"] = _stats(nres, len(npool))
    still = {c: n for c, n in open_slots.items() if n > 0}
    problems, hints = [], []
    if still and rules.direct_appointment and ctx.inp.direct_reason:
        for code, n in still.items():
            members[code].extend(Member(None, dept, DIRECT) for _ in range(n))
            s = short_of[code]
            notes[code].append({"rule": "direct_appointment", "department": dept,
                                "text": f"{name}可抽取人员不足（{why(s)}），直接委派 {n} 名持有效执法证人员；"
                                        f"理由：{ctx.inp.direct_reason}"})
        fallbacks.append({"kind": "direct_appointment", "department": dept, "targets": sorted(still),
                          "slots": sum(still.values()), "reason": ctx.inp.direct_reason,
                          "text": f"{name}：{len(still)} 户对象共 {sum(still.values())} 个名额直接委派"})
        stats["direct_slots"] = sum(still.values())
    elif still:
        has_neighbours = bool(rules.neighbour_pool and ctx.neigh.get(dept))
        problems = diagnose(name, [s for s in shorts if s.code in still], still,
                            excluded=ctx.inp.excluded.get(dept), neighbour_used=has_neighbours)
        hints = fallback_hints(name, neighbour_pool=rules.neighbour_pool, has_neighbours=bool(ctx.neigh.get(dept)),
                               direct_appointment=rules.direct_appointment)
    return stats, problems, hints


def _stats(res: StageResult, size: int) -> dict:
    loads = list(res.load.values())
    out = {"officers": size, "slots": sum(loads), "min": min(loads, default=0), "max": max(loads, default=0),
           "balanced": (max(loads, default=0) - min(loads, default=0)) <= 1,
           "load": dict(sorted(res.load.items())), "capacity_raises": res.raised, "moves": res.moves}
    if res.imbalance is not None:
        imb = res.imbalance
        out["imbalance"] = {"heavy": imb.heavy, "light": imb.light, "targets": len(imb.targets),
                            "blocked": imb.blocked, "areas": imb.areas}
    return out


def _choose_leaders(ctx: _Ctx, members: dict[str, list[Member]], workload: dict) -> None:
    """组长: an initiator officer, own pool first; fewest leaderships so far, then the lowest key."""
    ini = ctx.rules.initiator
    count: Counter = Counter()
    for code in ctx.order:
        ms = [m for m in members[code] if m.department == ini]
        for source in (OWN, NEIGHBOUR):
            cands = [m for m in ms if m.source == source]
            if cands:
                best = min(cands, key=lambda m: (count[m.officer_id],
                                                 ctx.keys.digest("leader", code, m.officer_id), m.officer_id))
                best.leader = True
                count[best.officer_id] += 1
                break
        else:
            if ms:
                ms[0].leader = True  # a 直接委派 slot: the appointed officer leads
    if ini in workload:
        workload[ini]["leader"] = dict(sorted(count.items()))


def _add_specialists(ctx: _Ctx, members, notes, workload) -> None:
    """Items with a 业务专长: a member of the item's department must have it, else add an expert."""
    rules = ctx.rules
    items = [i for i in rules.items if i.specialty]
    if not items:
        return
    load: Counter = Counter()
    experts = {item.id: sorted((o for o in ctx.pools.get(item.department, [])
                                if o.expert and item.specialty in o.specialties),
                               key=lambda o: (ctx.keys.digest("expert", item.id, o.id), o.id))
               for item in items}
    for code in ctx.order:
        team = members[code]
        for item in items:
            dept = item.department
            cover = next((m for m in team if m.department == dept and m.officer_id
                          and item.specialty in ctx.officers[m.officer_id].specialties), None)
            if cover is not None:
                if cover.specialist_for:
                    cover.specialist_for = (*cover.specialist_for, item.id)
                continue
            on = {m.officer_id for m in team}
            area, ex = ctx.area(code), ctx.excluded(code)
            cands = [o for o in experts[item.id]
                     if o.id not in on and o.id not in ex and not (area and o.area.strip() == area)]
            name = rules.dept_name(dept)
            if not cands:
                notes[code].append({"rule": "specialist_missing", "department": dept, "item": item.id,
                                    "text": f"检查组中{name}人员无「{item.specialty}」专长，且无可派的专家："
                                            f"须由{name}选派专业人员协助（{item.name}）"})
                continue
            low = min(load[o.id] for o in cands)
            fewest = [o for o in cands if load[o.id] == low]
            best = fewest[ctx.keys.number("specialist", item.id, code) % len(fewest)]
            load[best.id] += 1
            team.append(Member(best.id, dept, OWN, specialist_for=(item.id,)))
            notes[code].append({"rule": "specialist_added", "department": dept, "item": item.id,
                                "text": f"检查组中{name}人员无「{item.specialty}」专长，增派专家 1 名（{item.name}）"})
    for dept in {i.department for i in items}:
        ids = {o.id for o in ctx.pools.get(dept, [])}
        if dept in workload:
            workload[dept]["specialist"] = {o: n for o, n in sorted(load.items()) if o in ids}


def allowed_officers(inp: MatchInput) -> dict[str, dict[str, set[str]]]:
    """department -> credit code -> own-pool officers the rules allow for it (for fairness reports)."""
    ctx = _Ctx(inp)
    out: dict[str, dict[str, set[str]]] = {}
    for dept, _ in ctx.rules.mix:
        out[dept] = {}
        for code in ctx.order:
            area, ex = ctx.areas[code], ctx.excluded(code)
            out[dept][code] = {o.id for o in ctx.pools[dept]
                               if o.id not in ex and not (area and o.area.strip() == area)}
    return out


def workload_notes(result: MatchResult, rules: MatchRules) -> list[str]:
    """One Chinese sentence per department whose workload the constraints made uneven."""
    return _notes(result.workload, rules.dept_name)


__all__ = ["SPEC_VERSION", "OWN", "NEIGHBOUR", "DIRECT", "SOURCE_TEXT", "MatchRules", "ItemRule", "MatchInput",
           "MatchResult", "Team", "Member", "rules_for", "match", "ineligibility", "allowed_officers",
           "workload_notes"]
