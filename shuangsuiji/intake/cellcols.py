"""Cell checks of cells.py over whole Arrow columns, for the columnar intake.

Each answers per row what the per-cell rule would, without a Python object per cell: the first
or last byte of each cell read in place (UTF-8: an ASCII character is one byte, and the bytes a
whitespace character can begin or end with are few), and for a dictionary-coded column the
check of each distinct value spread by the codes.
"""

from __future__ import annotations

import sys

from .arrowcols import chunk_bytes, chunks_of, mask

SPACES = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())  # what str.strip() strips


def byte_table(chars):
    """A 256-entry numpy bool lookup table, True at the given byte values."""
    import numpy as np

    table = np.zeros(256, dtype=bool)
    table[list(chars)] = True
    return table


def first_byte_in(column, starts, *, empty: bool):
    """Per row: does the cell start with one of the ASCII characters `starts` (or is it empty,
    when `empty`)? The first byte of each cell, read in place."""
    import numpy as np

    table = byte_table(ord(c) for c in starts)
    parts = []
    for chunk in chunks_of(column):
        offsets, data = chunk_bytes(chunk)
        nonempty = offsets[1:] > offsets[:-1]
        hit = np.full(len(chunk), empty)
        hit[nonempty] = table[data[offsets[:-1][nonempty]]]
        parts.append(hit)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def untrimmed(column):
    """Per row: would str.strip() change the cell? Only a cell whose first byte can begin, or
    whose last byte can end, one of Python's whitespace characters in UTF-8 is a candidate; the
    candidates are trimmed by Arrow with exactly those characters and compared."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(column.type):  # each distinct value checked once, in Python
        return np.concatenate([np.array([v != v.strip() for v in c.dictionary.to_pylist()] or [False])[
            np.asarray(c.indices.to_numpy(zero_copy_only=False), dtype=np.int64)] for c in chunks_of(column)]
            or [np.zeros(0, dtype=bool)])
    firsts = byte_table(c.encode("utf-8")[0] for c in SPACES)
    lasts = byte_table(c.encode("utf-8")[-1] for c in SPACES)
    parts = []
    for chunk in chunks_of(column):
        offsets, data = chunk_bytes(chunk)
        nonempty = offsets[1:] > offsets[:-1]
        candidate = np.zeros(len(chunk), dtype=bool)
        candidate[nonempty] = firsts[data[offsets[:-1][nonempty]]] | lasts[data[offsets[1:][nonempty] - 1]]
        changed = np.zeros(len(chunk), dtype=bool)
        idx = np.flatnonzero(candidate)
        if len(idx):
            sub = chunk.take(pa.array(idx))
            changed[idx] = mask(pc.not_equal(sub, pc.utf8_trim(sub, characters=SPACES)))
        parts.append(changed)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def by_value(column, fn):
    """fn (an Arrow array -> array of as many results) over a column; for a dictionary-coded
    column fn sees each chunk's distinct values only, and their results are spread by the codes."""
    import pyarrow as pa

    if not pa.types.is_dictionary(column.type):
        return fn(column)
    return pa.chunked_array([fn(c.dictionary).take(c.indices) for c in chunks_of(column)])
