"""The records of `ssj match`: the rules taken from the plan, the inputs, the teams.

`MatchRules` holds everything of the plan that decides a match; it is written into the match
manifest (`to_dict`) so `ssj verify` can recompute without the plan file (`from_dict`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from ..intake.records import Inspector, Target

OWN, NEIGHBOUR, DIRECT = "own", "neighbour", "direct"
SOURCE_TEXT = {OWN: "本部门", NEIGHBOUR: "相邻区域", DIRECT: "直接委派"}


# --------------------------------------------------------------------------- inputs

@dataclass(frozen=True)
class ItemRule:
    id: str
    name: str
    department: str
    category: str | None = None
    specialty: str | None = None


@dataclass(frozen=True)
class MatchRules:
    """Everything of the plan that decides a match (recorded in the manifest for recomputation)."""

    task_id: str
    task_number: str
    initiator: str
    mix: tuple[tuple[str, int], ...]  # (department id, officers per team), participants order
    items: tuple[ItemRule, ...]
    departments: tuple[tuple[str, str], ...]  # (id, name) of participants
    window_start: date
    window_end: date
    cross_area: bool = False
    avoid_repeat: bool = True
    neighbour_pool: bool = False
    direct_appointment: bool = False

    @property
    def team_size(self) -> int:
        return sum(n for _, n in self.mix)

    def dept_name(self, dept: str) -> str:
        return dict(self.departments).get(dept, dept)

    def items_of(self, dept: str) -> list[ItemRule]:
        return [i for i in self.items if i.department == dept]

    def to_dict(self) -> dict:
        return {
            "task_id": self.task_id, "task_number": self.task_number, "initiator": self.initiator,
            "mix": [[d, n] for d, n in self.mix],
            "items": [{"id": i.id, "name": i.name, "department": i.department, "category": i.category,
                       "specialty": i.specialty} for i in self.items],
            "departments": [[d, n] for d, n in self.departments],
            "window": {"start": self.window_start.isoformat(), "end": self.window_end.isoformat()},
            "cross_area": self.cross_area, "avoid_repeat": self.avoid_repeat,
            "neighbour_pool": self.neighbour_pool, "direct_appointment": self.direct_appointment,
        }

    @classmethod
    def from_dict(cls, d: dict) -> MatchRules:
        return cls(
            task_id=d["task_id"], task_number=d["task_number"], initiator=d["initiator"],
            mix=tuple((x, int(n)) for x, n in d["mix"]),
            items=tuple(ItemRule(**i) for i in d["items"]),
            departments=tuple((x, n) for x, n in d["departments"]),
            window_start=date.fromisoformat(d["window"]["start"]),
            window_end=date.fromisoformat(d["window"]["end"]),
            cross_area=bool(d["cross_area"]), avoid_repeat=bool(d["avoid_repeat"]),
            neighbour_pool=bool(d["neighbour_pool"]), direct_appointment=bool(d["direct_appointment"]),
        )


def rules_for(plan, task) -> MatchRules:
    """MatchRules of a plan task (plan.Plan, plan.Task)."""
    return MatchRules(
        task_id=task.id, task_number=task.number, initiator=task.initiator,
        mix=tuple(task.team_mix().items()),
        items=tuple(ItemRule(i.id, i.name, i.department, i.category, i.specialty)
                    for i in (plan.item(x) for x in task.items)),
        departments=tuple((d, plan.department(d).name) for d in task.participants),
        window_start=task.window.start, window_end=task.window.end,
        cross_area=task.team.cross_area, avoid_repeat=task.team.avoid_repeat,
        neighbour_pool=task.fallback.neighbour_pool, direct_appointment=task.fallback.direct_appointment,
    )


@dataclass
class MatchInput:
    rules: MatchRules
    targets: list[Target]  # in draw order (序号)
    pools: dict[str, list[Inspector]]  # department -> eligible officers (the frozen pool)
    seed: str
    conflicts: Iterable = ()  # records.Conflict or (officer id, credit code) pairs
    last: dict[str, Iterable[str]] = field(default_factory=dict)  # credit code -> officers of its last inspection
    neighbours: dict[str, list[Inspector]] = field(default_factory=dict)  # department -> neighbouring-area officers
    direct_reason: str | None = None
    excluded: dict[str, dict[str, int]] = field(default_factory=dict)  # dept -> ineligibility kind -> count
    check_eligibility: bool = True  # False when recomputing from the frozen pool (ids and areas only)


# --------------------------------------------------------------------------- outputs

@dataclass
class Member:
    officer_id: str | None  # None: a 直接委派 slot the department fills
    department: str
    source: str = OWN  # own / neighbour / direct
    leader: bool = False
    specialist_for: tuple[str, ...] = ()  # item ids this added specialist covers

    def to_dict(self) -> dict:
        return {"officer": self.officer_id, "department": self.department, "source": self.source,
                "leader": self.leader, "specialist_for": list(self.specialist_for)}


@dataclass
class Team:
    no: int  # 序号 (draw order, 1-based)
    credit_code: str
    members: list[Member]
    notes: list[dict] = field(default_factory=list)  # {"rule", "department", "item"?, "text"}

    def to_dict(self) -> dict:
        return {"no": self.no, "credit_code": self.credit_code,
                "members": [m.to_dict() for m in self.members], "notes": self.notes}


@dataclass
class MatchResult:
    teams: list[Team]  # draw order
    workload: dict[str, dict]  # department -> stats
    fallbacks: list[dict]
    warnings: list[str]
    officers: dict[str, Inspector]  # every officer of the pools used (own and neighbouring area)
    neighbour_ids: set[str] = field(default_factory=set)  # those from a neighbouring area's pool

    def teams_json(self) -> list[dict]:
        return [t.to_dict() for t in self.teams]
