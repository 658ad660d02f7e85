"""The workbooks `ssj match` writes (派发单 and the results-entry template), as `writers.Sheet`s.

All are internal files: they name officers and their 执法证号. Nothing here is published.
    派发单-全部.xlsx           the office: every team, the seed, fallbacks, workloads
    派发单-<部门名>.xlsx        one per participating department: its officers' assignments
    结果录入-<部门名>.xlsx      the template the department fills (read back by `ssj publish`)
Pure: builds sheets from records; the caller writes them (writers.write_xlsx).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from ..core.resultcodes import (
    FOLLOW_UPS,
    PROBLEM_SUBCODES,
    RESULT_CODES,
    TEMPLATE_HEADERS,
    TEMPLATE_SHEET,
    label,
)
from ..core.clock import cn_time
from ..core.workspace import safe_name
from ..intake.records import Inspector, Target
from ..sheets.base import Dropdown
from ..sheets.writers import Sheet
from .teams import DIRECT, NEIGHBOUR, ItemRule, MatchResult, Member, Team

INTERNAL = "内部文件，含执法人员信息，不得公开"
DISPATCH_PREFIX = "派发单"  # 派发单-全部.xlsx, 派发单-<部门>.xlsx: officer names, INTERNAL (mode 0600)
ALL_FILE = f"{DISPATCH_PREFIX}-全部.xlsx"
# Columns the department types into; the rest (codes, names, task, items) are pre-filled and locked.
ENTRY_HEADERS = ["检查结果", "问题类型", "后续处置", "检查方式", "检查日期", "录入日期", "备注"]


@dataclass
class DispatchInfo:
    task_id: str
    task_number: str
    task_name: str
    departments: list[tuple[str, str]]  # (id, name), participants order
    items: list[ItemRule]
    methods: list[str]
    dispatched: str  # time with offset
    deadline: date  # 认领确认期限
    confirm_wd: int
    seed: str
    seed_sha256: str
    seed_source: str | None
    manifest: str  # workspace-relative path of the match manifest
    draw_manifest: str
    commitment_code: str | None
    redo: bool = False
    reason: str | None = None
    direct_reason: str | None = None
    workload_notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def name(self, dept: str) -> str:
        return dict(self.departments).get(dept, dept)


def dept_file(prefix: str, dept_name: str) -> str:
    return f"{prefix}-{safe_name(dept_name)}.xlsx"


def workbooks(info: DispatchInfo, result: MatchResult, targets: list[Target]) -> dict[str, list[Sheet]]:
    """File name -> sheets, for every workbook of the match."""
    by_code = {t.credit_code: t for t in targets}
    out = {ALL_FILE: office_sheets(info, result, by_code)}
    for dept, name in info.departments:
        if any(m.department == dept for t in result.teams for m in t.members):
            out[dept_file(DISPATCH_PREFIX, name)] = department_sheets(info, result, by_code, dept)
            out[dept_file("结果录入", name)] = [template_sheet(info, result, by_code, dept)]
    return out


# --------------------------------------------------------------------------- text of a member

def member_text(m: Member, officers: dict[str, Inspector], info: DispatchInfo) -> str:
    if m.source == DIRECT or m.officer_id is None:
        return f"【直接委派】待{info.name(m.department)}指定 1 名持有效执法证人员"
    o = officers[m.officer_id]
    marks = []
    if m.leader:
        marks.append("组长")
    if m.specialist_for:
        specs = [i.specialty for i in info.items if i.id in m.specialist_for and i.specialty]
        marks.append("专家：" + "、".join(dict.fromkeys(specs)) if specs else "专家")
    if m.source == NEIGHBOUR:
        marks.append("相邻区域")
    mark = "".join(f"【{x}】" for x in marks)
    return f"{o.name}{mark}（执法证号 {o.credential_no or o.id}）"


def leader_first(team: Team, info: DispatchInfo) -> list[tuple[str, str]]:
    """The departments of a team, the leader's department first (plan order otherwise)."""
    lead = next((m.department for m in team.members if m.leader), None)
    return sorted(info.departments, key=lambda d: d[0] != lead)


def team_text(team: Team, officers: dict[str, Inspector], info: DispatchInfo, only: str | None = None,
              skip: str | None = None) -> str:
    """Members by department, the leader's department first and the leader first within it."""
    parts = []
    for dept, name in leader_first(team, info):
        if dept == skip or (only is not None and dept != only):
            continue
        ms = sorted((m for m in team.members if m.department == dept), key=lambda m: not m.leader)
        if ms:
            parts.append(f"{name}：" + "、".join(member_text(m, officers, info) for m in ms))
    return "；".join(parts)


def leader_text(team: Team, officers: dict[str, Inspector], info: DispatchInfo) -> str:
    m = next((m for m in team.members if m.leader), None)
    if m is None:
        return ""
    if m.officer_id is None:
        return f"由{info.name(m.department)}直接委派的人员担任"
    o = officers[m.officer_id]
    return f"{o.name}（{info.name(m.department)}，执法证号 {o.credential_no or o.id}）"


def notes_text(team: Team, dept: str | None = None) -> str:
    return "；".join(n["text"] for n in team.notes if dept is None or n.get("department") == dept)


def items_text(info: DispatchInfo, dept: str | None = None) -> str:
    return "、".join(i.name for i in info.items if dept is None or i.department == dept)


def leader_key(team: Team) -> tuple:
    """Sort key grouping teams by their leader (a leader's targets together), then by number."""
    m = next((m for m in team.members if m.leader), None)
    return (m is None, m.department if m else "", m.officer_id or "" if m else "", team.no)


# --------------------------------------------------------------------------- the office's workbook

def office_sheets(info: DispatchInfo, result: MatchResult, by_code: dict[str, Target]) -> list[Sheet]:
    headers = ["组长", "序号", "统一社会信用代码", "企业名称", "住所", "属地监管所", "检查事项",
               "检查组（组长在前；部门：姓名、执法证号）", "认领确认期限", "备注"]
    rows = []
    for team in sorted(result.teams, key=leader_key):
        t = by_code[team.credit_code]
        rows.append([leader_text(team, result.officers, info), team.no, t.credit_code, t.name, t.address, t.area,
                     items_text(info), team_text(team, result.officers, info), info.deadline, notes_text(team)])
    main = Sheet("派发单", headers, rows, title=f"{info.task_number} {info.task_name} 派发单（{INTERNAL}）",
                 date_columns=[8], text_columns=[2],
                 col_widths={0: 16, 1: 4, 2: 19, 3: 20, 4: 20, 5: 10, 6: 20, 7: 44, 8: 10, 9: 20}, landscape=True)
    return [main, workload_sheet(info, result, None), info_sheet(info, result)]


def workload_sheet(info: DispatchInfo, result: MatchResult, dept: str | None) -> Sheet:
    regular: Counter = Counter()
    leader: Counter = Counter()
    special: Counter = Counter()
    for team in result.teams:
        for m in team.members:
            if m.officer_id is None:
                continue
            if m.specialist_for:
                special[m.officer_id] += 1
            else:
                regular[m.officer_id] += 1
            if m.leader:
                leader[m.officer_id] += 1
    rows = []
    for d, name in info.departments:
        if dept is not None and d != dept:
            continue
        pool = [o for o in result.officers.values() if o.department == d]
        for o in sorted(pool, key=lambda o: (o.id in result.neighbour_ids, -regular[o.id], o.id)):
            rows.append([name, o.name, o.credential_no or o.id, o.area,
                         "相邻区域" if o.id in result.neighbour_ids else "本部门",
                         regular[o.id], leader[o.id], special[o.id]])
    headers = ["部门", "姓名", "执法证号", "所属所/片区", "来源", "承担户数", "任组长次数", "任专家次数"]
    title = f"{info.task_number} 执法人员任务量（{INTERNAL}）"
    return Sheet("人员任务量", headers, rows, title=title, text_columns=[2])


def info_sheet(info: DispatchInfo, result: MatchResult) -> Sheet:
    rows = [
        ["抽查任务", f"{info.task_number} {info.task_name}"],
        ["派发时间", cn_time(info.dispatched)],
        ["认领确认期限", f"{info.deadline.isoformat()}（派发后 {info.confirm_wd} 个工作日内认领、比对、确认）"],
        ["匹配随机种子", info.seed],
        ["种子 SHA-256", info.seed_sha256],
        ["种子来源", info.seed_source or "（未说明）"],
        ["依据的抽取清单", info.draw_manifest],
        ["承诺码（固定名录）", info.commitment_code or ""],
        ["匹配清单", info.manifest],
        ["复核方法", f"ssj verify {info.manifest}"],
    ]
    if info.redo:
        rows.insert(1, ["重新匹配理由", info.reason or ""])
    if result.fallbacks:
        for f in result.fallbacks:
            rows.append(["兜底方式", f["text"] + (f"；理由：{f['reason']}" if f.get("reason") else "")])
    else:
        rows.append(["兜底方式", "未使用（各部门均从本部门名录中随机抽取）"])
    for note in info.workload_notes:
        rows.append(["工作量说明", note])
    for w in info.warnings:
        rows.append(["警告", w])
    return Sheet("说明", ["项目", "内容"], rows, title=f"{info.task_number} 匹配说明（{INTERNAL}）",
                 col_widths={1: 60})


# --------------------------------------------------------------------------- a department's workbook

def department_sheets(info: DispatchInfo, result: MatchResult, by_code: dict[str, Target], dept: str) -> list[Sheet]:
    name = info.name(dept)
    headers = ["组长", "序号", "统一社会信用代码", "企业名称", "住所", "属地监管所", "本部门检查事项",
               "本部门人员（姓名、执法证号）", "其他部门人员", "认领确认期限", "备注"]
    rows = []
    for team in sorted(result.teams, key=leader_key):
        if not any(m.department == dept for m in team.members):
            continue
        t = by_code[team.credit_code]
        own = "、".join(member_text(m, result.officers, info)
                       for m in sorted(team.members, key=lambda m: not m.leader) if m.department == dept)
        rows.append([leader_text(team, result.officers, info), team.no, t.credit_code, t.name, t.address, t.area,
                     items_text(info, dept), own, team_text(team, result.officers, info, skip=dept),
                     info.deadline, notes_text(team, dept)])
    main = Sheet("派发单", headers, rows, title=f"{info.task_number} {info.task_name} 派发单 —— {name}（{INTERNAL}）",
                 date_columns=[9], text_columns=[2],
                 col_widths={0: 16, 1: 4, 2: 19, 3: 20, 4: 20, 5: 10, 6: 16, 7: 28, 8: 28, 9: 10, 10: 16},
                 landscape=True)
    return [main, workload_sheet(info, result, dept)]


def template_sheet(info: DispatchInfo, result: MatchResult, by_code: dict[str, Target], dept: str) -> Sheet:
    """结果录入表: one row per target the department inspects; exactly what `ssj publish` reads."""
    name = info.name(dept)
    col = {h: i for i, h in enumerate(TEMPLATE_HEADERS)}
    rows = []
    for team in result.teams:
        if not any(m.department == dept for m in team.members):
            continue
        t = by_code[team.credit_code]
        row: list = [None] * len(TEMPLATE_HEADERS)
        row[col["序号"]] = team.no
        row[col["抽查任务编号"]] = info.task_number
        row[col["统一社会信用代码"]] = t.credit_code
        row[col["企业名称"]] = t.name
        row[col["检查部门"]] = name
        row[col["检查事项"]] = items_text(info, dept)
        rows.append(row)
    dropdowns = [
        Dropdown(col["检查结果"], [label(c) for c in RESULT_CODES], prompt="从列表中选择检查结果"),
        Dropdown(col["问题类型"], [label(c) for c in PROBLEM_SUBCODES], strict=False,
                 prompt="检查结果为 A 时选择问题类型；多个类型可用、分隔", only_when=(col["检查结果"], "A ")),
        Dropdown(col["后续处置"], FOLLOW_UPS, prompt="发现问题时选择后续处置"),
        Dropdown(col["检查方式"], list(info.methods), prompt="选择检查方式"),
    ]
    return Sheet(TEMPLATE_SHEET, TEMPLATE_HEADERS, rows,
                 title=f"{info.task_number} {info.task_name} 检查结果录入表 —— {name}",
                 dropdowns=dropdowns, date_columns=[col["检查日期"], col["录入日期"]],
                 text_columns=[col["统一社会信用代码"]], protect=True, entry_columns=[col[h] for h in ENTRY_HEADERS],
                 col_widths={col["企业名称"]: 24, col["检查事项"]: 24, col["问题类型"]: 20, col["备注"]: 20},
                 landscape=True)
