"""The freeze's pool over a `TargetTable` (columnar intake): build_pool's rules as column masks.

`fill_strata` applies, to whole columns, exactly the sequence `pool.build_pool` applies per
entity: scope (定向), registration state, no rule for the class, newly established, drawn
recently (ledger), inspected recently (上次检查日期), the high-risk exemption. Each stratum
then holds a `PoolView` — row numbers into the table, in code order — instead of a list of
`Target`. The pool files are written from the columns (`csv_chunks`, `details_chunks`), bytes
identical to the row writers of pool.py; a chunk that needs CSV quoting goes through the
csv module as before. Counts, examples and their order are those of the per-entity loop.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

from ..intake.arrowcols import as_text, chunks_of
from ..intake.cellcols import first_byte_in
from ..intake.targettable import TargetTable, take_rows
from .allocation import R_DRAWN, R_INSPECTED, R_NEW, R_NO_RULE, R_SCOPE, R_STATE, Stratum

DETAIL_FIELDS = ("credit_code", "name", "entity_type", "industry", "address", "area", "state", "risk",
                 "legal_rep", "phone")
_TRAPS = "=+-@\t\r\n"  # sheets.fastxlsx escaped(): first characters that get a leading '


class PoolView(Sequence):
    """A stratum's pool as table rows of a TargetTable, listed in code order."""

    def __init__(self, targets: TargetTable, rows):
        self.targets, self.rows = targets, rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return list(self.targets.targets(self.rows[i]))
        return next(self.targets.targets([int(self.rows[i])]))

    def __iter__(self):
        return self.targets.targets(self.rows)

    def _chunks(self, size: int, fields):
        """Tables of the `fields` of `size` rows at a time. A few-valued column (LOW_CARDINALITY)
        is gathered as dictionary codes (4 bytes a row, its text decoded when written)."""
        import pyarrow as pa

        coded = {f: _dictionary(self.targets, f) for f in fields if f in LOW_CARDINALITY}
        plain = [f for f in fields if coded.get(f) is None]
        table = self.targets.table.select(plain)  # only the columns written
        for start in range(0, len(self.rows), size):
            rows = self.rows[start:start + size]
            part = take_rows(table, rows, self.targets.constant)
            if len(plain) == len(fields):
                yield part
                continue
            at = pa.array(rows)
            yield pa.table({f: coded[f].take(at) if coded.get(f) is not None else part.column(f) for f in fields})

    def csv_chunks(self, stratum: str, size: int):
        """pool.csv lines (stratum, code, escaped name), CRLF, as csv.writer writes them."""
        traps = _traps(self.targets, "name")
        for part in self._chunks(size, ("credit_code", "name")):
            yield _pool_lines(part, stratum, traps)

    def details_chunks(self, size: int):
        """pool_details.tsv lines: ten tab-separated cells, tabs and line breaks made spaces."""
        breaks = {f: _has_break(self.targets, f) for f in DETAIL_FIELDS}
        traps = {f: _traps(self.targets, f) for f in DETAIL_FIELDS}
        for part in self._chunks(size, DETAIL_FIELDS):
            yield _detail_lines(part, breaks, traps)

    def file_chunks(self, stratum: str, size: int):
        """(pool.csv lines, pool_details.tsv lines) of the same rows, from one gather of the rows."""
        breaks = {f: _has_break(self.targets, f) for f in DETAIL_FIELDS}
        traps = {f: _traps(self.targets, f) for f in DETAIL_FIELDS}
        for part in self._chunks(size, DETAIL_FIELDS):
            yield _pool_lines(part, stratum, traps["name"]), _detail_lines(part, breaks, traps)


def _pool_lines(part, stratum: str, traps: bool) -> bytes:
    import pyarrow as pa

    code, name = part.column("credit_code"), part.column("name")
    if traps:
        name = _escaped(name)
    lines = None if any(ch in stratum for ch in ',"\r\n') else _csv_lines(
        [pa.repeat(stratum, len(part)), code, name], ",", "\r\n")
    if lines is None:  # a cell that needs quoting: the csv module, as the row writer
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows(zip([stratum] * len(part), code.to_pylist(), name.to_pylist()))
        lines = buf.getvalue().encode("utf-8")
    return lines


def _detail_lines(part, breaks: dict, traps: dict) -> bytes:
    cells = []
    for f in DETAIL_FIELDS:
        col = part.column(f)
        if breaks[f] or traps[f]:
            col = as_text(col)
        col = _flat(col) if breaks[f] else col
        cells.append(_escaped(col) if traps[f] or breaks[f] else col)
    lines = _csv_lines(cells, "\t", "\n")
    if lines is None:
        cells = [as_text(c) for c in cells]
        lines = _joined([*(x for c in cells for x in (c, "\t"))][:-1] + ["\n"])
    return lines


COLUMN_CHUNK_ROWS = 1 << 19  # rows gathered at a time for the pool files (~100 MB of text at most)
LOW_CARDINALITY = ("entity_type", "industry", "area", "state", "risk")


def _dictionary(targets: TargetTable, field: str):
    """The column dictionary-encoded (once per table), or None: chunked, made (absent from the
    file), or with too many distinct values for codes to pay."""
    key = ("dictionary", field)
    flags = _flags(targets)
    if key not in flags:
        col = targets.table.column(field)
        enc = None
        if field not in targets.constant and col.num_chunks == 1:
            enc = col.chunk(0).dictionary_encode()
            if len(enc.dictionary) > max(len(enc) // 16, 1024):
                enc = None
        flags[key] = enc
    return flags[key]


def _flags(targets: TargetTable) -> dict:
    """The table's cache of the column checks and codes below (once per column, not per chunk)."""
    return targets.derived


def _has_break(targets: TargetTable, field: str) -> bool:
    """Could a cell of the column hold a tab or a line break (then chunks go through _flat)?
    A scan of each chunk's text buffer in place (conservative: bytes outside a slice count too)."""
    key = ("break", field)
    flags = _flags(targets)
    if key not in flags:
        flags[key] = any(_has_byte_below_14(data) and any(ch in data.tobytes() for ch in (b"\t", b"\r", b"\n"))
                         for data in _data_buffers(_scanned(targets, field)))
    return flags[key]


def _has_byte_below_14(data, block: int = 1 << 24) -> bool:
    """Any byte < 14 (tab 9, LF 10, CR 13 among them) in a uint8 array, 16 MB at a time (a
    control character is rare: the exact search above runs only then)."""
    return any(bool((data[i:i + block] < 14).any()) for i in range(0, len(data), block))


def _traps(targets: TargetTable, field: str) -> bool:
    """Does a cell of the column start with a formula character (then chunks go through _escaped)?"""
    key = ("trap", field)
    flags = _flags(targets)
    if key not in flags:
        flags[key] = bool(first_byte_in(_scanned(targets, field), _TRAPS, empty=False).any())
    return flags[key]


def _scanned(targets: TargetTable, field: str):
    """What the checks above read for a column: the one value of a made column, the dictionary of
    a dictionary-coded one, else the column itself."""
    import pyarrow as pa

    if field in targets.constant:
        value = targets.constant[field]
        return pa.array([value if isinstance(value, str) else ""], pa.string())
    coded = _dictionary(targets, field) if field in LOW_CARDINALITY else None
    return coded.dictionary if coded is not None else targets.table.column(field)


def _data_buffers(column):
    """Each chunk's text bytes as a numpy view (no copy)."""
    import numpy as np

    for chunk in chunks_of(column):
        if len(chunk) and chunk.buffers()[2] is not None:
            yield np.frombuffer(chunk.buffers()[2], dtype=np.uint8)


def _csv_lines(columns, delimiter: str, eol: str) -> bytes | None:
    """The cells joined by `delimiter`, one line per row ending in `eol`, by Arrow's CSV writer;
    None when a cell holds a quote, the delimiter or a line break (the caller then quotes or joins)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    if not len(columns[0]):
        return b""
    buf = pa.BufferOutputStream()
    # dictionary codes decoded first and large batches: twice as fast as the writer's defaults
    columns = [as_text(c) for c in columns]
    try:
        pcsv.write_csv(pa.table(columns, names=[f"c{i}" for i in range(len(columns))]), buf,
                       write_options=pcsv.WriteOptions(include_header=False, delimiter=delimiter,
                                                       quoting_style="none", eol=eol, batch_size=1 << 16))
    except pa.ArrowInvalid:  # "CSV values may not contain structural characters"
        return None
    return buf.getvalue().to_pybytes()


def _escaped(col):
    """sheets.fastxlsx.escaped() over a column: a cell starting with = + - @ gets a leading '
    (after _flat no cell starts with a tab or a line break)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    trap = pc.is_in(pc.utf8_slice_codeunits(col, 0, 1), pa.array(list(_TRAPS)))
    if not pc.any(trap).as_py():
        return col
    return pc.if_else(trap, pc.binary_join_element_wise("'", col, ""), col)


def _flat(col):
    """Tabs and line breaks inside a cell become spaces (pool._detail_line)."""
    import pyarrow.compute as pc

    for ch in "\t\n\r":
        if pc.any(pc.match_substring(col, ch)).as_py():
            col = pc.replace_substring(col, ch, " ")
    return col


def _joined(pieces) -> bytes:
    """Concatenate, row by row, string columns and constant strings; the bytes of all rows."""
    import pyarrow as pa
    import pyarrow.compute as pc

    lines = pc.binary_join_element_wise(*pieces, "")
    lines = lines.combine_chunks() if isinstance(lines, pa.ChunkedArray) else lines
    if not len(lines):
        return b""
    import numpy as np

    off = np.frombuffer(lines.buffers()[1], dtype=np.int32)[lines.offset:lines.offset + len(lines) + 1]
    return lines.buffers()[2].to_pybytes()[off[0]:off[-1]]


def fill_strata(targets: TargetTable, task, strata: list[Stratum], class_to: dict, unassigned: Stratum, *,
                special: set[str] | None, drawn: dict, since: date | None, new_after: date | None,
                high: set[str], exempt_high: bool) -> tuple[int, dict[str, list[str]]]:
    """Fill each stratum's in_roster, excluded and pool (a PoolView); (out_of_scope, examples)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    t = targets.table
    n = t.num_rows
    everyone = [*strata, unassigned]
    index = {s.name: i for i, s in enumerate(strata)}
    order = targets.order  # the targets' rows, in code order; other rows of the table are not targets
    distinct = pc.unique(t.column("risk"))
    where = [index.get(class_to.get(r, class_to.get(""))) for r in distinct.to_pylist()]
    lookup = np.array([len(strata) if w is None else w for w in where] or [0], dtype=np.int64)
    at = pc.index_in(t.column("risk"), value_set=distinct)
    stratum = lookup[np.asarray(at.to_numpy(zero_copy_only=False), dtype=np.int64)] if n else np.zeros(0, np.int64)
    codes = t.column("credit_code")
    target = np.zeros(n, dtype=bool)
    target[order] = True
    counts = np.bincount(stratum[target], minlength=len(everyone))
    for s, c in zip(everyone, counts):
        s.in_roster += int(c)

    scoped = _in_scope(t, task, special, n)
    out_of_scope = int((target & ~scoped).sum())
    rem = target.copy()  # still in the pool
    examples: dict[str, list[str]] = {}
    firsts: list[tuple[int, str, list[str]]] = []

    def exclude(mask, reason: str, with_examples: bool = True) -> None:
        nonlocal rem
        mask = mask & rem
        rem = rem & ~mask
        for s, c in zip(everyone, np.bincount(stratum[mask], minlength=len(everyone))):
            if c:
                s.excluded[reason] += int(c)
        hit = np.flatnonzero(mask[order])[:5]  # positions in code order
        if with_examples and len(hit):
            firsts.append((int(hit[0]), reason, take_rows(t.select(["credit_code"]), order[hit]).column(0).to_pylist()))

    exclude(~scoped, R_SCOPE, with_examples=False)
    exclude(~_bools(t.column("drawable")), R_STATE)
    exclude(stratum == len(strata), R_NO_RULE)
    if new_after is not None:
        exclude(_days(t.column("established")) > np.datetime64(new_after), R_NEW)
    if since is not None:
        subject = np.ones(n, dtype=bool)
        if exempt_high:
            subject = ~_bools(pc.is_in(t.column("risk"), pa.array(sorted(high), pa.string())))
        window = {c for c, d in drawn.items() if since <= d.when <= task.draw_date}
        exclude(subject & _bools(pc.is_in(codes, pa.array(sorted(window), pa.string()))), R_DRAWN)
        last = _days(t.column("last_inspected"))
        exclude(subject & (last >= np.datetime64(since)) & (last <= np.datetime64(task.draw_date)), R_INSPECTED)
    for first, reason, found in sorted(firsts):
        examples[reason] = found
    in_order = stratum[order]
    still = rem[order]
    for i, s in enumerate(strata):
        s.pool = PoolView(targets, order[still & (in_order == i)])
    return out_of_scope, examples


def _bools(col):
    import numpy as np

    return np.asarray(col.to_numpy(zero_copy_only=False), dtype=bool)


def _days(col):
    import numpy as np

    return np.asarray(col.to_numpy(zero_copy_only=False), dtype="datetime64[D]")


def _in_scope(t, task, special: set[str] | None, n: int):
    """pool._in_scope as a mask: exact type, industry and area; licence text; the special list."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    scope = task.scope
    ok = np.ones(n, dtype=bool)
    if not scope.directed:
        return ok
    for field, allowed in (("entity_type", scope.entity_types), ("industry", scope.industries),
                           ("area", scope.areas)):
        if allowed:
            ok &= _bools(pc.is_in(t.column(field), pa.array(list(allowed), pa.string())))
    if scope.licence:
        lic = t.column("licences").combine_chunks()
        hit = np.zeros(n, dtype=bool)
        flat = pc.list_flatten(lic)
        if len(flat):
            parents = pc.list_parent_indices(lic).to_numpy(zero_copy_only=False)
            hit[parents[_bools(pc.match_substring(flat, scope.licence))]] = True
        ok &= hit
    if scope.special_list is not None:
        ok &= (_bools(pc.is_in(t.column("credit_code"), pa.array(sorted(special), pa.string())))
               if special is not None else np.zeros(n, dtype=bool))
    return ok
