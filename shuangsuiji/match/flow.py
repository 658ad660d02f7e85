"""The pairing engine of `ssj match`: one department, one officer pool ("stage"), many targets.

Each target needs `demand[t]` distinct officers of the pool it is *allowed* to have (所所交叉 and
the per-target exclusions: declared conflicts, last inspection). Every choice is a deterministic
function of HMAC-SHA256 keys of the seed and stable ids (officer id, credit code): no `random`,
no solver. docs/match-spec.md specifies each step so a third party can recompute it:

1. Rank the officers by their key (the "seeded officer order"); capacities are balanced:
   S = sum of demands, base = S // m, and the first S % m officers in rank order get base + 1.
2. Targets are taken in processing order (the caller's, itself seeded). Each slot is filled
   greedily: the free officers (load < capacity, in rank order) are scanned cyclically from a
   seeded start; the first one allowed for the target and not yet on it is taken.
3. No free officer allowed: an augmenting path is searched breadth-first from the target
   (officer adjacency in rank order, an officer's targets in processing order); the first free
   officer discovered ends the path, and the targets along it shift by one officer.
4. No path at all: the constraints force imbalance. Every reached officer with the smallest
   capacity gets capacity + 1, and the search is repeated (it then succeeds).
5. Finally, while work can move from an officer carrying >= lam to one carrying <= lam - 2
   (an alternating path exists), it is moved. The result is "as even as the constraints allow":
   no officer carries two or more above another one that could take any of its work.

Because an assignment exists whenever every target has enough allowed officers (there is no
officer capacity limit in the rules), steps 2-4 always complete; the caller checks that first.
Pure: no I/O, no clock. Standard library only.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter, deque
from dataclasses import dataclass, field
from heapq import heapify, heappop, heappush

from .keys import Keys


@dataclass
class StageInput:
    """One department's pool (own officers, or the neighbouring-area officers) against targets."""

    stage: str  # "own" or "neighbour": part of every key, so the two pools draw independently
    department: str
    officers: list[str]  # officer ids (any order: the engine ranks them)
    officer_area: dict[str, str]
    targets: list[str]  # credit codes in processing order (targets with demand 0 may be included)
    target_area: dict[str, str]
    demand: dict[str, int]  # officers this target needs from this pool
    excluded: dict[str, set[str]]  # credit code -> officer ids it must not have (conflict, repeat)
    cross_area: bool


@dataclass
class Imbalance:
    """Why some officers carry two or more targets above others: the constraints force it."""

    heavy: list[str]  # officers in the bottleneck (carrying more)
    light: list[str]  # officers outside it carrying the least
    targets: list[str]  # targets only the heavy officers may take over from one another
    blocked: dict[str, int]  # rule -> number of (light officer, bottleneck target) pairs it forbids
    areas: dict[str, int]  # 属地监管所 of the bottleneck targets -> count


@dataclass
class StageResult:
    teams: dict[str, list[str]]  # credit code -> officer ids, in rank order
    load: dict[str, int]  # officer id -> number of targets
    ranks: list[str]  # officer ids in seeded order
    raised: int = 0  # capacity raises the constraints forced (step 4)
    moves: int = 0  # rebalancing moves (step 5)
    imbalance: Imbalance | None = None
    capacity: dict[str, int] = field(default_factory=dict)  # balanced capacities of step 1


def solve_stage(keys: Keys, inp: StageInput) -> StageResult:
    return _Stage(keys, inp).run()


class _Stage:
    def __init__(self, keys: Keys, inp: StageInput):
        self.keys, self.inp = keys, inp
        d, st = inp.department, inp.stage
        ranked = sorted(inp.officers, key=lambda o: (keys.digest("officer", st, d, o), o))
        self.ids = ranked
        self.rank = {o: i for i, o in enumerate(ranked)}
        m = len(ranked)
        self.o_area = [inp.officer_area.get(o, "") if inp.cross_area else "" for o in ranked]
        codes = [t for t in inp.targets if inp.demand.get(t, 0) > 0]
        self.codes = codes
        self.t_area = [inp.target_area.get(t, "") if inp.cross_area else "" for t in codes]
        self.t_ex = [frozenset(self.rank[o] for o in inp.excluded.get(t, ()) if o in self.rank) for t in codes]
        self.t_demand = [inp.demand[t] for t in codes]
        total = sum(self.t_demand)
        base, extra = divmod(total, m) if m else (0, 0)
        self.cap = [base + (1 if i < extra else 0) for i in range(m)]
        self.cap0 = list(self.cap)
        self.load = [0] * m
        self.served: list[set[int]] = [set() for _ in range(m)]
        self.team: list[list[int]] = [[] for _ in codes]
        self.levels: dict[int, list[int]] = {}  # load -> free officers (load < cap) in rank order
        self.level_areas: dict[int, dict[str, list[int]]] = {}  # the same, split by area
        for i in range(m):
            if self.cap[i] > 0:
                self._free_insert(i)
        self.raised = 0
        self.moves = 0
        buckets: dict[str, set[int]] = {}
        for i in range(m):
            buckets.setdefault(self.o_area[i], set()).add(i)
        self.buckets = buckets

    # -- basic moves --------------------------------------------------------------------------
    def allowed(self, u: int, o: int) -> bool:
        a = self.t_area[u]
        if a and self.o_area[o] == a:
            return False
        return o not in self.t_ex[u]

    def _free_insert(self, o: int) -> None:
        lv = self.load[o]
        insort(self.levels.setdefault(lv, []), o)
        insort(self.level_areas.setdefault(lv, {}).setdefault(self.o_area[o], []), o)

    def _free_delete(self, o: int) -> None:
        lv = self.load[o]
        level = self.levels[lv]
        del level[bisect_left(level, o)]
        if not level:
            del self.levels[lv]
        areas = self.level_areas[lv]
        sub = areas[self.o_area[o]]
        del sub[bisect_left(sub, o)]
        if not sub:
            del areas[self.o_area[o]]
            if not areas:
                del self.level_areas[lv]

    def _add(self, u: int, o: int) -> None:
        self._free_delete(o)  # o is free (load < cap) whenever it gains a target
        self.team[u].append(o)
        self.served[o].add(u)
        self.load[o] += 1
        if self.load[o] < self.cap[o]:
            self._free_insert(o)

    def _remove(self, u: int, o: int) -> None:
        if self.load[o] < self.cap[o]:
            self._free_delete(o)
        self.team[u].remove(o)
        self.served[o].discard(u)
        self.load[o] -= 1
        self._free_insert(o)

    def _first_free(self, u: int) -> int | None:
        """The free officer allowed for u and not on it with the lowest load, then lowest rank."""
        a, ex, tm = self.t_area[u], self.t_ex[u], self.team[u]
        for lv in sorted(self.level_areas):
            best = None
            for area, officers in self.level_areas[lv].items():
                if a and area == a:
                    continue
                for o in officers:
                    if o not in ex and o not in tm:
                        if best is None or o < best:
                            best = o
                        break
            if best is not None:
                return best
        return None

    # -- steps 2-4 ----------------------------------------------------------------------------
    def run(self) -> StageResult:
        for u, code in enumerate(self.codes):
            for j in range(self.t_demand[u]):
                if not self._greedy(u, code, j):
                    self._augment(u)
        self._rebalance()
        return StageResult(
            teams={code: [self.ids[o] for o in sorted(self.team[u])] for u, code in enumerate(self.codes)},
            load={self.ids[i]: self.load[i] for i in range(len(self.ids))},
            ranks=list(self.ids), raised=self.raised, moves=self.moves,
            imbalance=self._imbalance(),
            capacity={self.ids[i]: self.cap0[i] for i in range(len(self.ids))},
        )

    def _greedy(self, u: int, code: str, j: int) -> bool:
        """Least-loaded level first; within it a cyclic scan from a seeded start."""
        if not self.levels:
            return False
        h = self.keys.number("pick", self.inp.stage, self.inp.department, code, str(j))
        tm = self.team[u]
        for lv in sorted(self.levels):
            level = self.levels[lv]
            k = len(level)
            start = h % k
            for i in range(k):
                o = level[(start + i) % k]
                if o not in tm and self.allowed(u, o):
                    self._add(u, o)
                    return True
        return False

    def _augment(self, start: int) -> None:
        found, parent_o, parent_t = self._search(start)
        if found is None:
            self._raise(start, set(parent_o))
            found, parent_o, parent_t = self._search(start)
            assert found is not None
        u, o = found
        self._apply_augment(u, o, parent_o, parent_t)

    def _raise(self, start: int, reached: set[int]) -> None:
        """Step 4: the officers reached are the only ones `start` may have, and all are full.

        Their capacity grows by the demand confined to them: the open slots of `start` plus the
        demand of every later target whose allowed officers all lie among them; one unit at a
        time to the lowest capacity, then the lowest rank.
        """
        if not reached:  # the caller guarantees enough allowed officers; never expected
            raise AssertionError(f"target {self.codes[start]} has no allowed officer left")
        outside: dict[str, list[int]] = {}
        for o in range(len(self.ids)):
            if o not in reached:
                outside.setdefault(self.o_area[o], []).append(o)
        units = self.t_demand[start] - len(self.team[start])
        for u in range(start + 1, len(self.codes)):
            if not self._reaches(u, outside):
                units += self.t_demand[u]
        heap = [(self.cap[o], o) for o in reached]
        heapify(heap)
        was_full = {o for o in reached if self.load[o] >= self.cap[o]}
        for _ in range(units):
            c, o = heappop(heap)
            self.cap[o] = c + 1
            heappush(heap, (c + 1, o))
        for o in sorted(was_full):
            if self.load[o] < self.cap[o]:
                self._free_insert(o)
        self.raised += 1

    def _reaches(self, u: int, outside: dict[str, list[int]]) -> bool:
        """True if target u (not yet served) may have some officer in `outside`."""
        a, ex = self.t_area[u], self.t_ex[u]
        for area, officers in outside.items():
            if a and area == a:
                continue
            for o in officers:
                if o not in ex:
                    return True
        return False

    def _candidates(self, u: int, unvisited: dict[str, set[int]]) -> list[int]:
        """Unvisited officers allowed for u and not on it, in rank order (removed from unvisited)."""
        a, ex, tm = self.t_area[u], self.t_ex[u], self.team[u]
        out: list[int] = []
        for area, bucket in unvisited.items():
            if a and area == a:
                continue
            take = [o for o in bucket if o not in ex and o not in tm]
            bucket.difference_update(take)
            out.extend(take)
        for area in [x for x, b in unvisited.items() if not b]:
            del unvisited[area]
        out.sort()
        return out

    def _search(self, start: int):
        """BFS from `start` for a free officer; returns ((target, officer) | None, parents)."""
        parent_o: dict[int, int] = {}  # officer -> target at which it was discovered
        parent_t: dict[int, int | None] = {start: None}  # target -> officer through which reached
        unvisited = {a: set(b) for a, b in self.buckets.items()}
        queue = deque([start])
        while queue:
            u = queue.popleft()
            o = self._first_free(u)
            if o is not None:
                return (u, o), parent_o, parent_t
            for o in self._candidates(u, unvisited):
                parent_o[o] = u
                for v in sorted(self.served[o]):
                    if v not in parent_t:
                        parent_t[v] = o
                        queue.append(v)
        return None, parent_o, parent_t

    def _apply_augment(self, u: int, gain: int, parent_o: dict, parent_t: dict) -> None:
        while True:
            via = parent_t[u]
            if via is not None:
                self._remove(u, via)
            self._add(u, gain)
            if via is None:
                return
            gain, u = via, parent_o[via]

    # -- step 5: rebalancing ------------------------------------------------------------------
    def _rebalance(self) -> None:
        while self.ids:
            found = self._find_move()
            if found is None:
                return
            self._apply_move(*found)
            self.moves += 1

    def _find_move(self):
        """One search over every load level, highest first, for work that can move down by 2+.

        Sources are the officers carrying `lam`, added wave by wave as lam decreases; a target
        reached in the wave of lam may move to an officer carrying <= lam - 2 (lowest load, then
        rank). Returns ((target, officer), parent_o, parent_t) or None.
        """
        m = len(self.ids)
        lo = min(self.load)
        by_load: dict[int, list[int]] = {}
        for o in range(m):
            by_load.setdefault(self.load[o], []).append(o)
        parent_t: dict[int, int] = {}  # target -> officer it would leave
        parent_o: dict[int, int | None] = {}  # officer -> target at which it was discovered (None: source)
        unvisited = {a: set(b) for a, b in self.buckets.items()}
        for lam in sorted(by_load, reverse=True):
            if lam - 2 < lo:
                return None
            low: dict[str, list[int]] = {}
            for o in sorted(range(m), key=lambda x: (self.load[x], x)):
                if self.load[o] > lam - 2:
                    break
                low.setdefault(self.o_area[o], []).append(o)
            queue = deque()
            for o in by_load[lam]:
                if o not in parent_o:
                    parent_o[o] = None
                    unvisited.get(self.o_area[o], set()).discard(o)
                    queue.append(o)
            while queue:
                a = queue.popleft()
                for v in sorted(self.served[a]):
                    if v in parent_t:
                        continue
                    parent_t[v] = a
                    b = self._first_low(v, low)
                    if b is not None:
                        return (v, b), parent_o, parent_t
                    for o in self._candidates(v, unvisited):
                        parent_o[o] = v
                        queue.append(o)
        return None

    def _first_low(self, v: int, low: dict[str, list[int]]) -> int | None:
        a, ex, tm = self.t_area[v], self.t_ex[v], self.team[v]
        best = None
        for area, officers in low.items():
            if a and area == a:
                continue
            for o in officers:
                if o not in ex and o not in tm:
                    if best is None or (self.load[o], o) < (self.load[best], best):
                        best = o
                    break
        return best

    def _apply_move(self, found, parent_o: dict, parent_t: dict) -> None:
        v, gain = found
        while True:
            leave = parent_t[v]
            if self.load[gain] >= self.cap[gain]:  # capacities no longer bind: keep free lists consistent
                self.cap[gain] = self.load[gain] + 1
                self._free_insert(gain)
            self._remove(v, leave)
            self._add(v, gain)
            if parent_o[leave] is None:  # a source: it gave one target away
                return
            gain, v = leave, parent_o[leave]

    # -- explanation --------------------------------------------------------------------------
    def _imbalance(self) -> Imbalance | None:
        if not self.ids:
            return None
        hi, lo = max(self.load), min(self.load)
        if hi - lo <= 1:
            return None
        m = len(self.ids)
        heavy = {o for o in range(m) if self.load[o] >= lo + 2}
        tset: set[int] = set()
        unvisited = {a: set(b) - heavy for a, b in self.buckets.items()}
        queue = deque(sorted(heavy))
        while queue:
            a = queue.popleft()
            for v in sorted(self.served[a]):
                if v not in tset:
                    tset.add(v)
                    for o in self._candidates(v, unvisited):
                        heavy.add(o)
                        queue.append(o)
        light = [o for o in range(m) if o not in heavy and self.load[o] == lo]
        outside = {o for o in range(m) if o not in heavy}
        outside_by_area = Counter(self.o_area[o] for o in outside)
        blocked: Counter = Counter()
        for v in tset:
            on = sum(1 for o in self.team[v] if o in outside)
            same = outside_by_area.get(self.t_area[v], 0) if self.t_area[v] else 0
            on_same = sum(1 for o in self.team[v] if o in outside and self.t_area[v]
                          and self.o_area[o] == self.t_area[v])
            ex = sum(1 for o in self.t_ex[v]
                     if o in outside and not (self.t_area[v] and self.o_area[o] == self.t_area[v]))
            blocked["on_team"] += on
            blocked["cross_area"] += same - on_same
            blocked["excluded"] += ex
        blocked = +blocked
        areas = Counter(self.inp.target_area.get(self.codes[v], "") for v in tset)
        return Imbalance(
            heavy=[self.ids[o] for o in sorted(heavy)],
            light=[self.ids[o] for o in light],
            targets=[self.codes[v] for v in sorted(tset)],
            blocked=dict(blocked), areas=dict(areas.most_common()),
        )
