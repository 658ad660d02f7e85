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
    """Accepted targets as columns (see the module docstring). `table` must follow schema(),
    sorted by credit_code with unique codes; `file`/`sheet` are every row's Source."""

    def __init__(self, table, file: str, sheet: str | None):
        self.table = table.combine_chunks() if table.num_rows else table
        self.file, self.sheet = file, sheet

    def __len__(self) -> int:
        return self.table.num_rows

    def __getitem__(self, i):
        if isinstance(i, slice):
            return list(self.targets(range(len(self))[i]))
        n = len(self)
        if not -n <= i < n:
            raise IndexError(i)
        return self._slice(i % n, i % n + 1)[0]

    def __iter__(self) -> Iterator[Target]:
        for start in range(0, len(self), CHUNK):
            yield from self._slice(start, min(start + CHUNK, len(self)))

    def __eq__(self, other) -> bool:
        if isinstance(other, TargetTable):
            return self.table.equals(other.table) and (self.file, self.sheet) == (other.file, other.sheet)
        return isinstance(other, list) and list(self) == other

    __hash__ = None

    def column(self, name: str):
        return self.table.column(name)

    def codes(self) -> set[str]:
        return set(self.table.column("credit_code").to_pylist())

    def targets(self, rows) -> Iterator[Target]:
        """Targets of the given row indices (ascending or not), made a chunk at a time."""
        import pyarrow as pa

        rows = list(rows)
        for start in range(0, len(rows), CHUNK):
            part = self.table.take(pa.array(rows[start:start + CHUNK], type=pa.int64()))
            yield from self._make(part)

    def _slice(self, start: int, stop: int) -> list[Target]:
        return self._make(self.table.slice(start, stop - start))

    def _make(self, part) -> list[Target]:
        cols = [part.column(f).to_pylist() for f in FIELDS]
        lic = FIELDS.index("licences")
        cols[lic] = map(tuple, cols[lic])
        file, sheet = self.file, self.sheet
        sources = [Source(file, sheet, r) for r in part.column("row").to_pylist()]
        return [Target(*values, source=src) for *values, src in zip(*cols, sources)]
