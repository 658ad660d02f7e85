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
    return []


def seed_weaknesses(seed: str, earlier: list[tuple[str, str]] = ()) -> list[str]:
    """Why `seed` is too weak for an official act (Chinese, one per reason; empty when it is fine).

    Weak: shorter than SHORT_SEED characters; no letter or digit at all (an empty `seed_key`:
    punctuation and symbols only); one repeated character or two alternating ones
    (after `seed_key`); a run in which each character follows the previous one by +1 or by -1
    (digits wrap: 1234567890…, 9876…); the same `seed_key` as an earlier seed of the workspace.
    `earlier` lists (seed, where it was used).
    """
    out = []
    key = seed_key(seed)
    if len(seed) < SHORT_SEED:
        out.append(f"随机种子只有 {len(seed)} 个字符，少于要求的 {SHORT_SEED} 个；种子越短，越容易被事先猜测或挑选")
    if not key:
        out.append("随机种子没有数字或文字，只由标点、符号或空格组成，不像是公开随机产生的")
    elif len(set(key)) <= 2 and len(key) > 2:
        out.append("随机种子只由一两个字符反复组成（如 1111…、1212…），不像是公开随机产生的")
    elif len(key) >= 4 and _is_run(key):
        out.append("随机种子是依次递增或递减的一串字符（如 123456…），不像是公开随机产生的")
    for other, where in earlier:
        if key and seed_key(other) == key:
            out.append(f"随机种子与本工作区已用过的种子相同（{where}）")
            break
    return out


def _is_run(key: str) -> bool:
    def step(a: str, b: str) -> int:
        if a.isdigit() and b.isdigit():
            return (int(b) - int(a)) % 10
        return (ord(b) - ord(a)) % 0x110000

    steps = {step(a, b) for a, b in zip(key, key[1:])}
    return steps in ({1}, {9}, {0x10FFFF}) or steps == {1 % 0x110000}


def enforce_seed(seed: str, earlier: list[tuple[str, str]], *, trial: bool,
                 weak_reason: str | None) -> tuple[list[str], dict | None]:
    """(warnings, weak record) for a seed about to be used.

    An official act refuses a weak seed unless `weak_reason` says why it must be used anyway; the
    record {"reasons": [...], "accepted_because": text} then goes into the manifest and the ledger.
    A trial only warns.
    """
    warnings = check_seed(seed)
    weak = seed_weaknesses(seed, earlier)
    if not weak:
        return warnings, None
    reason = weak_reason.strip() if weak_reason else ""
    if trial:
        return warnings + [f"{w}；正式抽取/匹配时会被拒绝（除非加 --weak-seed-reason 说明理由）。" for w in weak], None
    if not reason:
        raise InputInvalid("随机种子强度不足，不能用于正式抽取或匹配：" + "；".join(weak) + "。",
                           hint=f"请公开重新产生至少 {SHORT_SEED} 位的随机种子（如多人掷骰）；"
                                "确有理由必须使用此种子时，加 --weak-seed-reason 理由（记入台账，核验时显示）。")
    return warnings + ["随机种子强度不足（" + "；".join(weak) + f"），按 --weak-seed-reason 使用：{reason}"], \
        {"reasons": weak, "accepted_because": reason}


def workspace_seeds(ws) -> list[tuple[str, str]]:
    """Every seed of an official draw or match recorded in the workspace: (seed, where)."""
    import json

    out = []
    for e in ws.ledger().entries():
        if e["kind"] not in ("draw", "match"):
            continue
        seed = e["data"].get("seed")
        if seed is None:
            try:
                seed = json.loads(ws.resolve(e["data"]["manifest"]).read_text(encoding="utf-8")).get("seed")
            except (OSError, ValueError, KeyError):
                continue  # a missing manifest is for ssj verify to report
        if seed is not None:
            what = "抽取" if e["kind"] == "draw" else "匹配"
            out.append((seed, f"任务 {e.get('task')} 的{what}，台账第 {e['seq']} 条"))
    return out


def _invisible(c: str) -> bool:
    """Characters a reader cannot see or tell apart from another: C1 controls, format characters
    (zero-width space, BOM, direction marks), unassigned/private/surrogate code points, line and
    paragraph separators, and any space other than the ordinary U+0020 (no-break, full-width, …)."""
    cat = unicodedata.category(c)
    return cat[0] == "C" or cat in ("Zl", "Zp") or (cat == "Zs" and c != " ")


# Chinese numerals one by one (小写 and 大写): a dice roll can be written 三八二〇… or 叁捌贰零…
_CN_DIGITS = {c: str(i % 10) for i, c in enumerate("〇一二三四五六七八九零壹贰叁肆伍陆柒捌玖")}


def _digit(c: str) -> str:
    d = unicodedata.decimal(c, None)  # any script's decimal digit (٣, ३, …) is that digit
    return str(d) if d is not None else _CN_DIGITS.get(c, c)


def seed_key(seed: str) -> str:
    """A seed with cosmetic differences removed (full-width forms, case, spaces and punctuation, the
    script of its digits, digits written as Chinese numerals one by one): two seeds with the same
    key are the same public random value typed differently."""
    return "".join(_digit(c) for c in unicodedata.normalize("NFKC", seed).casefold()
                   if unicodedata.category(c)[0] in "LN")


def seed_sha256(seed: str) -> str:
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def derive_seed(seed: str, task_number: str, *, trial: bool) -> str:
    return trial_sampler_seed(seed, task_number) if trial else sampler_seed(seed, task_number)
