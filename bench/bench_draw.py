"""Benchmark the draw (issue 3), each against a baseline measured in the same run.

1. The draw over a 1,000,000-entity pool.csv (draw/poolscan.py: the file read, every id ticketed)
   vs `consistent-sampler`'s `sampler` on the same ids in memory (take 3 % plus reserves): ratio
   must be <= 0.5 (issue 12), outputs identical.
2. (--end-to-end only) freeze + draw from a 200,000-row target xlsx vs python-calamine's parse of
   that sheet, bound 2.5: our own proxy from before fastexcel. The issue's line (vs fastexcel's
   parse, bound 2) is bench/bench_xlsx.py; this one is kept for comparisons with earlier figures.
3. The draw workbook (抽取结果.xlsx: 14 columns, --sheet-rows rows) through sheets.writers.write_xlsx
   vs xlsxwriter alone writing the same cells through its own cell methods (no print setup, one
   format, values pre-escaped), in microseconds per cell. Bound 1.25: was our wrapper's overhead
   over xlsxwriter's cell path (1.33 before the fast cell loop); since sheets/xlsxrows.py writes the
   data rows as XML blocks (the same bytes), ours is ~0.23x of that path.

Run:  .venv/bin/python bench/bench_draw.py [--pool 1000000] [--sheet-rows 30000] [--end-to-end [--rows 200000]]
Prints `RESULT ...` summary lines (gathered by bench/run.py); exits 1 if a bound is missed.
Ratios are of median CPU time over --runs interleaved runs (bench/timing.py): a loaded machine
slows both sides alike and does not report a false failure.
Deterministic: data derived arithmetically, no random module.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from shuangsuiji.core.clock import TZ  # noqa: E402
from shuangsuiji.intake.codes import build_code  # noqa: E402
from timing import compare  # noqa: E402

RISKS = ["低", "一般", "较高", "高", "低", "低", "一般", "低"]
TYPES = ["企业", "个体工商户", "企业", "农民专业合作社", "个体工商户"]
INDUSTRIES = ["批发和零售业", "餐饮业", "住宿业", "租赁和商务服务业", "房地产业", "娱乐业", "制造业"]
AREAS = ["人民街所", "南滩所", "饮马街所", "仓门街所", "礼让街所", "总寨所"]
STATES = ["存续"] * 30 + ["在业", "注销", "吊销"]

PLAN = """\
year: 2026
office: 城中区联席办（基准测试）
departments:
  - {id: SCJG, name: 城中区市场监督管理局}
items:
  - {id: SX01, name: 企业公示信息的检查, department: SCJG, category: 市场监管综合}
rosters:
  targets: ../data/targets.xlsx
  inspectors: ../data/inspectors.xlsx
tasks:
  - id: T01
    number: 城中市监抽查〔2026〕1号
    name: 企业公示信息随机抽查
    initiator: SCJG
    items: [SX01]
    sampling:
      strata:
        低: {ratio: 0.03, min_count: 1}
        一般: {ratio: 0.05, min_count: 1}
        较高: {ratio: 0.10, min_count: 1}
        高: {ratio: 0.30, min_count: 1}
      default: {ratio: 0.03}
    exclusions:
      established_within_days: 90
    draw_date: 2026-04-08
    window: {start: 2026-04-15, end: 2026-07-31}
"""


def code(i: int) -> str:
    kind = ("91", "92", "93")[i % 3]
    return build_code(f"{kind}630103", "%08d" % ((i * 7919 + 12345678) % 10**8))


def write_targets(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("名录")
    ws.append(["统一社会信用代码", "企业名称", "市场主体类型", "行业", "住所", "法定代表人", "联系电话",
               "属地监管所", "登记状态", "成立日期", "信用风险分类", "上次检查日期"])
    for i in range(rows):
        ws.append([code(i), f"西宁城中区第{i}号商贸有限公司", TYPES[i % 5], INDUSTRIES[i % 7],
                   f"城中区人民街{i % 997}号", f"经营者{i % 1000}", f"1380000{i % 10000:04d}",
                   AREAS[i % 6], STATES[i % 33], date(2000 + i % 26, 1 + i % 12, 1 + i % 28),
                   RISKS[i % 8], None])
    wb.save(path)


def write_inspectors(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("人员")
    ws.append(["执法证号", "姓名", "部门", "所属所", "执法门类", "业务专长", "是否专家", "执法证有效期至", "在岗状态"])
    for i in range(60):
        ws.append([f"6301030{i:04d}", f"检查员{i}", "SCJG", AREAS[i % 6], "市场监管综合", "", "否",
                   date(2028, 12, 31), "在岗"])
    wb.save(path)


def bench_pool(n: int, runs: int) -> bool:
    """What `ssj draw` does with a frozen pool (poolscan.draw_pool_file: pool.csv read, every id
    ticketed, the candidates ordered) against the package's sampler on the ids already in memory."""
    from consistent_sampler import sampler

    from shuangsuiji.draw.allocation import default_reserves
    from shuangsuiji.draw.poolscan import draw_pool_file
    from shuangsuiji.draw.sampler import sampler_seed

    ids = [code(i) for i in range(n)]
    take = n * 3 // 100
    reserves = default_reserves(take, n)
    seed = sampler_seed("20260408-07-41-93-58-26-11-04", "城中市监抽查〔2026〕1号")
    strata = [{"name": "全部", "pool_size": n, "take": take, "reserves": reserves}]
    folder = Path(tempfile.mkdtemp(prefix="ssj-bench-pool-"))
    try:
        pool = folder / "pool.csv"
        with open(pool, "w", encoding="utf-8-sig", newline="") as f:
            f.write("分层,统一社会信用代码,企业名称\r\n")
            f.writelines(f"全部,{c},西宁城中区第{i}号商贸有限公司\r\n" for i, c in enumerate(ids))
        ours, t_ours, theirs, t_pkg = compare(lambda: draw_pool_file(pool, strata, seed)[0],
                                              lambda: list(sampler(ids, seed=seed, take=take + reserves)), runs)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    same = (ours[0]["selected"] + ours[0]["reserves"] == [t[1] for t in theirs]
            and ours[0]["selected_tickets"] + ours[0]["reserve_tickets"] == [t[0] for t in theirs])
    ratio = t_ours.cpu / t_pkg.cpu
    print(f"RESULT draw pool={n} take={take}+{reserves} (pool.csv read included): ours {t_ours} package {t_pkg} "
          f"ratio {ratio:.2f} (bound 0.5, issue 12) {'identical' if same else 'DIFFERENT'}", flush=True)
    return same and ratio <= 0.5


def bench_end_to_end(rows: int, runs: int) -> bool:
    from python_calamine import CalamineWorkbook

    from shuangsuiji.draw.freeze import freeze_from_plan
    from shuangsuiji.draw.run import draw_from_plan

    root = Path(tempfile.mkdtemp(prefix="ssj-bench-draw-"))
    try:
        (root / "workspace.yaml").write_text("name: bench\n", encoding="utf-8")
        (root / "plans").mkdir()
        (root / "data").mkdir()
        plan = root / "plans" / "plan.yaml"
        plan.write_text(PLAN, encoding="utf-8")
        start = time.perf_counter()
        write_targets(root / "data" / "targets.xlsx", rows)
        write_inspectors(root / "data" / "inspectors.xlsx")
        print(f"   (wrote {rows}-row roster in {time.perf_counter() - start:.1f}s)", flush=True)

        def calamine():
            return CalamineWorkbook.from_path(str(root / "data" / "targets.xlsx")).get_sheet_by_index(0).to_python()

        now = datetime(2026, 4, 8, 9, 30, tzinfo=TZ)

        def ours():
            shutil.rmtree(root / "out", ignore_errors=True)
            (root / "ledger.jsonl").unlink(missing_ok=True)
            frozen = freeze_from_plan(plan, "T01", now=now)
            drawn = draw_from_plan(plan, "T01", "20260408074193582611", now=now, seed_source="bench")
            return frozen, drawn

        (frozen, drawn), t_ours, _, base = compare(ours, calamine, runs)
        ratio = t_ours.cpu / base.cpu
        pool = sum(s["pool_size"] for s in frozen["strata"])
        print(f"RESULT freeze+draw {rows}-row xlsx (pool {pool}, drawn {drawn['selected_total']}): "
              f"ours {t_ours} calamine parse {base} ratio {ratio:.2f} (bound 2.5)", flush=True)
        return ratio <= 2.5
    finally:
        shutil.rmtree(root, ignore_errors=True)


def draw_sheet_rows(n: int) -> list[list]:
    """Rows shaped like the draw workbook's 抽中名单 (drawfiles.workbook): 14 cells, 2 of them numbers."""
    return [[i + 1, RISKS[i % 8], i + 1, "0.%09d" % ((i * 2654435761) % 10**9), code(i),
             f"西宁城中区第{i}号商贸有限公司", TYPES[i % 5], INDUSTRIES[i % 7], f"城中区人民街{i % 997}号",
             AREAS[i % 6], "存续", RISKS[i % 8], f"经营者{i % 1000}", f"1380000{i % 10000:04d}"] for i in range(n)]


def bench_workbook(n: int, runs: int) -> bool:
    import xlsxwriter

    from shuangsuiji.draw.drawfiles import DETAIL_COLUMNS
    from shuangsuiji.sheets.writers import Sheet, write_xlsx

    head = ["序号", "分层", "签序", "签号", "统一社会信用代码", "企业名称", *DETAIL_COLUMNS]
    rows = draw_sheet_rows(n)
    cells = n * len(head)
    root = Path(tempfile.mkdtemp(prefix="ssj-bench-xlsx-"))

    def ours():
        write_xlsx(root / "ours.xlsx", [Sheet("抽中名单", head, rows, title="抽取结果", text_columns=[3, 4])])

    def floor():  # the same cells, straight into xlsxwriter's own (undecorated) cell methods
        wb = xlsxwriter.Workbook(str(root / "floor.xlsx"), {"constant_memory": True, "strings_to_formulas": False,
                                                           "strings_to_urls": False, "strings_to_numbers": False})
        fmt = wb.add_format({"valign": "top", "border": 1})
        ws = wb.add_worksheet("抽中名单")
        string, number = ws._write_string, ws._write_number
        for r, row in enumerate(rows, 2):
            for c, v in enumerate(row):
                if type(v) is str:
                    string(r, c, v, fmt)
                else:
                    number(r, c, v, fmt)
        wb.close()

    try:
        _, t_ours, _, t_floor = compare(ours, floor, runs)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    ratio = t_ours.cpu / t_floor.cpu
    print(f"RESULT draw workbook {n} rows x {len(head)} cols: ours {t_ours} ({t_ours.cpu / cells * 1e6:.2f} us/cell) "
          f"xlsxwriter alone {t_floor} ({t_floor.cpu / cells * 1e6:.2f} us/cell) ratio {ratio:.2f} (bound 1.25)",
          flush=True)
    return ratio <= 1.25


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--pool", type=int, default=1_000_000)
    parser.add_argument("--sheet-rows", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--end-to-end", action="store_true", help="also the calamine-based proxy (see 2. above)")
    args = parser.parse_args()
    ok = bench_workbook(args.sheet_rows, args.runs)
    ok = bench_pool(args.pool, args.runs) and ok
    if args.end_to_end:
        ok = bench_end_to_end(args.rows, args.runs) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
