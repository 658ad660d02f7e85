"""The outputs of one match: the manifest (everything a recomputation needs), the dispatch
workbooks and results templates, and the summary the command prints.
"""

from __future__ import annotations

from pathlib import Path

from .. import __version__
from ..core.fileio import mark_internal, sha256_file, staged_dir, write_json_atomic
from ..core.progress import report
from ..draw.seeds import seed_sha256
from .dispatch import DISPATCH_PREFIX
from .keys import SPEC_VERSION
from .prepare import MANIFEST, Prepared
from .teams import MatchResult


def build_manifest(prep: Prepared, result: MatchResult, *, seed: str, seed_source: str | None, dispatched: str,
                   deadline, confirm_wd: int, match_no: int, redo: bool, reason: str | None,
                   supersedes: str | None) -> dict:
    task, ws = prep.task, prep.ws
    depts = [d for d, _ in prep.rules.mix]
    names = {t.credit_code: t.name for t in prep.targets}
    teams = []
    for team in result.teams:
        d = team.to_dict()
        present = [x for x in depts if any(m.department == x for m in team.members)]
        teams.append({"no": d["no"], "credit_code": d["credit_code"], "name": names[team.credit_code],
                      "departments": present, "members": d["members"], "notes": d["notes"]})
    conflicts = sorted({(c.inspector_id, c.credit_code) for c in prep.inp.conflicts
                        if c.credit_code in names and c.inspector_id in result.officers})
    return {
        "kind": "match",
        "spec": SPEC_VERSION,
        "tool": f"ssj {__version__}",
        "task": task.id,
        "task_number": task.number,
        "task_name": task.name,
        "match_no": match_no,
        "redo": bool(redo),
        "reason": reason if redo else None,
        "supersedes": supersedes,
        "seed": seed,
        "seed_sha256": seed_sha256(seed),
        "seed_source": seed_source,
        "dispatched": dispatched,
        "confirm_deadline": deadline.isoformat(),
        "confirm_wd": confirm_wd,
        "direct_reason": prep.inp.direct_reason,
        "draw": prep.draw,
        "commitment": {"path": prep.commitment["_path"], "sha256": prep.commitment["_sha256"]},
        "officer_pool": prep.pool,
        "rosters": prep.rosters,
        "plan": {"path": ws.rel(prep.lp.path), "sha256": prep.lp.sha256,
                 "task_digest": prep.lp.plan.task_digest(task)},
        "substitutions": prep.substitutions,
        "last_inspection_sources": prep.last_sources,
        "rules": prep.rules.to_dict(),
        "inputs": {
            "targets": [{"credit_code": t.credit_code, "area": t.area} for t in prep.targets],
            "conflicts": [list(x) for x in conflicts],
            "last_inspection": {c: list(ids) for c, ids in prep.inp.last.items()},
        },
        "teams": teams,
        "workload": result.workload,
        "fallbacks": result.fallbacks,
        "warnings": result.warnings,
    }


def write_outputs(prep: Prepared, result: MatchResult, manifest: dict, folder: Path, manifest_rel: str,
                  notes: list[str], warnings: list[str], progress=None) -> dict[str, str]:
    from ..sheets.writers import write_xlsx
    from .dispatch import DispatchInfo, workbooks

    info = DispatchInfo(
        task_id=prep.task.id, task_number=prep.task.number, task_name=prep.task.name,
        departments=list(prep.rules.departments), items=list(prep.rules.items), methods=list(prep.task.method),
        dispatched=manifest["dispatched"], deadline=_date(manifest["confirm_deadline"]),
        confirm_wd=manifest["confirm_wd"], seed=manifest["seed"], seed_sha256=manifest["seed_sha256"],
        seed_source=manifest["seed_source"], manifest=manifest_rel, draw_manifest=prep.draw["manifest"],
        commitment_code=prep.draw.get("commitment_code"), redo=manifest["redo"], reason=manifest["reason"],
        direct_reason=manifest["direct_reason"], workload_notes=notes, warnings=warnings)
    books = workbooks(info, result, prep.targets)
    files: dict[str, str] = {}
    with staged_dir(folder) as tmp:
        write_json_atomic(tmp / MANIFEST, manifest)
        mark_internal(tmp / MANIFEST)  # every team by officer id (执法证号): for verification, not for release
        for i, (name, sheets) in enumerate(books.items(), 1):
            report(progress, "写派发单", i, len(books))
            write_xlsx(tmp / name, sheets)
            if name.startswith(DISPATCH_PREFIX):
                mark_internal(tmp / name)  # teams with officer names and 执法证号: not for release
        prep.ws.ledger().write_head(tmp)
        for p in sorted(tmp.iterdir()):
            files[prep.ws.rel(folder / p.name)] = sha256_file(p)
    return files


def _date(text: str):
    from datetime import date

    return date.fromisoformat(text)


def summary(prep: Prepared, result: MatchResult, manifest: dict, files: dict, seq: int, notes: list[str],
            warnings: list[str]) -> dict:
    rules = prep.rules
    depts = []
    for d, n in rules.mix:
        w = result.workload.get(d, {})
        depts.append({"department": d, "name": rules.dept_name(d), "per_team": n, "officers": w.get("officers", 0),
                      "min": w.get("min", 0), "max": w.get("max", 0), "balanced": w.get("balanced", True),
                      "direct_slots": w.get("direct_slots", 0)})
    added = sum(1 for t in result.teams for x in t.notes if x["rule"] == "specialist_added")
    missing = sum(1 for t in result.teams for x in t.notes if x["rule"] == "specialist_missing")
    return {
        "task": prep.task.id, "task_number": prep.task.number, "task_name": prep.task.name,
        "match_no": manifest["match_no"], "redo": manifest["redo"], "reason": manifest["reason"],
        "seed": manifest["seed"], "seed_sha256": manifest["seed_sha256"], "seed_source": manifest["seed_source"],
        "draw_manifest": prep.draw["manifest"], "commitment_code": prep.draw.get("commitment_code"),
        "teams": len(result.teams), "team_size": rules.team_size, "initiator": rules.initiator,
        "initiator_name": rules.dept_name(rules.initiator), "departments": depts,
        "specialists_added": added, "specialists_missing": missing,
        "fallbacks": result.fallbacks, "workload_notes": notes,
        "dispatched": manifest["dispatched"], "confirm_deadline": manifest["confirm_deadline"],
        "confirm_wd": manifest["confirm_wd"], "manifest": next(f for f in files if f.endswith(MANIFEST)),
        "files": sorted(files), "ledger_seq": seq, "warnings": warnings,
    }
