"""Template rows of an office export: instruction and example rows just below the header.

Provincial templates (人员名录库 and the like) ship an instruction row under the header (必填,
格式为 …) and an example row marked 案例（请删除）. Those rows are never data (an example inspector
must never be drawn): `template_rows` finds them in the first TEMPLATE_SCAN rows below the header,
and the reader skips each with a warning naming the row. Deeper rows are not scanned (a roster of
a million rows is not searched cell by cell; templates put these rows at the top).
"""

from __future__ import annotations

import unicodedata

EXAMPLE_MARKS = ("请删除", "删除此行", "此行删除", "填写说明", "填表说明", "填报说明")
EXAMPLE_WORDS = ("案例", "示例", "样例", "范例", "例")
INSTRUCTION_MARKS = ("必填", "选填", "非必填", "请填写", "请输入", "请选择", "下拉选择", "填写", "格式为", "格式：",
                     "例如", "如：", "yyyy", "YYYY")
TEMPLATE_SCAN = 10  # rows below the header where templates put instructions and examples


def template_rows(rows: list[list], head: int) -> list[tuple[int, str]]:
    """(Excel row number, why) of instruction and example rows just below the header."""
    out = []
    for i in range(head + 1, min(len(rows), head + 1 + TEMPLATE_SCAN)):
        texts = [unicodedata.normalize("NFKC", v).strip() for v in rows[i] if isinstance(v, str) and v.strip()]
        if not texts:
            continue
        reason = _template_reason(texts)
        if reason:
            out.append((i + 1, reason))
    return out


def _template_reason(texts: list[str]) -> str | None:
    for t in texts:
        for m in EXAMPLE_MARKS:
            if m in t:
                return f"模板的示例/说明行（含「{m}」）"
        bare = t.strip("()（）[]【】<>《》:：*").strip()
        if len(bare) <= 8 and bare.startswith(EXAMPLE_WORDS):
            return f"模板的示例行（「{t}」）"
    hits = sum(1 for t in texts if any(m in t for m in INSTRUCTION_MARKS))
    if hits * 2 >= len(texts) and hits >= 1:
        return "模板的填写说明行"
    return None
