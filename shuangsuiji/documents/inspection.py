"""Per inspected entity, a 现场检查记录表 and a 检查告知书 (Word), from the match in force.

The record lists the entity, every department's items with their legal basis, the team (leader
first), blank result fields per item, signature lines for each inspector and for the entity's
法定代表人/负责人, and a line to record a refusal to sign. The notice tells the entity, once and
in advance, every department and item, the window and what to prepare ("进一次门，查多项事").

Files go to out/<task>/documents/ (internal: they name the officers). They are derived, not
official: a re-run replaces the whole folder atomically (templates may have been edited).
"""

from __future__ import annotations

import os
import shutil
from datetime import date

from ..core.clock import cn_date
from ..core.fileio import staged_dir
from ..core.progress import report
from ..core.resultcodes import RESULT_CODES, label
from ..core.workspace import Workspace, safe_name
from ..match.dispatched import Dispatched, load_dispatched
from ..plan.load import LoadedPlan
from ..plan.model import Task
from .templatebuild import NOTICE, RECORD
from .templates import find_template, render

FOLDER = "documents"
BASIC_MATERIALS = ["营业执照（副本）原件", "与检查事项有关的许可证件原件",
                   "法定代表人（负责人）身份证明；委托他人接受检查的，另备授权委托书和受托人身份证件"]


def items_context(lp: LoadedPlan, task: Task) -> list[dict]:
    plan = lp.plan
    out = []
    for n, item_id in enumerate(task.items, 1):
        item = plan.item(item_id)
        out.append({"no": n, "id": item.id, "name": item.name, "basis": item.basis or "（计划未写明）",
                    "method": item.method, "department": plan.department(item.department).name})
    return out


def members_context(team: dict, d: Dispatched, lp: LoadedPlan) -> list[dict]:
    out = []
    for m in sorted(team["members"], key=lambda m: not m["leader"]):
        dept = lp.plan.department(m["department"]).name
        officer = d.officers.get(m["officer"]) if m.get("officer") else None
        if officer is None:
            name, credential = f"（由{dept}直接委派）", "＿＿＿＿＿＿"
        else:
            name, credential = officer.name, officer.id
        role = "组长" if m["leader"] else "组员"
        if m.get("specialist_for"):
            role += "（专家）"
        if m.get("source") == "neighbour":
            role += "（相邻区域）"
        out.append({"department": dept, "name": name, "credential": credential, "role": role})
    return out


def window_text(task: Task) -> str:
    return f"{cn_date(task.window.start)}至{cn_date(task.window.end)}"


def contexts(lp: LoadedPlan, task: Task, d: Dispatched, issued: date) -> list[dict]:
    """One template context per team (entity), in team number order."""
    plan = lp.plan
    items = items_context(lp, task)
    departments = [plan.department(x).name for x in task.participants]
    materials = BASIC_MATERIALS + [f"与“{it['name']}”有关的制度、台账、记录和票据（{it['department']}检查）"
                                   for it in items]
    out = []
    for team in sorted(d.teams, key=lambda t: t["no"]):
        t = d.targets[team["credit_code"]]
        out.append({
            "office": plan.office,
            "year": plan.year,
            "task": {"id": task.id, "number": task.number, "name": task.name, "joint": task.joint},
            "entity": {"name": t.name, "code": t.credit_code, "address": t.address or "", "area": t.area or ""},
            "team": {"no": team["no"], "members": members_context(team, d, lp)},
            "items": items,
            "departments": "、".join(departments),
            "window": window_text(task),
            "materials": materials,
            "issued": cn_date(issued),
            "copies": len(departments) + 1,
            "result_codes": "；".join(label(c) for c in RESULT_CODES),
            "manifest": d.manifest_rel,
        })
    return out


def write_task_documents(ws: Workspace, lp: LoadedPlan, task: Task, issued: date, progress=None) -> dict:
    """Write both documents for every inspected entity of `task`; returns what was written."""
    d = load_dispatched(ws, task.id)
    ctxs = contexts(lp, task, d, issued)
    templates = {kind: find_template(ws, kind) for kind in (RECORD, NOTICE)}
    folder = ws.task_dir(task.id) / FOLDER
    staging = folder.with_name(f"{FOLDER}.new")
    if staging.exists():  # left by an interrupted run
        shutil.rmtree(staging)
    files = []
    with staged_dir(staging) as tmp:
        for i, ctx in enumerate(ctxs, 1):
            report(progress, "生成检查文书", i, len(ctxs))
            stem = f"{ctx['team']['no']:03d}-{safe_name(ctx['entity']['name'])}"
            for kind, path in templates.items():
                name = f"{stem}-{kind}"
                render(path, ctx, tmp / name)
                files.append(name)
    old = folder.with_name(f".{FOLDER}.old")
    if folder.exists():
        os.replace(folder, old)
    os.replace(staging, folder)
    shutil.rmtree(old, ignore_errors=True)
    return {"task": task.id, "folder": ws.rel(folder), "entities": len(ctxs), "files": sorted(files),
            "templates": {k: (ws.rel(p) if p.is_relative_to(ws.root) else f"（软件自带）{k}")
                          for k, p in templates.items()},
            "match_manifest": d.manifest_rel}
