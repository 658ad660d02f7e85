"""Which officers may be drawn for a task: on duty, holding a valid credential (执法证) that does
not expire before the window ends, and the 执法门类 the department's items need. `officer_pool`
fixes, at freeze time, the eligible officers of every participating department and the
ineligible ones with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..intake.records import Inspector
from ..plan.model import Plan, Task


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


def officers_digest(inspectors: Iterable[Inspector], neighbours: dict[str, list[Inspector]] | None = None) -> str:
    """SHA-256 of the parsed officer records (every field but the source row, ids sorted), the
    officer roster and each neighbouring roster: the match reads these rosters again, and the
    freeze fingerprint compares what was parsed, not how the plan says to find the columns."""
    import dataclasses
    import hashlib

    from ..core.fileio import canonical_json

    def rec(o: Inspector) -> dict:
        d = dataclasses.asdict(o)
        d.pop("source", None)
        d["credential_expiry"] = o.credential_expiry.isoformat() if o.credential_expiry else None
        d["categories"], d["specialties"] = list(o.categories), list(o.specialties)
        return d

    body = {"inspectors": sorted((rec(o) for o in inspectors), key=lambda d: (d["department"], d["id"])),
            "neighbours": {k: sorted((rec(o) for o in v), key=lambda d: d["id"])
                           for k, v in sorted((neighbours or {}).items())}}
    return hashlib.sha256(canonical_json(body)).hexdigest()
