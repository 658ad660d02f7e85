"""Timing for the benchmarks that a loaded machine does not turn into false failures.

Five engineers share two cores: a best-of-2 wall time of ours against a baseline measured minutes
apart swings with whoever else is compiling. So every benchmark
- measures its baseline in the same run, interleaved with ours (A B A B A B), and
- compares CPU time (user + sys of this process, all threads: `time.process_time`), which other
  processes do not inflate; the median of >= 3 runs absorbs cache and GC noise. Median wall time
  is printed beside it. Where the baseline is multi-threaded (pyarrow), CPU time would flatter
  us, so those ratios use the median wall time instead (`Timing.wall`).
"""

from __future__ import annotations

import gc
import statistics
import time
from typing import Callable, NamedTuple


class Timing(NamedTuple):
    wall: float  # median wall seconds
    cpu: float  # median CPU seconds (process_time)
    runs: int

    def __str__(self) -> str:
        return f"{self.cpu:.2f}s cpu (wall {self.wall:.2f}s, median of {self.runs})"


def once(fn: Callable[[], object]) -> tuple[object, float, float]:
    """(result, wall, cpu) of one call, after a collection so earlier garbage is not billed."""
    gc.collect()
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w0, time.process_time() - c0


def compare(ours: Callable[[], object], base: Callable[[], object], runs: int = 3
            ) -> tuple[object, Timing, object, Timing]:
    """Run `ours` and `base` alternately `runs` times: (our last result, our timing, base's, base's)."""
    if runs < 3:
        raise ValueError("at least 3 runs: the median of fewer is no better than one noisy sample")
    ow, oc, bw, bc = [], [], [], []
    out = base_out = None
    for _ in range(runs):
        out = base_out = None  # free the previous results before timing again
        out, w, c = once(ours)
        ow.append(w)
        oc.append(c)
        base_out, w, c = once(base)
        bw.append(w)
        bc.append(c)
    med = statistics.median
    return out, Timing(med(ow), med(oc), runs), base_out, Timing(med(bw), med(bc), runs)


def measure(fn: Callable[[], object], runs: int = 3) -> tuple[object, Timing]:
    """Median timing of `runs` calls of `fn`; returns the last result too."""
    walls, cpus = [], []
    out = None
    for _ in range(runs):
        out, w, c = once(fn)
        walls.append(w)
        cpus.append(c)
    return out, Timing(statistics.median(walls), statistics.median(cpus), runs)
