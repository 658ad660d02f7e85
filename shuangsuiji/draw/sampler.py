"""Consistent sampling without replacement, bit-for-bit as `consistent-sampler` 1.0.10 does it.

Reference: R. L. Rivest, `consistent_sampler.sampler(ids, seed, take=n, with_replacement=False)`
(PyPI `consistent-sampler==1.0.10`). The specification for third parties is docs/draw-spec.md.

Ticket computation (per the package):

    seed_hash = hex(SHA-256(UTF-8(seed)))                       # 64 lower-case hex chars
    N         = int(SHA-256(UTF-8(seed_hash + id)))              # 256-bit big-endian integer
    digits    = decimal(N) left-padded with zeros to >= 64 chars # Python "{:064d}"
    R         = reverse(digits)                                  # 64..78 chars
    ticket    = "0." + R

Ids are ordered by the string `ticket` (plain lexicographic comparison, so a proper prefix sorts
first), ties by the id string. The package prints tickets trimmed to the initial run of 9s plus
9 more digits; `Ticket.ticket` carries exactly that display form.

Speed: sorting by the full ticket needs a 64..78-digit decimal conversion per id. Instead we
sort by the *prefix key* "0." + R[:K] (K = 19), the ticket truncated to K digits, computed as
reverse("%019d.0" % (N mod 10**19)): the first K chars of R are the last K padded decimal
digits of N. Since every R has >= 64 >= K chars, `R1[:K] < R2[:K]` implies `R1 < R2`; so the
prefix-key order is the exact order except inside runs of equal prefix keys, which are re-sorted
by the full (ticket, id). With 10**19 possible keys such runs are rare, but they are handled
exactly (the tests force them with K = 1, 2, 3). The package's 9-digit display of a ticket is
a slice of the prefix key unless the ticket starts with more than K - 9 nines.

A partial sample (0 < take < n) first narrows the ids by a *coarse key*, R[:4] read as a number
(a table lookup of N mod 10**4), to those at or below the take-th smallest coarse key: a larger
R[:4] means a larger ticket, and ids whose prefix keys tie share their coarse key. Only those
(about take + n/10**4) get the 19-digit prefix key. Every hash is SHA-256(UTF-8(seed_hash + id)),
computed by copying a SHA-256 state that has taken in the seed hash (exactly one 64-byte block)
and feeding it UTF-8(id): the same bytes, hashed once per id. `_reversed_digits` is the plain
per-id computation the tests compare everything with.

Pure: no I/O, no clock, no randomness. Standard library only.
"""

from __future__ import annotations

import gc
import hashlib
import heapq
from bisect import bisect_left
from collections import Counter
from functools import lru_cache
from itertools import compress, islice, repeat
from operator import eq, itemgetter
from typing import Callable, Iterable, NamedTuple, Sequence

__all__ = [
    "Ticket",
    "DRAW_SEED_PREFIX",
    "TRIAL_SEED_PREFIX",
    "sampler_seed",
    "trial_sampler_seed",
    "seed_hash",
    "ticket_number",
    "ticket_numbers",
    "display_ticket",
    "order",
    "sample",
    "sample_ids",
]

DRAW_SEED_PREFIX = "ssj-draw-v1"
TRIAL_SEED_PREFIX = "ssj-trial-v1"
_SEP = "|"

# Length of the prefix sort key. 19 decimal digits: ~1e19 distinct keys, a str of 19 ASCII chars.
_KEY_DIGITS = 19
# Significant digits the package shows after the initial run of 9s (its `digits=9` default).
_DISPLAY_DIGITS = 9

_sha256 = hashlib.sha256
_tuple_new = tuple.__new__


class Ticket(NamedTuple):
    """One drawn id with its ticket number as the package prints it (e.g. '0.317685817')."""

    id: str
    ticket: str


# --------------------------------------------------------------------------- seeds

def _check_seed_part(value: str, what: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{what}必须是字符串，不能是数字或其他类型（实际为 {type(value).__name__}）")
    if value == "":
        raise ValueError(f"{what}不能为空")


def _derive(prefix: str, public_seed: str, task_number: str) -> str:
    _check_seed_part(public_seed, "公开随机种子")
    _check_seed_part(task_number, "任务编号")
    if _SEP in task_number:
        # Keeps the derivation injective: (task, seed) can be read back from the result.
        raise ValueError(f"任务编号不能包含字符「{_SEP}」：{task_number}")
    return prefix + _SEP + task_number + _SEP + public_seed


def sampler_seed(public_seed: str, task_number: str) -> str:
    """Seed passed to the sampler for an official draw of one task.

    `"ssj-draw-v1|" + task_number + "|" + public_seed`, taken verbatim (no trimming, no Unicode
    normalisation, never parsed as a number). One public seed ceremony thus serves several tasks,
    each with an independent ticket order. `task_number` must not contain "|".
    """
    return _derive(DRAW_SEED_PREFIX, public_seed, task_number)


def trial_sampler_seed(public_seed: str, task_number: str) -> str:
    """Seed for a trial draw (`--dry-run`): `"ssj-trial-v1|" + task_number + "|" + public_seed`.

    Its prefix differs from `sampler_seed`, so a trial can never reproduce an official draw.
    """
    return _derive(TRIAL_SEED_PREFIX, public_seed, task_number)


def _check_seed(seed: str) -> None:
    if not isinstance(seed, str):
        raise TypeError(f"随机种子必须是字符串，不能是数字或其他类型（实际为 {type(seed).__name__}）")


def seed_hash(seed: str) -> str:
    """hex(SHA-256(UTF-8(seed))): the 64-char prefix hashed in front of every id."""
    _check_seed(seed)
    return _sha256(seed.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- tickets

def _reversed_digits(hash_input: str) -> str:
    """R for one id: the padded decimal digits of SHA-256(hash_input), reversed."""
    n = int.from_bytes(_sha256(hash_input.encode("utf-8")).digest(), "big")
    return ("%064d" % n)[::-1]


def ticket_number(id: str, seed: str) -> str:
    """Full-precision ticket number of one id, e.g. '0.2629971412...' (66..80 chars)."""
    return "0." + _reversed_digits(seed_hash(seed) + id)


def ticket_numbers(ids: Iterable[str], seed: str) -> list[tuple[str, str]]:
    """(id, full ticket number) for every id, in input order. The slow, obvious representation."""
    prefix = seed_hash(seed)
    return [(i, "0." + _reversed_digits(prefix + i)) for i in ids]


def display_ticket(full_ticket: str, digits: int = _DISPLAY_DIGITS) -> str:
    """The package's `trim`: keep '0.', the initial run of 9s, then `digits` more digits."""
    mantissa = full_ticket[2:]
    nines = len(mantissa) - len(mantissa.lstrip("9"))
    return full_ticket[: 2 + nines + digits]


def _hasher(prefix: str):
    """`h0.copy` of a SHA-256 that has already taken in the seed hash `prefix`.

    `h = h0.copy(); h.update(UTF-8(id)); h.digest()` is SHA-256(UTF-8(prefix + id)), the same
    bytes as `_reversed_digits` hashes: UTF-8 of a concatenation is the concatenation of the
    UTF-8s, and SHA-256 reads its input as a stream. The prefix (64 hex digits) is exactly one
    64-byte block, so copying the state saves compressing it again for every id.
    """
    return _sha256(prefix.encode("utf-8")).copy


def _digests(ids_utf8: Iterable[bytes], prefix: str) -> bytes:
    """SHA-256(UTF-8(prefix + id)) of every id, given as its UTF-8 bytes, concatenated (32 bytes
    each, in input order): `_hasher`'s copied state fed the id's bytes, as `_prefix_keys` does."""
    copy = _hasher(prefix)
    out = []
    append = out.append
    for i in ids_utf8:
        h = copy()
        h.update(i)
        append(h.digest())
    return b"".join(out)


def _prefix_keys(ids: Iterable[str], prefix: str, key_digits: int) -> list[str]:
    """"0." + R[:key_digits] for every id (1 <= key_digits <= 64), in input order."""
    mod = 10 ** key_digits
    fmt = "%0" + str(key_digits) + "d.0"  # reversed, the ".0" becomes the leading "0."
    frombytes = int.from_bytes
    copy = _hasher(prefix)
    out = []
    append = out.append
    for i in ids:
        h = copy()
        h.update(i.encode("utf-8"))
        append((fmt % (frombytes(h.digest(), "big") % mod))[::-1])
    return out


# Digits of the coarse key that narrows a partial selection before the prefix keys are computed.
_COARSE_DIGITS = 4


@lru_cache(maxsize=1)
def _coarse_table() -> tuple[int, ...]:
    """x -> the number whose digits are those of "%04d" % x reversed, for x < 10**4 (built once,
    whole, before any caller sees it: safe for an engine's worker threads)."""
    fmt = "%0" + str(_COARSE_DIGITS) + "d"
    return tuple(int((fmt % x)[::-1]) for x in range(10 ** _COARSE_DIGITS))


def _coarse_keys(ids: Sequence[str], prefix: str) -> list[int]:
    """R[:4] of every id read as a number (0..9999), in input order.

    R[:4] is the reverse of the last 4 padded digits of N, i.e. of "%04d" % (N mod 10**4); a table
    of the 10,000 reversals replaces formatting a string per id. Four-digit strings compare as
    their numbers do, so a smaller coarse key means a smaller ticket.
    """
    table = _coarse_table()
    mod = 10 ** _COARSE_DIGITS
    frombytes = int.from_bytes
    copy = _hasher(prefix)
    out = []
    append = out.append
    for i in ids:
        h = copy()
        h.update(i.encode("utf-8"))
        append(table[frombytes(h.digest(), "big") % mod])
    return out


def _candidates(ids: Sequence[str], prefix: str, take: int) -> list[int]:
    """Indexes of the ids whose coarse key is at most the take-th smallest coarse key.

    Every id of the first `take` in ticket order is among them: an id with a larger coarse key
    has a larger ticket than each of the >= `take` ids at or below the bound. Ids whose prefix
    keys tie share their coarse key, so a run of ties is never cut. About `take` plus one coarse
    bucket (n / 10,000 ids) remain; only they get the 19-digit prefix key.
    """
    coarse = _coarse_keys(ids, prefix)
    counts = Counter(coarse)
    seen = 0
    for bound in sorted(counts):
        seen += counts[bound]
        if seen >= take:
            break
    return list(compress(range(len(coarse)), map(bound.__ge__, coarse)))


def _resolve_ties(idx: list[int], ordered_keys: list[str],
                  full_key: Callable[[int], tuple[str, str]]) -> None:
    """Re-sort, in place, each run of equal prefix keys in `idx` by `full_key(i)`.

    `ordered_keys[p]` is the prefix key of `idx[p]` (sorted ascending); `full_key(i)` is
    (full ticket, id) of index i: the package's comparison. Keys inside a run are equal, so
    `ordered_keys` stays valid.
    """
    equal_next = list(map(eq, ordered_keys, islice(ordered_keys, 1, None)))
    if not any(equal_next):
        return
    n = len(equal_next)
    done = 0  # positions below `done` are already resolved
    for pos in compress(range(n), equal_next):
        if pos < done:
            continue
        end = pos
        while end < n and equal_next[end]:
            end += 1
        # idx[pos..end] (inclusive) share one prefix key.
        idx[pos:end + 1] = sorted(idx[pos:end + 1], key=full_key)
        done = end + 1


def _ordered(ids: Sequence[str], seed: str, take: int, key_digits: int, *, narrow: bool = True
             ) -> tuple[list[str], list[str], str]:
    """(ids, prefix keys) of the first `take` ids in ticket order, and the seed hash.

    `narrow=False` skips the coarse-key narrowing (for ids a caller has already narrowed, as
    poolscan.py does): the prefix keys of all of them are computed, the order is the same."""
    if not 1 <= key_digits <= 64:
        raise ValueError("key_digits must be in 1..64")
    prefix = seed_hash(seed)
    n = len(ids)
    if len(set(ids)) != n:
        seen: set[str] = set()
        dupes = sorted({i for i in ids if i in seen or seen.add(i)})
        raise ValueError(f"抽取名单中有重复的编号（共 {len(dupes)} 个）：{'、'.join(dupes[:10])}")
    try:
        if narrow and key_digits > _COARSE_DIGITS and 0 < take < n:
            cand = _candidates(ids, prefix, take)
            keys = _prefix_keys(map(ids.__getitem__, cand), prefix, key_digits)
        else:
            cand = None
            keys = _prefix_keys(ids, prefix, key_digits)
    except (TypeError, AttributeError):
        bad = next(i for i in ids if not isinstance(i, str))
        raise TypeError(f"编号必须是字符串（实际为 {type(bad).__name__}：{bad!r}）") from None
    if take == 0:
        return [], [], prefix
    m = len(keys)
    if take <= m // 4:
        # Partial selection: the take-th smallest key is a threshold; every id ranked within the
        # first `take` has a key <= it (a strictly larger prefix key means a strictly larger
        # ticket), and ids tying the threshold are all kept until the tie resolution below.
        threshold = heapq.nsmallest(take, keys)[-1]
        idx = list(compress(range(m), map(threshold.__ge__, keys)))
        idx.sort(key=keys.__getitem__)
    else:
        idx = sorted(range(m), key=keys.__getitem__)
    ordered_keys = list(map(keys.__getitem__, idx))
    if cand is not None:
        idx = list(map(cand.__getitem__, idx))  # positions among the candidates -> in `ids`
    _resolve_ties(idx, ordered_keys, lambda i: (_full_ticket(prefix, ids[i]), ids[i]))
    del idx[take:], ordered_keys[take:]
    return list(map(ids.__getitem__, idx)), ordered_keys, prefix


def _full_ticket(prefix: str, id: str) -> str:
    return "0." + _reversed_digits(prefix + id)


def _check_take(take: int) -> None:
    if isinstance(take, bool) or not isinstance(take, int):
        raise TypeError(f"抽取数量必须是整数（实际为 {type(take).__name__}）")
    if take < 0:
        raise ValueError(f"抽取数量不能为负数：{take}")


def _tickets(ordered_ids: list[str], ordered_keys: list[str], prefix: str,
             key_digits: int) -> list[Ticket]:
    """Tickets with the package's display form of each ticket number."""
    limit = key_digits - _DISPLAY_DIGITS  # longest run of leading 9s a prefix key can display
    if limit >= 0:
        # Without leading 9s the display is the prefix key's first 2 + 9 chars. Keys are sorted,
        # so those with a leading 9 form the tail from the first key >= "0.9".
        shown = list(map(itemgetter(slice(0, 2 + _DISPLAY_DIGITS)), ordered_keys))
        redo = range(bisect_left(ordered_keys, "0.9"), len(ordered_keys))
    else:
        shown = list(ordered_keys)
        redo = range(len(ordered_keys))
    for pos in redo:
        k = ordered_keys[pos]
        nines = len(k) - 2 - len(k[2:].lstrip("9"))
        if nines <= limit:
            shown[pos] = k[: 2 + nines + _DISPLAY_DIGITS]
        else:
            shown[pos] = display_ticket(_full_ticket(prefix, ordered_ids[pos]))
    # Ticket instances (unlike plain tuples of strings) stay tracked by the cyclic GC, which
    # would otherwise rescan the growing list many times while it is built; pause it meanwhile.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return list(map(_tuple_new, repeat(Ticket), zip(ordered_ids, shown)))
    finally:
        if enabled:
            gc.enable()


def sample(ids: Sequence[str], seed: str, take: int, *, _key_digits: int = _KEY_DIGITS
           ) -> list[Ticket]:
    """The first `take` ids in ticket order (all of them if take >= len(ids)).

    Equals `[Ticket(t[1], t[0]) for t in consistent_sampler.sampler(ids, seed=seed, take=take)]`.
    Input order does not matter. Ids must be distinct strings; the seed is a string, verbatim.
    """
    _check_take(take)
    ids = ids if isinstance(ids, (list, tuple)) else list(ids)
    ordered_ids, ordered_keys, prefix = _ordered(ids, seed, take, _key_digits)
    return _tickets(ordered_ids, ordered_keys, prefix, _key_digits)


def order(ids: Sequence[str], seed: str, *, _key_digits: int = _KEY_DIGITS) -> list[Ticket]:
    """The full ticket order. A draw of k with r reserves (候补) is order[:k] then order[k:k+r]."""
    ids = ids if isinstance(ids, (list, tuple)) else list(ids)
    return sample(ids, seed, len(ids), _key_digits=_key_digits)


def sample_ids(ids: Sequence[str], seed: str, take: int) -> list[str]:
    """Like `sample`, ids only (no Ticket objects): the cheapest form for large orders."""
    _check_take(take)
    ids = ids if isinstance(ids, (list, tuple)) else list(ids)
    return _ordered(ids, seed, take, _KEY_DIGITS)[0]
