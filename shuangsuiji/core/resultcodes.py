"""Result codes of the national publicity system, follow-ups, and the results-entry template.

`ssj match` writes the template with these headers; `ssj publish` reads them back (aliases
tolerated). One definition so the two can never drift apart. The source of every text is in
docs/publish.md §3 (the national code table as the domain brief gives it, and the 2017
provincial platform table for the codes of other departments).
"""

from __future__ import annotations

# 抽查检查结果 (primary codes). A has sub-codes (问题类型).
RESULT_CODES: dict[str, str] = {
    "1": "未发现问题",
    "A": "发现问题待后续处理",
    "E": "发现问题经责令已改正",
    "F": "未发现开展本次抽查涉及的经营活动",
    "7": "已关闭停业或正在组织清算",
    "8": "不配合检查情节严重",
    "9": "注销",
    "10": "被吊销",
    "11": "被撤销",
    "12": "迁出",
}
# Sub-codes, valid only under A. Written as the national system shows them (code 6 with
# full-width parentheses); 3/4/5/G as the provincial platform's table names them.
PROBLEM_SUBCODES: dict[str, str] = {
    "2": "违反市场监管相关规定",
    "B": "未按规定公示应当公示的信息",
    "C": "公示信息隐瞒真实情况弄虚作假",
    "6": "通过登记的住所（经营场所）无法联系",
    "D": "违反其他市场监管规定",
    "3": "违反食品药品管理相关规定",
    "4": "违反质量技术监督相关规定",
    "5": "违反其他部门相关规定",
    "G": "违反公安部门相关规定",
}
# Other wordings accepted on input for the same code: the pre-2018 工商 labels platforms still
# send, and the labels earlier ssj templates offered in their dropdowns. A text listed under two
# codes is read by its code prefix only ("G 违反其他部门相关规定"); alone it means the code whose
# current label it is.
CODE_ALIASES: dict[str, tuple[str, ...]] = {
    "2": ("违反工商行政管理相关规定",),
    "D": ("违反其他工商行政管理规定行为", "违反其他工商行政管理规定", "违反其他市场监管规定行为"),
    "3": ("违反其他部门相关规定（一）",),
    "4": ("违反其他部门相关规定（二）",),
    "5": ("违反其他部门相关规定（三）",),
    "G": ("违反其他部门相关规定",),
}
NO_PROBLEM = "1"
PROBLEM_CODES = {"A", "E"}  # codes that say a problem was found (need a follow-up)
SUBCODE_PARENT = "A"  # problem types belong under 发现问题待后续处理 only

# 后续处置
FOLLOW_UPS = ["无需后续处置", "责令改正", "移送办案机构", "抄告相关部门", "其他"]
# The platform's disposal phrases (后续处置措施 check boxes) -> our follow-up category. The text
# as entered is kept beside the category (office copy). Longer phrases are matched first, so a
# phrase that contains 「；」 or 「、」 is never cut apart.
PLATFORM_FOLLOW_UPS: dict[str, str] = {
    "未发现问题或相关问题已规范、已改正，无需后续处置": "无需后续处置",
    "停止检查，反馈至日常监管部门依法依规处理": "其他",
    "反馈至日常监管部门依法依规处理": "其他",
    "违反本部门相关规定，责令改正；后续跟踪由日常监管部门负责": "责令改正",
    "违反本部门相关规定，责令改正": "责令改正",
    "发现案件线索，初步固定相关证据后移送办案机构依法依规处理": "移送办案机构",
    "初步固定相关证据后移送办案机构依法依规处理": "移送办案机构",
    "违反其他部门相关规定，抄告相关部门": "抄告相关部门",
    "违法处罚": "其他",
    "刑事立案": "其他",
}
OTHER_PREFIXES = ("其他：", "其他:", "其它：", "其它:")  # 「其他：<free text>」 -> 其他


def label(code: str) -> str:
    """'A' -> 'A 发现问题待后续处理' (the form offered in dropdowns)."""
    text = RESULT_CODES.get(code) or PROBLEM_SUBCODES.get(code, "")
    return f"{code} {text}".strip()


# The fields of a results sheet (the names the plan's `results.columns` / `results.values` use).
RESULT_FIELDS = ("seq", "task_number", "credit_code", "name", "department", "items", "result", "subcodes",
                 "follow_up", "method", "inspected", "entered", "note")
VALUE_FIELDS = ("department", "result", "subcodes", "follow_up", "method")  # fields `results.values` may map


# The results-entry template (结果录入表): one row per target and inspecting department.
TEMPLATE_SHEET = "检查结果录入"
TEMPLATE_HEADERS = [
    "序号",
    "抽查任务编号",
    "统一社会信用代码",
    "企业名称",
    "检查部门",
    "检查事项",
    "检查结果",  # dropdown of label(code) for RESULT_CODES
    "问题类型",  # dropdown of label(code) for PROBLEM_SUBCODES, only under A; several joined with 、
    "后续处置",  # dropdown FOLLOW_UPS
    "检查方式",  # dropdown of plan.METHODS
    "检查日期",  # date cell
    "录入日期",  # date cell
    "备注",
]
