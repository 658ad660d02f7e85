"""A draw split over partitions: each keeps its k smallest tickets, a merge keeps the global k.

How a pool too large for one machine (docs/scale.md, "Beyond one machine") is drawn on a
distributed engine (Spark, Dask, …) with the same result as `sampler.sample` on the whole pool:

1. every partition, for every stratum it holds, calls `smallest_k(ids, seed, k)`: its own first
   k ids in ticket order, each with its *full* ticket number (k = take + reserves of the stratum,
   fixed by the freeze before the seed exists);
2. `merge(parts, k)` orders the union of those short lists by (full ticket, id) — the package's
   comparison, docs/draw-spec.md §3 — and keeps the first k.

Why it is exact: the global k smallest are, in each partition, among that partition's k
smallest, so no id of the answer is dropped in step 1; step 2 compares full tickets, so ties on
any shorter key cannot reorder anything. Partitioning (count, sizes, empty partitions, which id
goes where) does not change the result. Tickets are computed by sampler.py only — the plain
SHA-256 code auditors read; nothing here hashes.

`smallest_k_by_stratum` / `merge_by_stratum` do the same for (stratum, id) rows, one k per stratum.
Pure: no I/O, no clock, no randomness. Standard library only, so an engine's worker can import it.
"""

from __future__ import annotations

import heapq
from itertools import islice
from typing import Iterable, Mapping, Sequence

from .sampler import Ticket, display_ticket, sample, ticket_numbers

__all__ = ["smallest_k", "merge", "smallest_k_by_stratum", "merge_by_stratum", "sample_in_chunks"]

# One partition's answer: (id, full ticket number) in ascending (ticket, id) order, at most k rows.
Part = list[tuple[str, str]]


def smallest_k(ids: Sequence[str], seed: str, k: int, *, _key_digits: int | None = None) -> Part:
    """The first `k` ids of this partition in ticket order, each with its full ticket number.

    Ids must be distinct strings within the partition; an empty partition gives []. The full
    ticket (66..80 chars) travels with the id so the merge needs no hashing and no seed.
    `_key_digits` is for tests only (forces ties on sampler's prefix key).
    """
    kw = {} if _key_digits is None else {"_key_digits": _key_digits}
    ordered = [t.id for t in sample(ids, seed, k, **kw)]
    return ticket_numbers(ordered, seed)


def _key(row: tuple[str, str]) -> tuple[str, str]:
    return row[1], row[0]  # (full ticket, id): docs/draw-spec.md §3


def merge(parts: Iterable[Sequence[tuple[str, str]]], k: int) -> list[Ticket]:
    """The global first `k` of several partitions' `smallest_k` answers, as `sampler.sample` gives.

    Each part must be sorted (as `smallest_k` returns it); an unsorted part is refused when the
    merge meets it out of order. An id met twice among the rows kept is an error: a pool's ids
    are distinct, so it means the partitioning is broken (the same id in two partitions has the
    same ticket, so both copies sit side by side in the order; caught when both fall within the
    first k).
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise ValueError(f"抽取数量必须是非负整数：{k!r}")
    merged = heapq.merge(*parts, key=_key)
    out: list[Ticket] = []
    seen: set[str] = set()
    previous: tuple[str, str] | None = None
    for row in islice(merged, k):
        if row[0] in seen:
            raise ValueError(f"同一编号出现在多个分区中：{row[0]}")
        key = _key(row)
        if previous is not None and key < previous:
            raise ValueError("分区结果未按签号排序，不能合并（请使用 smallest_k 的输出）")
        seen.add(row[0])
        previous = key
        out.append(Ticket(row[0], display_ticket(row[1])))
    return out


def smallest_k_by_stratum(rows: Iterable[tuple[str, str]], seed: str, takes: Mapping[str, int]
                          ) -> dict[str, Part]:
    """Per stratum of this partition's (stratum, id) rows: `smallest_k(ids, seed, takes[stratum])`.

    Rows of a stratum missing from `takes` are an error (the freeze fixed every stratum's k).
    """
    by: dict[str, list[str]] = {}
    for stratum, id_ in rows:
        by.setdefault(stratum, []).append(id_)
    unknown = sorted(set(by) - set(takes))
    if unknown:
        raise ValueError(f"分区中有承诺记录以外的分层：{'、'.join(unknown)}")
    return {s: smallest_k(ids, seed, takes[s]) for s, ids in sorted(by.items())}


def merge_by_stratum(parts: Iterable[Mapping[str, Part]], takes: Mapping[str, int]
                     ) -> dict[str, list[Ticket]]:
    """Per stratum of `takes`: `merge` of every partition's answer for it (absent = empty)."""
    parts = list(parts)
    return {s: merge([p.get(s, []) for p in parts], k) for s, k in takes.items()}


CHUNK = 1_000_000  # ids per chunk of a single-machine draw (bounds the sampler's working memory)


def sample_in_chunks(ids: Sequence[str], seed: str, k: int, chunk: int | None = None) -> list[Ticket]:
    """`sampler.sample(ids, seed, k)`, computed one chunk of ids at a time on one machine.

    Each chunk is a partition: its `smallest_k`, then one `merge`. The sampler's working memory
    (keys, order) is that of one chunk, not of a 20-million-id stratum; the answer is the same.
    A pool of at most one chunk goes to `sample` directly.
    """
    chunk = CHUNK if chunk is None else chunk
    if len(ids) <= chunk:
        return sample(ids, seed, k)
    return merge([smallest_k(ids[i:i + chunk], seed, k) for i in range(0, len(ids), chunk)], k)
