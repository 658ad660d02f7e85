"""Fairness report of the pairing (`ssj match --fairness N`): N matches under derived seeds.

Seeds: "<seed>|fairness-1" … "<seed>|fairness-N" (the given seed, a bar, the word and the run
number). For every own-pool officer: the share of the department's targets it inspected over
all runs, against the share an equal split gives (slots / (officers × targets)). For every
allowed officer–entity pair: how often it occurred, against the uniform rate (officers needed
÷ officers allowed for that entity), and the largest pair rate against the value that purely
independent uniform choices would stay under with 99 % probability (binomial tail with a
Bonferroni bound over all pairs). Pure apart from `fairness_from_plan`; writes nothing.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace
from pathlib import Path

from ..core.progress import report
from .teams import MatchInput, allowed_officers, match

SEED_RULE = "「种子|fairness-序号」，序号 1…N"
ALPHA = 0.01


def fairness_seeds(seed: str, runs: int) -> list[str]:
    return [f"{seed}|fairness-{i}" for i in range(1, runs + 1)]


def fairness(inp: MatchInput, runs: int, *, progress=None) -> dict:
    allowed = allowed_officers(inp)
    rules = inp.rules
    need = dict(rules.mix)
    seeds = fairness_seeds(inp.seed, runs)
    per_officer: Counter = Counter()
    pairs: Counter = Counter()
    for i, s in enumerate(seeds, 1):
        result = match(replace(inp, seed=s))
        for team in result.teams:
            for m in team.members:
                if m.officer_id and m.source == "own" and not m.specialist_for:
                    per_officer[m.officer_id] += 1
                    pairs[(m.officer_id, team.credit_code)] += 1
        report(progress, "公平性检验", i, runs)
    n = len(inp.targets)
    departments = []
    officers = []
    for dept, name in rules.departments:
        pool = [o.id for o in inp.pools.get(dept, []) if any(o.id in a for a in allowed[dept].values())]
        if not pool or not need.get(dept):
            continue
        slots = sum(min(need[dept], len(a)) for a in allowed[dept].values())
        expected = slots / (len(pool) * n)
        rates = {o: per_officer[o] / (runs * n) for o in pool}
        for o in sorted(pool):
            officers.append({"department": dept, "officer": o, "count": per_officer[o], "rate": rates[o],
                             "expected": expected, "ratio": rates[o] / expected if expected else 0.0})
        departments.append({"department": dept, "name": name, "officers": len(pool), "expected": expected,
                            "min_rate": min(rates.values()), "max_rate": max(rates.values()),
                            "max_ratio": max(rates.values()) / expected if expected else 0.0})
    best = None
    total_pairs = 0
    for dept in need:
        for code, ids in allowed.get(dept, {}).items():
            if not ids:
                continue
            uniform = min(need[dept], len(ids)) / len(ids)
            for o in ids:
                total_pairs += 1
                rate = pairs[(o, code)] / runs
                key = (rate / uniform, rate, o, code)
                if best is None or key > best[0]:
                    best = (key, {"officer": o, "credit_code": code, "department": dept, "rate": rate,
                                  "uniform": uniform})
    pair = best[1] if best else {"officer": "", "credit_code": "", "department": "", "rate": 0.0, "uniform": 0.0}
    reference = binomial_max(runs, pair["uniform"], max(total_pairs, 1)) if best else 0.0
    worst_officer = max((d["max_ratio"] for d in departments), default=1.0)
    ok = pair["rate"] <= reference
    verdict = ("未见异常：最大配对率在完全随机选择的正常波动范围内，各人员被抽中率与均分一致"
               if ok and worst_officer <= 1.1 else
               "注意：最大配对率超出完全随机选择的正常波动范围，或有人员被抽中率明显高于均分，请核查")
    return {
        "task": rules.task_id, "task_number": rules.task_number, "runs": runs, "seed": inp.seed,
        "seed_rule": SEED_RULE, "targets": n, "departments": departments, "officers": officers,
        "pairs": {"pairs": total_pairs, "max_rate": pair["rate"], "max_ratio": pair["rate"] / pair["uniform"]
                  if pair["uniform"] else 0.0, "max_pair": pair, "reference_max": reference, "alpha": ALPHA},
        "ok": ok, "verdict": verdict,
    }


def binomial_max(runs: int, p: float, pairs: int, alpha: float = ALPHA) -> float:
    """Smallest rate k/runs with P(Binomial(runs, p) >= k) <= alpha / pairs (Bonferroni)."""
    if p >= 1.0:
        return 1.0
    if p <= 0.0:
        return 0.0
    bound = alpha / pairs
    logp, logq = math.log(p), math.log1p(-p)
    base = math.lgamma(runs + 1)
    tail = 0.0
    for k in range(runs, -1, -1):
        tail += math.exp(base - math.lgamma(k + 1) - math.lgamma(runs - k + 1) + k * logp + (runs - k) * logq)
        if tail > bound:
            return min(1.0, (k + 1) / runs)
    return 0.0


def fairness_from_plan(plan_path: Path, task_key: str, seed: str, runs: int, *, direct_reason: str | None = None,
                       progress=None) -> dict:
    from ..core.workspace import find_workspace
    from ..plan.load import load_plan
    from .run import prepare

    lp = load_plan(plan_path)
    task = lp.plan.task(task_key)
    ws = find_workspace(lp.path)
    prep = prepare(ws, lp, task, seed, direct_reason=direct_reason, progress=progress)
    data = fairness(prep.inp, runs, progress=progress)
    data["task_name"] = task.name
    data["warnings"] = prep.warnings
    return data
