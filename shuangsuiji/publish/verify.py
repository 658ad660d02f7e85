"""Verify a publication (issue 11): the version's files against the ledger and its manifest, the
public CSV row by row against the manifest's records, and the merge recomputed from the filled
templates the manifest lists (when they, the plan and the task's ledger state are as they were).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import date
from pathlib import Path

from ..core.audit import Report, check_recorded
from ..core.errors import SsjError
from ..core.fileio import canonical_json, sha256_file
from ..core.perf import gc_paused
from ..core.workspace import Workspace
from ..sheets.base import escape_cell
from .record import CSV_NAME, PUBLIC_HEADERS, public_rows, upgrade_record


def verify_publication(manifest_path: Path, *, ws: Workspace) -> Report:
    manifest_path = Path(manifest_path)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    task = manifest.get("task") or {}
    rep = Report(f"结果公示 {task.get('number', '')} 第 {manifest.get('version')} 版（{ws.rel(manifest_path)}）")
    entries = ws.ledger().read()
    entry = check_recorded(rep, ws, entries, "publish", manifest_path, "公示", "发布")
    records = manifest.get("records") or []
    rep.add(hashlib.sha256(canonical_json(records)).hexdigest() == manifest.get("records_sha256"),
            "清单中的公示记录与其 SHA-256 一致", "清单中的公示记录与其 SHA-256 不符（清单被改动）")
    _check_csv(rep, ws, manifest_path.parent / CSV_NAME, manifest)
    _recompute(rep, ws, manifest, entry, entries)
    return rep


def _check_csv(rep: Report, ws: Workspace, path: Path, manifest: dict) -> None:
    if not path.is_file():
        rep.add(False, f"{ws.rel(path)} 不存在")
        return
    try:
        text = path.read_bytes().decode(manifest.get("encoding") or "utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except (UnicodeDecodeError, LookupError, csv.Error) as e:
        rep.add(False, f"{ws.rel(path)} 无法读取：{e}")
        return
    records = [upgrade_record(r) for r in manifest.get("records") or []]
    try:
        want = [[_cell(x) for x in row] for row in public_rows(records, manifest.get("dates") or "年月日")]
    except (KeyError, ValueError) as e:
        rep.add(False, f"发布清单的公示记录无法还原为公示文件的行：{e}")
        return
    problems = [] if rows[:1] == [PUBLIC_HEADERS] else ["表头不符"]
    for n, (got, should) in enumerate(zip(rows[1:], want), 2):
        diffs = [f"{h}应为「{b}」，文件为「{a}」" for h, a, b in zip(PUBLIC_HEADERS, got, should) if a != b]
        if diffs or len(got) != len(should):
            problems.append(f"第 {n} 行（应为 {should[1]} {should[2]}）：" + ("，".join(diffs) or "列数不对"))
        if len(problems) >= 3:
            break
    if len(rows) - 1 != len(want):
        problems.append(f"应有 {len(want)} 行，文件为 {len(rows) - 1} 行")
    rep.add(not problems, f"{ws.rel(path)} 与发布清单的 {len(want)} 条公示记录逐行一致",
            f"{ws.rel(path)} 与发布清单不一致：" + "；".join(problems))


def _cell(value) -> str:
    return "" if value is None else str(escape_cell(value))


def _recompute(rep: Report, ws: Workspace, manifest: dict, entry: dict | None, entries: list[dict]) -> None:
    """Re-read the filled templates and redo validation and merge; compare with the records."""
    from ..plan.load import load_plan
    from .intake import read_results
    from .record import assess, public_records
    from .validate import load_expected, validate

    task_id = (manifest.get("task") or {}).get("id")
    if entry is None:
        return
    later = [e for e in entries if e.get("task") == task_id and e["seq"] > entry["seq"]
             and e["kind"] in ("substitution", "match", "draw")]
    if later:
        rep.skip(f"发布后任务 {task_id} 又有递补、匹配或抽取（台账第 {later[0]['seq']} 条），未按当前状态复算合并结果")
        return
    inputs = manifest.get("inputs") or []
    changed = [i["file"] for i in inputs if not ws.resolve(i["file"]).is_file()
               or sha256_file(ws.resolve(i["file"])) != i["sha256"]]
    if changed:
        rep.skip("以下结果录入表已改动或不在，未复算合并结果：" + "、".join(changed))
        return
    freezes = [e for e in entries if e["kind"] == "freeze" and e.get("task") == task_id]
    try:
        commitment = json.loads(ws.resolve(freezes[-1]["data"]["commitment"]).read_text(encoding="utf-8"))
        lp = load_plan(ws.resolve(commitment["plan"]["path"]))
    except (IndexError, OSError, ValueError, KeyError, SsjError):
        rep.skip("找不到任务的计划文件，未复算合并结果")
        return
    if lp.sha256 != manifest.get("plan_sha256"):
        rep.skip("计划文件在发布后被修改，未复算合并结果")
        return
    try:
        task = lp.plan.task(task_id)
        expected = load_expected(ws, lp, task)
        with gc_paused():  # as publish: many small objects, no cycles
            rows, problems = read_results([ws.resolve(i["file"]) for i in inputs], lp, task)
            problems = problems + validate(rows, expected, task, date.fromisoformat(manifest["today"]))
            found = assess(rows, problems, expected)
            again = public_records(task, expected, found.ready)
    except SsjError as e:
        rep.add(False, f"按结果录入表复算失败：{e.message}")
        return
    records = manifest.get("records") or []
    diff = [r["统一社会信用代码"] for r, s in zip(again, records) if r != s]
    rep.add(again == records, f"按 {len(inputs)} 个结果录入表重新校验、合并，得到的 {len(again)} 条公示记录与清单完全一致",
            f"按结果录入表复算的公示记录与清单不一致（{len(again)} 条对 {len(records)} 条"
            + (f"；首个不同：{diff[0]}" if diff else "") + "）")
