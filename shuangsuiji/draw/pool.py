"""The freeze's pool: which roster entities a task may draw, by stratum, and the pool files.

`build_pool` applies the task's scope (定向 filters and special lists), registration state and the
无事不扰 exclusions (entities drawn recently by the ledger, inspected recently by the roster's
上次检查日期, newly established), splits the rest into the strata of `allocation.strata_for` and
sets each stratum's take. `pool_csv_bytes` / `details_tsv_bytes` write the public pool.csv and the
internal pool_details.tsv (streamed while hashed; a columnar pool writes both from one gather);
poolread.py reads them back (the draw and its verification read only these files, never the roster).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import chain, islice
from pathlib import Path

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
from .poolcols import COLUMN_CHUNK_ROWS, PoolView, fill_strata

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


def write_pool_files(strata: list[Stratum], pool_path: Path, details_path: Path, *,
                     chunk_rows: int = COLUMN_CHUNK_ROWS) -> tuple[str, str]:
    """Write pool.csv and pool_details.tsv in chunks; return their SHA-256 (the commitment's).
    Pools from columns (PoolView) write both files from one gather of each `chunk_rows` rows
    (larger than the row writers' chunks: each gather visits the whole table)."""
    drawable = [s for s in strata if s.drawable]
    if not drawable or not all(isinstance(s.pool, PoolView) for s in drawable):
        return (write_streamed(pool_path, pool_csv_chunks(strata)),
                write_streamed(details_path, details_tsv_chunks(strata)))
    heads = (next(pool_csv_chunks([])), next(details_tsv_chunks([])))
    pairs = chain([heads], (pair for s in drawable for pair in s.pool.file_chunks(s.name, chunk_rows)))
    hashes = (hashlib.sha256(), hashlib.sha256())

    def write(tmp_pool: Path) -> None:
        def both(tmp_details: Path) -> None:
            with open(tmp_pool, "wb") as p, open(tmp_details, "wb") as d:
                for pool_bytes, detail_bytes in pairs:
                    hashes[0].update(pool_bytes)
                    p.write(pool_bytes)
                    hashes[1].update(detail_bytes)
                    d.write(detail_bytes)

        write_with(details_path, both)

    write_with(pool_path, write)
    return hashes[0].hexdigest(), hashes[1].hexdigest()
