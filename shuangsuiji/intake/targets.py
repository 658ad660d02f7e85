"""检查对象名录 intake: rows → validated `Target` records, duplicates per licence collapsed.

Works a chunk of rows at a time, a column at a time: codes are checked in one vectorised pass,
every other column is converted once per distinct value (see cells.py). No per-row pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import compress, islice, repeat
from operator import attrgetter, eq, itemgetter
from pathlib import Path

from ..core.errors import Problem
from ..core.progress import report
from ..plan.model import Plan
from ..plan.rosters import RosterFile
from . import cells, columnar
from .cells import Chunk
from .codes import check_column, code_kind, excel_shows, number_cell_reason, problem_code
from .formulas import formula_note
from .records import RosterReport, Source, Target
from .tables import FieldSpec, read_table
from .targettable import TargetTable

TARGET_COLUMNS: dict[str, tuple[str, ...]] = {
    "credit_code": ("统一社会信用代码", "信用代码", "统一社会信用代码(注册号)", "统一社会信用代码/注册号",
                    "社会信用代码", "统一代码", "注册号", "注册号/统一社会信用代码", "统一代码/注册号",
                    "统一社会信用代码（注册号）", "注册号(统一社会信用代码)"),
    "regno": ("注册号",),
    "name": ("企业名称", "主体名称", "名称", "市场主体名称", "单位名称"),
    "entity_type": ("市场主体类型", "主体类型", "企业类型", "类型"),
    "industry": ("行业", "所属行业", "行业门类", "行业类别"),
    "address": ("住所", "地址", "经营场所", "住所(经营场所)", "注册地址"),
    "legal_rep": ("法定代表人", "负责人", "法定代表人(负责人)", "经营者", "法定代表人/负责人"),
    "phone": ("联系电话", "电话", "联系方式"),
    "reg_authority": ("登记机关",),
    "area": ("属地监管所", "监管所", "片区", "管辖单位", "属地监管所(片区)", "所属所"),
    "state": ("登记状态", "经营状态", "状态"),
    "established": ("成立日期", "成立时间", "登记日期"),
    "risk": ("信用风险分类", "风险等级", "信用风险等级", "风险分类", "信用风险分类结果"),
    "licence_name": ("许可证名称", "许可证", "许可证类别"),
    "licence_no": ("许可证编号", "许可证号"),
    "last_inspected": ("上次检查日期", "最近检查日期", "上次抽查日期"),
}
REQUIRED = {"credit_code", "name"}
# Fields whose disagreement between duplicate rows makes the entity ambiguous (it decides the draw).
DECISIVE = {"name": "企业名称", "entity_type": "市场主体类型", "industry": "行业", "area": "属地监管所",
            "state": "登记状态", "risk": "信用风险分类", "established": "成立日期"}
NO_IDENTIFIER = ("没有任何标识：统一社会信用代码和注册号都为空，该行未纳入；请填写 18 位统一社会信用代码，"
                 "没有的（如早年登记的个体工商户）填写营业执照上的 15 位或 13 位注册号")
FORMULA_START = ("=", "+", "-", "@")
PENDING_CANCEL = "注销中"
# States platforms export that mean 存续, known without a plan entry (the plan's lists come first).
BUILTIN_DRAWABLE = {cells.key(s) for s in ("在营（开业）企业", "在营(开业)企业", "在营（开业）", "开业/在营")}


def target_fields(extra: dict[str, list[str]], own: dict[str, list[str]] | None = None) -> list[FieldSpec]:
    """Field specs: the file's own header names, the plan's, then the defaults."""
    own = own or {}
    return [FieldSpec(name, tuple(dict.fromkeys((*own.get(name, ()), *extra.get(name, ()), *aliases))),
                      name in REQUIRED)
            for name, aliases in TARGET_COLUMNS.items()]


@dataclass
class _Rules:
    """The plan's mappings for states and risk classes, keyed by normalised label."""

    risk: dict[str, str]
    drawable: set[str]
    not_drawable: set[str]
    pending_drawable: bool

    @classmethod
    def of(cls, plan: Plan) -> _Rules:
        rs = plan.registration_states
        return cls({cells.key(k): v for k, v in plan.risk_alias_map().items()},
                   {cells.key(s) for s in rs.drawable}, {cells.key(s) for s in rs.not_drawable},
                   rs.pending_cancel_drawable)

    def state(self, raw) -> tuple[tuple[str, bool], str | None]:
        label, k = cells.text(raw), cells.key(raw)
        if k in self.drawable:
            return (label, True), None
        if k in self.not_drawable:
            return (label, False), None
        if k in BUILTIN_DRAWABLE:
            return (label, True), None
        if k == PENDING_CANCEL:
            return (label, self.pending_drawable), None
        if not k:
            return (label, False), "未填写登记状态，按不可抽取处理"
        return (label, False), "未知的登记状态，按不可抽取处理（可在计划 registration_states 中归类）"

    def risk_of(self, raw) -> tuple[str, str | None]:
        k = cells.key(raw)
        if k in self.risk:
            return self.risk[k], None
        if not k:
            return "", "未填写信用风险分类，按计划的 default 规则抽取"
        return "", "无法对应到计划的信用风险类别（可在计划 risk_aliases 中映射），按 default 规则抽取"


@dataclass
class TargetIntake:
    targets: list[Target] | TargetTable  # sorted by code; a TargetTable from the columnar path
    report: RosterReport
    problems: list[Problem] = field(default_factory=list)


def read_targets(path: Path, plan: Plan, *, progress=None, spec: RosterFile | None = None) -> TargetIntake:
    """Read and validate the target roster; raises InputInvalid/FileMissing if the file is unusable.
    `spec`: the file's settings (sheet, columns, values); by default the plan's `rosters.targets`."""
    spec = spec or plan.rosters.target_file()
    table = read_table(path, target_fields(plan.rosters.columns.targets, spec.columns), sheet=spec.sheet,
                       plan_key="targets", sheet_option="targets_sheet", values=spec.values,
                       columnar=True)
    rules = _Rules.of(plan)
    problems: list[Problem] = table.notes + _missing_column_warnings(table)
    read = columnar.read_columnar(table, rules, problems, _targets_of, _collapse) if columnar.usable(table) else None
    if read is not None:  # a large CSV or all-text xlsx: Arrow columns (columnar.py), the same rows reported
        targets, rows_read, collapsed = read
        report(progress, "读取检查对象名录", rows_read, rows_read)
    else:
        targets, rows_read, collapsed = _rows(table, rules, problems, progress)
    problems.sort(key=lambda p: p.row or 0)
    problems += formula_note(path, table.sheet, table.display, problems)
    rep = RosterReport(table.display, table.sheet, rows_read=rows_read, accepted=len(targets),
                       problems=problems, duplicates_collapsed=collapsed,
                       column_map={k: table.headers[i] for k, i in table.columns.items()},
                       headers=[h for h in table.headers if h])
    return TargetIntake(targets, rep, problems)


def _rows(table, rules: _Rules, problems: list[Problem], progress) -> tuple[list[Target], int, int]:
    """The row path: chunks of rows as Python values, every rule per chunk column."""
    accepted: list[Target] = []
    rows_read, total = 0, table.total_rows or 0
    for rows, numbers in table.chunks():
        chunk = Chunk(table, rows, numbers, problems)
        accepted += _targets_of(chunk, rules)
        rows_read += len(rows)
        report(progress, "读取检查对象名录", rows_read, max(total, rows_read))
    targets, collapsed = _collapse(accepted, problems, table)
    return targets, rows_read, collapsed


def _missing_column_warnings(table) -> list[Problem]:
    out = []
    for name, what in (("state", "全部按可抽取处理"), ("risk", "全部按计划的 default 规则抽取")):
        if name not in table.columns:
            out.append(Problem(reason=f"名录没有「{TARGET_COLUMNS[name][0]}」列，{what}",
                               file=table.display, sheet=table.sheet, row=table.header_row,
                               column=TARGET_COLUMNS[name][0], severity="warning", code="column_missing"))
    return out


def _targets_of(chunk: Chunk, rules: _Rules) -> list[Target]:
    codes, kinds = _codes(chunk)
    names = chunk.texts("name")
    for i, name in enumerate(names):
        if not name:
            chunk.report(i, "name", "", "企业名称为空")
        elif name.startswith(FORMULA_START):
            chunk.report(i, "name", name, "企业名称以 = + - @ 开头，输出到表格时会加单引号防止被当作公式",
                         severity="warning", code="formula")
    if chunk.has("state"):
        raw = chunk.raw("state")
        states, reasons = cells.convert(raw, rules.state)
        chunk.report_values("state", raw, reasons, severity="warning", code="state_unknown")
    else:
        states = [("", True)] * len(codes)
    raw = chunk.raw("risk")
    risks, reasons = cells.convert(raw, rules.risk_of) if chunk.has("risk") else ([""] * len(codes), {})
    chunk.report_values("risk", raw, reasons, severity="warning", code="risk_unmapped")
    established = _dates(chunk, "established")
    last = _dates(chunk, "last_inspected")
    licences = _licences(chunk)
    t = chunk.texts
    sources = map(Source, repeat(chunk.table.display), repeat(chunk.table.sheet), chunk.numbers)
    built = list(map(Target, codes, names, kinds, t("entity_type", shared=True), t("industry", shared=True),
                     t("address"), t("legal_rep"), t("phone"), t("reg_authority", shared=True),
                     t("area", shared=True), map(itemgetter(0), states), map(itemgetter(1), states),
                     established, risks, licences, last, sources))
    if chunk.rejected:
        return [x for i, x in enumerate(built) if i not in chunk.rejected]
    return built


def _codes(chunk: Chunk) -> tuple[list[str], list[str]]:
    raw = chunk.raw("credit_code")
    if chunk.has("regno"):
        regno = chunk.raw("regno")
        raw = [r if (c is None or c == "") and r not in (None, "") else c for c, r in zip(raw, regno)]
    codes, reasons = check_column(raw)
    kinds = [code_kind(c) for c in codes]
    for i, reason in enumerate(reasons):
        if reason == "代码为空":
            reason = NO_IDENTIFIER
        if reason:
            shown = excel_shows(raw[i]) if isinstance(raw[i], float) else None
            chunk.report(i, "credit_code", raw[i], reason, value=shown,
                         code=problem_code(reason))
        elif type(raw[i]) is float and number_cell_reason(raw[i]) is None:
            chunk.report(i, "credit_code", raw[i], "注册号被存成了数字（数值完整，已按文本读取）；"
                         "请把该列设为「文本」格式", severity="warning", code="code_number")
    return codes, kinds


def _dates(chunk: Chunk, name: str) -> list:
    if not chunk.has(name):
        return [None] * len(chunk.rows)
    raw = chunk.raw(name)
    values, reasons = cells.convert(raw, cells.parse_date)
    chunk.report_values(name, raw, reasons, code="date_invalid")
    return values


def _licences(chunk: Chunk) -> list[tuple[str, ...]]:
    if not chunk.has("licence_name") and not chunk.has("licence_no"):
        return [()] * len(chunk.rows)
    pairs = list(zip(chunk.raw("licence_name"), chunk.raw("licence_no")))
    return cells.convert(pairs, lambda pair: (_licence(*pair), None))[0]


def _licence(raw_name, raw_no) -> tuple[str, ...]:
    name, no = cells.text(raw_name), cells.text(raw_no)
    if not name and not no:
        return ()
    if not no:
        return (name,)
    return (f"{name}（{no}）" if name else no,)


# -- duplicates -----------------------------------------------------------------------------------
def _collapse(accepted: list[Target], problems: list[Problem], table) -> tuple[list[Target], int]:
    """One Target per code, sorted by code. Consistent duplicates merge (licences joined) with one
    warning listing every row; duplicates that disagree on a decisive field are rejected, every row
    an error. Duplicates are found as equal neighbours after a stable sort by code (rows of one code
    stay in row order): no dictionary of every code, and nothing but the duplicates is copied."""
    order = sorted(accepted, key=attrgetter("credit_code"))
    codes = list(map(attrgetter("credit_code"), order))
    repeats = list(compress(range(1, len(codes)), map(eq, islice(codes, 1, None), codes)))
    del codes
    if not repeats:
        return order, 0
    out: list[Target] = []
    collapsed, start, k = 0, 0, 0
    while k < len(repeats):
        first = repeats[k] - 1
        end = repeats[k] + 1
        k += 1
        while k < len(repeats) and repeats[k] == end:
            end += 1
            k += 1
        out += order[start:first]
        merged = _merge(order[first:end], problems, table)
        if merged is not None:
            out.append(merged)
            collapsed += end - first - 1
        start = end
    out += order[start:]
    return out, collapsed


def _merge(group: list[Target], problems: list[Problem], table) -> Target | None:
    rows = [t.source.row for t in group]
    rows_text = "、".join(str(r) for r in rows)
    code_col = table.header_of("credit_code")
    for attr, label in DECISIVE.items():
        values = {_cmp(getattr(t, attr)) for t in group} - {""}
        if len(values) > 1:
            detail = "；".join(f"第{t.source.row}行：{cells.text(getattr(t, attr)) or '（空）'}" for t in group)
            for t in group:
                problems.append(Problem(
                    reason=f"同一代码出现 {len(group)} 行（第 {rows_text} 行），但「{label}」不一致（{detail}），"
                           "无法判断以哪行为准，该主体未纳入名录；请核对后只保留正确的信息",
                    file=table.display, sheet=table.sheet, row=t.source.row, column=code_col,
                    value=t.credit_code, code="duplicate_conflict"))
            return None
    merged = _merged(group)
    problems.append(Problem(
        reason=f"同一主体出现 {len(group)} 行（第 {rows_text} 行，通常是每个许可证一行），已合并为一户"
               + (f"；许可证：{'；'.join(merged.licences)}" if merged.licences else ""),
        file=table.display, sheet=table.sheet, row=rows[0], column=code_col, value=merged.credit_code,
        severity="warning", code="duplicate"))
    return merged


def _cmp(v) -> str:
    return cells.key(v) if v is not None else ""


def _merged(group: list[Target]) -> Target:
    head = group[0]
    out = Target(head.credit_code, head.name, head.code_kind, source=head.source)
    for attr in ("name", "entity_type", "industry", "address", "legal_rep", "phone", "reg_authority", "area",
                 "state", "established", "risk"):
        setattr(out, attr, next((getattr(t, attr) for t in group if getattr(t, attr)), getattr(head, attr)))
    state_row = next((t for t in group if t.state), head)
    out.drawable = state_row.drawable
    out.licences = tuple(dict.fromkeys(lic for t in group for lic in t.licences))
    dates = [t.last_inspected for t in group if t.last_inspected]
    out.last_inspected = max(dates) if dates else None
    return out
