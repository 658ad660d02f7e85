"""Recompute a match from its manifest (`ssj verify out/<task>/match/manifest.json`).

`recompute_match(ws, manifest_path)` is the pure recomputation: the rules and inputs recorded in
the manifest, the frozen officer pool (officer_pool.json, by hash), the draw manifest (by hash)
and the seed give the teams again; it returns the differences (Chinese, empty when identical).
`verify_match_manifest(path, ws=...)` wraps it into a `verify.Report` with the hash checks and,
inside a workspace, the ledger checks. `ssj verify` finds it by name.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..core.audit import check_recorded, find_named
from ..core.errors import SsjError
from ..core.fileio import sha256_file
from ..core.workspace import Workspace
from ..intake.records import Inspector, Target
from .teams import MatchInput, MatchRules, match


def selected_codes(draw_manifest: dict, substitutions: list[dict]) -> list[str]:
    """The draw's selected codes in stratum and ticket order, substitutions applied in place."""
    swaps = {s["out"]: s["in"] for s in substitutions}
    out = []
    for stratum in draw_manifest["strata"]:
        for code in stratum["selected"]:
            while code in swaps:
                code = swaps[code]
            out.append(code)
    return out


def pool_officers(pool: dict, rules: MatchRules) -> tuple[dict[str, list[Inspector]], dict[str, list[Inspector]]]:
    """Inspector records (id, department, area, expert, specialties) from officer_pool.json."""
    def records(entries: list[dict], dept: str) -> list[Inspector]:
        return [Inspector(e["id"], e.get("name", ""), dept, area=e.get("area", ""), expert=bool(e.get("expert")),
                          specialties=tuple(e.get("specialties", ()))) for e in entries]

    depts = [d for d, _ in rules.mix]
    own = {d: records(v["eligible"], d) for d, v in pool.get("departments", {}).items() if d in depts}
    neighbours = {}
    if rules.neighbour_pool:
        neighbours = {d: records(v["eligible"], d) for d, v in (pool.get("neighbours") or {}).items() if d in depts}
    return own, neighbours


def recompute_match(ws: Workspace | None, manifest_path: Path, *, notes: list[str] | None = None) -> list[str]:
    """Differences between the manifest's teams and a recomputation (empty list: identical).

    What could not be checked (the draw manifest not at hand) goes to `notes`, not to the
    differences."""
    manifest_path = Path(manifest_path)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    beside = manifest_path.parent
    diffs: list[str] = []
    pool_path = find_named(ws, manifest["officer_pool"]["path"], beside)
    if pool_path is None:
        return [f"找不到执法人员池 {manifest['officer_pool']['path']}，无法复算"]
    if sha256_file(pool_path) != manifest["officer_pool"]["sha256"]:
        diffs.append(f"执法人员池 {manifest['officer_pool']['path']} 的 SHA-256 与清单不一致（固定后被修改）")
    draw_path = find_named(ws, manifest["draw"]["manifest"], beside)
    if draw_path is not None and draw_path.resolve() == manifest_path.resolve():
        draw_path = None  # both are named manifest.json: beside the match manifest is not the draw's
    codes = [t["credit_code"] for t in manifest["inputs"]["targets"]]
    draw = json.loads(draw_path.read_text(encoding="utf-8")) if draw_path is not None else None
    if not isinstance(draw, dict) or draw.get("kind") != "draw":
        if notes is not None:
            notes.append(f"找不到抽取清单 {manifest['draw']['manifest']}，未核对匹配的对象是否即抽中的对象")
    else:
        if sha256_file(draw_path) != manifest["draw"]["sha256"]:
            diffs.append(f"抽取清单 {manifest['draw']['manifest']} 的 SHA-256 与清单记录不一致")
        expected = selected_codes(draw, manifest.get("substitutions", []))
        if expected != codes:
            diffs.append(f"匹配的对象（{len(codes)} 户）与抽取清单加递补记录得出的抽中对象（{len(expected)} 户）不一致")
        if draw.get("seed") == manifest["seed"]:
            diffs.append("匹配种子与抽取种子相同（不允许）")
    rules = MatchRules.from_dict(manifest["rules"])
    own, neighbours = pool_officers(json.loads(pool_path.read_text(encoding="utf-8")), rules)
    targets = [Target(t["credit_code"], "", area=t.get("area", "")) for t in manifest["inputs"]["targets"]]
    inp = MatchInput(rules=rules, targets=targets, pools=own, seed=manifest["seed"],
                     conflicts=[tuple(x) for x in manifest["inputs"]["conflicts"]],
                     last=manifest["inputs"]["last_inspection"], neighbours=neighbours,
                     direct_reason=manifest.get("direct_reason"), check_eligibility=False)
    try:
        result = match(inp)
    except SsjError as e:
        return diffs + [f"复算无法组成检查组：{e.message}"]
    teams = {t["credit_code"]: t for t in manifest["teams"]}
    if len(teams) != len(result.teams):
        diffs.append(f"清单有 {len(teams)} 个检查组，复算得 {len(result.teams)} 个")
    bad = []
    for team in result.teams:
        got = team.to_dict()
        rec = teams.get(team.credit_code)
        if rec is None or rec.get("no") != got["no"] or rec.get("members") != got["members"] \
                or rec.get("notes") != got["notes"]:
            bad.append(f"第 {got['no']} 组（{team.credit_code}）")
    if bad:
        diffs.append(f"{len(bad)} 个检查组与复算不一致：" + "、".join(bad[:5]) + ("等" if len(bad) > 5 else ""))
    if [f["kind"] for f in result.fallbacks] != [f["kind"] for f in manifest.get("fallbacks", [])]:
        diffs.append("兜底方式（相邻区域人员/直接委派）与复算不一致")
    return diffs


def verify_match_manifest(path: Path, *, ws: Workspace | None = None) -> list:
    """The `ssj verify` report of a match manifest."""
    from ..core.audit import Report, verify_ledger
    from ..draw.seeds import seed_sha256

    path = Path(path)
    manifest = json.loads(path.read_text(encoding="utf-8"))
    rel = ws.rel(path) if ws is not None else str(path)
    rep = Report(f"匹配派发 {manifest.get('task_number', '')}（{rel}）")
    seed = manifest["seed"]
    rep.add(seed_sha256(seed) == manifest.get("seed_sha256"), f"匹配种子「{seed}」的 SHA-256 与清单一致",
            "清单中的匹配种子与其 SHA-256 不符（种子被改动）")
    rep.add(seed_sha256(seed) != manifest["draw"].get("seed_sha256"), "匹配种子不同于抽取种子",
            "匹配种子与抽取种子相同（不允许）")
    notes: list[str] = []
    diffs = recompute_match(ws, path, notes=notes)
    rep.add(not diffs, f"按清单记录的规则、固定的执法人员池、抽取清单和种子复算，{len(manifest['teams'])} 个检查组"
                       "（成员、组长、专家、兜底方式）与清单完全一致",
            "复算与清单不一致：" + "；".join(diffs))
    for note in notes:
        rep.skip(note)
    if ws is None:
        rep.skip("不在工作区内，未核验台账、承诺记录和上次检查人员")
        return [rep]
    _ledger_checks(rep, ws, path, manifest)
    rep.checks.extend(verify_ledger(ws).checks)
    return [rep]


def _ledger_checks(rep, ws: Workspace, path: Path, manifest: dict) -> None:
    from .prepare import last_inspections

    entries = ws.ledger().read()
    entry = check_recorded(rep, ws, entries, "match", path, "匹配派发", "派发")
    if entry is None:
        return
    draw_rel, commit_rel = manifest["draw"]["manifest"], manifest["commitment"]["path"]
    draws = [e for e in entries if e.get("kind") == "draw" and e["data"].get("manifest") == draw_rel]
    rep.add(bool(draws) and draws[0]["seq"] < entry["seq"], "所依据的正式抽取记于台账，早于匹配",
            "台账中没有所依据的抽取记录，或抽取晚于匹配")
    commit = [e for e in entries if e.get("kind") == "freeze" and e["data"].get("commitment") == commit_rel]
    if rep.add(bool(commit) and commit[-1]["data"]["commitment_sha256"] == manifest["commitment"]["sha256"],
               "所依据的固定名录记于台账，哈希一致", "台账中没有所依据的固定名录，或哈希不一致"):
        c = json.loads((ws.root / manifest["commitment"]["path"]).read_text(encoding="utf-8"))
        same = all(c.get("rosters", {}).get(r, {}).get("sha256") == v["sha256"] for r, v in manifest["rosters"].items())
        rep.add(same and c["officer_pool"]["sha256"] == manifest["officer_pool"]["sha256"],
                "执法人员名录、回避名单和执法人员池与固定名录时的哈希一致",
                "执法人员名录、回避名单或执法人员池与固定名录时的哈希不一致")
    codes = {t["credit_code"] for t in manifest["inputs"]["targets"]}
    earlier = Workspace(ws.root)
    last, _, _ = last_inspections(earlier, manifest["task"], codes, before_seq=entry["seq"])
    if manifest["rules"].get("avoid_repeat"):
        rep.add(last == manifest["inputs"]["last_inspection"],
                "回避的上次检查人员与台账中此前各任务的匹配清单一致",
                "清单记录的上次检查人员与台账中此前的匹配清单不一致")
