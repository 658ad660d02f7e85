"""The identity of a task: its number (抽查任务编号) as a reader sees it, its short id as a folder name."""

from __future__ import annotations

import unicodedata

_OPEN = "([{〔【〖〘〚「『《〈"
_CLOSE = ")]}〕】〗〙〛」』》〉"


def number_key(number: str) -> str:
    """A task number with the differences a reader cannot see removed: full-width forms, case,
    spaces and the kind of bracket (〔2026〕, [2026], （2026）, 【2026】 are one number). Two tasks
    whose numbers have the same key are the same task (the draw and the plan check compare keys)."""
    text = unicodedata.normalize("NFKC", number).casefold()
    text = "".join(c for c in text if not (c.isspace() or unicodedata.category(c)[0] in "CZ"))
    return text.translate(str.maketrans(_OPEN + _CLOSE, "(" * len(_OPEN) + ")" * len(_CLOSE)))


_ID_BAD = set('<>:"/\\|?*')


def task_id_problem(task_id: str) -> str | None:
    """Why a task's short id cannot name its folder out/<id>/ and be typed after --task (Chinese),
    or None. Case is compared apart (T01 and t01 are one folder on Windows and macOS)."""
    if task_id.startswith(".") or any(c in _ID_BAD or c.isspace() or unicodedata.category(c)[0] == "C" for c in task_id):
        return (f"任务简称「{task_id}」不能用作文件夹名：不能以“.”开头，不能含空格、控制字符或 {''.join(sorted(_ID_BAD))}；"
                "请用字母、数字、汉字、“-”或“_”，如 T01")
    return None
