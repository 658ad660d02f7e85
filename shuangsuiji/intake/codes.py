"""统一社会信用代码 (GB 32100-2015) and the older 15- and 13-digit 注册号: normalise, check, detect numbers.

Checks: USCC both check characters (GB 32100, GB 11714); 15-digit 注册号 its ISO 7064 MOD 11,10
check digit (GS 15-2006); 13-digit 注册号 (before 2007) has no check digit: all digits and a
province-level region code (GB/T 2260) in the first two digits.

`normalise_code` strips every space (also inside), maps full-width characters to half-width and
upper-cases. `check_code` returns None for a valid code and otherwise a Chinese reason.
Codes that a spreadsheet turned into numbers (a float cell, `9.13501E+17`, or 18 digits ending in
zeros with a failing check) are detected and reported as unrepairable: never guessed back.

`check_column` validates a whole column at once (a vectorised fast path for the common case), as
roster intake needs for a million rows.
"""

from __future__ import annotations

import re

from .records import REGNO, REGNO13, USCC

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # values 0-30; no I, O, S, V, Z
VALUE = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 over positions 9-16, check at 17
FORBIDDEN = "IOSVZ"

NUMBER_REASON = ("代码被电子表格存成了数字，末几位已丢失（Excel 只保留 15 位有效数字），无法还原；"
                 "请从登记系统重新导出，或把该列设为「文本」格式后重新录入")
SCIENTIFIC = re.compile(r"\d(\.[0-9A-Z]*)?(E\+?|[A-Z]?\+)\d{1,3}")
DECIMAL = re.compile(r"\d+\.\d*")


def _build_table() -> dict[int, int | None]:
    table: dict[int, int | None] = {}
    for cp in range(0xFF01, 0xFF5F):  # full-width ASCII -> half-width
        table[cp] = cp - 0xFEE0
    for cp in (0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0xA0, 0x3000, 0xFEFF, *range(0x2000, 0x200C)):
        table[cp] = None  # every kind of space, also inside the code
    return table


_TABLE = _build_table()


def normalise_code(raw) -> str:
    """Strip spaces (also internal), full-width -> half-width, upper-case.

    A number is rendered as Python shows it (an integral float below 10^16 without `.0`), so that
    `check_code` can recognise and report it: a number is never turned back into a code.
    """
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e16:
        raw = int(raw)
    s = raw if isinstance(raw, str) else str(raw)
    if s.isascii() and s.isalnum():
        return s.upper()
    return s.translate(_TABLE).upper()


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters (all from ALPHABET)."""
    total = sum(VALUE[c] * w for c, w in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def org_check_char(first8: str) -> str:
    """The GB 11714 check character for an 8-character organisation code body (digits, A-Z)."""
    total = sum(_org_value(c) * w for c, w in zip(first8, ORG_WEIGHTS))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def _org_value(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - 55  # A=10 ... Z=35


def build_code(prefix: str, body: str) -> str:
    """A valid USCC from the 8-character prefix (e.g. 91630103) and an 8-character body."""
    first17 = prefix + body + org_check_char(body)
    return first17 + uscc_check_char(first17)


def code_kind(code: str) -> str:
    """REGNO for a 15-digit registration number, REGNO13 for a 13-digit one, else USCC."""
    if code.isdigit():
        return REGNO if len(code) == 15 else REGNO13 if len(code) == 13 else USCC
    return USCC


def regno_check_digit(first14: str) -> str:
    """The ISO 7064 MOD 11,10 check digit of a 15-digit 注册号 (GS 15-2006) from its first 14 digits."""
    p = 10
    for c in first14:
        s = (p + int(c)) % 10 or 10
        p = s * 2 % 11
    return str((11 - p) % 10)


# First two digits of a province-level administrative division code (GB/T 2260), the start of
# every 13-digit 注册号 (6-digit registration authority code + 7-digit sequence, no check digit).
PROVINCES = {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
             "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"}


def looks_like_number(code: str) -> bool:
    """A normalised text that is really a number a spreadsheet produced (`9.13501E+17`, `…0000`)."""
    if SCIENTIFIC.fullmatch(code) or DECIMAL.fullmatch(code):
        return True
    return (len(code) == 18 and code.isdigit() and code.endswith("000")
            and not (_check_ok(code) and _org_ok(code)))


def check_code(code: str) -> str | None:
    """None when `code` (normalised) is a valid USCC or 15-digit 注册号, else a Chinese reason."""
    if not code:
        return "代码为空"
    if looks_like_number(code):
        return NUMBER_REASON
    n = len(code)
    if n == 15:
        if not code.isdigit():
            return "15 位注册号应全部为数字"
        if regno_check_digit(code[:14]) != code[14]:
            return (f"15 位注册号校验位不符（第 15 位为「{code[14]}」，按 ISO 7064 MOD 11,10 应为"
                    f"「{regno_check_digit(code[:14])}」）：注册号有误，请与营业执照核对")
        return None
    if n == 13:
        if not code.isdigit():
            return "13 位注册号应全部为数字"
        if code[:2] not in PROVINCES:
            return f"13 位注册号的前 6 位应为登记机关的行政区划代码，「{code[:6]}」不是：请与营业执照核对"
        return None
    if n != 18:
        return f"长度为 {n} 位：统一社会信用代码应为 18 位（旧注册号为 15 位或 13 位数字）"
    for pos, c in enumerate(code, 1):
        if c in FORBIDDEN:
            hint = "（可能是数字 0 被误录为字母 O）" if c == "O" else "（可能是数字 1 被误录为字母 I）" if c == "I" else ""
            return f"第 {pos} 位是字母「{c}」：统一社会信用代码不使用 I、O、S、V、Z{hint}"
        if c not in VALUE:
            return f"第 {pos} 位有非法字符「{c}」：只能是数字和大写字母"
    if not code[2:8].isdigit():
        return "第 3～8 位（行政区划码）应为数字"
    if not _check_ok(code):
        return f"校验位不符（第 18 位为「{code[17]}」）：代码有误，可能录错了某一位，请与营业执照核对"
    if not _org_ok(code):
        return "第 9～17 位（主体标识码）的 GB 11714 校验位不符：代码有误，请与营业执照核对"
    return None


def _check_ok(code: str) -> bool:
    return all(c in VALUE for c in code) and uscc_check_char(code[:17]) == code[17]


def _org_ok(code: str) -> bool:
    body = code[8:16]
    return body.isalnum() and body.isascii() and org_check_char(body) == code[16]


def problem_code(reason: str) -> str:
    """The Problem.code for a code's reason: "code_number" (a spreadsheet number) or "code_invalid"."""
    return "code_number" if reason == NUMBER_REASON else "code_invalid"


def number_cell_reason(value) -> str | None:
    """A numeric spreadsheet cell in a code column: the reason it cannot be used, or None when
    it is a 15-digit 注册号 held exactly (below 2^53 a double keeps every digit)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not value.is_integer():
        return NUMBER_REASON
    if 10**14 <= value < 10**15 or 10**12 <= value < 10**13:  # 注册号: exact below 2^53
        return None
    return NUMBER_REASON


def excel_shows(value) -> str:
    """How Excel displays a large number in a General cell (9.13501E+17), for messages."""
    if isinstance(value, float) and abs(value) >= 1e11:
        mantissa, exp = f"{value:.5E}".split("E")
        return f"{mantissa.rstrip('0').rstrip('.')}E+{int(exp):02d}"
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def check_column(values) -> tuple[list[str], list[str | None]]:
    """Normalise and check a whole column of raw cells: (codes, reasons), reason None = valid.

    Numeric cells get the number reason (except an exact 15-digit 注册号, which is valid).
    The common case (18 ASCII letters/digits) is checked with numpy in one pass; everything else
    takes the slow path with a precise reason.
    """
    try:
        codes = [v.upper() for v in values]
    except AttributeError:
        codes = [v.upper() if type(v) is str else "" for v in values]
    valid = _fast_valid(codes)
    reasons: list[str | None] = [None] * len(codes)
    for i, ok in enumerate(valid):
        if not ok:
            raw = values[i]
            codes[i] = code = normalise_code(raw)
            if type(raw) is not str and raw is not None:
                reasons[i] = number_cell_reason(raw) or check_code(code)
            else:
                reasons[i] = check_code(code)
    return codes, reasons


def _fast_valid(codes: list[str]) -> list[bool]:
    """True where a code is an 18-character USCC passing both checks (vectorised)."""
    import numpy as np

    joined = "".join(codes)
    if len(joined) == 18 * len(codes) and joined.isascii():
        idx = None
    else:
        idx = [i for i, c in enumerate(codes) if len(c) == 18 and c.isascii()]
        joined = "".join(codes[i] for i in idx)
    if not joined:
        return [False] * len(codes)
    valid = valid_uscc_matrix(np.frombuffer(joined.encode("ascii"), dtype=np.uint8).reshape(-1, 18))
    if idx is None:
        return valid.tolist()
    out = [False] * len(codes)
    for i, ok in zip(idx, valid.tolist()):
        out[i] = ok
    return out


def valid_uscc_matrix(buf, block: int = 1 << 18):
    """Per row of an (n, 18) uint8 matrix of upper-case ASCII codes: both check characters hold.

    Worked through `block` rows at a time with small integer types, so memory stays a few MB
    above the matrix itself at any n (a 20-million-row roster included).
    """
    import numpy as np

    out = np.empty(len(buf), dtype=bool)
    for start in range(0, len(buf), block):
        out[start:start + block] = _valid_block(buf[start:start + block])
    return out


def _valid_block(buf):
    import numpy as np

    vals = _LUT[0][buf]
    digits = buf[:, 2:8]
    valid = (vals < 31).all(axis=1) & ((digits >= 48) & (digits <= 57)).all(axis=1)
    total = np.zeros(len(buf), dtype=np.int32)
    for i, w in enumerate(WEIGHTS):
        total += vals[:, i].astype(np.int32) * w
    valid &= ((31 - total % 31) % 31) == vals[:, 17]
    org_vals = _LUT[1][buf[:, 8:16]]
    org = np.zeros(len(buf), dtype=np.int32)
    for i, w in enumerate(ORG_WEIGHTS):
        org += org_vals[:, i].astype(np.int32) * w
    org %= 11
    expect = np.where(org == 1, ord("X"), np.where(org == 0, ord("0"), 48 + 11 - org))
    valid &= expect == buf[:, 16]
    return valid


def _luts():
    import numpy as np

    uscc = np.full(256, 255, dtype=np.uint8)
    for c, v in VALUE.items():
        uscc[ord(c)] = v
    org = np.zeros(256, dtype=np.uint8)
    for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        org[ord(c)] = _org_value(c)
    return uscc, org


class _LazyLuts:
    _v = None

    def __getitem__(self, i):
        if self._v is None:
            type(self)._v = _luts()
        return self._v[i]


_LUT = _LazyLuts()
