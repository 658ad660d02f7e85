"""Simplified Chinese for click's and typer's own text (usage errors, help labels).

Both libraries mark their messages with gettext `_()`; `install()` binds our catalog
(locale/zh_CN/LC_MESSAGES/ssj.po, compiled to ssj.mo by scripts/make_locale.py) as the default
gettext domain and selects zh_CN, before typer is imported. No library code is copied or patched.
`untranslated()` lists their messages the catalog misses (a test keeps it empty).
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "ssj"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGE = "zh_CN"
LIBRARY_SKIP = ("testing.py", "_compat.py", "shell_completion.py", "_termui_impl.py", "_winconsole.py",
                "_completion")  # not shown to a clerk (tests, Windows consoles, shell completion scripts)


def install() -> None:
    os.environ["LANGUAGE"] = LANGUAGE  # gettext picks the catalog language from the environment
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)


# ---------------------------------------------------------------- maintenance (babel: test extra)

def compile_catalog(po: Path) -> bytes:
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(po, "rb") as f:
        catalog = read_po(f)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def library_messages() -> list[str | tuple[str, str]]:
    """Every message click and typer mark for translation (the source of their installed versions)."""
    import click
    import typer
    from babel.messages.extract import extract_from_dir

    out: list = []
    for pkg in (click, typer):
        for fn, _line, msg, _c, _ctx in extract_from_dir(
                os.path.dirname(pkg.__file__), method_map=[("**.py", "python")],
                keywords={"_": None, "gettext": None, "ngettext": (1, 2)}):
            if not any(s in fn for s in LIBRARY_SKIP) and msg not in out:
                out.append(msg)
    return out


def untranslated() -> list[str]:
    from babel.messages.pofile import read_po

    with open(LOCALE_DIR / LANGUAGE / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as f:
        catalog = read_po(f)
    missing = []
    for msg in library_messages():
        key = msg[0] if isinstance(msg, tuple) else msg
        entry = catalog.get(key)
        if entry is None or not (entry.string[0] if isinstance(entry.string, tuple) else entry.string):
            missing.append(key)
    return missing
