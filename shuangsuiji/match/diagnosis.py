"""Chinese explanations for `ssj match`: why a department cannot staff its targets (Infeasible),
what the plan allows next, and why a workload came out uneven. Pure text from counts."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.errors import Problem

RULE_POOL, RULE_CROSS, RULE_CONFLICT, RULE_REPEAT = "pool", "cross_area", "conflict", "avoid_repeat"
RULE_TEXT = {RULE_POOL: "符合条件的执法人员人数", RULE_CROSS: "所所交叉",
             RULE_CONFLICT: "回避名单", RULE_REPEAT: "不由上次检查人员再查"}


@dataclass
class Short:
    """A target a department cannot fully staff from a pool."""

    code: str
    area: str
    need: int
    allowed: int
    rule: str  # the binding rule: the first after which fewer than `need` officers are left
    counts: dict  # rule -> officers left after it (cumulative, in RULE_TEXT order)


def binding(need: int, counts: dict) -> str:
    for rule in (RULE_POOL, RULE_CROSS, RULE_CONFLICT, RULE_REPEAT):
        if rule in counts and counts[rule] < need:
            return rule
    return RULE_REPEAT


def why(s: Short) -> str:
    if s.rule == RULE_POOL:
        return f"符合条件的只有 {s.counts[RULE_POOL]} 名"
    return f"{RULE_TEXT[s.rule]}后只剩 {s.allowed} 名可选"


def diagnose(dept_name: str, shorts: list[Short], still: dict[str, int], *, excluded: dict[str, int] | None = None,
             neighbour_used: bool = False) -> list[Problem]:
    """One problem per (binding rule, 所, officers left) group of short targets, largest first."""
    groups: dict[tuple, list[Short]] = {}
    for s in shorts:
        groups.setdefault((s.rule, s.area if s.rule == RULE_CROSS else "", s.allowed), []).append(s)
    problems = []
    for (rule, area, allowed), group in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        need = group[0].need
        gap = sum(still[s.code] for s in group)
        n = len(group)
        examples = "、".join(s.code for s in group[:3]) + ("等" if n > 3 else "")
        if rule == RULE_POOL:
            extra = ""
            if excluded:
                extra = "；名录中另有 " + "、".join(f"{k} {v} 名" for k, v in excluded.items()) + " 不符合抽取条件"
            text = (f"{dept_name}：符合条件的执法人员只有 {group[0].counts[RULE_POOL]} 名，每组需 {need} 名"
                    f"（{n} 户对象各缺 {need - allowed} 名）{extra}")
        elif rule == RULE_CROSS:
            text = (f"{dept_name}：所所交叉使「{area}」的 {n} 户对象只剩 {allowed} 名可选执法人员"
                    f"（每组需 {need} 名，共缺 {gap} 名；{examples}）")
        else:
            text = (f"{dept_name}：{RULE_TEXT[rule]}使 {n} 户对象只剩 {allowed} 名可选执法人员"
                    f"（每组需 {need} 名，共缺 {gap} 名；{examples}）")
        if neighbour_used:
            text += "；已用相邻区域人员补充，仍然不足"
        problems.append(Problem(reason=text, code=f"infeasible:{rule}"))
    return problems


def fallback_hints(dept_name: str, *, neighbour_pool: bool, has_neighbours: bool,
                   direct_appointment: bool) -> list[str]:
    """What the plan allows next, in the order a clerk would try it."""
    hints = []
    if neighbour_pool and not has_neighbours:
        hints.append(f"计划允许与相邻区域人员匹配，但{dept_name}没有可用的相邻区域名录（departments[].neighbour_inspectors）")
    elif not neighbour_pool:
        hints.append("计划未允许与相邻区域人员匹配（任务的 fallback.neighbour_pool）")
    if direct_appointment:
        hints.append('计划允许直接委派：确认后加 --direct-reason "理由" 重新运行，理由会写入派发单和台账')
    else:
        hints.append("计划未允许直接委派（任务的 fallback.direct_appointment）")
    hints.append("也可补充执法人员或调整计划后重新固定名录（ssj freeze --reason）")
    return hints


def workload_notes(workload: dict[str, dict], dept_name) -> list[str]:
    """One sentence per department (and neighbour pool) whose workload the constraints made uneven."""
    out = []
    for dept, w in workload.items():
        for label, stats in (("", w), ("相邻区域人员", w.get("neighbour"))):
            imb = (stats or {}).get("imbalance")
            if not imb:
                continue
            load = stats["load"]
            heavy = [load[o] for o in imb["heavy"]]
            blocked = imb["blocked"]
            rule = max(blocked, key=blocked.get) if blocked else "on_team"
            reason = {"cross_area": "所所交叉", "excluded": "回避名单或不由上次检查人员再查",
                      "on_team": "须由不同人员组成检查组"}[rule]
            areas = [a for a in imb["areas"] if a][:3]
            where = f"（主要属{'、'.join(areas)}）" if areas else ""
            out.append(f"{dept_name(dept)}{label}：{len(imb['heavy'])} 名人员每人承担 {min(heavy)}–{max(heavy)} 户，"
                       f"其余人员少至 {stats['min']} 户——{imb['targets']} 户对象{where}因{reason}只能由这 "
                       f"{len(imb['heavy'])} 名人员检查，约束所致，已尽量均衡")
    return out
