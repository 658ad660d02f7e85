"""Atomic writes and file hashing: nothing half-written, nothing silently overwritten."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from .errors import StateError
from .jsontext import json_text  # json.dumps(indent=2)'s text, by the C encoder


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _usual_mode(path: Path, *, directory: bool = False) -> None:
    """mkstemp/mkdtemp create 0600/0700; give outputs the mode a normal write would (umask)."""
    os.chmod(path, (0o777 if directory else 0o666) & ~_umask())


INTERNAL_MODE = 0o600  # files with personal data or officer identities: owner only, never published


def mark_internal(path: Path) -> None:
    """Make an output that must not be released readable by its owner only."""
    os.chmod(path, INTERNAL_MODE)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_json(obj) -> bytes:
    """The one JSON form we hash: sorted keys, no spaces, UTF-8 (not ASCII-escaped)."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


@contextmanager
def atomic_path(target: Path, *, overwrite: bool = True):
    """Yield a temp path beside `target`; on success rename it into place, on error remove it.

    With overwrite=False an existing target is refused before anything is written.
    """
    target = Path(target)
    if not overwrite and target.exists():
        raise StateError(f"文件已存在，不会覆盖：{target}", hint="正式结果不可覆盖；如需重做请使用 --redo --reason。")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as f:
            os.fsync(f.fileno())
        _usual_mode(tmp_path)
        if not overwrite and target.exists():
            raise StateError(f"文件已存在，不会覆盖：{target}")
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_bytes_atomic(target: Path, data: bytes, *, overwrite: bool = True) -> Path:
    with atomic_path(target, overwrite=overwrite) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text_atomic(target: Path, text: str, *, overwrite: bool = True, encoding: str = "utf-8") -> Path:
    return write_bytes_atomic(target, text.encode(encoding), overwrite=overwrite)


def write_json_atomic(target: Path, obj, *, overwrite: bool = True) -> Path:
    return write_text_atomic(target, json_text(obj), overwrite=overwrite)


def write_with(target: Path, writer: Callable[[Path], None], *, overwrite: bool = True) -> Path:
    """Call writer(tmp_path) and rename the result into place."""
    with atomic_path(target, overwrite=overwrite) as tmp:
        writer(tmp)
    return Path(target)


@contextmanager
def staged_dir(target: Path):
    """Build a whole output folder under a temp name; rename it into place only when complete.

    An existing `target` is refused (official outputs are never overwritten).
    """
    from .recovery import crash_point

    target = Path(target)
    if target.exists():
        raise StateError(f"输出目录已存在，不会覆盖：{target}", hint="正式结果不可覆盖；如需重做请使用 --redo --reason。")
    crash_point("before_staging")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        yield tmp
        crash_point("staging")
        _usual_mode(tmp, directory=True)
        os.replace(tmp, target)
        crash_point("renamed")
    finally:
        if tmp.exists():
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
