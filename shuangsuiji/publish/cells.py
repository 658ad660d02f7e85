"""Result cells as departments and platforms write them, read into codes and follow-up categories.

Pure functions over one cell, used by `intake.py` (reading) and `validate.py` (messages):

- `norm_text`: NFKC (full-width -> half-width), outer whitespace removed.
- `cell_parts`: a multi-value cell split on 、 , ; / | and newlines, "nothing" words dropped.
- `CellReader(values)`: the plan's `results.values` maps applied before the built-in tables.
  `result(cell)` splits a combined result cell such as 「发现问题待后续处理；未按规定公示应当公示的
  信息；」 or the platform's code list 「A,2,B」 into result codes and problem types (a problem type
  implies A: it exists only under A). `follow_up(cell)` maps the platform's disposal phrases
  (core.resultcodes.PLATFORM_FOLLOW_UPS, matched whole and longest first, so their inner 「；」 and
  「、」 never cut them) to follow-up categories. What matches nothing is kept as written, for
  `validate` to report.
"""

from __future__ import annotations

import re
import unicodedata

from ..core.resultcodes import (CODE_ALIASES, FOLLOW_UPS, OTHER_PREFIXES, PLATFORM_FOLLOW_UPS, PROBLEM_SUBCODES,
                                RESULT_CODES, SUBCODE_PARENT)

CODE_HEAD = re.compile(r"^(1[0-2]|[0-9]|[A-Z])(?![0-9A-Z])\s*(.*)$")
SEPARATORS = "、,，;；/|\n"
_SPLIT = re.compile(r"[、,，;；/|\n]+")
BLANK_WORDS = {"无", "没有", "-", "—", "——", "/", "N/A", "NA"}  # what people write for "nothing"
# 核查方式 words of the provincial platform -> plan METHODS (the plan's results.values.method adds more)
METHOD_ALIASES = {"实地检查": "现场检查", "委托专业机构辅助": "委托专业机构核查"}
OTHER = FOLLOW_UPS[-1]  # 其他


def norm_text(value) -> str:
    """Cell text: full-width -> half-width (NFKC), outer whitespace removed; None -> ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def norm_number(value) -> str:
    """A task number compared loosely: 〔2026〕, [2026], (2026) and spacing all alike."""
    return re.sub(r"[\s〔〕\[\]()【】]+", "", norm_text(value))


def _key(text) -> str:
    """A cell or a phrase for look-ups: NFKC, no whitespace at all, final 。 or ; dropped."""
    return re.sub(r"\s+", "", norm_text(text)).rstrip("。.;")


def cell_parts(cell) -> list[str]:
    """A multi-value cell split on 、 , ; / and newlines; words meaning "nothing" dropped."""
    text = norm_text(cell)
    if text.upper() in BLANK_WORDS:
        return []
    return [p.strip() for p in _SPLIT.split(text) if p.strip() and p.strip().upper() not in BLANK_WORDS]


def code_texts(known: dict[str, str]) -> dict[str, str]:
    """Text -> code: every current label, then the aliases of `known`'s codes that no label uses."""
    out = {_key(t): c for c, t in known.items()}
    for c, aliases in CODE_ALIASES.items():
        if c in known:
            for a in aliases:
                out.setdefault(_key(a), c)
    return out


def one_code(part: str, known: dict[str, str], by_text: dict[str, str] | None = None) -> str:
    """"A 发现问题待后续处理", "A", "发现问题待后续处理", an old wording -> "A"; else the part as written."""
    by_text = code_texts(known) if by_text is None else by_text
    key = _key(part)
    if key in by_text:
        return by_text[key]
    m = CODE_HEAD.match(part.upper())
    if m:
        code, rest = m.group(1), _key(m.group(2))
        texts = {_key(known[code]), *(_key(a) for a in CODE_ALIASES.get(code, ()))} if code in known else set()
        if code in known and (not rest or rest in texts):
            return code
    return part


def parse_codes(cell, known: dict[str, str]) -> tuple[str, ...]:
    """Codes in a result or problem-type cell, in the order written, duplicates dropped.

    Accepts "A 发现问题待后续处理", "A", "发现问题待后续处理", "Ａ", 1 (a number) and several
    joined with 、 , ; /. A part that is not a known code is kept as written (the check reports it).
    """
    return CellReader().codes(cell, known)


class CellReader:
    """Reads result, problem-type, follow-up and method cells with the plan's `results.values`."""

    def __init__(self, values: dict | None = None):
        values = values or {}
        self._maps = {f: {_key(k): v for k, v in (values.get(f) or {}).items()} for f in
                      ("result", "subcodes", "follow_up", "method")}
        self._all = {**RESULT_CODES, **PROBLEM_SUBCODES}
        self._other = tuple(norm_text(p) for p in OTHER_PREFIXES)
        phrases = {_key(p): c for p, c in PLATFORM_FOLLOW_UPS.items()}
        phrases.update({_key(c): c for c in FOLLOW_UPS})
        phrases.update({k: v for k, v in self._maps["follow_up"].items() if k})
        self._phrases = sorted(phrases.items(), key=lambda kv: -len(kv[0]))
        self._texts: dict[int, tuple[dict, dict]] = {}  # id(known) -> (known, code_texts(known))
        self._memo: dict[tuple, object] = {}  # (what, type, cell) -> answer: once per distinct cell

    def _code_texts(self, known: dict[str, str]) -> dict[str, str]:
        hit = self._texts.get(id(known))
        if hit is None or hit[0] is not known:
            hit = self._texts[id(known)] = (known, code_texts(known))
        return hit[1]

    def once(self, what, cell, compute):
        """A column's cells repeat (a results sheet has a handful of distinct result, follow-up and
        method values): each distinct cell is read once. Keyed by type too: 1, 1.0 and True differ."""
        key = (what, type(cell), cell)
        try:
            return self._memo[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable cell: never from a sheet, but read it anyway
            return compute(cell)
        if len(self._memo) > 200_000:  # free text in every row: keep memory bounded
            self._memo.clear()
        out = self._memo[key] = compute(cell)
        return out

    def _mapped(self, field: str, part: str) -> list[str] | None:
        to = self._maps[field].get(_key(part))
        if to is None:
            return None
        return [str(to)] if isinstance(to, (str, int)) else [str(x) for x in to]

    def codes(self, cell, known: dict[str, str], field: str = "subcodes") -> tuple[str, ...]:
        return self.once((field, id(known)), cell, lambda c: self._codes(c, known, field))

    def _codes(self, cell, known: dict[str, str], field: str) -> tuple[str, ...]:
        texts = self._code_texts(known)
        out: list[str] = []
        whole = self._mapped(field, norm_text(cell)) if norm_text(cell) else None
        for part in ([] if whole else cell_parts(cell)):
            for code in self._mapped(field, part) or [one_code(part, known, texts)]:
                if code not in out:
                    out.append(code)
        for code in whole or []:
            if code not in out:
                out.append(code)
        return tuple(out)

    def result(self, cell) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(result codes, problem types) of a result cell; a problem type found there implies A."""
        return self.once("result", cell, self._result)

    def _result(self, cell) -> tuple[tuple[str, ...], tuple[str, ...]]:
        found = self.codes(cell, self._all, "result")
        subs = tuple(c for c in found if c in PROBLEM_SUBCODES)
        codes = [c for c in found if c not in PROBLEM_SUBCODES]
        if subs and SUBCODE_PARENT not in codes:
            codes.insert(0, SUBCODE_PARENT)
        return tuple(codes), subs

    def follow_up(self, cell) -> list[str]:
        """Follow-up categories of a cell, in the order written; unknown parts kept as written."""
        return list(self.once("follow_up", cell, self._follow_up))

    def _follow_up(self, cell) -> tuple[str, ...]:
        text = re.sub(r"[ \t\u3000]+", "", norm_text(cell))
        if text.upper() in BLANK_WORDS:
            return []
        out: list[str] = []

        def add(part: str) -> None:
            part = part.strip().rstrip("。.")
            if not part or part.upper() in BLANK_WORDS:
                return
            if part not in out:
                out.append(part)

        i, buf = 0, ""
        while i < len(text):
            if not buf and text.startswith(self._other, i):  # 「其他：<free text>」 up to the next ;
                ends = [j for j in (text.find(";", i), text.find("\n", i)) if j >= 0]
                add(OTHER)
                i = min(ends, default=len(text)) + 1
                continue
            hit = None if buf else next(((p, c) for p, c in self._phrases if text.startswith(p, i)
                                         and text[i + len(p):i + len(p) + 1] in ("", "。", ".", *SEPARATORS)), None)
            if hit:
                add(hit[1])
                i += len(hit[0])
                continue
            if text[i] in SEPARATORS:
                add(buf)
                buf = ""
            else:
                buf += text[i]
            i += 1
        add(buf)
        return tuple(out)

    def method(self, cell) -> str | None:
        return self.once("method", cell, self._method)

    def _method(self, cell) -> str | None:
        text = norm_text(cell)
        if not text:
            return None
        mapped = self._mapped("method", text)
        return mapped[0] if mapped else METHOD_ALIASES.get(_key(text), text)
