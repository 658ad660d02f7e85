"""Reading the pool files back: by column (the ids of each stratum) and by position (details).

pool.csv is read in blocks, the id column only (quoted cells parsed properly, still streaming);
pool_details.internal.tsv only at the lines of the wanted codes. Never the whole file in memory.
The writers, and the format, are in pool.py.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from itertools import compress, count, islice
from operator import eq, itemgetter, methodcaller, sub
from pathlib import Path

from ..core.errors import InputInvalid
from .pool import POOL_HEADERS


def read_pool_csv(path: Path) -> dict[str, list[tuple[str, str]]]:
    """stratum -> [(credit code, name as written in the file)] from a pool file, in file order."""
    out: dict[str, list[tuple[str, str]]] = {}
    for stratum, code, name in _pool_rows(path):
        out.setdefault(stratum, []).append((code, name))
    return out


def _pool_rows(path: Path):
    """(stratum, code, name) of every line of a pool file, streaming through the csv module (quoted
    cells may hold commas and line breaks); a wrong header or a line without 3 cells is named."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header != POOL_HEADERS:
            raise InputInvalid(f"池文件 {path} 的表头应为 {','.join(POOL_HEADERS)}，实际为 {header}。")
        for row in reader:
            if len(row) != 3:
                raise InputInvalid(f"池文件 {path} 第{reader.line_num}行应有 3 列。")
            yield row


def listed_codes(manifest: dict):
    """Every code a draw's public list can name: the selected and the reserves of each stratum."""
    return (code for s in manifest["strata"] for key in ("selected", "reserves") for code in s.get(key, []))


def read_pool_names(path: Path, wanted: Iterable[str]) -> dict[str, str]:
    """credit code -> name as written in the pool file, for the wanted codes only (a code in two
    strata: the later line). Streaming through the csv module: a province pool (18 M lines) is
    never held whole, as read_pool_csv would (verify of a 20M draw peaked at 12 GB that way)."""
    wanted = set(wanted)
    return {code: name for _, code, name in _pool_rows(path) if code in wanted}


def read_pool_ids(path: Path, *, block: int = 1 << 24) -> dict[str, list[str]]:
    """stratum -> [credit code] from a pool file, in file order: the id column only.

    Read in blocks, never the whole file as text. A file without any double quote (every pool
    whose names hold no comma, quote or line break) is split as bytes; a file with quoted cells
    is parsed properly by the csv module, also streaming.
    """
    path = Path(path)
    out = _read_plain_ids(path, block)
    if out is not None:
        return out
    out = {}
    for stratum, code, _ in _pool_rows(path):
        out.setdefault(stratum, []).append(code)
    return out


def _read_plain_ids(path: Path, block: int) -> dict[str, list[str]] | None:
    """The ids of a file without quotes; None as soon as a block holds a double quote (then the
    csv module must parse the file: a quoted cell may hold commas and line breaks)."""
    out: dict[str, list[str]] = {}
    n = 1
    try:
        for data in plain_line_blocks(path, block):
            n = _add_ids(out, data, n, path)
    except QuotedPool:
        return None
    return out


class QuotedPool(Exception):
    """pool.csv holds a double quote: the csv module must parse it."""


def plain_line_blocks(path: Path, block: int):
    """pool.csv after its header (checked), in blocks of whole lines each ending in a line break
    (a last line without one gets it). Raises QuotedPool at the first double quote: a file
    without quotes has no comma inside a cell, so its lines can be split on bytes."""
    with open(path, "rb") as f:
        first = f.readline()
        if b'"' in first:
            raise QuotedPool
        header = first.decode("utf-8-sig").rstrip("\r\n")
        if header != ",".join(POOL_HEADERS):
            raise InputInvalid(f"池文件 {path} 的表头应为 {','.join(POOL_HEADERS)}，实际为 {header}。")
        rest = b""
        for data in iter(lambda: f.read(block), b""):
            if b'"' in data:
                raise QuotedPool
            data = rest + data
            cut = data.rfind(b"\n") + 1
            rest = data[cut:]
            yield data[:cut]
        if rest:
            yield rest + b"\n"


def _add_ids(out: dict[str, list[str]], data: bytes, n: int, path: Path) -> int:
    """Add the ids of whole lines `data` (ending in a line break) of line `n + 1` onwards; returns
    the last line number. Bytes are split and only the id (and a new stratum's name) decoded:
    no quote in the file means no cell holds a comma, so a line is `stratum,id,name[\\r]`."""
    lines = data.split(b"\n")
    lines.pop()
    stratum, ids = None, []
    for line in lines:
        parts = line.split(b",", 2)
        if len(parts) != 3:
            if line in (b"", b"\r"):  # an empty line is skipped
                continue
            bad = next(i for i, x in enumerate(lines) if x not in (b"", b"\r") and x.count(b",") < 2)
            raise InputInvalid(f"池文件 {path} 第{n + bad + 1}行应有 3 列。")
        if parts[0] != stratum:
            stratum = parts[0]
            ids = out.setdefault(stratum.decode("utf-8"), [])
        ids.append(parts[1].decode("utf-8"))
    return n + len(lines)


def pool_positions(pool: dict[str, list[str]], wanted: dict[str, list[str]]) -> dict[str, int]:
    """0-based data line in pool.csv (and pool_details.tsv) of each wanted code, by stratum.

    One pass over each stratum's ids testing membership in the set of its wanted codes (C-level
    iteration, ~0.05 us an id): no dictionary of the whole pool, and no reliance on the order.
    A code not in its stratum is simply left out; `read_details` then finds it by scanning.
    """
    offsets, start = {}, 0
    for name, ids in pool.items():
        offsets[name] = start
        start += len(ids)
    out = {}
    for name, codes in wanted.items():
        ids = pool.get(name)
        if not ids or not codes:
            continue
        look = set(codes)
        for i in compress(count(), map(look.__contains__, ids)):
            out[ids[i]] = offsets[name] + i
    return out


def read_details(path: Path, wanted: dict[str, int] | Iterable[str]) -> tuple[list[str], dict[str, list[str]]]:
    """(headers, credit code -> row) of the wanted codes from pool_details.tsv, streaming.

    `wanted` maps codes to their 0-based data row in the pool file (poolscan.py, pool_positions): lines are
    skipped up to each position and only those lines split; a line whose code does not match its
    position (and any plain iterable of codes) is found by one scan. Never holds the whole file.
    """
    hinted = wanted if isinstance(wanted, dict) else {}
    out: dict[str, list[str]] = {}
    with open(path, "rb") as f:
        headers = f.readline().decode("utf-8").rstrip("\n").split("\t")
        codes = sorted((c for c, p in hinted.items() if p >= 0), key=hinted.__getitem__)
        rows_at = list(map(hinted.__getitem__, codes))
        if len(set(rows_at)) != len(rows_at):  # one row hinted for two codes: the first is tried
            order = sorted(dict(reversed(list(zip(rows_at, codes)))).items())
            rows_at, codes = [p for p, _ in order], [c for _, c in order]
        # lines skipped before each wanted row, then that row's line (b"" past the end of the file)
        lines = [next(islice(f, skip, None), b"") for skip in map(sub, rows_at, [0, *map((1).__add__, rows_at)])]
        end = len(lines)
        while end and not lines[end - 1].endswith(b"\n"):  # past the end, or a last line without its break
            lines[end - 1] += b"\n"
            end -= 1
        # One decode for all the lines, one split per line; a line whose code is not the hinted one
        # (a wrong hint) is dropped here and found by the scan below.
        rows = list(map(methodcaller("split", "\t"), b"".join(lines).decode("utf-8").split("\n")))
        del rows[len(codes):]
        if all(map(eq, codes, map(itemgetter(0), rows))) and min(map(len, rows), default=2) > 1:
            out.update(zip(codes, rows))  # every hint right (as the draw's always are): no check per line
        else:
            out.update((c, r) for c, r in zip(codes, rows) if r[0] == c and len(r) > 1)
    missing = {c.encode("utf-8") for c in (hinted if isinstance(wanted, dict) else wanted) if c not in out}
    if missing:
        with open(path, "rb") as f:
            f.readline()
            for line in f:
                code = line[: line.find(b"\t")]
                if code in missing:
                    out[code.decode("utf-8")] = line.decode("utf-8").rstrip("\n").split("\t")
    return headers, out
