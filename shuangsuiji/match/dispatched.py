"""What was dispatched for a task, read back for the paperwork: the match in force (checked
against its ledger hash), its teams, the selected entities' details and the officers' names.

`load_dispatched(ws, task_id)` -> `Dispatched`. Used by the documents stage (inspection records,
notices); nothing here recomputes or judges the match (that is match/verify.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..core.errors import StateError, VerifyFailed
from ..core.fileio import sha256_file
from ..core.state import TaskState
from ..core.workspace import Workspace
from ..intake.records import Target
from .prepare import _targets


@dataclass
class Officer:
    id: str  # 执法证号
    name: str
    department: str


@dataclass
class Dispatched:
    manifest: dict
    manifest_rel: str
    targets: dict[str, Target]  # credit code -> details frozen at the draw (name, address, area)
    officers: dict[str, Officer]  # officer id -> name and department, from the frozen officer pool

    @property
    def teams(self) -> list[dict]:
        return self.manifest["teams"]


def load_dispatched(ws: Workspace, task_id: str) -> Dispatched:
    entry = TaskState(ws, task_id).match
    if entry is None:
        raise StateError(f"任务 {task_id} 还没有匹配检查人员，不能生成检查文书。",
                         hint=f"先运行 ssj match --task {task_id} --seed 种子。")
    rel = entry["data"]["manifest"]
    path = ws.resolve(rel)
    if not path.is_file() or sha256_file(path) != entry["data"]["manifest_sha256"]:
        raise VerifyFailed(f"匹配清单 {rel} 缺失或与台账记录的哈希不一致。", hint="运行 ssj verify 检查，并从备份恢复。")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    commitment_path = ws.resolve(manifest["commitment"]["path"])
    if not commitment_path.is_file() or sha256_file(commitment_path) != manifest["commitment"]["sha256"]:
        raise VerifyFailed(f"承诺文件 {manifest['commitment']['path']} 缺失或与匹配清单记录的哈希不一致。",
                           hint="运行 ssj verify 检查，并从备份恢复。")
    commitment = json.loads(commitment_path.read_text(encoding="utf-8"))
    targets = {t.credit_code: t for t in _targets(ws, commitment, [t["credit_code"] for t in manifest["teams"]])}
    pool_path = ws.resolve(manifest["officer_pool"]["path"])
    if not pool_path.is_file() or sha256_file(pool_path) != manifest["officer_pool"]["sha256"]:
        raise VerifyFailed(f"执法人员池 {manifest['officer_pool']['path']} 缺失或与匹配清单记录的哈希不一致。",
                           hint="请从备份恢复该文件。")
    pool = json.loads(pool_path.read_text(encoding="utf-8"))
    officers: dict[str, Officer] = {}
    for group in ("neighbours", "departments"):  # own department wins when an id is in both
        for dept, v in (pool.get(group) or {}).items():
            for e in v.get("eligible", []):
                officers[e["id"]] = Officer(e["id"], e.get("name", ""), dept)
    return Dispatched(manifest, rel, targets, officers)
