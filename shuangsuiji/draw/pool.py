"""The freeze's pool: which roster entities a task may draw, by stratum, and the pool files.

`build_pool` applies the task's scope (定向 filters and special lists), registration state and the
无事不扰 exclusions (entities drawn recently by the ledger, inspected recently by the roster's
上次检查日期, newly established), splits the rest into the strata of `allocation.strata_for` and
sets each stratum's take. `pool_csv_bytes` / `details_tsv_bytes` write the public pool.csv and the
internal pool_details.tsv; `read_pool_csv`, `read_pool_ids` and `read_details` read them back
(the draw and its verification read only these files, never the roster).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import compress, count, islice
from operator import methodcaller
from pathlib import Path

from ..core.errors import InputInvalid
from ..core.fileio import write_with
from ..intake.records import Target
from ..intake.targettable import TargetTable
from ..plan.model import Plan, StratumRule, Task
from ..sheets.fastxlsx import escaped
from .allocation import (
    R_DRAWN,
    R_INSPECTED,
    R_NEW,
    R_NO_RULE,
    R_SCOPE,
    R_STATE,
    Stratum,
    allocate,
    strata_for,
)
from .poolcols import PoolView, fill_strata

POOL_HEADERS = ["分层", "统一社会信用代码", "企业名称"]


DETAIL_HEADERS = ["统一社会信用代码", "企业名称", "市场主体类型", "行业", "住所", "属地监管所", "登记状态",
                  "信用风险分类", "法定代表人", "联系电话"]


@dataclass
class Drawn:
    """An entity an earlier official draw selected (the evidence for a 无事不扰 exclusion)."""

    when: date
    task: str


def _in_scope(t: Target, task: Task, special: set[str] | None) -> bool:
    scope = task.scope
    if not scope.directed:
        return True
    # Type, industry and area match the roster's cell exactly: a substring rule would let
    # 娱乐业 also catch 文化、体育和娱乐业, and nobody could predict the pool from the plan.
    if scope.entity_types and t.entity_type not in scope.entity_types:
        return False
    if scope.industries and t.industry not in scope.industries:
        return False
    if scope.areas and t.area not in scope.areas:
        return False
    if scope.licence and not any(scope.licence in lic for lic in t.licences):
        return False
    if scope.special_list is not None and (special is None or t.credit_code not in special):
        return False
    return True


def _window_start(task: Task) -> date | None:
    """Earliest date of a previous draw or inspection that still excludes an entity."""
    ex = task.exclusions
    starts = []
    if ex.drawn_within_days is not None:
        starts.append(task.draw_date - timedelta(days=ex.drawn_within_days))
    if ex.drawn_since is not None:
        starts.append(ex.drawn_since)
    return min(starts) if starts else None


@dataclass
class PoolResult:
    strata: list[Stratum]
    out_of_scope: int
    excluded_examples: dict[str, list[str]]  # reason -> a few credit codes (for the clerk)


def build_pool(plan: Plan, task: Task, targets: Iterable[Target], *,
               special_lists: dict[str, set[str]] | None = None,
               drawn: dict[str, Drawn] | None = None) -> PoolResult:
    """Apply scope, state and exclusions; split the eligible entities into strata; allocate."""
    strata, class_to = strata_for(plan, task)
    by_name = {s.name: s for s in strata}
    special = (special_lists or {}).get(task.scope.special_list) if task.scope.special_list else None
    drawn = drawn or {}
    ex = task.exclusions
    since = _window_start(task)
    new_after = (task.draw_date - timedelta(days=ex.established_within_days)
                 if ex.established_within_days is not None else None)
    high = set(plan.high_risk_classes)
    exempt_high = ex.high_risk_exempt
    out_of_scope = 0
    examples: dict[str, list[str]] = {}
    unassigned = Stratum("（无抽取规则）", [], StratumRule(count=0), drawable=False)

    def exclude(s: Stratum, reason: str, code: str) -> None:
        s.excluded[reason] += 1
        ex_list = examples.setdefault(reason, [])
        if len(ex_list) < 5:
            ex_list.append(code)

    if isinstance(targets, TargetTable):  # columnar intake: the same rules as column masks
        out_of_scope, examples = fill_strata(targets, task, strata, class_to, unassigned, special=special,
                                             drawn=drawn, since=since, new_after=new_after, high=high,
                                             exempt_high=exempt_high)
        targets = ()
    for t in targets:
        name = class_to.get(t.risk, class_to.get(""))
        s = by_name[name] if name is not None else unassigned
        s.in_roster += 1
        if not _in_scope(t, task, special):
            out_of_scope += 1
            s.excluded[R_SCOPE] += 1
            continue
        if not t.drawable:
            exclude(s, R_STATE, t.credit_code)
            continue
        if name is None:
            exclude(s, R_NO_RULE, t.credit_code)
            continue
        if new_after is not None and t.established is not None and t.established > new_after:
            exclude(s, R_NEW, t.credit_code)
            continue
        if since is not None and not (exempt_high and t.risk in high):
            d = drawn.get(t.credit_code)
            if d is not None and since <= d.when <= task.draw_date:
                exclude(s, R_DRAWN, t.credit_code)
                continue
            if t.last_inspected is not None and since <= t.last_inspected <= task.draw_date:
                exclude(s, R_INSPECTED, t.credit_code)
                continue
        s.pool.append(t)
    for s in strata:
        if isinstance(s.pool, list):
            s.pool.sort(key=lambda t: t.credit_code)
        s.take, s.notes = allocate(s.rule, len(s.pool), task.sampling.rounding)
    if unassigned.in_roster:
        # Entities of a class the plan gives no rule: shown as their own line, never drawn.
        unassigned.notes.append("这些对象的信用风险类别在本任务中没有抽取规则（也未设 default），不参与抽取")
        strata.append(unassigned)
    return PoolResult(strata, out_of_scope, examples)


CHUNK_ROWS = 100_000  # rows per encoded chunk of the pool files (bounded memory at any pool size)
_BOM = b"\xef\xbb\xbf"


def pool_csv_chunks(strata: list[Stratum], chunk_rows: int = CHUNK_ROWS) -> Iterator[bytes]:
    """The public pool file in encoded chunks: UTF-8 with BOM, CRLF; names escaped against
    formula injection. The concatenation is exactly `sheets.fastxlsx.fast_csv_bytes` of the rows
    (the csv writer keeps no state between rows, so chunking cannot change a byte)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(POOL_HEADERS)
    yield _BOM + buf.getvalue().encode("utf-8")
    for s in strata:
        if not s.drawable:
            continue
        if isinstance(s.pool, PoolView):  # columnar intake: written from the columns
            yield from s.pool.csv_chunks(s.name, chunk_rows)
            continue
        rows = ((s.name, t.credit_code, escaped(t.name)) for t in s.pool)
        while batch := list(islice(rows, chunk_rows)):
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\r\n").writerows(batch)
            yield buf.getvalue().encode("utf-8")


def pool_csv_bytes(strata: list[Stratum]) -> bytes:
    """The whole public pool file (small pools and tests; freeze streams `pool_csv_chunks`)."""
    return b"".join(pool_csv_chunks(strata))


_FLATTEN = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


def _detail_line(t: Target) -> str:
    """One details line: tabs and line breaks inside a cell become spaces, then each cell is escaped."""
    return "\t".join(escaped(x.translate(_FLATTEN)) for x in (
        t.credit_code, t.name, t.entity_type, t.industry, t.address, t.area, t.state, t.risk,
        t.legal_rep, t.phone))


def details_tsv_chunks(strata: list[Stratum], chunk_rows: int = CHUNK_ROWS) -> Iterator[bytes]:
    """The internal details of every pooled entity, one tab-separated line each (UTF-8), in chunks.

    INTERNAL: holds personal data (法定代表人, 联系电话); written with mode 0600 and never published.
    Display-only (the office's draw workbook): tabs and line breaks inside a cell become spaces, and
    every cell is formula-escaped like any other file we write (escaping is idempotent, so the
    workbook's own escaping adds nothing).
    Line n+1 (after the header) belongs to row n of pool.csv: readers rely on that order.
    """
    yield ("\t".join(DETAIL_HEADERS) + "\n").encode("utf-8")
    for s in strata:
        if not s.drawable:
            continue
        if isinstance(s.pool, PoolView):
            yield from s.pool.details_chunks(chunk_rows)
            continue
        lines = map(_detail_line, s.pool)
        while batch := list(islice(lines, chunk_rows)):
            batch.append("")
            yield "\n".join(batch).encode("utf-8")


def details_tsv_bytes(strata: list[Stratum]) -> bytes:
    """The whole details file (small pools and tests; freeze streams `details_tsv_chunks`)."""
    return b"".join(details_tsv_chunks(strata))


def write_streamed(path: Path, chunks: Iterable[bytes]) -> str:
    """Write `chunks` to `path` (temp + rename) while feeding one SHA-256; return its hex digest.

    Only one chunk is in memory at a time: the digest is the file's, without reading it back.
    """
    h = hashlib.sha256()

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as f:
            for chunk in chunks:
                h.update(chunk)
                f.write(chunk)

    write_with(path, write)
    return h.hexdigest()


def write_pool_files(strata: list[Stratum], pool_path: Path, details_path: Path) -> tuple[str, str]:
    """Write pool.csv and pool_details.tsv in chunks; return their SHA-256 (the commitment's)."""
    return (write_streamed(pool_path, pool_csv_chunks(strata)),
            write_streamed(details_path, details_tsv_chunks(strata)))


def read_pool_csv(path: Path) -> dict[str, list[tuple[str, str]]]:
    """stratum -> [(credit code, name as written in the file)] from a pool file, in file order."""
    return _parse_pool(Path(path).read_bytes().decode("utf-8-sig"), path)


def _parse_pool(text: str, path) -> dict[str, list[tuple[str, str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header != POOL_HEADERS:
        raise InputInvalid(f"池文件 {path} 的表头应为 {','.join(POOL_HEADERS)}，实际为 {header}。")
    out: dict[str, list[tuple[str, str]]] = {}
    for row in reader:
        if len(row) != 3:
            raise InputInvalid(f"池文件 {path} 第{reader.line_num}行应有 3 列。")
        out.setdefault(row[0], []).append((row[1], row[2]))
    return out


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
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header != POOL_HEADERS:
            raise InputInvalid(f"池文件 {path} 的表头应为 {','.join(POOL_HEADERS)}，实际为 {header}。")
        for row in reader:
            if len(row) != 3:
                raise InputInvalid(f"池文件 {path} 第{reader.line_num}行应有 3 列。")
            out.setdefault(row[0], []).append(row[1])
    return out


def _read_plain_ids(path: Path, block: int) -> dict[str, list[str]] | None:
    """The ids of a file without quotes; None as soon as a block holds a double quote (then the
    csv module must parse the file: a quoted cell may hold commas and line breaks)."""
    out: dict[str, list[str]] = {}
    with open(path, "rb") as f:
        first = f.readline()
        if b'"' in first:
            return None
        header = first.decode("utf-8-sig").rstrip("\r\n")
        if header != ",".join(POOL_HEADERS):
            raise InputInvalid(f"池文件 {path} 的表头应为 {','.join(POOL_HEADERS)}，实际为 {header}。")
        n, rest = 1, b""
        for data in iter(lambda: f.read(block), b""):
            if b'"' in data:
                return None
            data = rest + data
            cut = data.rfind(b"\n") + 1
            rest = data[cut:]
            n = _add_ids(out, data[:cut], n, path)
        if rest:
            _add_ids(out, rest + b"\n", n, path)
    return out


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

    `wanted` maps codes to their 0-based position in the pool file (pool_positions): lines are
    skipped up to each position and only those lines split; a line whose code does not match its
    position (and any plain iterable of codes) is found by one scan. Never holds the whole file.
    """
    hinted = wanted if isinstance(wanted, dict) else {}
    out: dict[str, list[str]] = {}
    with open(path, "rb") as f:
        headers = f.readline().decode("utf-8").rstrip("\n").split("\t")
        at = 0
        codes, lines = [], []
        for pos, code in sorted((p, c) for c, p in hinted.items() if p >= 0):
            line = next(islice(f, pos - at, None), b"")
            at = pos + 1
            if line.startswith(code.encode("utf-8") + b"\t"):
                codes.append(code)
                lines.append(line if line.endswith(b"\n") else line + b"\n")
        # One decode for all the lines found, then one split per line (not a decode per line).
        out.update(zip(codes, map(methodcaller("split", "\t"), b"".join(lines).decode("utf-8").split("\n"))))
    missing = {c.encode("utf-8") for c in (hinted if isinstance(wanted, dict) else wanted) if c not in out}
    if missing:
        with open(path, "rb") as f:
            f.readline()
            for line in f:
                code = line[: line.find(b"\t")]
                if code in missing:
                    out[code.decode("utf-8")] = line.decode("utf-8").rstrip("\n").split("\t")
    return headers, out
