"""`ssj verify`: one entry that sends each file to the stage that can recompute it.

By the file's `kind`: a draw manifest to draw.verify, a commitment to draw.verify, a match
manifest to match.verify, a publish manifest to publish.verify, a ledger.jsonl to the chain check;
with no file, the ledger, every draw, match and publication the ledger records, every version of
a public list written by a substitution, the workspace's outputs against the ledger (unrecorded
official outputs, a cut ledger tail, interrupted runs moved aside), and the findings an auditor
must see (redo, re-freeze after a draw, weak seeds). Each check is one line saying what was compared; any failure
makes the result VERIFY_FAILED.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..core.audit import Report, verify_ledger, verify_outputs, workspace_of
from ..core.errors import FileMissing, InputInvalid
from ..core.workspace import Workspace, find_workspace
from ..draw.verify import verify_commitment, verify_draw

# --------------------------------------------------------------------------- ledger


# --------------------------------------------------------------------------- draw


# --------------------------------------------------------------------------- commitment


# --------------------------------------------------------------------------- dispatch

def verify_path(path: Path | None, *, start: Path | None = None, pool: Path | None = None,
                commitment: Path | None = None) -> list[Report]:
    """Verify one file (a draw or match manifest, a commitment, the ledger) or, with no file,
    the ledger and every draw and match recorded in the workspace at `start`."""
    from ..draw.history import findings, verify_list_versions
    from ..match.verify import verify_match_manifest
    from ..publish.verify import verify_publication

    if path is None:
        ws = find_workspace(start or Path.cwd())
        reports = [verify_ledger(ws)]
        reports.append(verify_outputs(ws))
        try:
            entries = ws.ledger().read()
        except InputInvalid:
            return reports
        noun = {"draw": "抽取", "match": "匹配派发", "publish": "结果公示"}
        for e in entries:
            if e["kind"] not in noun:
                continue
            p = ws.root / e["data"]["manifest"]
            if not p.is_file():
                r = Report(f"{noun[e['kind']]} {e.get('task')}（{e['data']['manifest']}）")
                r.add(False, "台账记录的清单文件不存在")
                reports.append(r)
            else:
                check = {"draw": lambda p=p: [verify_draw(p, ws=ws)],
                         "match": lambda p=p: verify_match_manifest(p, ws=ws),
                         "publish": lambda p=p: [verify_publication(p, ws=ws)]}[e["kind"]]
                reports.extend(_guarded(f"{noun[e['kind']]} {e.get('task')}（{e['data']['manifest']}）", check))
        reports += [r for r in (verify_list_versions(ws), findings(ws)) if r is not None]
        return reports
    path = Path(path)
    if not path.is_file():
        raise FileMissing(f"找不到要核验的文件：{path}")
    ws = workspace_of(path)
    if path.suffix == ".jsonl":
        if ws is None or path.resolve() != ws.ledger_path.resolve():
            ws = Workspace(path.parent)
        return [verify_ledger(ws)]
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InputInvalid(f"{path} 不是 JSON 文件。",
                           hint="可核验：抽取清单 manifest.json、承诺文件 commitment.json、台账 ledger.jsonl。") from None
    kind = doc.get("kind") if isinstance(doc, dict) else None
    subject = ws.rel(path) if ws is not None else str(path)
    if kind == "draw":
        return _guarded(subject, lambda: [verify_draw(path, ws=ws, pool=pool, commitment=commitment)])
    if kind == "commitment":
        return _guarded(subject, lambda: [verify_commitment(path, ws=ws)])
    if kind == "match":
        return _guarded(subject, lambda: verify_match_manifest(path, ws=ws))
    if kind == "publish" and ws is not None:
        from ..publish.verify import verify_publication

        return _guarded(subject, lambda: [verify_publication(path, ws=ws)])
    raise InputInvalid(f"{path} 不是 ssj 的抽取清单、承诺文件或台账。",
                       hint="可核验：out/<任务>/draw/manifest.json、out/<任务>/freeze/commitment.json、ledger.jsonl。")


def _guarded(subject: str, check) -> list[Report]:
    """Run one verification; a file it needs that is not valid JSON, lacks a field or holds the
    wrong type (edited by hand) is a failed check naming the subject, never an internal error.
    The file hashes in the other reports say which file was changed."""
    from ..core.errors import SsjError

    try:
        return check()
    except SsjError as e:
        what = e.message
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, OSError) as e:
        what = f"{type(e).__name__}: {e}"
    rep = Report(subject)
    rep.add(False, "", f"{subject} 无法核验：所需的清单或文件内容不完整或不是有效的 JSON（{what}）；"
                       "很可能被手工改动过，请对照台账记录的哈希查找被改动的文件")
    return [rep]

