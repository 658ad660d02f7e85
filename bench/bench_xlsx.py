"""freeze + draw from a 200,000-row xlsx roster against fastexcel's parse of the same sheet (issue 12).

    .venv/bin/python bench/bench_xlsx.py [--rows 200000] [--runs 3] [--shared-strings] [--row-path]

The roster is bench/gen_roster.py's (7 text columns, ~0.3 % bad rows; openpyxl writes its
strings inline); `--shared-strings` writes the same rows with xlsxwriter's shared-string table,
as Excel itself saves. Both are deterministic. The workspace and plan are measure_engines.py's
(one task, four risk strata). Ours: `freeze_from_plan` + `draw_from_plan` (what `ssj freeze` and
`ssj draw` run), the output folder and ledger removed before each run; baseline:
`fastexcel.read_excel(path).load_sheet(0).to_arrow()`. Ratio of median CPU over >= 3 interleaved
runs (bench/timing.py), with the freeze's and the draw's own medians beside it. Bound: <= 2.0.
Prints one RESULT line; exits 1 if the bound is missed or the roster did not take the columnar
path (intake/xlsxcols.py). `--row-path` measures the row path instead (python-calamine's Python
rows, as before xlsxcols.py), for comparison.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from gen_roster import HEADERS, row, write_xlsx  # noqa: E402
from measure_engines import SEED, _now, make_workspace  # noqa: E402
from timing import compare  # noqa: E402

BOUND = 2.0


def write_shared(path: Path, n: int) -> None:
    """gen_roster's rows through xlsxwriter (shared strings, as Excel saves a workbook)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("检查对象名录")
    ws.write_row(0, 0, HEADERS)
    for i in range(n):
        ws.write_row(i + 1, 0, row(i))
    wb.close()


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--shared-strings", action="store_true")
    ap.add_argument("--row-path", action="store_true", help="measure the row path (xlsxcols.py off)")
    args = ap.parse_args(argv)

    import fastexcel

    from shuangsuiji.draw.freeze import freeze_from_plan
    from shuangsuiji.draw.run import draw_from_plan
    from shuangsuiji.intake.rosters import load_rosters
    from shuangsuiji.intake import xlsxcols
    from shuangsuiji.intake.targettable import TargetTable
    from shuangsuiji.plan.load import load_plan

    if args.row_path:
        xlsxcols.MIN_BYTES = 1 << 62

    root = Path(tempfile.mkdtemp(prefix="ssj-bench-xlsx-"))
    try:
        roster = root / f"targets-{args.rows}.xlsx"
        start = time.perf_counter()
        (write_shared if args.shared_strings else write_xlsx)(roster, args.rows)
        print(f"   (wrote {roster.name}, {roster.stat().st_size / 1e6:.1f} MB, "
              f"in {time.perf_counter() - start:.0f}s)", flush=True)
        plan = make_workspace(root, roster)
        path = root / "data" / roster.name
        columnar = isinstance(load_rosters(load_plan(plan)).targets, TargetTable)
        steps: dict[str, list[float]] = {"freeze": [], "draw": []}

        def ours():
            shutil.rmtree(root / "out", ignore_errors=True)
            (root / "ledger.jsonl").unlink(missing_ok=True)
            cpu = time.process_time()
            frozen = freeze_from_plan(plan, "T01", now=_now(), allow_rejected=True)
            steps["freeze"].append(time.process_time() - cpu)
            cpu = time.process_time()
            drawn = draw_from_plan(plan, "T01", SEED, now=_now(), seed_source="bench")
            steps["draw"].append(time.process_time() - cpu)
            return sum(s["pool_size"] for s in frozen["strata"]), drawn["selected_total"]

        def fastexcel_parse():
            return fastexcel.read_excel(str(path)).load_sheet(0).to_arrow().num_rows

        (pool, drawn), t_ours, rows, t_base = compare(ours, fastexcel_parse, args.runs)
        ratio = t_ours.cpu / t_base.cpu
        ok = ratio <= BOUND and columnar
        kind = "shared strings" if args.shared_strings else "inline strings"
        each = ", ".join(f"{k} {statistics.median(v):.2f}s = {statistics.median(v) / t_base.cpu:.2f}x"
                         for k, v in steps.items())
        print(f"RESULT freeze+draw {args.rows}-row xlsx ({kind}; pool {pool}, drawn {drawn}; "
              f"columnar path: {'yes' if columnar else 'NO'}): ours {t_ours} fastexcel parse ({rows} rows) "
              f"{t_base} ratio {ratio:.2f} (bound {BOUND}) {'PASS' if ok else 'FAIL'} [cpu medians: {each}]",
              flush=True)
        return 0 if ok else 1
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
