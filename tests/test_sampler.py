"""shuangsuiji.sampler must reproduce consistent-sampler 1.0.10 (without replacement) exactly."""

from __future__ import annotations

import hashlib
from itertools import islice

import pytest
from consistent_sampler import sampler as package_sampler
from consistent_sampler.consistent_sampler import first_fraction, trim

from shuangsuiji.draw import sampler as S
from shuangsuiji.draw.sampler import (
    Ticket,
    display_ticket,
    order,
    sample,
    sample_ids,
    sampler_seed,
    seed_hash,
    ticket_number,
    ticket_numbers,
    trial_sampler_seed,
)

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]


def h(text: str) -> int:
    """Deterministic pseudo-random integer for generating test data (no `random`)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def credit_code(tag: str, i: int) -> str:
    """A check-valid 统一社会信用代码-like id, scrambled by (tag, i)."""
    x = h(f"{tag}/{i}")
    body = "".join(USCC_ALPHABET[(x >> (5 * k)) % 31] for k in range(9))
    first17 = ("91", "92", "93")[x % 3] + "630103" + body
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return first17 + USCC_ALPHABET[(31 - total % 31) % 31]


def pool(tag: str, n: int) -> list[str]:
    ids = list(dict.fromkeys(credit_code(tag, i) for i in range(n)))
    assert len(ids) == n
    return ids


def shuffled(ids: list[str], tag: str) -> list[str]:
    return sorted(ids, key=lambda i: h(tag + i))


def package(ids, seed: str, take=float("inf")) -> list[Ticket]:
    return [Ticket(t[1], t[0]) for t in package_sampler(ids, seed=seed, take=take)]


# --------------------------------------------------------------------------- fixed vectors

def test_package_readme_vector():
    ids = ["A-1", "A-2", "A-3", "B-1", "B-2", "B-3"]
    got = sample(ids, "314159", 4)
    assert [t.id for t in got] == ["B-2", "B-3", "A-3", "A-2"]
    assert [t.ticket for t in got] == ["0.410310858", "0.470960291", "0.471438751", "0.567089805"]


def test_package_docstring_vector_with_leading_nines():
    got = order(["ab-1", "ab-2", "cd-1", "ef-3"], "314159")
    assert got == [Ticket("cd-1", "0.317685817"), Ticket("ef-3", "0.832984519"),
                   Ticket("ab-1", "0.9098039269"), Ticket("ab-2", "0.9231549043")]


def test_full_ticket_number_vectors():
    assert ticket_number("AB-130", "01382438112797316654") == (
        "0.26299714122838008416507544297546663599715395525154425586041245287750224561854")
    assert dict(ticket_numbers(["dog", "cat"], "xy()134!g2n")) == {
        "cat": "0.24866413894129579898796850445568128508290132707747976039848637531569373309555",
        "dog": "0.33886035615681875183111698317327684455682722683976874746986356932751818935066",
    }
    assert seed_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


SPEC_IDS = ["916301031234567880", "9263010312353597X4", "93630103123615160U",
            "91630103123694356M", "92630103123773548Y", "914403001922038216"]
PKG_IDS = ["A-1", "A-2", "A-3", "B-1", "B-2", "B-3"]
OFFICIAL = "ssj-draw-v1|城中市监抽查〔2026〕1号|20260315-07-41-93-58-26"
TRIAL = "ssj-trial-v1|城中市监抽查〔2026〕1号|20260315-07-41-93-58-26"

# The vectors printed in docs/draw-spec.md: (seed, ids, full order as (id, displayed ticket)).
SPEC_VECTORS = [
    (OFFICIAL, SPEC_IDS, [
        ("93630103123615160U", "0.457209973"), ("9263010312353597X4", "0.645484140"),
        ("92630103123773548Y", "0.714053661"), ("914403001922038216", "0.779266519"),
        ("916301031234567880", "0.803998900"), ("91630103123694356M", "0.806325595")]),
    (TRIAL, SPEC_IDS, [
        ("91630103123694356M", "0.154830390"), ("92630103123773548Y", "0.463726483"),
        ("9263010312353597X4", "0.544419291"), ("916301031234567880", "0.624888711"),
        ("93630103123615160U", "0.827137527"), ("914403001922038216", "0.99570650695")]),
    ("城中区2026年第一次摇号", PKG_IDS, [
        ("B-1", "0.034930093"), ("A-2", "0.226067692"), ("B-3", "0.290991353"),
        ("A-3", "0.401225275"), ("B-2", "0.569331195"), ("A-1", "0.625198656")]),
    ("0", PKG_IDS, [
        ("A-3", "0.187120929"), ("B-1", "0.198082992"), ("A-1", "0.290227899"),
        ("B-3", "0.672152169"), ("A-2", "0.696223733"), ("B-2", "0.9157385964")]),
    ("0000000000", PKG_IDS, [
        ("B-3", "0.115756744"), ("B-2", "0.126342385"), ("A-3", "0.144888264"),
        ("A-1", "0.209725845"), ("B-1", "0.390931376"), ("A-2", "0.838166761")]),
]


@pytest.mark.parametrize("seed,ids,expected", SPEC_VECTORS)
def test_spec_vectors(seed, ids, expected):
    expected = [Ticket(*pair) for pair in expected]
    assert order(ids, seed) == expected
    assert package(ids, seed) == expected
    assert sample(ids, seed, 2) == expected[:2]


def test_spec_document_prints_these_vectors():
    from pathlib import Path
    spec = (Path(__file__).resolve().parent.parent / "docs" / "draw-spec.md").read_text("utf-8")
    for seed, _ids, expected in SPEC_VECTORS:
        assert ", ".join(f"`{i} {t}`" for i, t in expected) in spec, seed
    assert "0.803998900725602805130022019910307612877377519904773135220616867394866539060501" in spec
    assert seed_hash(OFFICIAL) in spec


def test_spec_seed_derivation_and_full_ticket():
    public, task = "20260315-07-41-93-58-26", "城中市监抽查〔2026〕1号"
    assert sampler_seed(public, task) == OFFICIAL
    assert trial_sampler_seed(public, task) == TRIAL
    assert seed_hash(OFFICIAL) == "02974ccbc9ef020a264077a2a72cb5cadfd84adc3513ea7d831a71daa8499ff4"
    assert ticket_number("916301031234567880", OFFICIAL) == (
        "0.803998900725602805130022019910307612877377519904773135220616867394866539060501")


# --------------------------------------------------------------------------- agreement

SEEDS = ["0", "0000000000", "314159", "", " ", "城中区2026年第一次摇号", "a|b", "seed\nwith newline",
         sampler_seed("12345678901234567890", "城中市监抽查〔2026〕3号")]


@pytest.mark.parametrize("seed", SEEDS)
def test_agrees_with_package_on_generated_pools(seed):
    for n in (0, 1, 2, 3, 7, 50, 333):
        ids = pool(f"p{n}", n)
        full = package(ids, seed)
        assert order(ids, seed) == full
        for take in {0, 1, 2, n // 4, n // 4 + 1, n // 2, n - 1, n, n + 5}:
            if take >= 0:
                assert sample(ids, seed, take) == full[:take], (n, take)
                assert sample_ids(ids, seed, take) == [t.id for t in full[:take]]


def test_agrees_on_many_seeds_and_odd_ids():
    ids = pool("odd", 40) + ["", "0", "00", "中文编号", "a b", "Ⅻ", "é", "e\u0301", "x" * 300]
    for s in range(60):
        seed = f"s{s}" if s % 2 else f"城中区{s}号"
        assert order(ids, seed) == package(ids, seed)


@pytest.mark.parametrize("key_digits", [1, 2, 3, 9, 10, 11])
def test_short_prefix_keys_force_ties_and_still_agree(key_digits):
    """With K = 1..3 the prefix keys collide constantly: the tie resolution must be exact.
    K = 9..11 pushes tickets with leading 9s onto the full-precision display path."""
    ids = pool("ties", 1500)
    for seed in ("0", "城中区2026年第一次摇号"):
        full = package(ids, seed)
        assert order(ids, seed, _key_digits=key_digits) == full
        for take in (1, 10, 99, 100, 101, 374, 375, 376, 1499):
            assert sample(ids, seed, take, _key_digits=key_digits) == full[:take]
    # The short keys really did tie (otherwise this test proves nothing).
    keys = S._prefix_keys(ids, seed_hash("0"), key_digits)
    if key_digits <= 3:
        assert len(set(keys)) < len(keys)


def test_coarse_keys_are_the_first_four_ticket_digits():
    ids = pool("coarse", 300) + ["", "中文编号", "e\u0301", "x" * 300]
    for seed in ("0", "城中区2026年第一次摇号"):
        assert S._coarse_keys(ids, seed_hash(seed)) == [int(first_fraction(i, seed)[2:6]) for i in ids]


@pytest.mark.parametrize("key_digits", [5, 6])
def test_coarse_prefilter_keeps_every_tie_and_agrees(key_digits, monkeypatch):
    """A partial sample hashes every id for its 4-digit coarse key, then computes the K-digit key
    only for ids at or below the take-th smallest coarse key. K = 5, 6 on 3,000 ids: K-digit
    keys tie, coarse buckets hold several ids; every take from 1 to 400 (across bucket bounds)
    and a few large ones must still equal the package."""
    ids = pool("prefilter", 3000)
    seed = "城中区2026年第一次摇号"
    full = package(ids, seed)
    keys = S._prefix_keys(ids, seed_hash(seed), key_digits)
    assert len(set(keys)) < len(keys)  # ties on the K-digit key exist
    narrowed = []
    real = S._candidates
    monkeypatch.setattr(S, "_candidates", lambda *a: narrowed.append(len(r := real(*a))) or r)
    for take in [*range(1, 401), 749, 750, 751, 1500, 2999]:
        assert sample(ids, seed, take, _key_digits=key_digits) == full[:take], take
    assert len(narrowed) == 405 and max(narrowed[:400]) < 3000 / 4  # the prefilter ran and narrowed
    assert order(ids, seed, _key_digits=key_digits) == full  # take = n: no prefilter
    odd = ids[:40] + ["", "0", "中文编号", "a b", "e\u0301", "x" * 300]
    assert sample(odd, seed, 5) == package(odd, seed, 5)


def test_tie_resolution_handles_prefix_tickets():
    """Tickets compare as strings: a proper prefix sorts first, then equal tickets by id."""
    base = "0." + "1234567" + "0" * 57
    tickets = {
        "e": base + "1",
        "a": base,
        "d": base + "0",
        "c": base + "05",
        "b": base,          # equal to "a": decided by the id
        "f": "0.1234566" + "9" * 70,
        "g": "0.1234567",  # a proper prefix of "a": shorter sorts first
    }
    ids = list(tickets)
    expected = sorted(ids, key=lambda i: (tickets[i], i))
    for k in (1, 4, 9, 10):
        keys = [tickets[i][: 2 + k] for i in ids]
        idx = sorted(range(len(ids)), key=keys.__getitem__)
        ordered_keys = [keys[i] for i in idx]
        S._resolve_ties(idx, ordered_keys, lambda i: (tickets[ids[i]], ids[i]))
        assert [ids[i] for i in idx] == expected, k
        assert ordered_keys == sorted(ordered_keys)
    assert expected == ["f", "g", "a", "b", "d", "c", "e"]


def test_prefix_key_is_truncated_ticket():
    ids = pool("keys", 200)
    prefix = seed_hash("k")
    for k in (1, 19, 64):
        keys = S._prefix_keys(ids, prefix, k)
        assert keys == [first_fraction(i, "k")[: 2 + k] for i in ids]


def test_display_matches_package_trim():
    for x in ["0.1", "0.123456789012", "0.9", "0.99", "0.9999999999999999999999", "0.09999",
              "0.99999999999123456789012", "0." + "9" * 78]:
        assert display_ticket(x) == trim(x)


# --------------------------------------------------------------------------- properties

def test_input_order_does_not_matter():
    ids = pool("order", 500)
    seed = "城中区2026年第一次摇号"
    reference = order(ids, seed)
    for variant in (list(reversed(ids)), ids[250:] + ids[:250], shuffled(ids, "x"),
                    tuple(shuffled(ids, "y")), iter(shuffled(ids, "z"))):
        assert order(variant, seed) == reference
    assert sample(shuffled(ids, "w"), seed, 15) == reference[:15]


def test_reserves_are_the_continuation_and_subsets_are_consistent():
    ids = pool("reserve", 300)
    seed = "r"
    full = order(ids, seed)
    assert sample(ids, seed, 10) + full[10:13] == sample(ids, seed, 13)
    assert sample(ids, seed, 13)[:10] == sample(ids, seed, 10)
    # Consistent sampling: the order of a sub-pool is the full order filtered to it.
    sub = set(ids[::3])
    assert order(sorted(sub), seed) == [t for t in full if t.id in sub]
    tickets = [t.ticket for t in full]
    assert tickets == sorted(tickets, key=lambda t: (t, ""))  # displays are non-decreasing


def test_seed_is_a_string_taken_verbatim():
    ids = pool("zeros", 100)
    a, b = order(ids, "0"), order(ids, "0000000000")
    assert a != b
    assert a == package(ids, 0)  # the package str()s an int seed: "0"
    assert b == package(ids, "0000000000")
    assert order(ids, "0 ") != a
    with pytest.raises(TypeError):
        order(ids, 0)
    with pytest.raises(TypeError):
        sample(ids, 314159, 3)


def test_bad_arguments():
    with pytest.raises(ValueError, match="重复"):
        sample(["a", "b", "a"], "s", 1)
    with pytest.raises(TypeError, match="字符串"):
        sample(["a", 1], "s", 1)
    with pytest.raises(ValueError, match="负数"):
        sample(["a"], "s", -1)
    with pytest.raises(TypeError):
        sample(["a"], "s", True)
    with pytest.raises(TypeError):
        sample(["a"], "s", 1.0)
    assert sample([], "s", 5) == []
    assert sample(["a"], "s", 0) == []
    assert order([], "s") == []


def test_sampler_seed_derivation():
    assert sampler_seed("0000000000", "T1") == "ssj-draw-v1|T1|0000000000"
    assert trial_sampler_seed("0000000000", "T1") == "ssj-trial-v1|T1|0000000000"
    assert sampler_seed("a|b", "T1") == "ssj-draw-v1|T1|a|b"  # the seed may hold anything
    for bad_task in ("", "T|1"):
        with pytest.raises(ValueError):
            sampler_seed("123", bad_task)
        with pytest.raises(ValueError):
            trial_sampler_seed("123", bad_task)
    with pytest.raises(ValueError):
        sampler_seed("", "T1")
    with pytest.raises(TypeError):
        sampler_seed(123, "T1")
    with pytest.raises(TypeError):
        sampler_seed("123", 1)
    ids = pool("tasks", 200)
    public = "20260315-07-41-93-58-26"
    orders = [order(ids, sampler_seed(public, t)) for t in ("城中市监抽查〔2026〕1号",
                                                           "城中市监抽查〔2026〕2号")]
    trial = order(ids, trial_sampler_seed(public, "城中市监抽查〔2026〕1号"))
    firsts = [[t.id for t in o[:20]] for o in orders + [trial]]
    # Distinct derived seeds give unrelated orders: the first 20 barely overlap.
    for x in range(3):
        for y in range(x + 1, 3):
            assert len(set(firsts[x]) & set(firsts[y])) <= 8


# --------------------------------------------------------------------------- statistics

def chi_square(counts: list[int], expected: float) -> float:
    return sum((c - expected) ** 2 / expected for c in counts)


def test_selection_is_uniform_across_seeds():
    """2000 fixed seeds, pool of 20, take 5: each id is drawn ~500 times.

    Deterministic (fixed seeds), so it cannot flake. Chi-square with 19 degrees of freedom has
    mean 19, sd 6.2; P(>50) ~ 1e-4 and P(<5) ~ 5e-4 for a fair sampler. A biased sampler (say one
    favouring input position or small ids) lands in the hundreds; an over-regular one (rotation)
    lands near 0.
    """
    ids = pool("uniform", 20)
    n_seeds, take = 2000, 5
    selected = {i: 0 for i in ids}
    first = {i: 0 for i in ids}
    for s in range(n_seeds):
        got = sample(ids, f"s{s}", take)
        assert len({t.id for t in got}) == take
        for t in got:
            selected[t.id] += 1
        first[got[0].id] += 1
    chi_sel = chi_square(list(selected.values()), n_seeds * take / len(ids))
    chi_first = chi_square(list(first.values()), n_seeds / len(ids))
    assert 5 < chi_sel < 50, (chi_sel, selected)
    assert 5 < chi_first < 50, (chi_first, first)
    # Mean rank of each id in the full order: uniform ranks 0..19 have mean 9.5.
    ranks = {i: 0 for i in ids}
    for s in range(500):
        for r, t in enumerate(order(ids, f"s{s}")):
            ranks[t.id] += r
    for i, total in ranks.items():
        assert abs(total / 500 - 9.5) < 1.5, (i, total / 500)


def test_tickets_are_uniform_digits():
    """The first ticket digit over 20000 ids: every digit ~2000 times (chi-square, 9 df)."""
    counts = [0] * 10
    for t in islice(order(pool("digits", 20000), "d"), None):
        counts[int(t.ticket[2])] += 1
    assert chi_square(counts, 2000) < 40, counts
