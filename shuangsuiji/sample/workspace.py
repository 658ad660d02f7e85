"""`ssj init`: a ready workspace from the shipped sample (plan, rosters, folders).

The folder is built under a temporary name and moved into place only when complete; an existing
folder is used only when empty. A non-empty folder is refused (nothing is overwritten), and so
is an existing workspace.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import datetime
from importlib import resources
from pathlib import Path

from .. import __version__
from ..core.clock import stamp
from ..core.errors import StateError
from ..core.fileio import staged_dir
from ..core.workspace import MARKER
from .generator import generate

SAMPLE_PLAN = "chengzhong-2026.yaml"
FOLDERS = ["plans", "data/results", "data/calendar", "data/special", "out"]


def sample_plan_text() -> bytes:
    """The shipped sample plan (package data: works for editable and wheel installs alike)."""
    return resources.files("shuangsuiji").joinpath("sample", SAMPLE_PLAN).read_bytes()


def create_workspace(dest: Path, *, now: datetime) -> list[Path]:
    """Create the workspace at `dest`; returns the files written, relative to it."""
    dest = Path(dest)
    _refuse(dest)
    if dest.exists():
        tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.resolve().parent))
        try:
            files = _fill(tmp, dest.resolve().name, now)
            for child in sorted(tmp.iterdir()):
                os.replace(child, dest / child.name)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    else:
        with staged_dir(dest) as tmp:
            files = _fill(tmp, dest.resolve().name, now)
    return files


def _refuse(dest: Path) -> None:
    if dest.exists() and not dest.is_dir():
        raise StateError(f"{dest} 已存在且不是目录，未做任何改动。", hint="请换一个目录名。")
    if (dest / MARKER).exists():
        raise StateError(f"{dest} 已经是 ssj 工作区（有 {MARKER}），未做任何改动。",
                         hint="继续使用该工作区即可；如需重新开始，请换一个新目录。")
    if dest.is_dir() and any(dest.iterdir()):
        raise StateError(f"{dest} 不是空目录，也不是 ssj 工作区；为免覆盖已有文件，未做任何改动。",
                         hint="请指定一个不存在的目录或空目录，如：ssj init 城中区2026")


def _fill(root: Path, name: str, now: datetime) -> list[Path]:
    for folder in FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "plans" / SAMPLE_PLAN).write_bytes(sample_plan_text())
    (root / MARKER).write_text(_marker(name, now), encoding="utf-8")
    written = generate(root / "data")
    return [Path(MARKER), Path("plans") / SAMPLE_PLAN, *(p.relative_to(root) for p in written)]


def _marker(name: str, now: datetime) -> str:
    return ("# ssj 工作区标记文件（由 ssj init 生成，请勿删除）\n"
            f"name: {json.dumps(name, ensure_ascii=False)}\n"
            f"created: \"{stamp(now)}\"\n"
            f"tool_version: \"{__version__}\"\n"
            f"plan: plans/{SAMPLE_PLAN}\n")
