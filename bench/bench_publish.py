"""Benchmark `ssj publish` against the parse of the result workbooks alone (issue 12:
"publish, 1,000,000 result rows <= 4x the parse of the result workbooks alone").

Run:  .venv/bin/python bench/bench_publish.py [--rows 100000] [--runs 3] [--dir DIR]
      .venv/bin/python bench/bench_publish.py --rows 1000000 --dir /tmp/ssj-publish-1m   # the issue's line

Input, as a clerk returns it: a joint task of two departments over rows/2 entities, each
department's 结果录入 workbook built by match's own `template_sheet` (title row, dropdowns,
protection, one row per target) and filled in (result, problem types, follow-up, method,
dates) arithmetically from hashlib, so every run gets the same bytes of content. With --dir the
workspace is kept and reused by the next run with the same --rows (1,000,000 rows take minutes
to generate); without it, a temporary folder is used and removed.

Measured, each in its own child process (so one run's garbage and peak memory do not leak into
the next), interleaved publish / parse / publish / parse ...:
  parse    python-calamine exactly as publish reads: CalamineWorkbook.from_path, the sheet by
           name, to_python(skip_empty_area=False). Nothing else.
  publish  `publish()` end to end: read, validate, assess, the four files, the ledger entry. Its
           CPU time is also split: reading (`read_results`, calamine included) and the xlsx
           writer (sheets.writers.write_xlsx, the public and office workbooks).
RESULT gives the ratio of median CPU times (process_time of the measured call; both sides are
single-threaded) and each side's peak RSS (ru_maxrss of its child). --runs defaults to 3, and to
1 from 500,000 rows up (a 1M publish takes minutes; one run each is then the measurement).
Exits 1 if the publication is not what the generated data implies, or the 4x bound is missed.
`make bench` runs the default (100,000 rows, ~2 minutes); the 1M line needs the flag above.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shuangsuiji.core.fileio import sha256_file  # noqa: E402
from shuangsuiji.core.resultcodes import TEMPLATE_SHEET, label  # noqa: E402
from shuangsuiji.core.workspace import Workspace  # noqa: E402

BOUND = 4.0
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
DEPTS = {"SCJG": "城中区市场监督管理局", "WSJK": "城中区卫生健康局"}
ITEMS = {"SCJG": "企业公示信息的检查", "WSJK": "公共场所卫生的检查"}
NUMBER, NAME = "城中市监抽查〔2026〕2号", "餐饮服务食品安全和公共场所卫生部门联合抽查"
PLAN = f"""\
year: 2026
office: 基准测试联席办
departments:
  - {{id: SCJG, name: {DEPTS["SCJG"]}}}
  - {{id: WSJK, name: {DEPTS["WSJK"]}}}
items:
  - {{id: SX01, name: {ITEMS["SCJG"]}, department: SCJG}}
  - {{id: SX02, name: {ITEMS["WSJK"]}, department: WSJK}}
rosters: {{targets: ../data/targets.xlsx, inspectors: ../data/inspectors.xlsx}}
tasks:
  - id: T02
    number: {NUMBER}
    name: {NAME}
    initiator: SCJG
    cooperators: [WSJK]
    items: [SX01, SX02]
    sampling: {{default: {{ratio: 0.5}}}}
    team: {{size: 2}}
    draw_date: 2026-05-11
    window: {{start: 2026-05-18, end: 2026-08-31}}
"""
START = date(2026, 5, 18)
TODAY = date(2026, 11, 30)
NOW = "2026-11-30T10:00:00+08:00"
DISPATCHED = "2026-05-11T09:00:00+08:00"


def credit_code(i: int) -> str:
    kind = ("91", "92", "93")[i % 3]
    body = "%08d" % ((i * 7919 + 12345678) % 10**8)
    c9 = 11 - sum(int(d) * w for d, w in zip(body, ORG_WEIGHTS)) % 11
    first17 = kind + "630103" + body + ("X" if c9 == 10 else "0" if c9 == 11 else str(c9))
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return first17 + USCC_ALPHABET[(31 - total % 31) % 31]


def entity_name(code: str) -> str:
    return f"基准{code[-6:]}商贸有限公司"


def pick(*parts) -> int:
    return int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:4], "big")


def entries(code: str, dept: str) -> dict:
    """What the department types into the template for one target (dropdown labels, date cells)."""
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
    return {"检查结果": result, "问题类型": subs, "后续处置": follow, "检查方式": "现场检查" if h % 4 else "书面检查",
            "检查日期": seen, "录入日期": seen + timedelta(days=1 + h % 5)}


def filled_template(dept: str, codes: list[str]):
    """The department's 结果录入 sheet as `ssj match` writes it (match.dispatch.template_sheet),
    then filled in by the department."""
    from shuangsuiji.intake.records import Target
    from shuangsuiji.match.dispatch import DispatchInfo, template_sheet
    from shuangsuiji.match.model import ItemRule, MatchResult, Member, Team
    from shuangsuiji.plan.model import METHODS

    info = DispatchInfo(
        task_id="T02", task_number=NUMBER, task_name=NAME, departments=list(DEPTS.items()),
        items=[ItemRule(f"SX0{i}", ITEMS[d], d) for i, d in enumerate(DEPTS, 1)], methods=list(METHODS),
        dispatched=DISPATCHED, deadline=date(2026, 5, 14), confirm_wd=3, seed="", seed_sha256="", seed_source=None,
        manifest="out/T02/match/manifest.json", draw_manifest="out/T02/draw/manifest.json", commitment_code=None)
    teams = [Team(i + 1, c, [Member(None, d) for d in DEPTS]) for i, c in enumerate(codes)]
    result = MatchResult(teams, {}, [], [], {})
    sheet = template_sheet(info, result, {c: Target(c, entity_name(c)) for c in codes}, dept)
    col = {h: i for i, h in enumerate(sheet.headers)}
    for row in sheet.rows:
        for header, value in entries(row[col["统一社会信用代码"]], dept).items():
            row[col[header]] = value
    return sheet


def build(root: Path, rows: int) -> None:
    """The workspace: plan, the draw and match manifests with their ledger entries, and the two
    filled result workbooks in data/results/T02/."""
    from shuangsuiji.sheets.writers import write_xlsx

    n = rows // 2
    (root / "plans").mkdir(parents=True)
    (root / "workspace.yaml").write_text("name: bench\n", encoding="utf-8")
    (root / "plans" / "plan.yaml").write_text(PLAN, encoding="utf-8")
    ws = Workspace(root)
    codes = [credit_code(i) for i in range(n)]
    for kind, rel, body in (
        ("draw", "out/T02/draw/manifest.json", {"strata": [{"name": "默认", "selected": codes}]}),
        ("match", "out/T02/match/manifest.json",
         {"teams": [{"no": i + 1, "credit_code": c, "name": entity_name(c),
                     "members": [{"department": d} for d in DEPTS]} for i, c in enumerate(codes)]}),
    ):
        path = root / rel
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
        data = {"manifest": rel, "manifest_sha256": sha256_file(path), "official": True, "redo": False,
                "reason": "", "dispatched": DISPATCHED, "fallbacks": []}
        ws.ledger().append(kind, task="T02", time=DISPATCHED, data=data, files={rel: data["manifest_sha256"]})
    folder = root / "data" / "results" / "T02"
    for dept, name in DEPTS.items():
        write_xlsx(folder / f"结果录入-{name}.xlsx", [filled_template(dept, codes)])
    (root / "bench.json").write_text(json.dumps({"rows": rows}), encoding="utf-8")


def ready(root: Path, rows: int) -> bool:
    try:
        return json.loads((root / "bench.json").read_text(encoding="utf-8")) == {"rows": rows}
    except (OSError, ValueError):
        return False


# -- one measured step, in a child process ------------------------------------------------------


def step(kind: str, root: Path) -> dict:
    """Run one measured step here and return its figures (CPU of the call, wall, peak RSS)."""
    files = sorted((root / "data" / "results" / "T02").glob("*.xlsx"))
    out: dict = {}
    if kind == "parse":
        from python_calamine import CalamineWorkbook

        def call():
            return sum(len(CalamineWorkbook.from_path(str(f)).get_sheet_by_name(TEMPLATE_SHEET)
                           .to_python(skip_empty_area=False)) for f in files)
    else:
        from shuangsuiji.plan.load import load_plan
        from shuangsuiji.publish import files as publishfiles
        from shuangsuiji.publish import intake
        from shuangsuiji.publish.publication import Options, publish

        def timed(fn, key):
            def wrapper(*a, **kw):
                c0 = time.process_time()
                try:
                    return fn(*a, **kw)
                finally:
                    out[key] = out.get(key, 0.0) + time.process_time() - c0
            return wrapper

        intake.read_results = timed(intake.read_results, "read_cpu")  # publish imports it at call time
        publishfiles.write_xlsx = timed(publishfiles.write_xlsx, "xlsx_cpu")
        shutil.rmtree(root / "out" / "T02" / "publish", ignore_errors=True)  # the previous run's version
        ledger = root / "ledger.jsonl"
        ledger.write_text("".join(line + "\n" for line in ledger.read_text(encoding="utf-8").splitlines()
                                  if json.loads(line)["kind"] != "publish"), encoding="utf-8")
        lp = load_plan(root / "plans" / "plan.yaml")
        ws = Workspace(root)

        def call():
            pub = publish(ws, lp, lp.plan.task("T02"), [], today=TODAY, now=datetime.fromisoformat(NOW),
                          opts=Options())
            csv_lines = (pub.folder / "公示结果.csv").read_bytes().count(b"\r\n")
            return {"records": len(pub.records), "withheld": len(pub.assessment.withheld),
                    "errors": len(pub.assessment.errors), "csv_lines": csv_lines}
    w0, c0 = time.perf_counter(), time.process_time()
    result = call()
    out.update(cpu=time.process_time() - c0, wall=time.perf_counter() - w0, result=result,
               peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def child(kind: str, root: Path) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--step", kind, "--dir", str(root)],
                          stdout=subprocess.PIPE, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{kind} step failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000, help="result rows in total (two departments)")
    ap.add_argument("--runs", type=int, default=None, help="interleaved runs each (default 3; 1 from 500,000 rows)")
    ap.add_argument("--dir", type=Path, default=None, help="keep the generated workspace here and reuse it")
    ap.add_argument("--step", choices=["parse", "publish"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args.dir)))
        return 0
    rows = args.rows - args.rows % 2
    runs = args.runs or (1 if rows >= 500_000 else 3)
    tmp = None if args.dir else tempfile.mkdtemp(prefix="ssj-bench-publish-")
    root = args.dir or Path(tmp) / "ws"
    try:
        if not ready(root, rows):
            shutil.rmtree(root, ignore_errors=True)
            t0 = time.perf_counter()
            build(root, rows)
            print(f"generated {rows} result rows ({rows // 2} entities x 2 departments) in "
                  f"{time.perf_counter() - t0:.1f}s (not timed below)", flush=True)
        size = sum(f.stat().st_size for f in (root / "data" / "results" / "T02").glob("*.xlsx"))
        print(f"result workbooks: 2 files, {size / 2**20:.1f} MiB", flush=True)
        pub, parse = [], []
        for r in range(runs):
            pub.append(child("publish", root))
            parse.append(child("parse", root))
            print(f"run {r + 1}: publish {pub[-1]['cpu']:.2f}s cpu (read {pub[-1]['read_cpu']:.2f}s, xlsx writer "
                  f"{pub[-1]['xlsx_cpu']:.2f}s), parse {parse[-1]['cpu']:.2f}s cpu", flush=True)
        med = statistics.median
        p_cpu, b_cpu = med(x["cpu"] for x in pub), med(x["cpu"] for x in parse)
        xlsx, read = med(x["xlsx_cpu"] for x in pub), med(x["read_cpu"] for x in pub)
        got = pub[-1]["result"]
        ok_output = got == {"records": rows // 2, "withheld": 0, "errors": 0, "csv_lines": rows // 2 + 1}
        ok_bound = p_cpu <= BOUND * b_cpu
        how = f"median of {runs}" if runs >= 3 else f"{runs} run{'s' if runs > 1 else ''}"
        print(f"publish: {p_cpu:.2f}s cpu (wall {med(x['wall'] for x in pub):.2f}s), of which reading "
              f"{read:.2f}s, the xlsx writer {xlsx:.2f}s, everything else {p_cpu - read - xlsx:.2f}s; "
              f"peak RSS {max(x['peak_mb'] for x in pub):.0f} MB; {got}")
        print(f"parse:   {b_cpu:.2f}s cpu (wall {med(x['wall'] for x in parse):.2f}s); "
              f"peak RSS {max(x['peak_mb'] for x in parse):.0f} MB")
        print(f"RESULT publish {rows} result rows: publish {p_cpu:.1f}s cpu / calamine parse {b_cpu:.1f}s cpu = "
              f"{p_cpu / b_cpu:.2f}x (bound {BOUND:.0f}x) {'OK' if ok_bound else 'FAIL'}; without the xlsx writer "
              f"{(p_cpu - xlsx) / b_cpu:.2f}x; peak RSS publish {max(x['peak_mb'] for x in pub):.0f} MB, "
              f"parse {max(x['peak_mb'] for x in parse):.0f} MB ({how}) {'output ok' if ok_output else 'WRONG output'}",
              flush=True)
        return 0 if ok_output and ok_bound else 1
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
