"""`make bench-province`: freeze, check and draw on a province-size CSV roster (issue 12).

    nice -n 10 .venv/bin/python bench/province.py [--rows 20000000] [--dir /big/tmp] [--mem-cap-gb 10] [--roster F]

Generates a --rows-row, 7-column target CSV (bench/gen_roster.py; ~2.2 GB at 20M rows) in a temp
folder under --dir (deleted afterwards), then measures, each in its own subprocess:
- the baseline: pyarrow.csv.read_csv of the same file (median of --runs runs, peak RSS);
- `ssj freeze` (freeze_from_plan, as `--allow-rejected`: the roster has ~0.3 % bad rows on purpose),
  `ssj check` (run_check) and `ssj draw` (draw_from_plan) on a workspace around that file.
It prints every figure and PASS/FAIL against the bounds of issue 12, and never crashes on a
failure of ours: a MemoryError, a crash, or the memory cap (RLIMIT_AS, so a runaway freeze fails
early instead of starving the other users of the machine; 0 = no cap) is a FAIL line.
Time ratios are of CPU time (user + sys of all threads): load from other users does not inflate
it, and a multi-threaded reader is charged for all its threads. Wall time is printed beside.

Bounds (issue 12): 20M rows — freeze completes, peak RSS <= 6 GB, time <= 4x pyarrow's read;
check and draw complete, peak RSS <= 6 GB each. At --rows below 20M (e.g. 5000000) the bound of the
5M line applies: freeze + draw <= 4x pyarrow's read, peak RSS <= 2x pyarrow's own peak.
Exit status 1 if any bound is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gen_roster import write_csv  # noqa: E402
from measure_engines import make_workspace, measure  # noqa: E402

PROVINCE = 20_000_000
RSS_BOUND_GB = 6.0
TIME_RATIO = 4.0


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def fig(res: dict) -> str:
    if res.get("status") != "ok":
        spent = (f" after cpu {res['cpu']:.1f}s wall {res['wall']:.1f}s peak RSS {res['rss_gb']:.2f} GB"
                 if "cpu" in res else "")
        return f"did not complete: {res.get('status')}{spent}"
    return f"cpu {res['cpu']:.1f}s wall {res['wall']:.1f}s peak RSS {res['rss_gb']:.2f} GB"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=PROVINCE)
    ap.add_argument("--dir", type=Path, default=None, help="where the temp folder goes (needs ~2.5 GB at 20M)")
    ap.add_argument("--runs", type=int, default=3, help="runs of the pyarrow baseline (median)")
    ap.add_argument("--mem-cap-gb", type=float, default=10.0, help="address-space cap of each ssj step; 0 = none")
    ap.add_argument("--roster", type=Path, default=None,
                    help="reuse a roster bench/gen_roster.py wrote earlier with the same --rows (linked, not generated)")
    args = ap.parse_args(argv)
    n = args.rows
    folder = Path(tempfile.mkdtemp(prefix="ssj-province-", dir=args.dir))
    lines: list[tuple[str, bool]] = []
    try:
        roster = folder / "targets.csv"
        start = time.perf_counter()
        if args.roster:
            try:
                os.link(args.roster, roster)
            except OSError:
                shutil.copyfile(args.roster, roster)
            print(f"   reusing {args.roster} ({roster.stat().st_size / 1e9:.2f} GB)", flush=True)
        else:
            write_csv(roster, n)
            print(f"   generated {n} rows, {roster.stat().st_size / 1e9:.2f} GB in {time.perf_counter() - start:.0f}s",
                  flush=True)
        plan = make_workspace(folder, roster)
        base = measure("pyarrow", folder / "data" / roster.name, f"pyarrow read_csv rows={n}", runs=args.runs)
        if base.get("status") != "ok":
            print(f"RESULT province rows={n}: the pyarrow baseline failed ({base.get('status')}); FAIL")
            return 1
        cap = args.mem_cap_gb
        base_cpu = max(base["cpu"], 0.01)  # rounded to 0.01 s by the child; tiny --rows in tests
        froze = measure("freeze", plan, f"ssj freeze rows={n}", mem_cap_gb=cap)
        checked = measure("check", plan, f"ssj check rows={n}", mem_cap_gb=cap)
        if froze.get("status") == "ok":
            drew = measure("draw", plan, f"ssj draw rows={n}", mem_cap_gb=cap)
        else:
            drew = {"status": "not run: no freeze"}
        ok_f = froze.get("status") == "ok"
        if n >= PROVINCE:
            ratio = f"{froze['cpu'] / base_cpu:.1f}x" if "cpu" in froze else "n/a"
            lines.append((f"freeze: {fig(froze)}; {ratio} pyarrow's read CPU (bounds: completes, <= {RSS_BOUND_GB:.0f} GB, "
                          f"<= {TIME_RATIO:.0f}x)",
                          ok_f and froze["rss_gb"] <= RSS_BOUND_GB and froze["cpu"] <= TIME_RATIO * base_cpu))
            for name, res in (("check", checked), ("draw", drew)):
                ok = res.get("status") == "ok" and res["rss_gb"] <= RSS_BOUND_GB
                lines.append((f"{name}: {fig(res)} (bounds: completes, <= {RSS_BOUND_GB:.0f} GB)", ok))
        else:
            ok_d = drew.get("status") == "ok"
            both = ok_f and ok_d
            ratio = (froze["cpu"] + drew["cpu"]) / base_cpu if both else float("inf")
            rss = max(froze.get("rss_gb", 0), drew.get("rss_gb", 0))
            lines.append((f"freeze + draw: freeze {fig(froze)}; draw {fig(drew)}; {ratio:.1f}x pyarrow, "
                          f"peak {rss:.2f} GB = {rss / base['rss_gb']:.1f}x pyarrow's peak "
                          f"(bounds: <= {TIME_RATIO:.0f}x, <= 2x peak)",
                          both and ratio <= TIME_RATIO and rss <= 2 * base["rss_gb"]))
            lines.append((f"check: {fig(checked)} (bound: completes)", checked.get("status") == "ok"))
        print(f"\n== province rows={n}; baseline pyarrow read_csv: {fig(base)} (median of {base['runs']})")
        for text, ok in lines:
            print(f"RESULT province rows={n} {text} {verdict(ok)}", flush=True)
        return 0 if all(ok for _, ok in lines) else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
