"""执法检查人员名录 intake: rows → `Inspector` records.

Eligibility (credential valid over a task's window, categories covering the items) is decided
later by freeze/match; here every row is read, officers without a credential are kept but
flagged, and rows that cannot be identified or name an unknown department are rejected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import InputInvalid, Problem
from ..plan.model import Plan
from ..plan.rosters import RosterFile
from . import cells
from .cells import Chunk
from .formulas import formula_note
from .records import Inspector, RosterReport, Source
from .tables import FieldSpec, Table, read_table

INSPECTOR_COLUMNS: dict[str, tuple[str, ...]] = {
    "credential_no": ("执法证号", "执法证件号", "执法证编号", "执法证件号码", "行政执法证号", "执法证号/工号",
                      "省执法证编号", "工商执法证编号"),
    "staff_no": ("工号", "人员编号", "编号", "单位工号"),
    "name": ("姓名", "执法人员姓名", "人员姓名"),
    "department": ("部门", "所属部门", "单位", "所属单位", "执法部门", "所在业务部门（机构）", "所在业务部门", "业务部门"),
    "area": ("所属所", "片区", "所属片区", "所属所(片区)", "监管所"),
    "categories": ("执法门类", "执法事项范围", "执法类别", "执法领域"),
    "specialties": ("业务专长", "专长"),
    "expert": ("是否专家", "专家"),
    "credential_expiry": ("执法证有效期至", "有效期至", "执法证有效期", "证件有效期至", "有效期"),
    "status": ("在岗状态", "状态", "人员状态", "执法人员状态"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码"),
    "phone": ("手机号", "联系电话", "手机", "手机号码", "电话"),
}
ACTIVE = {"", "在岗", "在职", "正常", "有效", "在编"}
INACTIVE = {"失效", "离岗", "调离", "退休", "离职", "停职", "注销", "暂停执法", "已失效", "已调离", "已退休"}
NO_EXPIRY = {"长期", "长期有效", "无固定期限", "永久"}
NUMBER_ID = ("身份证号被存成了数字，末几位已丢失，无法还原（仅内部使用，不影响抽取）；"
             "请把该列设为「文本」格式后重新录入")


def inspector_fields(extra: dict[str, list[str]], *, neighbour: bool,
                     own: dict[str, list[str]] | None = None) -> list[FieldSpec]:
    """Field specs: this file's own header names, then the plan's, then the defaults."""
    required = {"name"} if neighbour else {"name", "department"}
    own = own or {}
    return [FieldSpec(name, tuple(dict.fromkeys((*own.get(name, ()), *extra.get(name, ()), *aliases))),
                      name in required, multi=name == "credential_no")
            for name, aliases in INSPECTOR_COLUMNS.items()]


@dataclass
class InspectorIntake:
    inspectors: list[Inspector]
    report: RosterReport
    problems: list[Problem] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # 工号 -> id, where the id is the 执法证号


def read_inspectors(path: Path, plan: Plan, *, department: str | None = None,
                    sheet: str | None = None, spec: RosterFile | None = None) -> InspectorIntake:
    """Read an inspector roster. With `department` (a neighbouring area's roster, or a file whose
    settings fix `department:`) every officer belongs to that plan department and the roster's
    own department column is read only as a division (for `values.area`).

    `spec`: the file's own settings (sheet, columns, department, values)."""
    spec = spec or RosterFile(path=str(path), sheet=sheet)
    department = department or spec.department
    fields = inspector_fields(plan.rosters.columns.inspectors, neighbour=department is not None, own=spec.columns)
    table = read_table(path, fields, sheet=spec.sheet, plan_key="inspectors",
                       sheet_option=None if department else "inspectors_sheet", values=spec.values)
    _require_id(table)
    problems: list[Problem] = list(table.notes)
    resolve = _department_resolver(plan, table.display)
    out: list[Inspector] = []
    aliases: dict[str, str] = {}
    rows_read = 0
    for rows, numbers in table.chunks():
        chunk = Chunk(table, rows, numbers, problems)
        out += _inspectors_of(chunk, resolve, department, aliases)
        rows_read += len(rows)
    out = unique_ids(out, problems, _id_header(table))
    problems.sort(key=lambda p: p.row or 0)
    problems += formula_note(path, table.sheet, table.display, problems)
    rep = RosterReport(table.display, table.sheet, rows_read=rows_read, accepted=len(out), problems=problems,
                       column_map={k: table.headers[i] for k, i in table.columns.items()})
    return InspectorIntake(out, rep, problems, aliases)


def _require_id(table: Table) -> None:
    if "credential_no" not in table.columns and "staff_no" not in table.columns:
        names = "、".join(INSPECTOR_COLUMNS["credential_no"][:3] + INSPECTOR_COLUMNS["staff_no"][:1])
        found = "、".join(h for h in table.headers if h)
        where = table.display + (f" 工作表「{table.sheet}」" if table.sheet else "")
        raise InputInvalid(
            f"{where} 第{table.header_row}行：缺少「执法证号」或「工号」列（可用表头名：{names}）。找到的表头：{found}。",
            hint="把表头改为可识别的名称，或在计划文件 rosters.columns.inspectors 中映射，例如 `credential_no: [证号]`。",
            problems=[Problem(reason="缺少「执法证号」或「工号」列", file=table.display, sheet=table.sheet,
                              row=table.header_row, column="执法证号")])


def _department_resolver(plan: Plan, display: str = "该文件"):
    exact = {}
    for d in plan.departments:
        exact[cells.key(d.id)] = d.id
        exact[cells.key(d.name)] = d.id
    known = "；".join(f"{d.id}（{d.name}）" for d in plan.departments)

    def resolve(raw) -> tuple[str | None, str | None]:
        k = cells.key(raw)
        if not k:
            return None, "部门为空"
        if k in exact:
            return exact[k], None
        tails = [d.id for d in plan.departments if len(k) >= 4 and cells.key(d.name).endswith(k)]
        if len(tails) == 1:
            return tails[0], None
        return None, (f"部门不在计划的 departments 中，该人员未纳入（可写部门 id 或全称：{known}）。"
                      f"若这是某个部门自己导出的名录、此列写的是内设机构（科室、所、分局），不必逐格改："
                      f"在计划中为 {display} 写 department: 部门id（整个文件属于该部门），"
                      f"或用 values.department 把内设机构对应到部门，见 docs/rosters.md")

    return resolve


def _inspectors_of(chunk: Chunk, resolve, department: str | None, aliases: dict[str, str]) -> list[Inspector]:
    n = len(chunk.rows)
    credentials = _identifiers(chunk, "credential_no")
    staff = _identifiers(chunk, "staff_no")
    names = chunk.texts("name")
    if department is None:
        raw = chunk.raw("department")
        depts, reasons = cells.convert(raw, resolve)
        chunk.report_values("department", raw, reasons, code="department_unknown")
    else:
        depts = [department] * n
    expiry = _expiry(chunk, credentials)
    active, statuses = _status(chunk)
    experts = _experts(chunk)
    ids = _id_numbers(chunk)
    phones = chunk.texts("phone")
    cats = cells.convert(chunk.raw("categories"), lambda v: (cells.split_multi(v), None))[0]
    specs = cells.convert(chunk.raw("specialties"), lambda v: (cells.split_multi(v), None))[0]
    areas = _areas(chunk)
    out = []
    for i in range(n):
        ident = credentials[i] or staff[i]
        if not names[i]:
            chunk.report(i, "name", "", "姓名为空")
        if not ident:
            chunk.report(i, "credential_no" if chunk.has("credential_no") else "staff_no", "",
                         "既没有执法证号也没有工号，无法识别该人员")
        elif not credentials[i]:
            chunk.report(i, "credential_no", "", "没有执法证号（辅助人员），保留在名录中，但不能参与抽查检查",
                         severity="warning", code="no_credential")
        if i in chunk.rejected:
            continue
        if staff[i] and staff[i] != ident:
            aliases.setdefault(staff[i], ident)
        out.append(Inspector(ident, names[i], depts[i], areas[i], cats[i], specs[i], experts[i], credentials[i],
                             expiry[i], active[i], statuses[i], ids[i], phones[i],
                             Source(chunk.table.display, chunk.table.sheet, chunk.numbers[i])))
    return out


def _areas(chunk: Chunk) -> list[str]:
    """所属所: the area column; without one, `values.area` applied to the division column."""
    if chunk.has("area") or "area" not in chunk.table.values or not chunk.has("department"):
        return chunk.texts("area")
    return cells.texts(cells.translate(chunk._column(chunk.table.columns["department"]),
                                       {k: v for k, v in chunk.table.values["area"].items()}))


def _identifiers(chunk: Chunk, name: str) -> list[str]:
    """Credential / staff numbers as text; a number cell is accepted when exact, with a warning.
    Several mapped columns (工商执法证编号, 省执法证编号): the first non-empty one per row."""
    if not chunk.has(name):
        return [""] * len(chunk.rows)
    raw = list(chunk.raw(name))
    for other in chunk.raw_all(name)[1:]:
        raw = [o if (r is None or r == "" or (isinstance(r, str) and not r.strip())) else r for r, o in zip(raw, other)]
    out = cells.texts(raw)
    for i, v in enumerate(raw):
        if isinstance(v, float):
            if v.is_integer() and abs(v) < 2**53:
                chunk.report(i, name, v, "编号被存成了数字，已按文本读取；若原编号以 0 开头，0 已丢失，请核对并把该列设为「文本」格式",
                             severity="warning", code="id_number_cell")
            else:
                chunk.report(i, name, v, "编号被存成了数字且精度已丢失，无法还原；请把该列设为「文本」格式后重新录入",
                             code="id_number_cell")
        out[i] = "".join(out[i].split()).upper() if out[i] else ""
    return out


def _expiry(chunk: Chunk, credentials: list[str]) -> list:
    if not chunk.has("credential_expiry"):
        return [None] * len(chunk.rows)
    raw = chunk.raw("credential_expiry")

    def parse(v):
        return (None, None) if cells.key(v) in NO_EXPIRY else cells.parse_date(v)

    values, reasons = cells.convert(raw, parse)
    chunk.report_values("credential_expiry", raw, reasons, code="date_invalid")
    for i, (v, cred) in enumerate(zip(raw, credentials)):
        if cred and (v is None or v == "") and i not in chunk.rejected:
            chunk.report(i, "credential_expiry", v, "未填写执法证有效期，按长期有效处理；请核对",
                         severity="warning", code="expiry_missing")
    return values


def _status(chunk: Chunk) -> tuple[list[bool], list[str]]:
    if not chunk.has("status"):
        return [True] * len(chunk.rows), [""] * len(chunk.rows)
    raw = chunk.raw("status")

    def parse(v):
        k = cells.key(v)
        if k in ACTIVE:
            return True, None
        if k in INACTIVE:
            return False, None
        return False, "无法识别的在岗状态，按不在岗处理（在岗请写「在岗」）"

    active, reasons = cells.convert(raw, parse)
    chunk.report_values("status", raw, reasons, severity="warning", code="status_unknown")
    return active, cells.texts(raw)


def _experts(chunk: Chunk) -> list[bool]:
    if not chunk.has("expert"):
        return [False] * len(chunk.rows)
    raw = chunk.raw("expert")
    values, reasons = cells.convert(raw, cells.parse_bool)
    chunk.report_values("expert", raw, reasons, severity="warning", code="bool_unknown")
    return values


def _id_numbers(chunk: Chunk) -> list[str]:
    """身份证号 as text; a number cell has lost digits: warned (masked) and left empty."""
    if not chunk.has("id_number"):
        return [""] * len(chunk.rows)
    raw = chunk.raw("id_number")
    out = []
    for i, v in enumerate(raw):
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            masked = cells.text(v)[:4] + "…"
            chunk.report(i, "id_number", v, NUMBER_ID, severity="warning", code="id_number_cell", value=masked)
            out.append("")
        else:
            out.append("".join(cells.text(v).split()).upper())
    return out


def _id_header(table: Table) -> str:
    return table.header_of("credential_no") if "credential_no" in table.columns else table.header_of("staff_no")


def unique_ids(officers: list[Inspector], problems: list[Problem], column: str = "执法证号/工号") -> list[Inspector]:
    """Officers whose id (执法证号/工号) appears once. An id on several rows (two departments, a
    repeated licence number, also across files) rejects every row involved: which row is right
    cannot be told, as with duplicate targets."""
    groups: dict[str, list[Inspector]] = {}
    for o in officers:
        groups.setdefault(o.id, []).append(o)
    out = []
    for o in officers:
        group = groups[o.id]
        if len(group) == 1:
            out.append(o)
            continue
        where = "；".join((f"{g.source.file} " if g.source.file != o.source.file else "")
                         + f"第{g.source.row}行（{g.department}）" for g in group)
        problems.append(Problem(
            reason=f"执法证号/工号「{o.id}」出现在 {len(group)} 行（{where}），无法判断以哪行为准，这些行均未纳入；"
                   "同一人只能有一行，请删去多余的行",
            file=o.source.file, sheet=o.source.sheet, row=o.source.row, column=column,
            value=o.id, code="duplicate_officer"))
    return out


def inspector_roles(plan: Plan) -> dict[str, RosterFile]:
    """role -> file settings of the inspector rosters: `inspectors`, then `inspectors:2`, … ."""
    return {"inspectors" if n == 0 else f"inspectors:{n + 1}": f
            for n, f in enumerate(plan.rosters.inspector_files())}


def neighbour_roles(plan: Plan, dept_id: str) -> dict[str, RosterFile]:
    """role -> file settings of one department's neighbouring pool: `neighbour:D`, `neighbour:D:2`, … ."""
    return {f"neighbour:{dept_id}" if n == 0 else f"neighbour:{dept_id}:{n + 1}": f
            for n, f in enumerate(plan.department(dept_id).neighbour_files())}


def merge_intakes(intakes: list[InspectorIntake]) -> InspectorIntake:
    """Several files' officers as one roster; an id found in two files rejects every row of it.
    The merged intake's `problems` are only those new cross-file ones (each also added to its
    file's report)."""
    if len(intakes) == 1:
        return intakes[0]
    problems: list[Problem] = []
    officers = unique_ids([o for x in intakes for o in x.inspectors], problems)
    for x in intakes:
        x.report.problems += [p for p in problems if p.file == x.report.file]
        x.report.accepted = sum(1 for o in officers if o.source.file == x.report.file)
    aliases = {k: v for x in intakes for k, v in x.aliases.items()}
    return InspectorIntake(officers, intakes[0].report, problems, aliases)


def read_inspector_files(lp, roles: dict[str, RosterFile], *, department: str | None = None) -> InspectorIntake:
    """Read and merge the files of `roles` (paths relative to the plan)."""
    return merge_intakes([read_inspectors(lp.resolve(f.path), lp.plan, department=department, spec=f)
                          for f in roles.values()])
