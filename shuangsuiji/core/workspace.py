"""The clerk's workspace: where the ledger, the lock and every output live.

Layout (created by `ssj init`):
    WORKSPACE/
      workspace.yaml        marker + metadata (name, created, tool version)
      ledger.jsonl          append-only, hash-chained record of every official act
      plans/                plan YAML files
      data/                 rosters, conflicts, results workbooks, calendar overrides (data/calendar/)
      out/<task-id>/...     outputs of freeze, draw, match, publish (never overwritten)
      .ssj.lock             held while a command changes the workspace
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import FileMissing, WorkspaceLocked

MARKER = "workspace.yaml"
LEDGER = "ledger.jsonl"
LOCK = ".ssj.lock"


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def ledger_path(self) -> Path:
        return self.root / LEDGER

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def calendar_dir(self) -> Path:
        return self.root / "data" / "calendar"

    def task_dir(self, task_id: str) -> Path:
        return self.out / safe_name(task_id)

    def resolve(self, rel: str) -> Path:
        """A path recorded in a manifest or the ledger, as a path on this machine."""
        p = Path(rel)
        return p if p.is_absolute() else self.root / p

    def rel(self, path: Path) -> str:
        """A path as recorded in manifests and the ledger: relative to the workspace, with '/'."""
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return Path(path).resolve().as_posix()

    def ledger(self):
        from .ledger import Ledger

        return Ledger(self.ledger_path)

    @contextmanager
    def lock(self, timeout: float = 5.0):
        """Hold the workspace lock; a second ssj process gets a clear LOCKED error, not corruption."""
        from filelock import FileLock, Timeout

        lock = FileLock(str(self.root / LOCK))
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise WorkspaceLocked(
                "工作区正被另一个 ssj 进程使用（已加锁）。",
                hint=f"请等待其完成后重试；如确认没有其他进程，可删除 {self.root / LOCK}。",
            ) from None
        try:
            from . import clock
            from .recovery import recover

            recover(self, clock.now())
            yield self
        finally:
            lock.release()


def safe_name(text: str) -> str:
    """A file-system-safe folder name for a task id (keeps Chinese, drops path separators)."""
    bad = '<>:"/\\|?*\n\r\t'
    return "".join("_" if c in bad else c for c in text).strip() or "_"


def find_workspace(start: Path) -> Workspace:
    """The nearest folder at or above `start` holding workspace.yaml."""
    start = Path(start).resolve()
    here = start if start.is_dir() else start.parent
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return Workspace(folder)
    raise FileMissing(
        f"找不到工作区：{here} 及其上级目录中没有 {MARKER}。",
        hint="请先运行 `ssj init 目录` 创建工作区，并使用其中 plans/ 下的计划文件。",
    )
