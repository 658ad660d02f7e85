"""Result codes of the national publicity system, follow-ups, and the results-entry template.

`ssj match` writes the template with these headers; `ssj publish` reads them back (aliases
tolerated). One definition so the two can never drift apart.
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
# Sub-codes, valid only under A.
PROBLEM_SUBCODES: dict[str, str] = {
    "2": "违反市场监管相关规定",
    "B": "未按规定公示应当公示的信息",
    "C": "公示信息隐瞒真实情况弄虚作假",
    "6": "通过登记的住所(经营场所)无法联系",
    "D": "违反其他市场监管规定",
    "3": "违反其他部门相关规定（一）",
    "4": "违反其他部门相关规定（二）",
    "5": "违反其他部门相关规定（三）",
    "G": "违反其他部门相关规定",
}
NO_PROBLEM = "1"
PROBLEM_CODES = {"A", "E"}  # codes that say a problem was found (need a follow-up)

# 后续处置
FOLLOW_UPS = ["无需后续处置", "责令改正", "移送办案机构", "抄告相关部门", "其他"]


def label(code: str) -> str:
    """'A' -> 'A 发现问题待后续处理' (the form offered in dropdowns)."""
    text = RESULT_CODES.get(code) or PROBLEM_SUBCODES.get(code, "")
    return f"{code} {text}".strip()


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
