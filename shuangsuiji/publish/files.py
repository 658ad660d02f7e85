"""The files of one publication version: public CSV and xlsx, the office copy, the manifest.

Everything is built inside `staged_dir`, so a version folder either exists complete or not at
all. The public files hold only `record.PUBLIC_HEADERS` (序号 and the date style are applied
here: `record.public_rows`); the office copy (办公室留存.xlsx) adds
per entity and department the result as entered, the problems or missing entries, and the
substitution notes. No officer and no personal data is read, so none can be written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..core.clock import cn_time
from ..core.fileio import (atomic_path, canonical_json, mark_internal, sha256_file, staged_dir,
                           write_bytes_atomic)
from ..core.jsontext import json_parts
from ..core.resultcodes import label
from ..sheets.base import escape_cell
from ..sheets.fastxlsx import escaped, fast_csv_bytes
from ..sheets.writers import Sheet, write_csv, write_xlsx
from .record import (CODE_KEY, CSV_NAME, DATE_KEY, MANIFEST_NAME, OFFICE_NAME, PUBLIC_HEADERS, XLSX_NAME,
                     Published, public_rows)
from .validate import Expected


@dataclass
class Context:
    ws: object
    lp: object
    task: object
    expected: Expected
    rows: list
    inputs: list[Path]
    today: date
    time: str
    encoding: str
    previous: dict | None  # the previous publish ledger entry


def write_version(pub: Published, ctx: Context) -> None:
    """Write the version folder (refusing an existing one) and fill `pub.files`."""
    ws = ctx.ws
    names = [CSV_NAME, XLSX_NAME, OFFICE_NAME]
    rows = public_rows(pub.records, _dates(ctx))
    with staged_dir(pub.folder) as tmp:
        _write_public_csv(tmp / CSV_NAME, rows, ctx.encoding)
        write_xlsx(tmp / XLSX_NAME, [_public_sheet(pub, ctx, rows)])
        write_xlsx(tmp / OFFICE_NAME, office_sheets(pub, ctx))
        mark_internal(tmp / OFFICE_NAME)  # 内部资料, not for release
        hashes = {n: sha256_file(tmp / n) for n in names}
        with atomic_path(tmp / MANIFEST_NAME) as path, open(path, "wb") as f:
            for part in json_parts(manifest(pub, ctx, hashes)):  # (no copy of the whole text)
                f.write(part.encode("utf-8"))
        hashes[MANIFEST_NAME] = sha256_file(tmp / MANIFEST_NAME)
        hashes.update(_ledger_head(ws, tmp))
    pub.files = {ws.rel(pub.folder / n): h for n, h in hashes.items()}


def _dates(ctx: Context) -> str:
    return ctx.lp.plan.publicity.dates


def _ledger_head(ws, tmp) -> dict[str, str]:
    """The ledger head at the time of this version (core.ledger.LEDGER_HEAD sidecar), with its hash."""
    from ..core.ledger import LEDGER_HEAD

    ws.ledger().write_head(tmp)
    return {LEDGER_HEAD: sha256_file(tmp / LEDGER_HEAD)}



def _write_public_csv(path: Path, rows: list[list], encoding: str) -> None:
    """公示结果.csv. The public cells are text (序号 aside): in UTF-8 (the default) they are
    escaped here and written by `fast_csv_bytes`, byte for byte what `write_csv` writes, without
    its per-cell type dispatch. Another encoding, or a cell that is not text, goes through `write_csv`."""
    if encoding == "utf-8-sig":
        try:
            cells = [[str(r[0]), *map(escaped, r[1:])] for r in rows]
        except TypeError:  # not text (escaped indexes its first character)
            pass
        else:
            write_bytes_atomic(path, fast_csv_bytes([escape_cell(h) for h in PUBLIC_HEADERS], cells))
            return
    write_csv(path, PUBLIC_HEADERS, rows, encoding=encoding)


def _public_sheet(pub: Published, ctx: Context, rows: list[list] | None = None) -> Sheet:
    """The CSV's rows; ISO dates become date cells, 2026年06月06日 stays text as the display writes it."""
    date_col = PUBLIC_HEADERS.index(DATE_KEY)
    rows = public_rows(pub.records, _dates(ctx)) if rows is None else rows
    iso = _dates(ctx) == "iso"
    if iso:
        days: dict[str, date] = {}
        rows = [list(r) for r in rows]  # the CSV's rows keep their text dates
        for r in rows:
            day = days.get(r[date_col])
            if day is None:
                day = days[r[date_col]] = date.fromisoformat(r[date_col])
            r[date_col] = day
    task = ctx.task
    return Sheet("公示结果", PUBLIC_HEADERS, rows, title=f"{task.number}「{task.name}」抽查检查结果公示",
                 date_columns=[date_col] if iso else [], text_columns=[PUBLIC_HEADERS.index(CODE_KEY)])


# -- the office copy ----------------------------------------------------------------------------

OFFICE_HEADERS = ["统一社会信用代码/注册号", "企业名称", "检查部门", "检查结果", "问题类型", "后续处置", "检查方式",
                  "检查日期", "录入日期", "本版状态", "问题或缺项", "替补说明", "来源", "检查结果（原文）",
                  "后续处置（原文）"]
PROBLEM_HEADERS = ["严重程度", "文件", "工作表", "行", "列", "问题"]


def office_sheets(pub: Published, ctx: Context) -> list[Sheet]:
    task, exp = ctx.task, ctx.expected
    title = f"{task.number}「{task.name}」结果公示 第{pub.version}版 办公室留存（内部资料，不对外公开）"
    return [
        Sheet("逐户逐部门", OFFICE_HEADERS, _entity_rows(pub, ctx), title=title, date_columns=[7, 8],
              text_columns=[0]),
        Sheet("问题清单", PROBLEM_HEADERS, [_problem_row(p) for p in pub.assessment.problems],
              title="结果表中的全部问题（错误须更正；提醒可酌情处理）"),
        Sheet("替补记录", ["替补对象", "企业名称", "被替换对象", "替补原因"],
              [[c, exp.names.get(c, ""), out, exp.reasons.get(c, "")] for c, out in exp.replaces.items()],
              title="从备选名单替补的对象（以替补对象自己的统一社会信用代码公示）", text_columns=[0, 2]),
        Sheet("版本说明", ["项目", "内容"], _version_rows(pub, ctx), title="本次发布"),
    ]


def _entity_rows(pub: Published, ctx: Context) -> list[list]:
    exp = ctx.expected
    by_src: dict[tuple, list[str]] = {}
    for p in pub.assessment.problems:
        if p.row is not None:
            by_src.setdefault((p.file, p.sheet, p.row), []).append(
                ("" if p.severity == "error" else "提醒：") + p.reason)
    by_key: dict[tuple[str, str], list] = {}
    for r in ctx.rows:
        by_key.setdefault((r.credit_code, r.department), []).append(r)
    cells = _RowCells(exp, by_src)
    out: list[list] = []
    for code, depts in exp.departments.items():
        status = "已公示" if code in pub.assessment.ready else "未公示"
        swap = f"替补 {exp.replaces[code]}（{exp.reasons.get(code, '')}）" if code in exp.replaces else ""
        for d in depts:
            found = by_key.pop((code, d), [])
            if not found:
                out.append([code, exp.names.get(code, ""), exp.dept_name(d), "", "", "", "", None, None,
                            status, "尚未录入", swap, "", "", ""])
            for r in found:
                out.append(cells(r, status, swap))
    for rows in by_key.values():  # rows about targets or departments outside the dispatch
        for r in rows:
            out.append(cells(r, "不属于本任务", ""))
    return out


class _RowCells:
    """One office-copy line per result row; what repeats down the sheet (the codes written out,
    department names) is written out once per distinct value."""

    def __init__(self, exp: Expected, by_src: dict):
        self.exp, self.by_src = exp, by_src
        self.shown: dict = {}

    def _labels(self, codes: tuple) -> str:
        text = self.shown.get(codes)
        if text is None:
            text = self.shown[codes] = "、".join(label(c) for c in codes)
        return text

    def __call__(self, r, status: str, swap: str) -> list:
        exp, src = self.exp, r.source
        problems = self.by_src.get((src.file, src.sheet, src.row), ()) if self.by_src else ()
        return [r.credit_code, exp.names.get(r.credit_code) or r.name, exp.dept_name(r.department),
                self._labels(r.codes), self._labels(r.subcodes), r.follow_up or "",
                r.method or "", r.inspected, r.entered, status, "；".join(problems), swap,
                f"{src.file} 「{src.sheet}」第{src.row}行", r.result_text, r.follow_up_text]


def _problem_row(p) -> list:
    return ["错误" if p.severity == "error" else "提醒", p.file or "", p.sheet or "", p.row, p.column or "",
            p.reason]


def _version_rows(pub: Published, ctx: Context) -> list[list]:
    prev = ctx.previous
    changes = pub.changes
    rows = [
        ["抽查任务", f"{ctx.task.number} {ctx.task.name}"],
        ["版本", f"第{pub.version}版"],
        ["发布时间", cn_time(ctx.time)],
        ["发布原因", pub.reason],
        ["部分公示", "是" if pub.partial else "否"],
        ["上一版", f"第{prev['data']['version']}版（{cn_time(prev['time'])}）" if prev else "无"],
        ["本版公示户数", len(pub.records)],
        ["未公示户数", len(pub.assessment.withheld)],
        ["较上一版新增", "、".join(changes["added"]) if prev else "（首次公示）"],
        ["较上一版改动", "、".join(changes["changed"])],
        ["较上一版撤回", "、".join(changes["withdrawn"])],
        ["结果文件", "；".join(ctx.ws.rel(f) for f in ctx.inputs)],
    ]
    rows += [["说明", n] for n in pub.notes]
    return rows


def manifest(pub: Published, ctx: Context, hashes: dict[str, str]) -> dict:
    task, ws = ctx.task, ctx.ws
    prev = ctx.previous
    return {
        "kind": "publish",
        "version": pub.version,
        "task": {"id": task.id, "number": task.number, "name": task.name},
        "plan_sha256": ctx.lp.sha256,
        "time": ctx.time,
        "today": ctx.today.isoformat(),
        "reason": pub.reason,
        "partial": pub.partial,
        "encoding": ctx.encoding,
        "dates": _dates(ctx),  # how 日期 is written in the public files (publicity.dates)
        "previous": None if prev is None else {"version": prev["data"]["version"],
                                               "manifest": prev["data"]["manifest"],
                                               "manifest_sha256": prev["data"]["manifest_sha256"]},
        "inputs": [{"file": ws.rel(f), "sha256": sha256_file(f)} for f in ctx.inputs],
        "counts": {"expected": len(ctx.expected.departments), "published": len(pub.records),
                   "withheld": len(pub.assessment.withheld), "errors": len(pub.assessment.errors),
                   "warnings": len(pub.assessment.warnings)},
        "published": [r[CODE_KEY] for r in pub.records],  # credit codes public as of this version
        "records": pub.records,
        "records_sha256": hashlib.sha256(canonical_json(pub.records)).hexdigest(),
        "withheld": [{"credit_code": c, "reasons": r} for c, r in sorted(pub.assessment.withheld.items())],
        "substitutions": [{"in": c, "out": o, "reason": ctx.expected.reasons.get(c, "")}
                          for c, o in ctx.expected.replaces.items()],
        "changes": pub.changes,
        "files": hashes,
    }
