"""`make bench`: run every bench/bench_*.py in turn and collect their summary lines.

Each benchmark measures its own baseline in the same run (these machines are noisy) and prints
ratios of median CPU time over >= 3 interleaved runs (bench/timing.py); lines starting with
"RESULT" are gathered into the summary at the end. A benchmark that fails (non-zero exit) makes
`make bench` fail. Not run here: bench/province.py (`make bench-province`, 20M rows, minutes)
and bench/measure_engines.py (`make bench-engines`, the engine comparison of docs/scale.md).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    only = set(argv)
    scripts = sorted(p for p in HERE.glob("bench_*.py") if not only or p.stem.removeprefix("bench_") in only)
    summary: list[str] = []
    failed: list[str] = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
        print(proc.stdout, end="", flush=True)
        summary += [line for line in proc.stdout.splitlines() if line.startswith("RESULT")]
        if proc.returncode != 0:
            failed.append(script.name)
        print(f"   ({time.perf_counter() - start:.1f}s, exit {proc.returncode})", flush=True)
    print("\n== summary")
    for line in summary:
        print(line)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
