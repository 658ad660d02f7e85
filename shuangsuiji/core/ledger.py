"""Append-only, hash-chained JSONL ledger of every official act (freeze, draw, redo, match, ...).

Each line is one JSON object:
    {"seq": 1, "time": "...+08:00", "kind": "draw", "task": "T01", "data": {...},
     "files": {"out/T01/draw/manifest.json": "<sha256>", ...}, "prev": "<hash of previous entry>",
     "hash": "<sha256 of the canonical JSON of this entry without 'hash'>"}
The first entry's prev is 64 zeros. Editing, removing or reordering any line breaks the chain
at that line, and `verify()` names it.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from . import clock
from .errors import InputInvalid, VerifyFailed
from .fileio import canonical_json

GENESIS = "0" * 64
LEDGER_HEAD = "ledger_head.json"  # the sidecar every official output folder carries


def entry_hash(entry: dict) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(canonical_json(body)).hexdigest()


@dataclass
class ChainReport:
    ok: bool
    entries: int
    broken_seq: int | None = None  # 1-based line number of the first bad entry
    reason: str | None = None


class Ledger:
    def __init__(self, path: Path):
        self.path = Path(path)

    def read(self) -> list[dict]:
        if not self.path.exists():
            return []
        entries = []
        with open(self.path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    entries.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise InputInvalid(f"台账文件 {self.path} 第{lineno}行不是有效的 JSON：{e.msg}",
                                       hint="台账被手工修改或损坏；请用备份恢复，并运行 ssj verify 检查。") from None
        return entries

    def entries(self, kind: str | None = None, task: str | None = None) -> list[dict]:
        return [e for e in self.read()
                if (kind is None or e.get("kind") == kind) and (task is None or e.get("task") == task)]

    def last(self, kind: str | None = None, task: str | None = None) -> dict | None:
        found = self.entries(kind, task)
        return found[-1] if found else None

    def append(self, kind: str, *, task: str | None, time: str, data: dict,
               files: dict[str, str] | None = None) -> dict:
        """Append one entry. Callers hold the workspace lock. The chain is checked first."""
        entries = self.read()
        report = check_chain(entries)
        if not report.ok:
            raise VerifyFailed(f"台账哈希链在第{report.broken_seq}条记录处断裂：{report.reason}",
                               hint="台账可能被篡改；停止操作并检查 ledger.jsonl。")
        entry = {"seq": len(entries) + 1, "time": time, "kind": kind, "task": task,
                 "data": data, "files": files or {},
                 "prev": entries[-1]["hash"] if entries else GENESIS}
        if clock.overridden():
            entry["clock"] = f"{clock.OVERRIDE_ENV} override"  # a demo or test, not a real moment
        entry["hash"] = entry_hash(entry)
        line = json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        from .recovery import crash_point

        crash_point("appending")
        with open(self.path, "a", encoding="utf-8") as f:
            if os.environ.get("SSJ_TEST_CRASH") == "half_appended":  # a kill in the middle of the write
                f.write(line[: len(line) // 2])
                f.flush()
                crash_point("half_appended")
            f.write(line)
            f.flush()
            os.fsync(f.fileno())
        crash_point("appended")
        return entry

    def write_head(self, folder: Path) -> None:
        """Write `ledger_head.json` into an output folder being staged: the ledger's last sequence
        number and hash at the moment the folder's files were made (the act's own entry, appended
        after, is seq + 1). A sidecar rather than a line inside the CSV keeps every public table
        machine-readable; the folder's ledger entry records its hash like any other output. A
        ledger later found shorter than a head some public folder states has lost its tail."""
        from .fileio import write_json_atomic

        entries = self.read()
        write_json_atomic(Path(folder) / LEDGER_HEAD, {
            "kind": "ledger_head",
            "seq": entries[-1]["seq"] if entries else 0,
            "hash": entries[-1]["hash"] if entries else GENESIS,
            "说明": "本目录文件生成时台账的末条序号和哈希；本次操作的台账记录为其后一条。",
        })

    def verify(self) -> ChainReport:
        return check_chain(self.read())


def check_chain(entries: list[dict]) -> ChainReport:
    prev = GENESIS
    for i, entry in enumerate(entries, 1):
        if entry.get("seq") != i:
            return ChainReport(False, len(entries), i, f"序号应为 {i}，实际为 {entry.get('seq')}（记录被删除或调换）")
        if entry.get("prev") != prev:
            return ChainReport(False, len(entries), i, "与上一条记录的哈希不衔接（记录被删除、插入或调换）")
        if entry_hash(entry) != entry.get("hash"):
            return ChainReport(False, len(entries), i, "记录内容与其哈希不符（记录被修改）")
        prev = entry["hash"]
    return ChainReport(True, len(entries))
