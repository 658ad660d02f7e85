"""Benchmark: the match core (shuangsuiji.match.match) on generated rosters.

Run:  .venv/bin/python bench/bench_match.py [--sizes 10000,20000,40000] [--officers 2000]
                                           [--departments 10] [--scenario normal|forced]

Scenario "normal" (the issue's): N targets in 8 patrol areas, 2,000 officers in 10 departments,
a joint task of three departments with 3-person teams (initiator 2 + one cooperator 1, plus a
third department's specialist item), 所所交叉 on, ~1% declared conflicts, ~20% of targets with
a last-inspection officer to avoid. Scenario "forced": one patrol area holds 60% of the
targets and 60% of the officers, so 所所交叉 forces uneven workloads (the slow path).
Prints one line per size with the best time of --repeat runs and the growth ratio to the
previous size; exits 1 if a run breaks a hard rule. Data are derived arithmetically: no random module.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shuangsuiji.intake.records import Conflict, Inspector, Target  # noqa: E402
from shuangsuiji.match.teams import ItemRule, MatchInput, MatchRules, match  # noqa: E402

AREAS = [f"第{i + 1}所" for i in range(8)]


def _h(*parts) -> int:
    return int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:8], "big")


def area_of(i: int, kind: str, scenario: str) -> str:
    x = _h(kind, i) % 100
    if scenario == "forced":
        return AREAS[0] if x < 60 else AREAS[1 + x % 7]
    return AREAS[x % 8]


def build(n: int, officers: int, departments: int, scenario: str) -> MatchInput:
    depts = [f"D{d:02d}" for d in range(departments)]
    rules = MatchRules(
        task_id="B01", task_number="基准〔2026〕1号", initiator=depts[0],
        mix=((depts[0], 2), (depts[1], 1)),
        items=(ItemRule("I1", "事项一", depts[0], "门类0", "专长0"), ItemRule("I2", "事项二", depts[1], "门类1")),
        departments=tuple((d, f"部门{d}") for d in depts[:2]),
        window_start=date(2026, 5, 1), window_end=date(2026, 9, 30), cross_area=True, avoid_repeat=True)
    targets = [Target(f"91630103{i:09d}X", f"企业{i}", area=area_of(i, "t", scenario)) for i in range(n)]
    pools: dict[str, list[Inspector]] = {d: [] for d in depts}
    for i in range(officers):
        d = depts[i % departments]
        k = depts.index(d)
        pools[d].append(Inspector(
            f"{d}-{i:05d}", f"人员{i}", d, area=area_of(i, "o", scenario), categories=(f"门类{k}",),
            specialties=(f"专长{k}",) if i % 7 == 0 else (), expert=i % 7 == 0, credential_no=f"Z{i}",
            credential_expiry=date(2028, 12, 31)))
    ids = {d: [o.id for o in pools[d]] for d in depts[:2]}
    conflicts = [Conflict(ids[depts[0]][_h("c", i) % len(ids[depts[0]])], targets[i].credit_code, "亲属")
                 for i in range(0, n, 100)]
    last = {targets[i].credit_code: [ids[depts[0]][_h("l", i) % len(ids[depts[0]])],
                                     ids[depts[1]][_h("m", i) % len(ids[depts[1]])]]
            for i in range(0, n, 5)}
    return MatchInput(rules, targets, {d: pools[d] for d in depts[:2]}, seed="bench-seed-2026-05-12-0000000001",
                      conflicts=conflicts, last=last)


def check(inp: MatchInput, result) -> list[str]:
    bad = []
    conf = {(c.inspector_id, c.credit_code) for c in inp.conflicts}
    areas = {t.credit_code: t.area for t in inp.targets}
    offs = {o.id: o for pool in inp.pools.values() for o in pool}
    for team in result.teams:
        per = {}
        for m in team.members:
            if m.specialist_for:
                continue
            per[m.department] = per.get(m.department, 0) + 1
            o = offs[m.officer_id]
            if o.area == areas[team.credit_code] or (o.id, team.credit_code) in conf \
                    or o.id in inp.last.get(team.credit_code, ()):
                bad.append(f"{team.credit_code}: {o.id} breaks recusal")
        if per != dict(inp.rules.mix):
            bad.append(f"{team.credit_code}: mix {per}")
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,20000,40000")
    ap.add_argument("--officers", type=int, default=2000)
    ap.add_argument("--departments", type=int, default=10)
    ap.add_argument("--scenario", choices=["normal", "forced"], default="normal")
    ap.add_argument("--repeat", type=int, default=2, help="runs per size; the best time is shown")
    args = ap.parse_args()
    prev = None
    ok = True
    for n in [int(x) for x in args.sizes.split(",")]:
        inp = build(n, args.officers, args.departments, args.scenario)
        dt = float("inf")
        for _ in range(args.repeat):  # best of --repeat: the machine may be shared
            t0 = time.perf_counter()
            result = match(inp)
            dt = min(dt, time.perf_counter() - t0)
        bad = check(inp, result)
        ok &= not bad
        w = result.workload[inp.rules.initiator]
        ratio = f" growth x{dt / prev:.2f}" if prev else ""
        print(f"RESULT match {args.scenario} targets={n} officers={args.officers} departments={args.departments} "
              f"team=3: {dt:.2f}s{ratio}  initiator load {w['min']}-{w['max']} "
              f"raises={w['capacity_raises']} moves={w['moves']} {'OK' if not bad else 'RULE BROKEN: ' + bad[0]}")
        prev = dt
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
