"""The building blocks of `ssj verify`: `Report` (one line per check: 通过 / 不通过 / 未核验),
the ledger chain check, and the checks that a ledger entry records a manifest and its outputs.
Each stage's verification (draw.verify, match.verify) builds on these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import FileMissing, InputInvalid
from .fileio import sha256_file
from .ledger import check_chain
from .workspace import Workspace, find_workspace

PASS, FAIL, SKIP, FINDING = "通过", "不通过", "未核验", "发现"  # a finding: consistent, but must be seen


@dataclass
class Check:
    status: str  # PASS / FAIL / SKIP
    text: str

    def to_dict(self) -> dict:
        return {"status": {PASS: "pass", FAIL: "fail", SKIP: "skipped", FINDING: "finding"}[self.status],
                "text": self.text}


@dataclass
class Report:
    subject: str
    checks: list[Check] = field(default_factory=list)
    trial: bool = False  # a --dry-run draw: never an official result, whatever its checks say

    def add(self, ok: bool, text: str, fail_text: str | None = None) -> bool:
        self.checks.append(Check(PASS if ok else FAIL, text if ok else (fail_text or text)))
        return ok

    def skip(self, text: str) -> None:
        self.checks.append(Check(SKIP, text))

    def finding(self, text: str) -> None:
        """A fact the record holds consistently but an auditor must not miss (a redo, a re-freeze
        after the seed, a weak seed accepted with a reason, an interrupted act moved aside)."""
        self.checks.append(Check(FINDING, text))

    @property
    def ok(self) -> bool:
        return all(c.status != FAIL for c in self.checks)

    @property
    def complete(self) -> bool:
        return all(c.status in (PASS, FINDING) for c in self.checks)

    def to_dict(self) -> dict:
        return {"subject": self.subject, "ok": self.ok, "complete": self.complete, "trial": self.trial,
                "checks": [c.to_dict() for c in self.checks]}


def find_named(ws: Workspace | None, rel: str | None, beside: Path, override: Path | None = None) -> Path | None:
    """A file named in a manifest: the override, the workspace path, or the same name beside it."""
    if override is not None:
        return override if override.is_file() else None
    if not rel:
        return None
    p = Path(rel)
    candidates = [p] if p.is_absolute() else []
    if ws is not None and not p.is_absolute():
        candidates.append(ws.root / p)
    candidates.append(beside / p.name)
    return next((c for c in candidates if c.is_file()), None)


def shown_path(ws: Workspace | None, path: Path) -> str:
    return ws.rel(path) if ws is not None else str(path)


def workspace_of(path: Path) -> Workspace | None:
    try:
        return find_workspace(path)
    except FileMissing:
        return None


def verify_ledger(ws: Workspace) -> Report:
    rep = Report(f"台账 {ws.rel(ws.ledger_path)}")
    if not ws.ledger_path.exists():
        rep.skip("工作区还没有台账（尚无任何正式操作）")
        return rep
    try:
        entries = ws.ledger().read()
    except InputInvalid as e:
        rep.add(False, e.message)
        return rep
    chain = check_chain(entries)
    # Deleting the last entries, or re-hashing the whole file, keeps a chain intact: only the head,
    # compared with one published or kept elsewhere, shows it. So the head is always printed.
    head = f"；末条（第 {entries[-1].get('seq')} 条）哈希 {entries[-1].get('hash')}，请与公布或另存的末条哈希核对" \
        if chain.ok and entries else ""
    rep.add(chain.ok, f"哈希链完整：{chain.entries} 条记录，逐条衔接{head}",
            f"哈希链在第 {chain.broken_seq} 条记录处断裂：{chain.reason}")
    return rep


def check_recorded(rep: Report, ws: Workspace, entries: list[dict], kind: str, manifest_path: Path,
                   noun: str, act: str) -> dict | None:
    """The one `kind` ledger entry recording this manifest; checks the manifest's and outputs' hashes."""
    rel = ws.rel(manifest_path)
    found = [e for e in entries if e.get("kind") == kind and e["data"].get("manifest") == rel]
    if not rep.add(len(found) == 1, f"台账第 {found[0]['seq'] if found else '?'} 条记录了该{noun}",
                   f"台账中{'没有' if not found else '有多条'}该{noun}清单的记录"):
        return None
    entry = found[0]
    rep.add(sha256_file(manifest_path) == entry["data"]["manifest_sha256"], f"{noun}清单的 SHA-256 与台账记录一致",
            f"{noun}清单的 SHA-256 与台账记录不一致（清单在{act}后被修改）")
    check_files(rep, ws, entry, f"{noun}输出的文件")
    return entry


def check_files(rep: Report, ws: Workspace, entry: dict, what: str) -> None:
    """Every output file a ledger entry lists still exists with the hash recorded."""
    bad = []
    for frel, digest in entry.get("files", {}).items():
        p = ws.root / frel
        if not p.is_file():
            bad.append(f"{frel}（缺失）")
        elif sha256_file(p) != digest:
            bad.append(f"{frel}（被修改）")
    rep.add(not bad, f"{what}（{len(entry.get('files', {}))} 个）与台账记录的哈希一致",
            f"{what}与台账记录不一致：" + "、".join(bad))


def verify_outputs(ws: Workspace) -> Report:
    """The workspace's outputs against its ledger: every official-looking output folder is recorded;
    no public folder states a ledger head the ledger no longer has (a cut or rewritten tail); every
    file of every entry (freezes and publications included) still has its recorded hash; what an
    interrupted run left was moved aside (a finding)."""
    import json

    from .ledger import LEDGER_HEAD
    from .recovery import INTERRUPTED, loose_files, moved_aside, unrecorded_outputs

    rep = Report("工作区输出与台账")
    try:
        entries = ws.ledger().read()
    except InputInvalid as e:
        rep.add(False, e.message)
        return rep
    stray = unrecorded_outputs(ws.root, entries)
    rep.add(not stray, "out/ 下每个正式输出目录都有台账记录",
            "以下看起来是正式输出，但台账中没有记录（中断的操作、被删去的台账记录，或手工放入）："
            + "、".join(ws.rel(p) for p in stray))
    loose = [ws.rel(p) for p in loose_files(ws.root, entries) if p.parent not in stray]
    if loose:
        rep.finding(f"out/ 下有 {len(loose)} 个台账中没有记录的文件（不是 ssj 的正式输出，不具效力；可能是手工放入的副本或伪造的名单）："
                    + "、".join(loose[:8]) + ("等" if len(loose) > 8 else ""))
    heads = []
    for path in sorted((ws.root / "out").glob(f"**/{LEDGER_HEAD}")) if (ws.root / "out").is_dir() else []:
        if INTERRUPTED in path.parts:
            continue
        try:
            head = json.loads(path.read_text(encoding="utf-8"))
            heads.append((path, int(head["seq"]), head["hash"]))
        except (OSError, ValueError, KeyError, TypeError):
            rep.add(False, f"{ws.rel(path)} 无法读取")
    cut = []
    for path, seq, digest in heads:
        if seq > len(entries):
            cut.append(f"{ws.rel(path.parent)} 生成时台账已有 {seq} 条，现只有 {len(entries)} 条")
        elif seq > 0 and entries[seq - 1].get("hash") != digest:
            cut.append(f"{ws.rel(path.parent)} 生成时台账第 {seq} 条的哈希为 {digest}，现为 {entries[seq - 1].get('hash')}")
    if heads:
        top = max(heads, key=lambda h: h[1])
        rep.add(not cut, f"{len(heads)} 个正式输出目录记载的台账末条与现台账吻合（最新为第 {top[1]} 条，"
                         f"见 {ws.rel(top[0])}）",
                "台账末尾被截去或改写：" + "；".join(cut))
    for e in entries:
        if e.get("kind") in ("freeze", "publish") and e.get("files"):
            check_files(rep, ws, e, f"台账第 {e['seq']} 条（{e.get('task')} {e['kind']}）记录的文件")
    for e in entries:
        if e.get("kind") == "recovery":
            for m in e["data"].get("moved", []):
                what = f"{m['from']} 移到 {m['to']}" if "from" in m else "写了一半的台账末行移到 " + m["to"]
                rep.finding(f"台账第 {e['seq']} 条（{e['time']}）：上次操作中断，{what}（保留，不具效力）。"
                            "没有台账记录的输出也可能是台账末尾被删去后留下的：请与当时公布的台账末条哈希核对")
    recorded = {m.get("to") for e in entries if e.get("kind") == "recovery" for m in e["data"].get("moved", [])}
    for p in moved_aside(ws.root):
        if ws.rel(p) not in recorded:
            rep.finding(f"{ws.rel(p)} 在 .interrupted 中，但台账中没有移动它的记录")
    return rep
