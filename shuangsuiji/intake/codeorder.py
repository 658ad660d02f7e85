"""Sorting a large roster's credit codes by integer keys instead of string comparisons.

A code of up to 18 characters, every one in U+0021..U+005F (digits, upper-case letters and the
punctuation between them: every normalised 统一社会信用代码 and 注册号), maps to two 54-bit
integers — six bits per character (its byte minus 0x20, so 1..63), nine characters per integer,
a missing character 0. The map keeps order: (hi, lo) compares exactly as the strings compare in
Python (code-point order, a proper prefix first), and equal keys mean equal codes. So one stable
`numpy.lexsort` of two integer columns gives the string sort, and duplicate codes are equal
neighbouring keys. A code outside that alphabet has no key; `code_order` then falls back to
Arrow's string sort, which gives the same order, only slower.
"""

from __future__ import annotations

WIDTH = 18  # characters in a key; longer codes have none
_KEYABLE = r"^[\x21-\x5f]{0,18}$"


def code_keys(codes):
    """(hi, lo, ok) numpy arrays over every value of an Arrow string column (chunked or not):
    the two integer keys of each code and whether it has keys (ok False: hi, lo are 0)."""
    import numpy as np
    import pyarrow as pa

    chunks = codes.chunks if isinstance(codes, pa.ChunkedArray) else [codes]
    parts = [_chunk_keys(c) for c in chunks if len(c)]
    if not parts:
        empty = np.zeros(0, dtype=np.uint64)
        return empty, empty, np.zeros(0, dtype=bool)
    return tuple(np.concatenate(p) for p in zip(*parts))


def _chunk_keys(chunk):
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(chunk)
    if pc.all(pc.equal(pc.binary_length(chunk), WIDTH)).as_py() and pc.all(pc.string_is_ascii(chunk)).as_py():
        matrix = fixed_bytes(chunk)
        ok = ((matrix >= 0x21) & (matrix <= 0x5F)).all(axis=1)
    else:
        ok = mask(pc.match_substring_regex(chunk, _KEYABLE))
        padded = pc.utf8_rpad(pc.if_else(pa.array(ok), chunk, ""), width=WIDTH, padding=" ")
        padded = padded.combine_chunks() if hasattr(padded, "combine_chunks") else padded
        matrix = fixed_bytes(padded)
    hi = np.zeros(n, dtype=np.uint64)
    lo = np.zeros(n, dtype=np.uint64)
    six = np.uint64(6)
    for i in range(WIDTH // 2):
        hi = (hi << six) | (matrix[:, i] - np.uint8(0x20)).astype(np.uint64)
        lo = (lo << six) | (matrix[:, i + WIDTH // 2] - np.uint8(0x20)).astype(np.uint64)
    hi[~ok] = 0
    lo[~ok] = 0
    return hi, lo, ok


def code_order(codes, rows):
    """`rows` (numpy int64) ordered by their code, ties in the order given; and a bool array
    marking, in that order, the rows whose code equals a neighbour's (the duplicates)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    hi, lo, ok = code_keys(codes)
    if ok[rows].all():
        at = np.lexsort((lo[rows], hi[rows]))  # stable: ties keep the order of `rows`
        order = rows[at]
        h, l = hi[order], lo[order]
        same = (h[1:] == h[:-1]) & (l[1:] == l[:-1])
    else:  # a code outside the key alphabet: Arrow's (stable) string sort of the same rows
        picked = codes.take(pa.array(rows))
        at = pc.sort_indices(picked).to_numpy()
        order = rows[at]
        ordered = picked.take(pa.array(at))
        ordered = ordered.combine_chunks() if isinstance(ordered, pa.ChunkedArray) else ordered
        same = (pc.equal(ordered.slice(1), ordered.slice(0, len(ordered) - 1)).to_numpy(zero_copy_only=False)
                if len(ordered) > 1 else np.zeros(0, dtype=bool))
    dup = np.zeros(len(order), dtype=bool)
    dup[1:] |= same
    dup[:-1] |= same
    return order, dup


def fixed_bytes(strings):
    """The (n, 18) uint8 view of a string array whose every value is 18 bytes (no copy)."""
    import numpy as np

    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int32)[strings.offset:strings.offset + len(strings) + 1]
    raw = np.frombuffer(strings.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
    return raw.reshape(-1, WIDTH)


def mask(values):
    """An Arrow boolean array (or chunked array) as a numpy bool array."""
    import numpy as np

    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=bool)
