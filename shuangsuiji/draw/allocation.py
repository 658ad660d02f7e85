"""Strata and takes: how a task's sampling rule turns into strata (one per risk class with its own
rule, plus a default stratum for the rest) and how many each stratum draws (`allocate`: ratio
and/or count, the larger wins, then min/max, then the plan's rounding). The exclusion reasons a
freeze counts per stratum are named here too, in the order they are tested.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from ..intake.records import Target
from ..plan.model import Plan, StratumRule, Task

RESERVE_RATIO = Decimal("0.2")  # reserves per stratum: 20 % of the take, at least RESERVE_MIN
RESERVE_MIN = 2


def default_reserves(take: int, pool_size: int) -> int:
    """Reserves kept per stratum: ceil(20 % of take), at least 2, never beyond the pool."""
    if take <= 0:
        return 0
    want = max(RESERVE_MIN, int((Decimal(take) * RESERVE_RATIO).to_integral_value(ROUND_CEILING)))
    return max(0, min(want, pool_size - take))


def clamp_reserves(wanted: int | None, take: int, pool_size: int) -> int:
    """The reserve count fixed at freeze: `wanted` (ssj freeze --reserves) or the default,
    never more than the entities left after the take, 0 when the stratum takes nothing."""
    if wanted is None:
        return default_reserves(take, pool_size)
    return max(0, min(wanted, pool_size - take)) if take > 0 else 0


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
