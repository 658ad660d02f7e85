"""Entry point of the `ssj` console script: import the command modules, then run the app.

Command modules import only typer and light modules at import time; pandas, openpyxl and the
library core are imported inside the command functions, so `ssj --help` starts fast.
"""

from __future__ import annotations

import importlib

from .app import app

# One module per command (or command group), each attaching itself to the app on import.
COMMAND_MODULES: list[str] = [
    "init",
    "check",
    "calendar",
    "plan",
    "report",
    "mark",
    "freeze",
    "draw",
    "substitute",
    "verify",
    "match",
    "documents",
    "publish",
    "summary",
]


def _load() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__package__}.{name}")


def main() -> None:
    _load()
    app()


if __name__ == "__main__":
    main()
