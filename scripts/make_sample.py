"""Regenerate the shipped sample rosters in data/ (deterministic: same bytes every run).

    .venv/bin/python scripts/make_sample.py [DATA_DIR]     (default: data/ of this repo)

`ssj init` writes the very same files into a new workspace; tests/test_init.py checks that the
repo's data/ matches the generator, so run this after changing shuangsuiji/samplegen.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

from shuangsuiji.samplegen import generate

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    dest = Path(argv[0]) if argv else ROOT / "data"
    for path in generate(dest):
        print(f"{path.relative_to(dest)}  {path.stat().st_size:,} 字节")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
