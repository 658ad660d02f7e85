"""A draw split over partitions and merged (draw/partition.py) equals the single-machine draw
(draw/sampler.py) and consistent-sampler 1.0.10, whatever the partitioning (docs/scale.md)."""

from __future__ import annotations

import hashlib

import pytest
from consistent_sampler import sampler as package_sampler

from shuangsuiji.draw.partition import merge, merge_by_stratum, smallest_k, smallest_k_by_stratum
from shuangsuiji.draw.sampler import Ticket, order, sample, sampler_seed, ticket_number

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
SEED = sampler_seed("20260315-07-41-93-58-26", "城中市监抽查〔2026〕1号")


def h(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def code(i: int) -> str:
    x = h(f"part/{i}")
    return ("91", "92", "93")[x % 3] + "630103" + "".join(USCC_ALPHABET[(x >> (5 * j)) % 31] for j in range(10))


POOL = sorted({code(i) for i in range(1500)})


def partitionings(ids: list[str]) -> dict[str, list[list[str]]]:
    """Several ways to split `ids`: one part, halves, uneven with empty parts, round robin, by hash."""
    n = len(ids)
    cuts = [0, 0, 3, n // 3, n // 3, n - 1, n, n]  # empty parts at the start, middle and end
    return {
        "one": [list(ids)],
        "halves": [ids[: n // 2], ids[n // 2:]],
        "uneven-with-empty": [ids[a:b] for a, b in zip(cuts, cuts[1:])] + [[]],
        "round-robin-7": [ids[r::7] for r in range(7)],
        "by-hash-5": [[i for i in ids if h(i) % 5 == r] for r in range(5)],
        "singletons": [[i] for i in ids[:40]] + [ids[40:]],
        "reversed-parts": [list(reversed(ids[r::3])) for r in range(3)],
    }


@pytest.mark.parametrize("name", list(partitionings(POOL)))
@pytest.mark.parametrize("k", [0, 1, 45, 54, 300, 1500, 2000])
def test_merge_equals_single_machine_draw(name, k):
    parts = partitionings(POOL)[name]
    assert sorted(i for p in parts for i in p) == POOL  # a true partition of the pool
    merged = merge([smallest_k(p, SEED, k) for p in parts], k)
    assert merged == sample(POOL, SEED, k)
    assert len(merged) == min(k, len(POOL))


@pytest.mark.parametrize("name", ["uneven-with-empty", "by-hash-5"])
def test_merge_equals_consistent_sampler(name):
    k = 90
    merged = merge([smallest_k(p, SEED, k) for p in partitionings(POOL)[name]], k)
    theirs = list(package_sampler(POOL, seed=SEED, take=k))
    assert [(t.ticket, t.id) for t in merged] == [(t[0], t[1]) for t in theirs]


@pytest.mark.parametrize("key_digits", [1, 2, 3])
def test_ties_on_the_prefix_key_inside_partitions_change_nothing(key_digits):
    # With a 1..3 digit prefix key nearly every partition has runs of equal keys to resolve.
    ids = POOL[:400]
    for parts in partitionings(ids).values():
        for k in (1, 17, 400):
            got = merge([smallest_k(p, SEED, k, _key_digits=key_digits) for p in parts], k)
            assert got == order(ids, SEED)[:k]


def test_merge_breaks_equal_tickets_by_id_and_keeps_prefix_tickets_first():
    # Hand-made answers (no hashing): a proper prefix sorts first; equal tickets go by id.
    a = [("B", "0.123"), ("D", "0.1234")]
    b = [("A", "0.1234"), ("C", "0.9999999999123456789")]
    assert merge([a, b], 4) == [Ticket("B", "0.123"), Ticket("A", "0.1234"), Ticket("D", "0.1234"),
                                Ticket("C", "0.9999999999123456789")]


def test_partition_answer_carries_full_tickets():
    part = smallest_k(POOL[:100], SEED, 5)
    assert [t for _, t in part] == [ticket_number(i, SEED) for i, _ in part]
    assert [i for i, _ in part] == [t.id for t in sample(POOL[:100], SEED, 5)]
    assert smallest_k([], SEED, 5) == []


def test_an_id_in_two_partitions_is_refused():
    parts = [POOL[:100], POOL[50:200]]
    with pytest.raises(ValueError, match="同一编号出现在多个分区中"):
        merge([smallest_k(p, SEED, 200) for p in parts], 200)


def test_unsorted_part_is_refused():
    part = smallest_k(POOL[:50], SEED, 5)
    with pytest.raises(ValueError, match="未按签号排序"):
        merge([list(reversed(part))], 5)
    with pytest.raises(ValueError, match="非负整数"):
        merge([part], -1)


def test_by_stratum_equals_per_stratum_sample():
    strata = ["低", "一般", "较高", "高"]
    rows = [(strata[h("s" + i) % 4], i) for i in POOL]
    takes = {"低": 40, "一般": 25, "较高": 9, "高": 0, "空层": 3}
    chunks = [rows[r::4] for r in range(4)] + [[]]
    merged = merge_by_stratum([smallest_k_by_stratum(c, SEED, takes) for c in chunks], takes)
    for s, k in takes.items():
        assert merged[s] == sample([i for t, i in rows if t == s], SEED, k)
    assert merged["空层"] == [] and merged["高"] == []
    with pytest.raises(ValueError, match="承诺记录以外的分层"):
        smallest_k_by_stratum([("其他", POOL[0])], SEED, takes)
