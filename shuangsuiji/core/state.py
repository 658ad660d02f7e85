"""What the ledger says about a task: its freezes, official draw, substitutions, match, publications.

The ledger is the single source of truth for workflow state; every stage reads it through here.
Entry kinds and their `data` (see docs/architecture.md):
    freeze        {"commitment": path, "commitment_sha256", "code"}
    draw          {"manifest": path, "manifest_sha256", "official": bool, "redo": bool, "reason"}
    substitution  {"draw_manifest": path, "out": code, "in": code, "stratum", "reason"}
    match         {"manifest": path, "manifest_sha256", "dispatched": time, "redo": bool, "reason", "fallbacks"}
    publish       {"manifest": path, "manifest_sha256", "version": n, "reason", "partial": bool}
    mark          {"what": "confirmed" | "summary_received", "department": id, "date": "YYYY-MM-DD"}
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .workspace import Workspace


@dataclass
class Selected:
    """One drawn target as it stands now (after substitutions)."""

    credit_code: str
    stratum: str
    ticket_rank: int  # 1-based position in the stratum's ticket order
    replaces: str | None = None  # the code it substitutes for, if it came from the reserves


class TaskState:
    def __init__(self, ws: Workspace, task_id: str):
        self.ws = ws
        self.task_id = task_id
        self.entries = ws.ledger().entries(task=task_id)

    def _of(self, kind: str) -> list[dict]:
        return [e for e in self.entries if e["kind"] == kind]

    @property
    def freezes(self) -> list[dict]:
        return self._of("freeze")

    @property
    def latest_freeze(self) -> dict | None:
        return self.freezes[-1] if self.freezes else None

    @property
    def official_draw(self) -> dict | None:
        """The draw in force: the latest official draw entry (a redo supersedes the first)."""
        draws = [e for e in self._of("draw") if e["data"].get("official")]
        return draws[-1] if draws else None

    @property
    def substitutions(self) -> list[dict]:
        draw = self.official_draw
        if draw is None:
            return []
        return [e for e in self._of("substitution")
                if e["data"].get("draw_manifest") == draw["data"]["manifest"]]

    @property
    def match(self) -> dict | None:
        matches = self._of("match")
        return matches[-1] if matches else None

    @property
    def publications(self) -> list[dict]:
        return self._of("publish")

    @property
    def marks(self) -> list[dict]:
        return self._of("mark")

    def load_json(self, rel_path: str) -> dict:
        return json.loads((self.ws.root / rel_path).read_text(encoding="utf-8"))

    def selected(self) -> list[Selected]:
        """Drawn targets in stratum and ticket order, substitutions applied in place."""
        draw = self.official_draw
        if draw is None:
            return []
        manifest = self.load_json(draw["data"]["manifest"])
        swaps = {e["data"]["out"]: e["data"]["in"] for e in self.substitutions}
        out: list[Selected] = []
        for stratum in manifest["strata"]:
            for rank, code in enumerate(stratum["selected"], 1):
                current, replaced = code, None
                while current in swaps:
                    replaced, current = current, swaps[current]
                out.append(Selected(current, stratum["name"], rank, replaces=code if replaced else None))
        return out
