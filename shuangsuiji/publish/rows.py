"""One department's result for one target, as read from a results sheet (`ResultRow`), and the
fields of a results sheet: the template's header for each (`FIELD_LABELS`) and the other
headers a re-typed sheet or the platform's export uses (`HEADER_ALIASES`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..intake.records import Source


@dataclass(slots=True)
class ResultRow:
    """One department's result for one target, as entered (codes normalised, not yet judged)."""

    credit_code: str
    department: str  # plan department id (the raw cell text when "department" is unreadable)
    result: str | None  # primary result code ("1", "A", …); unknown text is kept as written
    subcodes: tuple[str, ...]  # 问题类型 codes (unknown text kept as written)
    follow_up: str | None  # 后续处置; several joined with "、"
    method: str | None
    inspected: date | None
    entered: date | None
    source: Source
    more_codes: tuple[str, ...] = ()  # further result codes written in the same cell ("A、7")
    name: str = ""  # 企业名称 as the department wrote it
    unreadable: frozenset[str] = frozenset()  # fields whose cell could not be read (reported)
    columns: dict[str, str] | None = None  # field -> header text of this row's sheet
    result_text: str = ""  # the result cell as entered (a platform's combined cell, say)
    follow_up_text: str = ""  # the follow-up cell as entered (the platform's disposal phrases)

    @property
    def codes(self) -> tuple[str, ...]:
        return (self.result, *self.more_codes) if self.result else self.more_codes

    def column(self, name: str) -> str:
        """The header under which `name` (a field) appears in this row's sheet."""
        return (self.columns or {}).get(name) or FIELD_LABELS[name]

    def key(self) -> tuple[str, str]:
        return self.credit_code, self.department


# Canonical header (the template's) for each field, and the aliases a re-typed sheet may use.
FIELD_LABELS: dict[str, str] = {
    "seq": "序号",
    "task_number": "抽查任务编号",
    "credit_code": "统一社会信用代码",
    "name": "企业名称",
    "department": "检查部门",
    "items": "检查事项",
    "result": "检查结果",
    "subcodes": "问题类型",
    "follow_up": "后续处置",
    "method": "检查方式",
    "inspected": "检查日期",
    "entered": "录入日期",
    "note": "备注",
}
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号"),
    "task_number": ("抽查任务编号", "任务编号", "抽查任务", "任务号"),
    "credit_code": ("统一社会信用代码", "信用代码", "统一代码", "社会信用代码", "统一社会信用代码/注册号",
                    "注册号", "统一社会信用代码或注册号", "信用代码/注册号", "统一代码/注册号", "注册号/统一社会信用代码",
                    "统一社会信用代码(注册号)", "注册号/统一代码", "企业统一代码/注册号"),
    "name": ("企业名称", "名称", "市场主体名称", "主体名称", "单位名称", "检查对象", "检查对象名称"),
    "department": ("检查部门", "检查单位", "检查实施机关", "实施机关", "检查机关", "部门", "检查执行部门", "执行部门"),
    "items": ("检查事项", "抽查事项"),
    "result": ("检查结果", "结果", "检查结果代码", "结果代码", "抽查结果", "抽查检查结果", "检查结论"),
    "subcodes": ("问题类型", "问题代码", "问题类别", "发现问题类型", "问题子类"),
    "follow_up": ("后续处置", "处置", "后续处理", "处置措施", "后续处置情况", "处理措施", "处理情况", "后续处置措施"),
    "method": ("检查方式", "抽查方式", "核查方式"),
    "inspected": ("检查日期", "检查完成日期", "检查时间", "完成日期", "检查完成时间", "实施日期"),
    "entered": ("录入日期", "录入时间", "填报日期", "填报时间"),
    "note": ("备注", "说明"),
}
REQUIRED_FIELDS = ("credit_code", "result")
