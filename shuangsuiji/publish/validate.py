"""The rules a results sheet must satisfy before anything reaches the public.

`validate(rows, expected, task, today)` is pure: rows from `results.read_results`, `expected`
(which target each department must inspect) from the match manifest via `load_expected`, or
built in memory with `Expected.from_pairs` in tests. Every problem names file, sheet, row and
column, with the reason in Chinese. Missing results come last, by department.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter

from ..core.errors import Problem, StateError, VerifyFailed
from ..core.resultcodes import (FOLLOW_UPS, NO_PROBLEM, PROBLEM_CODES, PROBLEM_SUBCODES, RESULT_CODES, SUBCODE_PARENT,
                                label)
from ..intake.codes import check_code
from ..plan.load import LoadedPlan
from ..plan.model import METHODS, Task
from .cells import CODE_HEAD, norm_text

NO_FOLLOW_UP = FOLLOW_UPS[0]  # 无需后续处置


@dataclass
class Expected:
    """Which department must enter a result for which drawn target (the match manifest)."""

    departments: dict[str, tuple[str, ...]]  # credit code -> department ids, in task order
    names: dict[str, str] = field(default_factory=dict)  # credit code -> 企业名称
    dept_names: dict[str, str] = field(default_factory=dict)  # department id -> name
    substituted_out: dict[str, str] = field(default_factory=dict)  # replaced code -> its substitute
    replaces: dict[str, str] = field(default_factory=dict)  # substitute -> the code it replaced
    reasons: dict[str, str] = field(default_factory=dict)  # substitute -> reason of the substitution
    notes: list[str] = field(default_factory=list)  # warnings found while building this

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]], **kw) -> Expected:
        deps: dict[str, list[str]] = {}
        for code, dept in pairs:
            deps.setdefault(code, []).append(dept)
        return cls({c: tuple(d) for c, d in deps.items()}, **kw)

    def pairs(self) -> Iterator[tuple[str, str]]:
        for code, depts in self.departments.items():
            for d in depts:
                yield code, d

    def dept_name(self, dept: str) -> str:
        return self.dept_names.get(dept, dept)


MAP_HINT = "；本单位平台的其他写法可在计划文件 results.values.{field} 中映射"


# -- the rules ----------------------------------------------------------------------------------


def validate(rows: list, expected: Expected, task: Task, today: date) -> list[Problem]:
    """Every problem in `rows` against `expected`, then every (target, department) with no result.

    The rules on a row's content (codes, follow-up, dates, method) depend on a handful of values
    that repeat down a sheet: they are judged once per distinct content (`content_rules`) and
    only located (file, sheet, row, column) per row."""
    problems: list[Problem] = []
    first: dict[tuple[str, str], object] = {}
    judged: dict[tuple, tuple] = {}
    for row in rows:
        problems.extend(_drawn(row, expected, task))
        key = _content_key(row)
        found = judged.get(key)
        if found is None:
            found = judged[key] = content_rules(row, task, today)
        if found:
            problems.extend(_at(row, *spec) for spec in found)
        if row.unreadable and {"credit_code", "department"} & row.unreadable:
            continue
        key = row.credit_code, row.department
        if key in first:
            problems.append(_at(row, "credit_code", f"与{_where(first[key], row)}重复："
                                                    "同一对象、同一检查部门的结果录入了两次",
                                "duplicate"))
        else:
            first[key] = row
    problems.extend(missing(expected, first.keys(), task))
    return problems


def row_problems(row, expected: Expected, task: Task, today: date) -> list[Problem]:
    """The problems of one row: drawn and dispatched, codes, follow-up, dates, method."""
    return _drawn(row, expected, task) + [_at(row, *spec) for spec in content_rules(row, task, today)]


def _content_key(row) -> tuple:
    """What `content_rules` reads of a row."""
    return (row.result, row.more_codes, row.subcodes, row.follow_up, row.method, row.inspected, row.entered,
            "inspected" in row.unreadable, "entered" in row.unreadable)


def content_rules(row, task: Task, today: date) -> tuple[tuple[str, str, str, str], ...]:
    """The rules on what a row says (not where it is): (field, reason, code, severity) each."""
    out = _codes(row) + _follow_up(row) + _dates(row, task, today)
    if row.method and row.method not in METHODS:
        out.append(("method", f"检查方式「{row.method}」不是可选的检查方式（可选：{'、'.join(METHODS)}）", "invalid",
                    "warning"))
    return tuple(out)


def _drawn(row, expected: Expected, task: Task) -> list[Problem]:
    if "credit_code" in row.unreadable:
        return []
    code = row.credit_code
    depts = expected.departments.get(code)
    if depts is None:
        if code in expected.substituted_out:
            return [_at(row, "credit_code", f"该对象已由替补对象 {expected.substituted_out[code]} 替换，"
                                            "不应再录入结果", code="not_drawn")]
        why = check_code(code)  # a mistyped code explains why it is not on the list
        return [_at(row, "credit_code", "该对象不在本任务的抽取名单中" + (f"（代码有误：{why}）" if why else ""),
                    code="not_drawn")]
    if row.department in depts or "department" in row.unreadable:
        return []
    if row.department not in task.participants:
        return [_at(row, "department", f"{expected.dept_name(row.department)}未参与本任务", code="not_assigned")]
    return [_at(row, "department", f"派发单中该对象不由{expected.dept_name(row.department)}检查",
                code="not_assigned")]


# The content rules below return (field, reason, code, severity): where it is, `_at` adds.
ERR, WARN = "error", "warning"


def _codes(row) -> list[tuple]:
    out: list[tuple] = []
    codes = row.codes
    if not codes:
        out.append(("result", "未填写检查结果", "invalid", ERR))
    for c in codes:
        if c not in RESULT_CODES:
            out.append(("result", _unknown(c, RESULT_CODES, "检查结果"), "unknown_code", ERR))
    known = [c for c in codes if c in RESULT_CODES]
    if NO_PROBLEM in known and len(known) > 1:
        others = "、".join(label(c) for c in known if c != NO_PROBLEM)
        out.append(("result", f"检查结果相互矛盾：「{label(NO_PROBLEM)}」不能与「{others}」同时填写", "contradictory",
                    ERR))
    for s in row.subcodes:
        if s not in PROBLEM_SUBCODES:
            out.append(("subcodes", _unknown(s, PROBLEM_SUBCODES, "问题类型"), "unknown_code", ERR))
    if row.subcodes and SUBCODE_PARENT not in codes:
        out.append(("subcodes", f"问题类型只能在检查结果为「{label(SUBCODE_PARENT)}」时填写", "subcode_without_a", ERR))
    if SUBCODE_PARENT in codes and not row.subcodes:
        out.append(("subcodes", f"检查结果为「{label(SUBCODE_PARENT)}」，但未填写问题类型", "invalid", WARN))
    return out


def _follow_up(row) -> list[tuple]:
    out: list[tuple] = []
    parts = row.follow_up.split("、") if row.follow_up else []
    for p in parts:
        if p not in FOLLOW_UPS:
            out.append(("follow_up", f"后续处置「{p}」不是有效选项（可选：{'、'.join(FOLLOW_UPS)}）"
                                     f"{MAP_HINT.format(field='follow_up')}", "unknown_code", ERR))
    problem_codes = [c for c in row.codes if c in PROBLEM_CODES]
    if problem_codes and not parts:
        out.append(("follow_up", f"检查结果为「{label(problem_codes[0])}」时须填写后续处置", "no_follow_up", ERR))
    elif SUBCODE_PARENT in row.codes and parts == [NO_FOLLOW_UP]:
        out.append(("follow_up", f"检查结果为「{label(SUBCODE_PARENT)}」时后续处置不能是「{NO_FOLLOW_UP}」",
                    "no_follow_up", ERR))
    if row.codes == (NO_PROBLEM,) and [p for p in parts if p != NO_FOLLOW_UP and p in FOLLOW_UPS]:
        out.append(("follow_up", f"检查结果为「{label(NO_PROBLEM)}」时不应有后续处置"
                                 f"（应留空或填「{NO_FOLLOW_UP}」）", "contradictory", ERR))
    return out


def _dates(row, task: Task, today: date) -> list[tuple]:
    out: list[tuple] = []
    seen, done = row.inspected, row.entered
    start, end = task.window.start, task.window.end
    if seen is None and row.codes and "inspected" not in row.unreadable:
        out.append(("inspected", "已填写检查结果，但未填写检查日期", "no_date", ERR))
    if seen is not None:
        if not start <= seen <= end:
            out.append(("inspected", f"检查日期 {seen} 不在本任务的检查时间（{start} 至 {end}）内", "date_outside", ERR))
        if seen > today:
            out.append(("inspected", f"检查日期 {seen} 晚于今天（{today}）", "date_future", ERR))
    if done is not None:
        if seen is not None and done < seen:
            out.append(("entered", f"录入日期 {done} 早于检查日期 {seen}", "entry_before", ERR))
        if done > today:
            out.append(("entered", f"录入日期 {done} 晚于今天（{today}）", "date_future", ERR))
    elif row.codes and "entered" not in row.unreadable:
        out.append(("entered", "未填写录入日期，无法判断是否按期录入", "invalid", WARN))
    return out


def missing(expected: Expected, entered: Iterable[tuple[str, str]], task: Task) -> list[Problem]:
    """One problem per expected (target, department) without a row, by department then target."""
    have = set(entered)
    order = {d: i for i, d in enumerate(task.participants)}
    gaps = sorted((p for p in expected.pairs() if p not in have),
                  key=lambda p: (order.get(p[1], len(order)), p[1]))
    out = []
    for code, dept in gaps:
        name = expected.names.get(code, "")
        out.append(Problem(reason=f"{expected.dept_name(dept)}尚未录入检查结果：{code}"
                                  + (f"（{name}）" if name else ""), code="missing"))
    return out


# -- helpers ------------------------------------------------------------------------------------


def _at(row, field_name: str, reason: str, code: str = "invalid", severity: str = "error") -> Problem:
    src = row.source
    return Problem(reason=reason, file=src.file, sheet=src.sheet, row=src.row,
                   column=row.column(field_name), code=code, severity=severity)


def _where(earlier, row) -> str:
    a, b = earlier.source, row.source
    if (a.file, a.sheet) == (b.file, b.sheet):
        return f"第{a.row}行"
    return f"{a.file} 工作表「{a.sheet}」第{a.row}行"


def _unknown(text: str, known: dict[str, str], what: str) -> str:

    m = CODE_HEAD.match(text.upper())
    if m and m.group(1) in known and m.group(2).strip():
        return f"{what}「{text}」的代码与文字不一致（{m.group(1)} 是「{norm_text(known[m.group(1)])}」）"
    field = "result" if known is RESULT_CODES else "subcodes"
    return f"{what}「{text}」不是有效代码（可选：{'、'.join(known)}）{MAP_HINT.format(field=field)}"


# -- expected pairs from the workspace ----------------------------------------------------------


def load_expected(ws, lp: LoadedPlan, task: Task) -> Expected:
    """What the task's match manifest dispatched, with substitutions applied (from the ledger)."""
    from ..core.fileio import sha256_file
    from ..core.state import TaskState

    state = TaskState(ws, task.id)
    if state.official_draw is None:
        raise StateError(f"任务 {task.id} 尚未正式抽取，没有可核对的抽取名单。", hint="请先运行 ssj draw。")
    match = state.match
    if match is None:
        raise StateError(f"任务 {task.id} 尚未匹配派发，没有可核对的派发单。", hint="请先运行 ssj match。")
    path = ws.root / match["data"]["manifest"]
    if not path.is_file():
        raise VerifyFailed(f"找不到匹配结果文件：{match['data']['manifest']}", hint="工作区文件缺失；请从备份恢复。")
    if match["data"].get("manifest_sha256") and sha256_file(path) != match["data"]["manifest_sha256"]:
        raise VerifyFailed(f"匹配结果文件 {match['data']['manifest']} 与台账记录的哈希不符（文件被改动）。",
                           hint="请运行 ssj verify 检查，并从备份恢复该文件。")
    dispatched, names = match_targets(state.load_json(match["data"]["manifest"]))
    exp = Expected({}, names=names, dept_names={d.id: d.name for d in lp.plan.departments})
    for e in state.substitutions:
        d = e["data"]
        exp.substituted_out[d["out"]] = d["in"]
        exp.replaces[d["in"]] = d["out"]
        exp.reasons[d["in"]] = d.get("reason", "")
    for sel in state.selected():
        depts = dispatched.get(sel.credit_code)
        if depts is None:
            depts = tuple(task.participants)
            exp.notes.append(f"{sel.credit_code} 不在派发单中（可能在匹配之后才替补），按全部参与部门核对。")
        exp.departments[sel.credit_code] = depts
    return exp


_DEPARTMENT_OF = itemgetter("department")


def match_targets(manifest: dict) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """(credit code -> inspecting department ids, credit code -> name) from a match manifest."""
    depts: dict[str, tuple[str, ...]] = {}
    names: dict[str, str] = {}
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # a task has a few combinations of departments
    for t in manifest.get("targets") or manifest.get("teams") or []:
        code = t.get("credit_code") or t.get("code")
        found = t.get("departments")
        if found is None:
            members = t.get("members") or t.get("team") or []
            found = dict.fromkeys(map(_DEPARTMENT_OF, members))
        found = tuple(found)
        depts[code] = shared.setdefault(found, found)
        if t.get("name"):
            names[code] = t["name"]
    return depts, names
