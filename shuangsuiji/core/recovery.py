"""Recovery from an interrupted run: a crash at any instant leaves a workspace the next command can
use, and nothing is deleted.

Every command that changes the workspace builds its output folder under a staging name
(`.<name>.<random>.tmp`, see fileio.staged_dir), renames it into place, then appends its ledger
entry. A kill can therefore leave (a) a staging folder or temp file, (b) an official-looking output
folder that no ledger entry records, or (c) a partial last ledger line. When any command takes the
workspace lock, `recover` moves (a) and (b) aside to `out/<task>/.interrupted/<name>-<time>/`
(`out/.interrupted/` outside a task folder) and (c) to `out/.interrupted/ledger-tail-<time>.txt`,
and says so; the command then runs as if the interrupted run had never happened. The recovery
itself is recorded: a `recovery` ledger entry lists what was moved where, with the files' hashes.
An output without its ledger entry looks the same whether a crash or a deleted ledger tail left
it, so `ssj verify` shows every recovery as a finding, to compare with the published ledger head.

`crash_point(name)` is the test hook that makes the instants deterministic: with the environment
variable SSJ_TEST_CRASH=<name>, the process ends at once (os._exit, no cleanup, like SIGKILL) when
it reaches that point. Points: `before_staging`, `staging` (files written, folder not yet renamed),
`renamed` (folder in place, no ledger entry), `appended` (ledger entry written).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

CRASH_ENV = "SSJ_TEST_CRASH"
CRASH_EXIT = 86
INTERRUPTED = ".interrupted"

# Output folders that only an official act writes, directly in out/<task>/ (publish/vN below it).
OFFICIAL_NAME = re.compile(r"^(freeze(-\d+)?|draw(-redo-\d+)?|match(-redo-\d+)?|draw(-redo-\d+)?-list-\d+)$")
PUBLISH_NAME = re.compile(r"^v\d+$")
STAGING_NAME = re.compile(r"^\..+\.tmp$")

_notices: list[str] = []


def crash_point(name: str) -> None:
    """End the process here when SSJ_TEST_CRASH names this point (tests only)."""
    if os.environ.get(CRASH_ENV) == name:
        os._exit(CRASH_EXIT)


def drain_notices() -> list[str]:
    """The recovery messages gathered since the last call (the CLI shows them as warnings)."""
    out = list(_notices)
    _notices.clear()
    return out


def recorded_folders(entries: list[dict]) -> set[str]:
    """Workspace-relative folders that hold a file some ledger entry records."""
    out = set()
    for e in entries:
        paths = list(e.get("files") or {})
        for key in ("manifest", "commitment"):
            if isinstance(e.get("data", {}).get(key), str):
                paths.append(e["data"][key])
        for p in paths:
            parent = p.rsplit("/", 1)[0] if "/" in p else ""
            out.add(parent)
    return out


def unrecorded_outputs(root: Path, entries: list[dict]) -> list[Path]:
    """Official-looking output folders and staging leftovers under out/ that no ledger entry records."""
    out_dir = root / "out"
    if not out_dir.is_dir():
        return []
    recorded = recorded_folders(entries)
    found = []
    for task_dir in sorted(out_dir.iterdir()):
        if not task_dir.is_dir() or task_dir.name == INTERRUPTED:
            continue
        if STAGING_NAME.match(task_dir.name):
            found.append(task_dir)
            continue
        for child in sorted(task_dir.iterdir()):
            rel = child.relative_to(root).as_posix()
            if STAGING_NAME.match(child.name):
                found.append(child)
            elif child.is_dir() and OFFICIAL_NAME.match(child.name) and rel not in recorded:
                found.append(child)
            elif child.is_dir() and child.name == "publish":
                for version in sorted(child.iterdir()):
                    vrel = version.relative_to(root).as_posix()
                    if STAGING_NAME.match(version.name):
                        found.append(version)
                    elif version.is_dir() and PUBLISH_NAME.match(version.name) and vrel not in recorded:
                        found.append(version)
    return found


# What ssj writes under out/ without a ledger entry: top-level folders that are no task's, and in a
# task folder the trials, the printed documents and the last rejected publication's problem list.
UNRECORDED_TOP = {"check", "plan", "summary", "reports"}
UNRECORDED_IN_TASK = re.compile(r"^(trial-.*|documents|问题清单\.xlsx|\.interrupted)$")


def loose_files(root: Path, entries: list[dict]) -> list[Path]:
    """Files in task folders under out/ that no ledger entry records (a forged list dropped beside
    the real ones, a stray copy), apart from what ssj writes there unrecorded."""
    recorded = set()
    for e in entries:
        recorded.update(e.get("files") or {})
        recorded.update(v for k, v in (e.get("data") or {}).items() if k in ("manifest", "commitment", "list")
                        and isinstance(v, str))
    out_dir = root / "out"
    found = []
    for task_dir in sorted(out_dir.iterdir()) if out_dir.is_dir() else []:
        if not task_dir.is_dir() or task_dir.name in UNRECORDED_TOP or STAGING_NAME.match(task_dir.name):
            continue
        for child in sorted(task_dir.iterdir()):
            if UNRECORDED_IN_TASK.match(child.name) or STAGING_NAME.match(child.name):
                continue
            for path in sorted(child.rglob("*")) if child.is_dir() else [child]:
                if path.is_file() and path.relative_to(root).as_posix() not in recorded:
                    found.append(path)
    return found


def moved_aside(root: Path) -> list[Path]:
    """Everything earlier recoveries moved aside (for ssj verify)."""
    out_dir = root / "out"
    if not out_dir.is_dir():
        return []
    return sorted(p for d in out_dir.glob(f"**/{INTERRUPTED}") for p in d.iterdir())


def recover(ws, now) -> list[str]:
    """Move interrupted outputs aside and cut a partial ledger line; return what was done (Chinese).

    Called with the workspace lock held; `now` is the moment (an aware datetime).
    """
    from .clock import stamp as iso

    stamp = now.strftime("%Y%m%d-%H%M%S")
    messages, tail = _recover_ledger_tail(ws.root, stamp)
    moved: list[dict] = [{"what": "ledger_tail", "to": tail}] if tail else []
    entries = ws.ledger().read()
    for path in unrecorded_outputs(ws.root, entries):
        holder = path.parent.parent if path.parent.name == "publish" else path.parent  # out/<task> or out
        name = path.name.lstrip(".")
        if path.parent.name == "publish":
            name = f"publish-{name}"
        dest = _free(holder / INTERRUPTED / f"{name}-{stamp}")
        dest.parent.mkdir(parents=True, exist_ok=True)
        files = {p.relative_to(path).as_posix(): _sha256(p) for p in sorted(path.rglob("*")) if p.is_file()} \
            if path.is_dir() else {}
        shutil.move(str(path), str(dest))
        moved.append({"from": path.relative_to(ws.root).as_posix(), "to": dest.relative_to(ws.root).as_posix(),
                      "files": files})
        what = "未完成的暂存" if STAGING_NAME.match(path.name) else "台账中没有记录的输出"
        messages.append(f"发现上次中断留下的{what} {path.relative_to(ws.root).as_posix()}，"
                        f"已移到 {dest.relative_to(ws.root).as_posix()}（保留备查，未删除）；本次操作照常进行。")
    if moved:
        ws.ledger().append("recovery", task=None, time=iso(now),
                           data={"moved": moved, "reason": "上次操作中断：输出没有台账记录，已移到一旁保留"})
    _notices.extend(messages)
    return messages


def _sha256(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _recover_ledger_tail(root: Path, stamp: str) -> tuple[list[str], str | None]:
    path = root / "ledger.jsonl"
    if not path.is_file():
        return [], None
    data = path.read_bytes()
    if not data or data.endswith(b"\n"):
        return [], None
    cut = data.rfind(b"\n") + 1
    tail = data[cut:]
    try:
        json.loads(tail.decode("utf-8"))
        return [], None  # a complete last entry without its newline: nothing was lost; leave it
    except (UnicodeDecodeError, ValueError):
        pass
    dest = _free(root / "out" / INTERRUPTED / f"ledger-tail-{stamp}.txt")
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(tail)
    with open(path, "r+b") as f:
        f.truncate(cut)
        f.flush()
        os.fsync(f.fileno())
    rel = dest.relative_to(root).as_posix()
    return [f"台账 ledger.jsonl 末尾有一条写了一半的记录（上次操作在写台账时中断），已移到 "
            f"{rel}（保留备查）；该操作视为未完成。"], rel


def _free(dest: Path) -> Path:
    n, candidate = 1, dest
    while candidate.exists():
        n += 1
        candidate = dest.with_name(f"{dest.name}-{n}")
    return candidate
