"""The identity of a task number (抽查任务编号) as a reader sees it."""

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
