"""Benchmark: shuangsuiji.sampler against consistent-sampler 1.0.10 on 1,000,000 credit codes.

Run:  .venv/bin/python bench/bench_sampler.py [--n 1000000]

Prints one RESULT line per measurement (gathered by bench/run.py), e.g.
    RESULT sampler 1e6 take=30000: ours 1.23s cpu (...) package 4.56s cpu (...) ratio 0.27 identical
and exits 1 if any output differs from the package or any ratio exceeds 1.0. Ratios are of median
CPU time over --runs interleaved runs (bench/timing.py), so a loaded machine does not fail them.
Deterministic: the ids are derived arithmetically, no random module.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from consistent_sampler import sampler as package_sampler  # noqa: E402

from shuangsuiji.draw.sampler import order, sample, sampler_seed  # noqa: E402
from timing import compare  # noqa: E402

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def credit_code(i: int) -> str:
    """The i-th synthetic, check-valid 统一社会信用代码 of 城中区 (630103), distinct for i < 10**8."""
    kind = ("91", "92", "93")[i % 3]
    body = "%08d" % ((i * 7919 + 12345678) % 10**8)  # a bijection on 0..10**8-1
    c9 = 11 - sum(int(d) * w for d, w in zip(body, ORG_WEIGHTS)) % 11
    org = body + ("X" if c9 == 10 else "0" if c9 == 11 else str(c9))
    first17 = kind + "630103" + org
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return first17 + USCC_ALPHABET[(31 - total % 31) % 31]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    n = args.n
    ids = [credit_code(i) for i in range(n)]
    assert len(set(ids)) == n
    seed = sampler_seed("20260315-07-41-93-58-26", "城中市监抽查〔2026〕1号")
    label = f"{n:.0e}".replace("+0", "").replace("+", "")
    ok = True
    for take in (max(1, n * 3 // 100), n):
        mine = (lambda: order(ids, seed)) if take == n else (lambda: sample(ids, seed, take))
        ours, t_ours, theirs, t_pkg = compare(
            mine, lambda: list(package_sampler(ids, seed=seed, take=take)), args.runs)
        same = [(t.ticket, t.id) for t in ours] == [(t[0], t[1]) for t in theirs]
        ratio = t_ours.cpu / t_pkg.cpu
        ok = ok and same and ratio <= 1.0
        print(f"RESULT sampler {label} take={take}: ours {t_ours} package {t_pkg} "
              f"ratio {ratio:.2f} (bound 1.0) {'identical' if same else 'DIFFERENT'}", flush=True)
        del ours, theirs
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
