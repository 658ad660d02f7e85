"""Recompute a draw (`verify_draw`) or check a commitment (`verify_commitment`) for `ssj verify`.

A stranger with the published manifest.json, pool.csv and commitment.json gets the recomputation
and the file hashes; inside the workspace also the ledger: the draw entry (manifest and output
hashes), the freeze entry it rests on (recorded before the draw), every substitution, and the
public 公示名单 against the manifest. Each check is one line of a `core.audit.Report`.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..core.audit import Report, check_files, check_recorded, find_named, shown_path, verify_ledger
from ..core.errors import InputInvalid
from ..core.fileio import sha256_file
from ..core.workspace import Workspace
from .history import SUBSTITUTION_REASONS
from .poolread import read_pool_ids


def verify_draw(manifest_path: Path, *, ws: Workspace | None = None, pool: Path | None = None,
                commitment: Path | None = None) -> Report:
    from .run import draw_strata
    from .seeds import derive_seed, seed_sha256

    manifest_path = Path(manifest_path)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    kind = "试抽" if manifest.get("trial") else "正式抽取"
    rep = Report(f"{kind} {manifest.get('task_number', '')}（{shown_path(ws, manifest_path)}）",
                 trial=bool(manifest.get("trial")) or not manifest.get("official", True))
    beside = manifest_path.parent
    if rep.trial:
        rep.skip("这是试抽（--dry-run）的清单，不是正式抽取结果，不具任何效力")

    # 1. The seed and its derivation.
    seed = manifest["seed"]
    rep.add(seed_sha256(seed) == manifest.get("seed_sha256"), f"种子「{seed}」的 SHA-256 与清单一致",
            "清单中的种子与其 SHA-256 不符（种子被改动）")
    expected_seed = derive_seed(seed, manifest["task_number"], trial=bool(manifest.get("trial")))
    rep.add(expected_seed == manifest["sampler_seed"], f"抽取用种子按规则由公开种子和任务编号得出：{expected_seed}",
            f"抽取用种子应为「{expected_seed}」，清单中为「{manifest['sampler_seed']}」")

    if manifest.get("weak_seed"):
        w = manifest["weak_seed"]
        rep.finding(f"该抽取使用了强度不足的种子（{'；'.join(w.get('reasons', []))}），理由：{w.get('accepted_because')}")
    if manifest.get("redo"):
        rep.finding(f"这是第 {manifest.get('draw_no')} 次正式抽取（重做），取代 {manifest.get('supersedes')}，"
                    f"理由：{manifest.get('reason')}；被取代的抽取仍须公开（见抽取记录.csv）")

    # 2. The pool file and the commitment.
    pool_path = find_named(ws, manifest.get("pool_file"), beside, pool)
    if pool_path is None:
        rep.add(False, f"找不到池文件 {manifest.get('pool_file')}（可用 --pool 指定），无法复算")
        return rep
    pool_ok = rep.add(sha256_file(pool_path) == manifest["pool_sha256"],
                      f"池文件 {shown_path(ws, pool_path)} 的 SHA-256 与清单一致",
                      f"池文件 {shown_path(ws, pool_path)} 的 SHA-256 与清单不一致（池文件被修改）")
    commit_path = find_named(ws, manifest.get("commitment"), beside, commitment)
    commit = None
    if commit_path is None:
        rep.skip(f"找不到承诺文件 {manifest.get('commitment')}，未核验各层户数与抽取数的承诺")
    else:
        rep.add(sha256_file(commit_path) == manifest["commitment_sha256"],
                f"承诺文件 {shown_path(ws, commit_path)} 的 SHA-256 与清单一致（承诺值 {manifest['commitment_sha256']}）",
                f"承诺文件 {shown_path(ws, commit_path)} 的 SHA-256 与清单不一致")
        commit = json.loads(commit_path.read_text(encoding="utf-8"))
        rep.add(commit.get("pool_sha256") == manifest["pool_sha256"] and commit.get("task") == manifest["task"],
                "承诺记录中的池文件哈希与任务与清单一致", "承诺记录中的池文件哈希或任务与清单不一致")

    # 3. Recompute every stratum.
    try:
        ids = read_pool_ids(pool_path)
    except InputInvalid as e:
        rep.add(False, f"池文件无法读取：{e.message}")
        return rep
    committed = {s["name"]: s for s in (commit or {}).get("strata", []) if s.get("drawable", True)}
    listed = {s["name"] for s in manifest["strata"]}
    expected_names = set(committed) if commit is not None else set(ids)
    missing = sorted(expected_names - listed)
    rep.add(not missing, "清单包含全部分层", f"清单缺少分层：{'、'.join(missing)}")
    for s in manifest["strata"]:
        name = s["name"]
        pool_ids = ids.get(name, [])
        if commit is not None:
            c = committed.get(name)
            rep.add(c is not None and c["take"] == s["take"] and c["pool_size"] == s["pool_size"] == len(pool_ids),
                    f"分层「{name}」：可抽取 {s['pool_size']} 户，抽取 {s['take']} 户，与承诺和池文件一致",
                    f"分层「{name}」：清单写可抽取 {s['pool_size']} 户、抽取 {s['take']} 户，承诺为 "
                    f"{c['pool_size'] if c else '无此层'} 户、{c['take'] if c else '-'} 户，池文件中 {len(pool_ids)} 户")
        else:
            rep.add(s["pool_size"] == len(pool_ids), f"分层「{name}」：池文件中 {len(pool_ids)} 户，与清单一致",
                    f"分层「{name}」：清单写可抽取 {s['pool_size']} 户，池文件中 {len(pool_ids)} 户")
        n_res = len(s["reserves"])
        c = committed.get(name)
        if c is not None and "reserves" in c:  # fixed at freeze, part of the commitment
            rep.add(c["reserves"] == n_res, f"分层「{name}」：候补 {n_res} 户，与承诺一致",
                    f"分层「{name}」：清单有候补 {n_res} 户，承诺为 {c['reserves']} 户")
            n_res = c["reserves"]
        try:
            again = draw_strata({name: pool_ids}, [{"name": name, "pool_size": len(pool_ids), "take": s["take"],
                                                    "reserves": n_res}], manifest["sampler_seed"])[0]
        except Exception as e:  # noqa: BLE001 - a broken pool is a failed check, not a crash
            rep.add(False, f"分层「{name}」无法按池文件复算：{getattr(e, 'message', e)}")
            continue
        rep.add(again["selected"] == s["selected"]
                and again["selected_tickets"] == s.get("selected_tickets", again["selected_tickets"]),
                f"分层「{name}」：复算抽中的 {len(s['selected'])} 户与清单完全一致（含顺序）",
                f"分层「{name}」：复算的抽中名单与清单不一致" + _first_diff(again["selected"], s["selected"]))
        rep.add(again["reserves"] == s["reserves"],
                f"分层「{name}」：复算的 {len(s['reserves'])} 户候补与清单一致（含顺序）",
                f"分层「{name}」：复算的候补名单与清单不一致" + _first_diff(again["reserves"], s["reserves"]))
    if not pool_ok:
        rep.add(False, "池文件与清单不符，以上复算结果不能证明抽取有效")
    _check_public_list(rep, ws, beside, manifest, pool_path)

    # 4. The ledger.
    if ws is None:
        rep.skip("不在工作区内，未核验台账（哈希链、抽取与固定名录记录）")
    elif rep.trial:
        _check_trial_not_official(rep, ws, manifest_path)
    else:
        _check_ledger_for_draw(rep, ws, manifest_path, manifest, commit_path)
    return rep


def _check_public_list(rep: Report, ws: Workspace | None, beside: Path, manifest: dict, pool_path: Path) -> None:
    """The public list beside the manifest must say what the manifest says: nature, task, strata,
    the selected codes in order and their names as in the pool file. It is what the public sees."""
    import csv
    import io

    from ..sheets.fastxlsx import escaped
    from .poolread import listed_codes, read_pool_names
    from .history import PUBLIC_CSV, PUBLIC_HEADERS, TRIAL_PREFIX, nature_text

    name = (TRIAL_PREFIX if manifest.get("trial") else "") + PUBLIC_CSV
    path = beside / name
    if not path.is_file():
        if ws is None:
            rep.skip(f"清单旁没有公示名单 {name}，未核对公示内容")
        return  # in a workspace the ledger check names a missing output
    try:
        rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
        names = read_pool_names(pool_path, listed_codes(manifest))
        nature = nature_text(manifest)
    except (UnicodeDecodeError, csv.Error, InputInvalid, KeyError) as e:
        rep.add(False, f"公示名单 {shown_path(ws, path)} 无法读取：{getattr(e, 'message', e)}")
        return
    expected = [[nature, escaped(manifest["task_number"]), escaped(manifest["task_name"]), escaped(s["name"]), code]
                for s in manifest["strata"] for code in s["selected"]]
    problems = []
    if not rows or rows[0] != PUBLIC_HEADERS:
        problems.append("表头不符")
    body = rows[1:]
    if len(body) != len(expected):
        problems.append(f"应有 {len(expected)} 户，公示名单为 {len(body)} 户")
    for n, (row, want) in enumerate(zip(body, expected), 1):
        if len(row) != len(PUBLIC_HEADERS):
            problems.append(f"第 {n + 1} 行列数不对")
        else:
            should = [want[0], want[1], want[2], want[3], str(n), want[4], names.get(want[4], "")]
            diffs = [f"{PUBLIC_HEADERS[i]}应为「{should[i]}」，文件为「{row[i]}」"
                     for i in range(len(PUBLIC_HEADERS)) if row[i] != should[i]]
            if diffs:
                problems.append(f"第 {n + 1} 行（序号 {n}，应为 {want[4]} {should[6]}）：" + "，".join(diffs))
        if len(problems) >= 3:
            break
    rep.add(not problems, f"公示名单 {shown_path(ws, path)} 与清单一致：{len(expected)} 户，顺序、分层、名称和结果性质相同",
            f"公示名单 {shown_path(ws, path)} 与清单不一致：" + "；".join(problems))


def _first_diff(a: list[str], b: list[str]) -> str:
    for i, (x, y) in enumerate(zip(a, b), 1):
        if x != y:
            return f"：第 {i} 位应为 {x}，清单为 {y}"
    if len(a) != len(b):
        return f"：应有 {len(a)} 户，清单为 {len(b)} 户"
    return ""


def _check_trial_not_official(rep: Report, ws: Workspace, manifest_path: Path) -> None:
    rel = ws.rel(manifest_path)
    entries = ws.ledger().entries(kind="draw")
    rep.add(not any(e["data"].get("manifest") == rel for e in entries),
            "台账中没有把该试抽记为正式抽取", "台账把试抽清单记为了抽取结果")


def _check_ledger_for_draw(rep: Report, ws: Workspace, manifest_path: Path, manifest: dict,
                           commit_path: Path | None) -> None:
    chain = verify_ledger(ws)
    rep.checks.extend(chain.checks)
    entries = ws.ledger().read()
    entry = check_recorded(rep, ws, entries, "draw", manifest_path, "抽取", "抽取")
    if entry is None:
        return
    freezes = [e for e in entries if e.get("kind") == "freeze" and e.get("task") == entry.get("task")
               and e["seq"] < entry["seq"]]
    in_force = freezes[-1] if freezes else None
    if rep.add(in_force is not None and in_force["data"].get("commitment_sha256") == manifest["commitment_sha256"],
               f"抽取所依据的承诺（承诺码 {manifest.get('commitment_code')}）是抽取前最后一次固定名录，"
               f"记于台账第 {in_force['seq'] if in_force else '?'} 条，早于抽取",
               "抽取所依据的承诺不是抽取前最后一次固定名录（或台账中没有该固定记录）"):
        check_files(rep, ws, in_force, "固定名录的输出文件")
    earlier = [e["seq"] for e in entries if e.get("kind") == "draw" and e["data"].get("official")
               and e.get("task") != entry.get("task") and e["seq"] < entry["seq"]
               and _same_number(_task_number_of(ws, e), manifest.get("task_number"))]
    rep.add(not earlier, "台账中该任务编号此前没有以其他任务简称正式抽取过",
            f"任务编号「{manifest.get('task_number')}」已在台账第 {'、'.join(map(str, earlier))} 条以其他任务简称"
            "正式抽取，本次是未经重做的第二次正式抽取")
    later = [e for e in entries if e.get("kind") == "draw" and e.get("task") == entry.get("task")
             and e["seq"] > entry["seq"] and e["data"].get("official")]
    if later:
        rep.skip(f"注意：该抽取已被台账第 {later[-1]['seq']} 条的重做抽取取代，不再有效")
    _check_substitutions(rep, entries, entry, manifest, ws.rel(manifest_path))


def _same_number(a, b) -> bool:
    """Equal task numbers, or numbers that differ only in width, spaces or brackets."""
    from ..plan.numbers import number_key

    return isinstance(a, str) and isinstance(b, str) and number_key(a) == number_key(b)


def _task_number_of(ws: Workspace, entry: dict) -> str | None:
    try:
        doc = json.loads((ws.root / entry["data"]["manifest"]).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc.get("task_number") if isinstance(doc, dict) else None


def _check_substitutions(rep: Report, entries: list[dict], draw_entry: dict, manifest: dict, rel: str) -> None:
    subs = [e for e in entries if e.get("kind") == "substitution" and e["data"].get("draw_manifest") == rel]
    if not subs:
        return
    strata = {s["name"]: s for s in manifest["strata"]}
    current = {c: s["name"] for s in manifest["strata"] for c in s["selected"]}
    used: set[str] = set()
    problems = []
    for e in subs:
        d = e["data"]
        s = strata.get(d.get("stratum"))
        if e["seq"] < draw_entry["seq"] or s is None:
            problems.append(f"第 {e['seq']} 条")
            continue
        expected = next((c for c in s["reserves"] if c not in used), None)
        if d.get("reason") not in SUBSTITUTION_REASONS:
            problems.append(f"第 {e['seq']} 条的理由「{d.get('reason')}」不是规定的理由（{'、'.join(SUBSTITUTION_REASONS)}）")
            continue
        if current.get(d.get("out")) != d.get("stratum") or d.get("in") != expected:
            problems.append(f"第 {e['seq']} 条（{d.get('out')} → {d.get('in')}，应递补 {expected}）")
            continue
        used.add(d["in"])
        del current[d["out"]]
        current[d["in"]] = d["stratum"]
    rep.add(not problems, f"{len(subs)} 次递补均按候补顺序取下一户，理由均为规定的理由之一",
            "递补记录不符合候补顺序或规定的理由：" + "；".join(problems))


def verify_commitment(path: Path, *, ws: Workspace | None = None) -> Report:
    path = Path(path)
    commit = json.loads(path.read_text(encoding="utf-8"))
    rep = Report(f"固定名录 {commit.get('task_number', '')}（{shown_path(ws, path)}）")
    beside = path.parent
    for label, rel, digest in (("池文件", commit.get("pool_file"), commit.get("pool_sha256")),
                               ("对象明细", (commit.get("pool_details") or {}).get("path"),
                                (commit.get("pool_details") or {}).get("sha256")),
                               ("执法人员池", (commit.get("officer_pool") or {}).get("path"),
                                (commit.get("officer_pool") or {}).get("sha256"))):
        p = find_named(ws, rel, beside)
        if p is None:
            rep.skip(f"找不到{label} {rel}")
        else:
            rep.add(sha256_file(p) == digest, f"{label} {shown_path(ws, p)} 的 SHA-256 与承诺记录一致",
                    f"{label} {shown_path(ws, p)} 的 SHA-256 与承诺记录不一致")
    if ws is None:
        rep.skip("不在工作区内，未核验台账")
        return rep
    rep.checks.extend(verify_ledger(ws).checks)
    rel = ws.rel(path)
    found = [e for e in ws.ledger().entries(kind="freeze") if e["data"].get("commitment") == rel]
    if rep.add(bool(found), f"台账第 {found[0]['seq'] if found else '?'} 条记录了该固定名录",
               "台账中没有该承诺文件的固定记录"):
        rep.add(sha256_file(path) == found[0]["data"]["commitment_sha256"],
                f"承诺文件的 SHA-256 与台账一致（承诺值 {found[0]['data']['commitment_sha256']}，"
                f"须与事先公布的全值逐位相同；简写 {found[0]['data'].get('code')} 仅供宣读）",
                "承诺文件的 SHA-256 与台账不一致（固定后被修改）")
    return rep
