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


class TargetTable(Sequence):
    """Accepted targets as columns (see the module docstring). `table` follows schema();
    `order` (numpy int64) lists the rows that are targets, in credit-code order (codes unique);
    None = every row, already in that order. Rows outside `order` (rejected, collapsed) stay in
    the table unseen: nothing is copied to drop them. `file`/`sheet` are every row's Source."""

    def __init__(self, table, file: str, sheet: str | None, order=None):
        import numpy as np

        self.table = table
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
        import pyarrow as pa

        return self.table.column(name).take(pa.array(self.order))

    def codes(self) -> set[str]:
        return set(self.ordered("credit_code").to_pylist())

    def targets(self, rows) -> Iterator[Target]:
        """Targets of the given table rows (numpy or list, in the order given), a chunk at a time."""
        import pyarrow as pa

        for start in range(0, len(rows), CHUNK):
            part = self.table.take(pa.array(rows[start:start + CHUNK], type=pa.int64()))
            yield from self._make(part)

    def _make(self, part) -> list[Target]:
        cols = [part.column(f).to_pylist() for f in FIELDS]
        lic = FIELDS.index("licences")
        cols[lic] = map(tuple, cols[lic])
        file, sheet = self.file, self.sheet
        sources = [Source(file, sheet, r) for r in part.column("row").to_pylist()]
        return [Target(*values, source=src) for *values, src in zip(*cols, sources)]
