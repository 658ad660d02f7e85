"""Columnar intake of a large CSV target roster: Arrow columns in, `TargetTable` out.

pyarrow reads the file (every cell a string); each check of targets.py becomes a column
operation that only decides which rows are *plain*: an 18-character code passing both check
characters (numpy over an (n, 18) byte matrix, codes.valid_uscc_matrix), a name that is neither
empty nor formula-like, no cell with spaces around it, and a state, a risk class and dates that
the plan's dictionaries read without a remark (each distinct value converted once, by today's
functions). Every other row — rejected or suspicious, or merely odd (a 注册号, full-width
characters) — goes through `targets._targets_of`, the per-row rules of small files, so its
messages are today's, word for word. Duplicate codes are found as equal neighbours after a sort
and their rows collapsed by `targets._collapse`. Only those rows ever become Python objects.

`read_columnar` returns None when the file is not one this path reads exactly like the csv
module (a row with a different number of cells, an empty line, a quoted line break above the
header, the plan mapping values for this file): targets.py then reads it row by row, as before.
"""

from __future__ import annotations

import sys

from ..core.errors import Problem
from .cells import Chunk, parse_date
from .codeorder import code_order, fixed_bytes, mask
from .codes import valid_uscc_matrix
from .records import USCC
from .targettable import TargetTable, schema, to_arrow

MIN_BYTES = 1 << 20  # smaller files (~10,000 rows) take the row path: as fast, and no pyarrow import
BLOCK = 1 << 27  # bytes per parsed block: few large chunks make the pool gathers cheap (see draw/poolcols.py)
TEXT_CHECKED = ("name", "entity_type", "industry", "address", "legal_rep", "phone", "reg_authority", "area",
                "state", "licence_name", "licence_no")
FORMULA_START = ("=", "+", "-", "@")
SPACES = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())  # what str.strip() strips


def usable(table) -> bool:
    """A CSV file of some size whose values the plan does not remap."""
    return (table._rows is None and not table.values and not table.more
            and table.path.stat().st_size >= MIN_BYTES)


def read_columnar(table, rules, problems: list[Problem], targets_of, collapse):
    """(TargetTable, rows_read, duplicates_collapsed), or None if this file needs the row path."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    data = _read(table)
    if data is None:
        return None
    n_all = data.num_rows
    numbers = pa.array(np.arange(table.header_row + 1, table.header_row + 1 + n_all, dtype=np.int32))
    keep = pc.invert(_blank(data))
    if table.skip:
        keep = pc.and_(keep, pc.invert(pc.is_in(numbers, pa.array(sorted(table.skip), type=pa.int32()))))
    if not pc.all(keep).as_py():
        data, numbers = data.filter(keep), numbers.filter(keep)
    n = data.num_rows
    col = {f: data.column(i) for f, i in table.columns.items()}  # chunked as read: never copied whole

    # -- which rows are plain ---------------------------------------------------------------------
    raw_code = col["credit_code"]
    if "regno" in col:
        raw_code = pc.if_else(pc.equal(raw_code, ""), col["regno"], raw_code)
    code = raw_code  # a lower-case code is not plain: the row path upper-cases it, with its remarks
    plain = _valid_codes(code)
    name = col["name"]
    plain = pc.and_(plain, pc.not_equal(name, ""))
    for start in FORMULA_START:
        plain = pc.and_(plain, pc.invert(pc.starts_with(name, start)))
    for f in TEXT_CHECKED:
        if f in col:
            plain = pc.and_(plain, pc.equal(col[f], pc.utf8_trim(col[f], characters=SPACES)))
    if "state" in col:
        state, drawable, ok = _mapped(col["state"], rules.state)
        plain = pc.and_(plain, ok)
    else:
        state, drawable = _constant("", n), _constant(True, n)
    if "risk" in col:
        risk, _, ok = _mapped(col["risk"], rules.risk_of)
        plain = pc.and_(plain, ok)
    else:
        risk = _constant("", n)
    dates = {}
    for f in ("established", "last_inspected"):
        if f in col:
            dates[f], _, ok = _mapped(col[f], parse_date, pa.date32())
            plain = pc.and_(plain, ok)
        else:
            dates[f] = _constant(None, n, pa.date32())

    # -- odd rows: today's per-row rules ----------------------------------------------------------
    odd_idx = np.flatnonzero(~mask(plain)).tolist()
    odd: list = []
    for start in range(0, len(odd_idx), 65_536):
        part = pa.array(odd_idx[start:start + 65_536], type=pa.int64())
        rows = [list(r) for r in zip(*(c.take(part).to_pylist() for c in data.columns))]
        odd += targets_of(Chunk(table, rows, numbers.take(part).to_pylist(), problems), rules)

    text = {f: (col[f] if f in col else _constant("", n))
            for f in ("entity_type", "industry", "address", "legal_rep", "phone", "reg_authority", "area")}
    clean = pa.table({"credit_code": code, "name": name, "code_kind": _constant(USCC, n),
                      **text, "state": state, "drawable": drawable, "established": dates["established"],
                      "risk": risk, "licences": _licences(col, n), "last_inspected": dates["last_inspected"],
                      "row": numbers}, schema=schema())  # every row; only the plain ones are kept
    keep = mask(plain)
    if odd:
        clean = pa.concat_tables([clean, to_arrow(odd)])
        keep = np.concatenate([keep, np.ones(len(odd), dtype=bool)])
    return _collapsed(clean, keep, table, collapse, problems, n)


def _constant(value, n: int, kind=None):
    """A column of n equal values whose chunks share one buffer (at most 2**20 values): the
    absent columns of a 20-million-row roster cost a few MB, not hundreds."""
    import pyarrow as pa

    size = min(n, 1 << 20)
    if value == []:  # an empty list each: offsets all zero (pa.repeat of a list scalar is slow)
        import numpy as np

        base = pa.ListArray.from_arrays(pa.array(np.zeros(size + 1, dtype=np.int32)), pa.array([], kind.value_type))
    else:
        base = pa.nulls(size, kind) if value is None else pa.repeat(pa.scalar(value, kind), size)
    return pa.chunked_array([base.slice(0, min(len(base), n - start)) for start in range(0, n, len(base) or 1)],
                            type=base.type)


def _read(table):
    """Every cell of the data rows as a string column, or None (the row path reads this file)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    if table.encoding is None:  # a workbook (xlsxcols.py): parsed with its header, all cells text
        return table.strings
    if _quoted_break_above_header(table):
        return None
    names = [f"c{i}" for i in range(len(table.headers))]
    try:
        # the streaming reader: one thread, about half the CPU of read_csv for the same table
        return pcsv.open_csv(
            table.path,
            read_options=pcsv.ReadOptions(encoding="utf8" if table.encoding == "utf-8-sig" else table.encoding,
                                          skip_rows=table.header_row, column_names=names, block_size=BLOCK),
            # ignore_empty_lines=False: an empty line is a row of empty cells, numbered as csv numbers it
            parse_options=pcsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(column_types={c: pa.string() for c in names},
                                                strings_can_be_null=False, quoted_strings_can_be_null=False)
        ).read_all()
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None  # a row with another number of cells, or bytes the row path will name


def _quoted_break_above_header(table) -> bool:
    with open(table.path, encoding=table.encoding, newline="") as f:
        head = [next(f, "") for _ in range(table.header_row)]
    return any('"' in line for line in head)


def _blank(data):
    import pyarrow.compute as pc

    blank = None
    for c in data.columns:
        empty = pc.equal(c, "")
        blank = empty if blank is None else pc.and_(blank, empty)
    return blank


def _valid_codes(code):
    """True where a code is 18 ASCII characters passing both check characters.

    Chunk by chunk: where every code of a chunk is 18 ASCII bytes (the common case) its data
    buffer *is* the (n, 18) matrix, read in place; other chunks gather their 18-byte codes first.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = []
    for chunk in (code.chunks if isinstance(code, pa.ChunkedArray) else [code]):
        ok = np.zeros(len(chunk), dtype=bool)
        shape = mask(pc.and_(pc.equal(pc.binary_length(chunk), 18), pc.string_is_ascii(chunk)))
        if shape.all():
            ok = valid_uscc_matrix(fixed_bytes(chunk))
        elif shape.any():
            idx = np.flatnonzero(shape)
            ok[idx] = valid_uscc_matrix(fixed_bytes(chunk.take(pa.array(idx))))
        parts.append(ok)
    return pa.array(np.concatenate(parts) if parts else np.zeros(0, dtype=bool))


def _mapped(column, convert, kind=None):
    """(values, flags, plain) of a column converted once per distinct value by today's `convert`
    (cell -> (value or (value, flag), reason)); plain = no reason."""
    import pyarrow as pa
    import pyarrow.compute as pc

    distinct = pc.unique(column)
    at = pc.index_in(column, value_set=distinct)
    results = [convert(v) for v in distinct.to_pylist()]
    values = [r[0][0] if isinstance(r[0], tuple) else r[0] for r in results]
    flags = [r[0][1] if isinstance(r[0], tuple) else None for r in results]
    plain = pa.array([r[1] is None for r in results], pa.bool_()).take(at)
    value_col = pa.array(values, type=kind or pa.string()).take(at)
    flag_col = pa.array(flags, type=pa.bool_()).take(at)
    return value_col, flag_col, plain


def _licences(col: dict, n: int):
    """The licence list of each row as targets._licence builds it: name（no）, name, no, or none."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if "licence_name" not in col and "licence_no" not in col:
        return _constant([], n, pa.list_(pa.string()))
    empty = pa.repeat("", n)
    name, no = col.get("licence_name", empty), col.get("licence_no", empty)
    has_name, has_no = pc.not_equal(name, ""), pc.not_equal(no, "")
    both = pc.binary_join_element_wise(name, "（", no, "）", "")
    text = pc.if_else(has_no, pc.if_else(has_name, both, no), name)
    present = pc.or_(has_name, has_no)
    offsets = np.concatenate([[0], np.cumsum(mask(present), dtype=np.int32)])
    values = pc.filter(text, present)
    values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    return pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), values)


def _collapsed(both, keep, table, collapse, problems, rows_read: int):
    """Duplicate codes (equal neighbours in code order) collapsed by targets._collapse.

    The table is not copied: the TargetTable keeps the kept rows' order. One sort: each merged
    row takes the place of its group, whose rows are contiguous in that order."""
    import numpy as np
    import pyarrow as pa

    codes = both.column("credit_code")
    order, dup = code_order(codes, np.flatnonzero(keep))
    collapsed = 0
    if dup.any():
        rows_at = order[dup]  # the duplicates' rows, grouped by code
        group = TargetTable(both.take(pa.array(rows_at)), table.display, table.sheet)
        rows = sorted(group, key=lambda t: t.source.row)  # the order the row path meets them
        merged, collapsed = collapse(rows, problems, table)
        start = np.flatnonzero(dup & ~np.concatenate([[False], dup[:-1]]) | _new_code(codes, order, dup))
        firsts = codes.take(pa.array(order[start])).to_pylist()
        at = {t.credit_code: both.num_rows + i for i, t in enumerate(merged)}
        final = order.copy()
        final[dup] = -1
        final[start] = [at.get(code, -1) for code in firsts]  # -1: the group was rejected
        order = final[final >= 0]
        both = pa.concat_tables([both, to_arrow(merged)])
    return TargetTable(both, table.display, table.sheet, order), rows_read, collapsed


def _new_code(codes, order, dup):
    """In code order: True where a duplicate's code differs from the previous row's (the first row
    of a group that directly follows another group)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    out = np.zeros(len(order), dtype=bool)
    both_dup = np.flatnonzero(dup[1:] & dup[:-1]) + 1  # a duplicate right after a duplicate
    if len(both_dup):
        here = codes.take(pa.array(order[both_dup]))
        before = codes.take(pa.array(order[both_dup - 1]))
        out[both_dup] = mask(pc.not_equal(here, before))
    return out
