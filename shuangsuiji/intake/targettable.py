"""`TargetTable`: the accepted targets of a large roster as Arrow columns, sorted by code.

What columnar intake (columnar.py) gives out instead of a list of `Target`: one Arrow column per
Target field (licences a list column, dates date32, the Excel row number an int32), sorted by
credit code, codes unique. It behaves as a read-only sequence of `Target` (len, index, iteration
in code order): a `Target` object is made only for a row somebody asks for, a chunk at a time,
so code written for lists keeps working. The freeze's pool (draw/poolcols.py) and the roster
summary use the columns directly.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .records import Source, Target

FIELDS = ("credit_code", "name", "code_kind", "entity_type", "industry", "address", "legal_rep", "phone",
          "reg_authority", "area", "state", "drawable", "established", "risk", "licences", "last_inspected")
TEXT_FIELDS = ("credit_code", "name", "code_kind", "entity_type", "industry", "address", "legal_rep", "phone",
               "reg_authority", "area", "state", "risk")
CHUNK = 65_536  # Targets made at a time when iterating


def schema():
    import pyarrow as pa

    return pa.schema([*((f, pa.string()) for f in TEXT_FIELDS[:11]), ("drawable", pa.bool_()),
                      ("established", pa.date32()), ("risk", pa.string()), ("licences", pa.list_(pa.string())),
                      ("last_inspected", pa.date32()), ("row", pa.int32())])


def to_arrow(targets: Sequence[Target]):
    """An Arrow table (schema()) of Target objects (the few rows intake handled one by one)."""
    import pyarrow as pa

    cols = {f: [getattr(t, f) for t in targets] for f in FIELDS}
    cols["licences"] = [list(x) for x in cols["licences"]]
    cols["row"] = [t.source.row for t in targets]
    return pa.table(cols, schema=schema())


def take_rows(table, rows, constant: dict | None = None):
    """table.take(rows) without Arrow's copy of every chunked column per call: a one-chunk column
    is taken from directly; other columns chunk by chunk (rows in any order), the pieces then put
    in `rows` order. A column named in `constant` (value for every row) is made, not gathered."""
    import numpy as np
    import pyarrow as pa

    rows = np.asarray(rows, dtype=np.int64)
    at = pa.array(rows)
    back = ordered = None
    cols = []
    for name, col in zip(table.column_names, table.columns):
        if constant and name in constant:
            cols.append(constant_column(constant[name], len(rows), col.type))
            continue
        text = _text_of(col.type)  # a dictionary-coded column (columnar intake's raw table) comes out as text
        if col.num_chunks == 1:
            cols.append(text(col.chunk(0).take(at)))
            continue
        if back is None:
            ahead = np.argsort(rows, kind="stable")
            ordered = rows[ahead]
            back = np.empty_like(ahead)
            back[ahead] = np.arange(len(ahead))
            back = pa.array(back)
        bounds = np.cumsum([0] + [len(c) for c in col.chunks])
        cut = np.searchsorted(ordered, bounds)
        parts = [text(col.chunk(i).take(pa.array(ordered[cut[i]:cut[i + 1]] - bounds[i])))
                 for i in range(col.num_chunks) if cut[i + 1] > cut[i]]
        got = pa.concat_arrays(parts) if parts else text(pa.array([], type=col.type))
        cols.append(got.take(back))
    return pa.Table.from_arrays(cols, names=table.column_names)


def _text_of(kind):
    import pyarrow as pa

    if pa.types.is_dictionary(kind):
        return lambda array: array.cast(kind.value_type)
    return lambda array: array


def constant_column(value, n: int, kind):
    """n equal values of Arrow type `kind` (None = nulls, [] = empty lists)."""
    import numpy as np
    import pyarrow as pa

    if value is None:
        return pa.nulls(n, kind)
    if value == []:
        return pa.ListArray.from_arrays(pa.array(np.zeros(n + 1, dtype=np.int32)), pa.array([], kind.value_type))
    return pa.repeat(pa.scalar(value, kind), n)


class TargetTable(Sequence):
    """Accepted targets as columns (see the module docstring). `table` follows schema();
    `order` (numpy int64) lists the rows that are targets, in credit-code order (codes unique);
    None = every row, already in that order. Rows outside `order` (rejected, collapsed) stay in
    the table unseen: nothing is copied to drop them. `file`/`sheet` are every row's Source."""

    def __init__(self, table, file: str, sheet: str | None, order=None, constant: dict | None = None):
        import numpy as np

        self.table = table
        self.constant = constant or {}  # fields with one value in every row (absent from the file)
        self.derived: dict = {}  # what later stages compute once per table (draw/poolcols.py's checks, codes)
        self.order = np.arange(table.num_rows, dtype=np.int64) if order is None else order
        self.file, self.sheet = file, sheet

    def __len__(self) -> int:
        return len(self.order)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return list(self.targets(self.order[i]))
        n = len(self)
        if not -n <= i < n:
            raise IndexError(i)
        return next(self.targets(self.order[i:i + 1] if i >= 0 else self.order[[i]]))

    def __iter__(self) -> Iterator[Target]:
        return self.targets(self.order)

    def __eq__(self, other) -> bool:
        return isinstance(other, (TargetTable, list)) and len(self) == len(other) and list(self) == list(other)

    __hash__ = None

    def column(self, name: str):
        """A column in table order (use `ordered` for code order)."""
        return self.table.column(name)

    def ordered(self, name: str):
        """A column of the targets, in code order."""
        return take_rows(self.table.select([name]), self.order, self.constant).column(0)

    def codes(self) -> set[str]:
        return set(self.ordered("credit_code").to_pylist())

    def targets(self, rows) -> Iterator[Target]:
        """Targets of the given table rows (numpy or list, in the order given), a chunk at a time."""
        for start in range(0, len(rows), CHUNK):
            yield from self._make(take_rows(self.table, rows[start:start + CHUNK], self.constant))

    def _make(self, part) -> list[Target]:
        cols = [part.column(f).to_pylist() for f in FIELDS]
        lic = FIELDS.index("licences")
        cols[lic] = map(tuple, cols[lic])
        file, sheet = self.file, self.sheet
        sources = [Source(file, sheet, r) for r in part.column("row").to_pylist()]
        return [Target(*values, source=src) for *values, src in zip(*cols, sources)]
