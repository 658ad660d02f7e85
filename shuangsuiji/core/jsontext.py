"""JSON text exactly as `json.dumps(obj, ensure_ascii=False, indent=2) + "\n"` writes it, fast.

With `indent`, the json module falls back to its pure-Python encoder (~4x slower than its C
encoder). Manifests and commitments hold long lists of flat records (a publication's half a
million entities, a province freeze's rejected rows, a draw's selected codes), so `json_text`
writes every container of plain values with the C encoder, and a list of flat records in one
call of it, and gives the very same text (tests/test_publish_scale.py compares with json.dumps on
awkward documents, including values that look like the boundaries it rewrites). Anything unusual
(a non-text key, a value json would convert) goes to json.dumps itself. `json_parts` gives the
text in consecutive pieces, so a large manifest is written without one more copy of it.
"""

from __future__ import annotations

import json
from itertools import chain

_SCALARS = (str, int, float, bool, type(None))


def json_text(obj) -> str:
    """json.dumps(obj, ensure_ascii=False, indent=2) + "\n", with json's C encoder (module doc)."""
    return "".join(json_parts(obj))


def json_parts(obj) -> list[str]:
    """`json_text(obj)` in consecutive pieces, to be written one after the other: the records of
    a large manifest (hundreds of MB of text) are then never copied into one string again."""
    out: list[str] = []
    try:
        _emit(obj, 0, out)
    except _Unusual:
        return [json.dumps(obj, ensure_ascii=False, indent=2) + "\n"]
    out.append("\n")
    return out


class _Unusual(Exception):
    """A key that is not text, or a value json would have to convert: leave it to json itself."""


_ENCODERS: dict[int, json.JSONEncoder] = {}


def _flat(depth: int) -> json.JSONEncoder:
    """The C encoder writing a flat container's items one per line, as indent=2 does at `depth`."""
    enc = _ENCODERS.get(depth)
    if enc is None:
        enc = _ENCODERS[depth] = json.JSONEncoder(ensure_ascii=False, separators=(",\n" + "  " * (depth + 1), ": "))
    return enc


def _emit(value, depth: int, out: list[str]) -> None:
    """Append `value` as indent=2 writes it at `depth` to `out`."""
    if isinstance(value, _SCALARS):
        out.append(json.dumps(value, ensure_ascii=False))
        return
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        if any(type(k) is not str for k in value):
            raise _Unusual
        items = value.values()
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        items = value
    else:
        raise _Unusual
    inner, outer = "  " * (depth + 1), "  " * depth
    if isinstance(value, list) and _records(value):
        _record_list(value, depth, out)
        return
    if set(map(type, items)) <= _PLAIN:  # (a subclass of a plain type takes the general way below)
        text = _flat(depth).encode(value)
        out += (f"{text[0]}\n{inner}", text[1:-1], f"\n{outer}{text[-1]}")
        return
    is_dict = isinstance(value, dict)
    out.append(("{" if is_dict else "[") + "\n" + inner)
    for i, item in enumerate(value.items() if is_dict else value):
        if i:
            out.append(",\n" + inner)
        if is_dict:
            out.append(json.dumps(item[0], ensure_ascii=False) + ": ")
            item = item[1]
        _emit(item, depth + 1, out)
    out.append("\n" + outer + ("}" if is_dict else "]"))


_PLAIN = {str, int, float, bool, type(None)}


def _records(value: list) -> bool:
    """A list of non-empty dicts of text keys and plain values (checked without a Python loop)."""
    return (set(map(type, value)) == {dict} and all(value)
            and set(map(type, chain.from_iterable(value))) == {str}
            and set(map(type, chain.from_iterable(map(dict.values, value)))) <= _PLAIN)


def _record_list(value: list, depth: int, out: list[str]) -> None:
    """A list of flat records in one call of the C encoder. With its item separator set to the
    records' own field separator, the only place a record ends where another begins is
    "},\n<indent>{" (a raw newline only comes from a separator; a value is plain, so a field
    never ends in "}"): that boundary is rewritten to indent=2's, and the outer brackets too."""
    i0, i1, i2 = "  " * depth, "  " * (depth + 1), "  " * (depth + 2)
    text = _flat(depth + 1).encode(value)[2:-2]  # without "[{" and "}]"
    out += (f"[\n{i1}{{\n{i2}", text.replace(f"}},\n{i2}{{", f"\n{i1}}},\n{i1}{{\n{i2}"), f"\n{i1}}}\n{i0}]")
