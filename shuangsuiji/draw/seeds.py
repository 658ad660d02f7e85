"""The draw seed: warnings for a weak or suspicious seed, the comparison key of two seeds, and the
sampler seed derived from it (`ssj-draw-v1|<task number>|<seed>`; trials use `ssj-trial-v1`).
"""

from __future__ import annotations

import hashlib
import unicodedata

from ..core.errors import InputInvalid
from .sampler import sampler_seed, trial_sampler_seed

SHORT_SEED = 20


def check_seed(seed: str) -> list[str]:
    """Refuse a seed that cannot be re-typed reliably; return warnings for a weak one."""
    if not isinstance(seed, str) or seed == "":
        raise InputInvalid("随机种子不能为空。", hint="在公开场合产生种子（如多人掷骰得到 20 位数字）后用 --seed 传入。")
    if seed != seed.strip():
        raise InputInvalid(f"随机种子首尾有空白字符：「{seed}」。",
                           hint="空白不可见，他人复算时难以照抄；请去掉首尾空白后重新输入。")
    if any(ord(c) < 32 or ord(c) == 127 for c in seed):
        raise InputInvalid("随机种子含有换行、制表符等控制字符。", hint="请只用可见字符。")
    hidden = [c for c in seed if _invisible(c)]
    if hidden:
        raise InputInvalid(f"随机种子含有不可见或易混淆的字符（{'、'.join(f'U+{ord(c):04X}' for c in hidden[:3])}），"
                           "看起来相同的种子会得出不同的结果。",
                           hint="请只用可见字符，空格只用普通半角空格；最好直接输入现场记下的数字。")
    warnings = []
    if len(seed) < SHORT_SEED:
        warnings.append(f"随机种子只有 {len(seed)} 个字符，少于建议的 {SHORT_SEED} 个；"
                        "种子越短，越容易被事先猜测或挑选。")
    return warnings


def _invisible(c: str) -> bool:
    """Characters a reader cannot see or tell apart from another: C1 controls, format characters
    (zero-width space, BOM, direction marks), unassigned/private/surrogate code points, line and
    paragraph separators, and any space other than the ordinary U+0020 (no-break, full-width, …)."""
    cat = unicodedata.category(c)
    return cat[0] == "C" or cat in ("Zl", "Zp") or (cat == "Zs" and c != " ")


def seed_key(seed: str) -> str:
    """A seed with cosmetic differences removed (full-width forms, case, spaces and punctuation):
    two seeds with the same key are the same public random value typed differently."""
    return "".join(c for c in unicodedata.normalize("NFKC", seed).casefold()
                   if unicodedata.category(c)[0] in "LN")


def seed_sha256(seed: str) -> str:
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def derive_seed(seed: str, task_number: str, *, trial: bool) -> str:
    return trial_sampler_seed(seed, task_number) if trial else sampler_seed(seed, task_number)
