"""codeorder: integer keys sort codes exactly as Python sorts the strings, and find duplicates."""

import numpy as np
import pyarrow as pa
import pytest

from shuangsuiji.intake.codeorder import code_keys, code_order

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _codes(n, seed=7):
    """Deterministic codes of mixed lengths (18, 15, short, empty) with repeats, no RNG library."""
    out = []
    x = seed
    for i in range(n):
        x = (x * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        length = (18, 18, 18, 15, 17, 1, 0)[x % 7]
        code = "".join(ALPHABET[(x >> (3 * k)) % 31] for k in range(length))
        out.append(code)
        if x % 11 == 0:
            out.append(code)  # a duplicate right after
        if x % 13 == 0 and out:
            out.append(out[len(out) // 2])  # a duplicate far away
    return out


def _expected(codes, rows):
    order = sorted(rows, key=lambda r: (codes[r], r))
    ordered = [codes[r] for r in order]
    dup = [(i > 0 and ordered[i - 1] == c) or (i + 1 < len(ordered) and ordered[i + 1] == c)
           for i, c in enumerate(ordered)]
    return order, dup


@pytest.mark.parametrize("chunked", [False, True])
def test_code_order_equals_python_sort_with_duplicates(chunked):
    codes = _codes(3000)
    arr = pa.chunked_array([codes[:1000], codes[1000:1001], codes[1001:]]) if chunked else pa.array(codes)
    rows = np.array([r for r in range(len(codes)) if r % 5], dtype=np.int64)  # some rows not kept
    keys, ok = code_keys(arr, rows)
    assert len(ok) == len(rows) and keys[0].tolist() == code_keys(pa.array([codes[r] for r in rows]))[0][0].tolist()
    order, dup = code_order(arr, rows)
    want_order, want_dup = _expected(codes, rows.tolist())
    assert order.tolist() == want_order
    assert dup.tolist() == want_dup
    assert any(want_dup) and not all(want_dup)


def test_eighteen_character_chunks_are_read_in_place_and_prefixes_sort_first():
    codes = ["91350100M000100Y43", "9135010", "91350100M000100Y4", "91350100M000100Y43", "A"]
    keys, ok = code_keys(pa.array(codes))
    assert ok.all() and len(keys) == 3
    order, dup = code_order(pa.array(codes), np.arange(5, dtype=np.int64))
    assert [codes[i] for i in order] == sorted(codes)
    assert order.tolist() == [1, 2, 0, 3, 4]
    assert dup.tolist() == [False, False, True, True, False]


def test_codes_outside_the_key_alphabet_fall_back_to_the_string_sort():
    codes = ["b91350100M000100Y4", "91350100M000100Y43", "９１", "a b", "91350100M000100Y43", "Z" * 19, "~"]
    _, ok = code_keys(pa.array(codes))
    assert ok.tolist() == [True, True, False, False, True, False, True]
    order, dup = code_order(pa.array(codes), np.arange(len(codes), dtype=np.int64))
    want_order, want_dup = _expected(codes, list(range(len(codes))))
    assert order.tolist() == want_order
    assert dup.tolist() == want_dup
