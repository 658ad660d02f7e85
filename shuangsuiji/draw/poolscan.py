"""The draw's one pass over pool.csv: coarse keys straight from the file's bytes, candidates kept.

`scan_pool(path, wants, seed_hash)` reads pool.csv in blocks and, for every id of a stratum that
is to be drawn (`wants[stratum]` = take + reserves > 0), computes its coarse key — the first four
ticket digits, R[:4] (sampler.py, docs/draw-spec.md §3) — from SHA-256(UTF-8(seed_hash + id)),
hashed by `sampler._digests` (the plain hashlib code, the same bytes as the reference) on the id
as it stands in the file (its UTF-8 bytes: nothing is decoded). It keeps only the ids whose
coarse key is at most the k-th smallest coarse key of their stratum so far: that running bound
only falls as the stratum grows, so an id above it can never be needed again, and at the end the
ids at or below the final bound are exactly what `sampler._candidates` keeps for the whole
stratum. They, and only they, become Python strings; `sampler.sample`'s own steps (`_ordered`,
`_tickets`; its coarse narrowing is the one done here) then order them as sample would order the
whole stratum (every id of the first k is among them, and removing ids never changes the
relative order of the others), so the draw is identical and needs neither the
pool's id column in memory (a province: ~1.5 GB of strings) nor a second pass for positions:
each kept id carries its 0-based data row, the line of its details in pool_details.tsv.

Memory per pool row while scanning: none kept beyond one block (4 MiB of text, its ids and their
32-byte digests); per stratum a 10,000-bucket histogram and about k + n/10,000 kept ids.

Format as poolread.py reads it: a block without a double quote is split as bytes (no quote means
no cell holds a comma or line break, so a line is `stratum,id,name[\\r]`); as soon as a block holds
a quote the scan restarts on the csv module's parse (`_pool_rows`). Empty lines are skipped; a
line with fewer than 3 cells is an error naming its line, as in read_pool_ids.
"""

from __future__ import annotations

from itertools import groupby, repeat
from pathlib import Path

from ..core.errors import InputInvalid, VerifyFailed
from .allocation import default_reserves
from .pool import POOL_HEADERS
from .poolread import QuotedPool, _pool_rows, plain_line_blocks
from .sampler import _COARSE_DIGITS, _KEY_DIGITS, _coarse_table, _digests, _ordered, _tickets, seed_hash

__all__ = ["draw_pool_file", "scan_pool", "coarse_from_digests", "Candidates"]

BLOCK = 1 << 22  # 4 MiB of pool.csv (~70,000 lines) per block: ~25 MB of working objects
_MOD = 10 ** _COARSE_DIGITS
_CSV_RUN = 1 << 16  # rows of a quoted file hashed per batch
_MAX_RUNS = 64  # runs of one block found by whole-block passes; beyond, line by line
_SLACK = 10_000  # kept ids beyond 3 k before those above the running bound are dropped


class Candidates:
    """One stratum after the scan: its row count, and the ids (with their rows) that can be drawn."""

    __slots__ = ("k", "count", "hist", "bound", "keys", "rows", "ids", "kept")

    def __init__(self, k: int):
        import numpy as np

        self.k = k
        self.count = 0
        self.hist = np.zeros(_MOD, dtype=np.int64)
        self.bound = _MOD - 1  # nothing is dropped until the stratum has k ids
        self.keys: list = []   # numpy arrays of coarse keys, one per added run
        self.rows: list = []   # numpy arrays of data rows
        self.ids: list[list[bytes]] = []
        self.kept = 0

    def add(self, ids: list[bytes], row0: int, coarse) -> None:
        """Ids of one run (consecutive rows from `row0`) with their coarse keys."""
        import numpy as np

        self.count += len(ids)
        self.hist += np.bincount(coarse, minlength=_MOD)
        if self.count >= self.k:
            # The smallest b with at least k ids at or below it: sampler._candidates' bound.
            self.bound = int(np.searchsorted(np.cumsum(self.hist), self.k))
        sel = np.flatnonzero(coarse <= self.bound)
        if len(sel) == len(ids):
            kept_ids = ids
        else:
            kept_ids = list(map(ids.__getitem__, sel.tolist()))
        self.keys.append(coarse[sel])
        self.rows.append(sel + row0)
        self.ids.append(kept_ids)
        self.kept += len(sel)
        if self.kept > 3 * self.k + _SLACK:
            self._prune()

    def _prune(self) -> None:
        import numpy as np

        keys = np.concatenate(self.keys)
        sel = np.flatnonzero(keys <= self.bound)
        ids = [i for part in self.ids for i in part]
        self.keys = [keys[sel]]
        self.rows = [np.concatenate(self.rows)[sel]]
        self.ids = [list(map(ids.__getitem__, sel.tolist()))]
        self.kept = len(sel)

    def final(self) -> tuple[list[str], list[int]]:
        """(ids, data rows) of the candidates: every id at or below the final bound."""
        self._prune()
        return [i.decode("utf-8") for i in self.ids[0]], self.rows[0].tolist()


def coarse_from_digests(digests: bytes):
    """R[:4] as a number (uint16 array) of each 32-byte SHA-256 digest in `digests`.

    N mod 10**4 of the big-endian 256-bit N is computed from its eight 32-bit words w_j as
    sum(w_j * (2**(32*(7-j)) mod 10**4)) mod 10**4 (each product < 2**46, the sum < 2**49: exact in
    uint64); `sampler._coarse_table` reverses its four digits, as `sampler._coarse_keys` does.
    """
    import numpy as np

    words = np.frombuffer(digests, dtype=">u4").reshape(-1, 8).astype(np.uint64)
    weights = np.array([pow(2, 32 * (7 - j), _MOD) for j in range(8)], dtype=np.uint64)
    rest = (words * weights).sum(axis=1) % np.uint64(_MOD)
    return _table()[rest]


def _table():
    import numpy as np

    global _TABLE
    if _TABLE is None:
        _TABLE = np.array(_coarse_table(), dtype=np.uint16)
    return _TABLE


_TABLE = None


def draw_pool_file(path: Path, plan_strata: list[dict], seed: str, *, block: int = BLOCK
                   ) -> tuple[list[dict], dict[str, int]]:
    """run.draw_strata on the pool file itself, and the data row of every selected and reserve id.

    The same strata, in the same form, as `draw_strata(read_pool_ids(path), plan_strata, seed)`:
    per drawable stratum the first take + reserves ids of `sampler.sample`, drawn from the
    candidates `scan_pool` keeps (sample's own steps, less its coarse narrowing: done here). Ids are distinct within a stratum in any pool the freeze wrote
    (the draw checks the file's SHA-256 against the commitment first); `sample` refuses a
    duplicate among the candidates, the only place a duplicate could change a result.
    """
    drawable = [s for s in plan_strata if s.get("drawable", True)]
    ks = {}
    for s in drawable:
        n_res = s["reserves"] if "reserves" in s else default_reserves(s["take"], s["pool_size"])
        ks[s["name"]] = s["take"] + n_res if s["take"] else 0
    scanned = scan_pool(path, ks, seed_hash(seed), block=block)
    out, positions = [], {}
    for s in drawable:
        found = scanned.get(s["name"], 0)
        count = found if isinstance(found, int) else found.count
        if count != s["pool_size"]:
            raise VerifyFailed(f"池文件中「{s['name']}」层有 {count} 户，承诺记录为 {s['pool_size']} 户。")
        take = s["take"]
        tickets = []
        if take:
            ids, rows = found.final()
            # sampler.sample(ids, seed, k), without narrowing again what the scan has narrowed
            ordered, keys, prefix = _ordered(ids, seed, ks[s["name"]], _KEY_DIGITS, narrow=False)
            tickets = _tickets(ordered, keys, prefix, _KEY_DIGITS)
            positions.update(zip(ordered, map(dict(zip(ids, rows)).__getitem__, ordered)))
        out.append({
            "name": s["name"],
            "pool_size": count,
            "take": take,
            "selected": [t.id for t in tickets[:take]],
            "reserves": [t.id for t in tickets[take:]],
            "selected_tickets": [t.ticket for t in tickets[:take]],
            "reserve_tickets": [t.ticket for t in tickets[take:]],
        })
    return out, positions


def scan_pool(path: Path, wants: dict[str, int], seed_hash: str, *, block: int = BLOCK
              ) -> dict[str, Candidates | int]:
    """stratum -> `Candidates` for each stratum in `wants` (k = wants[stratum] > 0), and -> its row
    count (int) for every other stratum of the file; a wanted stratum absent from the file has 0
    rows and no candidates."""
    try:
        return _scan(_plain_runs(Path(path), block), wants, seed_hash)
    except QuotedPool:
        return _scan(_csv_runs(Path(path)), wants, seed_hash)


def _scan(runs, wants: dict[str, int], seed_hash: str) -> dict[str, Candidates | int]:
    prefix = seed_hash
    found: dict[bytes, Candidates | int] = {}
    names: dict[bytes, str] = {}
    for stratum, ids, row0 in runs:
        name = names.get(stratum)
        if name is None:
            name = names[stratum] = stratum.decode("utf-8")
        k = wants.get(name, 0)
        if k <= 0:
            found[stratum] = found.get(stratum, 0) + len(ids)
            continue
        cand = found.get(stratum)
        if cand is None:
            cand = found[stratum] = Candidates(k)
        cand.add(ids, row0, coarse_from_digests(_digests(ids, prefix)))
    out = {names[s]: v for s, v in found.items()}
    for name, k in wants.items():
        if k > 0 and name not in out:
            out[name] = Candidates(k)
    return out


def _plain_runs(path: Path, block: int):
    """(stratum bytes, id bytes, first data row) of each run of one stratum in a quote-free file."""
    line, row = 1, 0
    for data in plain_line_blocks(path, block):
        runs, line, row = _block_runs(data, line, row, path)
        yield from runs


def _block_runs(data: bytes, line: int, row: int, path: Path):
    """Runs of whole lines `data` after line `line` (1-based, header = 1) and data row `row`.

    Split on commas only: [s0, id0, name0\\ns1, id1, name1\\ns2, …, name_last\\n]. If there are
    exactly 2 commas per line break and every name part holds a line break, each holds exactly
    one, so each line has exactly 3 cells and the ids are the odd parts. Otherwise (an empty
    line, a line with fewer or more cells) the block is read line by line.
    """
    lines = data.count(b"\n")
    parts = data.split(b",")
    if len(parts) != 2 * lines + 1:
        return _slow_runs(data, line, row, path)
    try:
        return _split_runs(parts, row), line + lines, row + lines
    except ValueError:  # a name part without its line break: not 3 cells a line
        return _slow_runs(data, line, row, path)


def _split_runs(parts: list[bytes], row: int) -> list:
    """The runs of a block split on commas. Every name part but the last (which ends the block,
    so holds a line break) is tested for "\\n" + stratum, or searched for its "\\n": with as many
    line breaks as parts tested, each part holds exactly one (else ValueError)."""
    ids = parts[1::2]
    heads = parts[2:-1:2]  # heads[i] = name of line i + "\n" + stratum of line i + 1
    runs: list = []
    start, stratum = 0, parts[0]
    while len(runs) < _MAX_RUNS:
        # The first line from `start` on whose stratum differs, by one C-level pass.
        same = list(map(bytes.endswith, heads[start:] if start else heads, repeat(b"\n" + stratum)))
        try:
            end = start + same.index(False) + 1
        except ValueError:
            runs.append((stratum, ids[start:] if start else ids, row + start))
            return runs
        runs.append((stratum, ids[start:end], row + start))
        head = heads[end - 1]
        start, stratum = end, head[head.index(b"\n") + 1:]
    # Strata interleaved line by line (never so in a pool the freeze wrote): one stratum per line.
    strata = [stratum, *(t[t.index(b"\n") + 1:] for t in heads[start:])]
    for stratum, group in groupby(strata):
        n = sum(1 for _ in group)
        runs.append((stratum, ids[start:start + n], row + start))
        start += n
    return runs


def _slow_runs(data: bytes, line: int, row: int, path: Path):
    runs: list = []
    for text in data.split(b"\n")[:-1]:
        line += 1
        cells = text.split(b",", 2)
        if len(cells) != 3:
            if text in (b"", b"\r"):  # an empty line is skipped
                continue
            raise InputInvalid(f"池文件 {path} 第{line}行应有 3 列。")
        if runs and runs[-1][0] == cells[0]:
            runs[-1][1].append(cells[1])
        else:
            runs.append((cells[0], [cells[1]], row))
        row += 1
    return runs, line, row


def _csv_runs(path: Path):
    """The same runs from a file with quoted cells, parsed by the csv module (streaming)."""
    row = 0
    batch: list[list[str]] = []
    for cells in _pool_rows(path):
        batch.append(cells)
        if len(batch) == _CSV_RUN:
            yield from _batch_runs(batch, row)
            row += len(batch)
            batch = []
    if batch:
        yield from _batch_runs(batch, row)


def _batch_runs(batch: list[list[str]], row: int):
    at = row
    for stratum, group in groupby(batch, key=lambda c: c[0]):
        ids = [c[1].encode("utf-8") for c in group]
        yield stratum.encode("utf-8"), ids, at
        at += len(ids)
