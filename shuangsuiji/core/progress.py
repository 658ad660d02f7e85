"""A progress callback the library calls; the CLI decides how (or whether) to show it.

Library code takes `progress: Progress | None` and calls `progress.step(label, done, total)`.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def step(self, label: str, done: int, total: int) -> None: ...


def report(progress: Progress | None, label: str, done: int, total: int) -> None:
    if progress is not None:
        progress.step(label, done, total)
