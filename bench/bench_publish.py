"""Benchmark: 100,000 result rows read, validated and published (ssj publish end to end).

Run:  .venv/bin/python bench/bench_publish.py [--entities 50000]

A joint task of two departments over N entities gives 2·N result rows (N = 50,000 → 100,000),
in two department workbooks as `ssj match` writes them. Everything is generated in a temporary
workspace, deterministically (hashlib, no random). Prints the time of each step and a RESULT line;
exits 1 if the publication is not what the generated data implies.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shuangsuiji.core.fileio import sha256_file  # noqa: E402
from shuangsuiji.core.resultcodes import TEMPLATE_HEADERS, TEMPLATE_SHEET, label  # noqa: E402
from shuangsuiji.core.workspace import Workspace  # noqa: E402
from shuangsuiji.plan.load import load_plan  # noqa: E402
from shuangsuiji.publish.intake import read_results  # noqa: E402
from shuangsuiji.publish.publication import Options, publish  # noqa: E402
from shuangsuiji.publish.validate import load_expected, validate
from shuangsuiji.sheets.writers import Sheet, write_xlsx  # noqa: E402

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
DEPTS = {"SCJG": "城中区市场监督管理局", "WSJK": "城中区卫生健康局"}
PLAN = """\
year: 2026
office: 基准测试联席办
departments:
  - {id: SCJG, name: 城中区市场监督管理局}
  - {id: WSJK, name: 城中区卫生健康局}
items:
  - {id: SX01, name: 企业公示信息的检查, department: SCJG}
  - {id: SX02, name: 公共场所卫生的检查, department: WSJK}
rosters: {targets: ../data/targets.xlsx, inspectors: ../data/inspectors.xlsx}
tasks:
  - id: T02
    number: 城中市监抽查〔2026〕2号
    name: 餐饮服务食品安全和公共场所卫生部门联合抽查
    initiator: SCJG
    cooperators: [WSJK]
    items: [SX01, SX02]
    sampling: {default: {ratio: 0.5}}
    team: {size: 2}
    draw_date: 2026-05-11
    window: {start: 2026-05-18, end: 2026-08-31}
"""
START = date(2026, 5, 18)


def credit_code(i: int) -> str:
    kind = ("91", "92", "93")[i % 3]
    body = "%08d" % ((i * 7919 + 12345678) % 10**8)
    c9 = 11 - sum(int(d) * w for d, w in zip(body, ORG_WEIGHTS)) % 11
    first17 = kind + "630103" + body + ("X" if c9 == 10 else "0" if c9 == 11 else str(c9))
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return first17 + USCC_ALPHABET[(31 - total % 31) % 31]


def pick(*parts) -> int:
    return int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:4], "big")


def result_cells(code: str, dept: str) -> list:
    h = pick(code, dept)
    if h % 100 < 80:
        result, subs, follow = label("1"), None, None
    elif h % 100 < 92:
        result, subs, follow = label("A"), label("2") if h % 2 else label("B"), "责令改正"
    elif h % 100 < 97:
        result, subs, follow = label("E"), None, "责令改正"
    else:
        result, subs, follow = label("F"), None, None
    seen = START + timedelta(days=h % 90)
    return [None, "城中市监抽查〔2026〕2号", code, f"基准{code[-6:]}商贸有限公司", DEPTS[dept], "", result, subs,
            follow, "现场检查", seen, seen + timedelta(days=1 + h % 5), None]


def build(root: Path, n: int) -> tuple[Workspace, Path]:
    ws = Workspace(root)
    (root / "plans").mkdir(parents=True)
    (root / "workspace.yaml").write_text("name: bench\n", encoding="utf-8")
    plan = root / "plans" / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    codes = [credit_code(i) for i in range(n)]
    time_ = "2026-05-11T09:00:00+08:00"
    for kind, rel, body in (
        ("draw", "out/T02/draw/manifest.json", {"strata": [{"name": "默认", "selected": codes}]}),
        ("match", "out/T02/match/manifest.json",
         {"teams": [{"no": i + 1, "credit_code": c, "name": f"基准{c[-6:]}商贸有限公司",
                     "members": [{"department": "SCJG"}, {"department": "WSJK"}]} for i, c in enumerate(codes)]}),
    ):
        path = root / rel
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
        data = {"manifest": rel, "manifest_sha256": sha256_file(path), "official": True, "redo": False,
                "reason": "", "dispatched": time_, "fallbacks": []}
        ws.ledger().append(kind, task="T02", time=time_, data=data, files={rel: data["manifest_sha256"]})
    folder = root / "data" / "results" / "T02"
    for dept, name in DEPTS.items():
        rows = [result_cells(c, dept) for c in codes]
        write_xlsx(folder / f"结果录入-{name}.xlsx", [Sheet(TEMPLATE_SHEET, TEMPLATE_HEADERS, rows)])
    return ws, plan


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entities", type=int, default=50_000)
    n = ap.parse_args().entities
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        ws, plan = build(Path(tmp) / "ws", n)
        print(f"generated {2 * n} result rows in {time.perf_counter() - t0:.1f}s (not timed below)")
        lp = load_plan(plan)
        task = lp.plan.task("T02")
        files = sorted((ws.root / "data" / "results" / "T02").iterdir())
        t0 = time.perf_counter()
        rows, problems = read_results(files, lp, task)
        t_read = time.perf_counter() - t0
        t0 = time.perf_counter()
        problems += validate(rows, load_expected(ws, lp, task), task, date(2026, 11, 30))
        t_check = time.perf_counter() - t0
        t0 = time.perf_counter()
        now = __import__("shuangsuiji.core.clock", fromlist=["now"]).now()
        pub = publish(ws, lp, task, [], today=date(2026, 11, 30), now=now, opts=Options())
        t_all = time.perf_counter() - t0
        ok = len(rows) == 2 * n and not [p for p in problems if p.severity == "error"] and len(pub.records) == n
        print(f"read {len(rows)} rows: {t_read:.2f}s; validate: {t_check:.2f}s; "
              f"publish end to end (read + validate + 4 files + ledger): {t_all:.2f}s; {len(pub.records)} records")
        print(f"RESULT publish {2 * n} rows: read {t_read:.1f}s validate {t_check:.1f}s "
              f"publish-total {t_all:.1f}s {'ok' if ok else 'WRONG'}")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
