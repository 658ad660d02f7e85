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

from ..core.errors import Problem
from .cells import Chunk, parse_date
from .arrowcols import as_text, chunks_of, fixed_bytes, mask
from .cellcols import by_value, first_byte_in, untrimmed
from .codeorder import code_order
from .codes import valid_uscc_matrix
from .records import USCC
from .tables import mixed_encoding
from .targettable import TargetTable, constant_column, schema, take_rows, to_arrow

MIN_BYTES = 1 << 20  # smaller files (~10,000 rows) take the row path: as fast, and no pyarrow import
CODED = ("entity_type", "industry", "area", "state", "risk", "reg_authority")  # read as dictionary codes
BLOCK = 1 << 27  # bytes per parsed block: few large chunks make the pool gathers cheap (see draw/poolcols.py)
TEXT_CHECKED = ("name", "entity_type", "industry", "address", "legal_rep", "phone", "reg_authority", "area",
                "state", "licence_name", "licence_no")
FORMULA_START = ("=", "+", "-", "@")


def usable(table) -> bool:
    """A CSV file of some size whose values the plan does not remap."""
    return (table._rows is None and not table.values and not table.more
            and table.path.stat().st_size >= MIN_BYTES)


def read_columnar(table, rules, problems: list[Problem], targets_of, collapse):
    """(TargetTable, rows_read, duplicates_collapsed), or None if this file needs the row path."""
    read = _plain_table(table, rules, problems, targets_of)
    if read is None:
        return None
    holder, keep, n, absent = read  # the table travels in a list: _collapsed holds its only reference
    return _collapsed(holder, keep, table, collapse, problems, n, absent)


def _plain_table(table, rules, problems: list[Problem], targets_of):
    """([every row as read + the odd rows as the row path made them], plain-or-odd mask, rows read,
    the fields absent from the file); None if the row path reads this file."""
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
    odd = first_byte_in(name, FORMULA_START, empty=True)  # empty, or formula-like
    for f in TEXT_CHECKED:
        if f in col:
            odd |= untrimmed(col[f])
    plain = pc.and_(plain, pa.array(~odd))
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
        got = take_rows(data, part)  # per parsed block: ChunkedArray.take would copy each whole column first
        rows = [list(r) for r in zip(*(c.to_pylist() for c in got.columns))]
        odd += targets_of(Chunk(table, rows, numbers.take(part).to_pylist(), problems), rules)

    text = {f: (as_text(col[f]) if f in col else _constant("", n))
            for f in ("entity_type", "industry", "address", "legal_rep", "phone", "reg_authority", "area")}
    clean = pa.table({"credit_code": code, "name": name, "code_kind": _constant(USCC, n),
                      **text, "state": state, "drawable": drawable, "established": dates["established"],
                      "risk": risk, "licences": _licences(col, n), "last_inspected": dates["last_inspected"],
                      "row": numbers}, schema=schema())  # every row; only the plain ones are kept
    keep = mask(plain)
    if odd:
        clean = pa.concat_tables([clean, to_arrow(odd)])
        keep = np.concatenate([keep, np.ones(len(odd), dtype=bool)])
    # absent from the file: the same value in every row, odd rows included (not code_kind: a 注册号)
    source = {"drawable": ("state",), "licences": ("licence_name", "licence_no")}  # fields read from others
    absent = {f: v for f, v in _ABSENT.items() if not any(c in col for c in source.get(f, (f,)))}
    return [clean], keep, n, absent


# a field's value in every row when the file has no column for it
_ABSENT = {"entity_type": "", "industry": "", "address": "", "legal_rep": "", "phone": "", "reg_authority": "",
           "area": "", "state": "", "drawable": True, "risk": "", "established": None, "last_inspected": None,
           "licences": []}


def _constant(value, n: int, kind=None):
    """A column of n equal values whose chunks share one buffer (at most 2**20 values): the
    absent columns of a 20-million-row roster cost a few MB, not hundreds."""
    import pyarrow as pa

    base = constant_column(value, min(n, 1 << 20), kind or pa.scalar(value).type)
    return pa.chunked_array([base.slice(0, min(len(base), n - start)) for start in range(0, n, len(base) or 1)],
                            type=base.type)


def _read(table):
    """Every cell of the data rows as a string column, or None (the row path reads this file).
    The few-valued columns (CODED) are read dictionary-coded: ~30 % less CPU for the read, and
    their checks look at each distinct value once."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    if table.encoding is None:  # a workbook (xlsxcols.py): parsed with its header, all cells text
        return table.strings
    if _quoted_break_above_header(table):
        return None
    names = [f"c{i}" for i in range(len(table.headers))]
    coded = {f"c{i}" for f, i in table.columns.items() if f in CODED}
    types = {c: pa.dictionary(pa.int32(), pa.string()) if c in coded else pa.string() for c in names}
    try:
        # the streaming reader: one thread, about half the CPU of read_csv for the same table
        return pcsv.open_csv(
            table.path,
            read_options=pcsv.ReadOptions(encoding="utf8" if table.encoding == "utf-8-sig" else table.encoding,
                                          skip_rows=table.header_row, column_names=names, block_size=BLOCK),
            # ignore_empty_lines=False: an empty line is a row of empty cells, numbered as csv numbers it
            parse_options=pcsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(column_types=types,
                                                strings_can_be_null=False, quoted_strings_can_be_null=False)
        ).read_all()
    except (pa.ArrowInvalid, UnicodeDecodeError) as e:
        if table.encoding == "utf-8-sig" and "UTF8" in str(e).upper().replace("-", ""):
            raise mixed_encoding(table.path, table.display) from None  # checked at its head only (utf8check)
        return None  # a row with another number of cells, or bytes the row path will name


def _quoted_break_above_header(table) -> bool:
    with open(table.path, encoding=table.encoding, newline="") as f:
        head = [next(f, "") for _ in range(table.header_row)]
    return any('"' in line for line in head)


def _blank(data):
    import pyarrow.compute as pc

    blank = None
    for c in data.columns:
        empty = by_value(c, lambda values: pc.equal(values, ""))
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
    for chunk in chunks_of(code):
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
    (cell -> (value or (value, flag), reason)); plain = no reason. Chunk by chunk: the distinct
    values of a dictionary-coded chunk are its dictionary, of a text chunk found by hashing."""
    import pyarrow as pa
    import pyarrow.compute as pc

    seen: dict = {}
    values_out, flags_out, plain_out = [], [], []
    for chunk in chunks_of(column):
        if pa.types.is_dictionary(chunk.type):
            distinct, at = chunk.dictionary, chunk.indices
        else:
            distinct = pc.unique(chunk)
            at = pc.index_in(chunk, value_set=distinct)
        results = [seen[v] if v in seen else seen.setdefault(v, convert(v)) for v in distinct.to_pylist()]
        values = [r[0][0] if isinstance(r[0], tuple) else r[0] for r in results]
        flags = [r[0][1] if isinstance(r[0], tuple) else None for r in results]
        plain_out.append(pa.array([r[1] is None for r in results], pa.bool_()).take(at))
        values_out.append(pa.array(values, type=kind or pa.string()).take(at))
        flags_out.append(pa.array(flags, type=pa.bool_()).take(at))
    return (pa.chunked_array(values_out, type=kind or pa.string()), pa.chunked_array(flags_out, type=pa.bool_()),
            pa.chunked_array(plain_out, type=pa.bool_()))


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


def _collapsed(holder: list, keep, table, collapse, problems, rows_read: int, absent: dict):
    """Duplicate codes (equal neighbours in code order) collapsed by targets._collapse.

    One sort: each merged row takes the place of its group, whose rows are contiguous in that
    order. Rows not kept stay in the table unseen (the TargetTable keeps the kept rows' order);
    the columns are then made one chunk each (`_single_chunks`), so the pool files gather rows
    with one take per column."""
    import numpy as np

    both = holder.pop()
    codes = both.column("credit_code")
    order, dup = code_order(codes, np.flatnonzero(keep))
    collapsed, extra = 0, []
    if dup.any():
        rows_at = order[dup]  # the duplicates' rows, grouped by code
        group = TargetTable(take_rows(both, rows_at), table.display, table.sheet)
        rows = sorted(group, key=lambda t: t.source.row)  # the order the row path meets them
        merged, collapsed = collapse(rows, problems, table)
        start = np.flatnonzero(dup & ~np.concatenate([[False], dup[:-1]]) | _new_code(codes, order, dup))
        firsts = _take(codes, order[start]).to_pylist()
        at = {t.credit_code: both.num_rows + i for i, t in enumerate(merged)}
        final = order.copy()
        final[dup] = -1
        final[start] = [at.get(code, -1) for code in firsts]  # -1: the group was rejected
        order = final[final >= 0]
        extra = [to_arrow(merged)]
    del codes, keep
    holder.append(both)
    del both  # _single_chunks must hold the only reference, to release each old column as it goes
    both = _single_chunks(holder, extra, set(absent) | {"code_kind"})  # code_kind: USCC but for the odd rows
    return TargetTable(both, table.display, table.sheet, order, constant=absent), rows_read, collapsed


def _single_chunks(holder: list, extra: list, leave: set):
    """The table in `holder` (taken out: the caller keeps no reference) with `extra` tables
    appended, every column one chunk except those in `leave`. Column by column, each old column
    released before the next is copied, so the copy costs one column at a time; a text column too
    large for one chunk (2 GB) stays chunked."""
    import pyarrow as pa

    both = holder.pop()
    schema = both.schema
    arrays = []
    for name in schema.names:
        col = both.column(0)
        chunks = [*col.chunks, *(c for t in extra for c in t.column(name).chunks)]
        size = sum(c.nbytes for c in chunks)
        if name in leave or len(chunks) == 1 or size >= (1 << 31) - (1 << 24):
            arrays.append(pa.chunked_array(chunks, type=col.type))
        else:
            arrays.append(pa.chunked_array([pa.concat_arrays(chunks)], type=col.type))
        del col, chunks
        both = both.remove_column(0)
    return pa.Table.from_arrays(arrays, schema=schema)


def _take(column, rows):
    """column.take(rows) for a column of many chunks, without Arrow's copy of the whole column."""
    import pyarrow as pa

    return take_rows(pa.table({"c": column}), rows).column(0)


def _new_code(codes, order, dup):
    """In code order: True where a duplicate's code differs from the previous row's (the first row
    of a group that directly follows another group)."""
    import numpy as np
    import pyarrow.compute as pc

    out = np.zeros(len(order), dtype=bool)
    both_dup = np.flatnonzero(dup[1:] & dup[:-1]) + 1  # a duplicate right after a duplicate
    if len(both_dup):
        here = _take(codes, order[both_dup])
        before = _take(codes, order[both_dup - 1])
        out[both_dup] = mask(pc.not_equal(here, before))
    return out
