"""Regenerate the shipped sample: rosters in data/ and the package copy of the sample plan.

    .venv/bin/python scripts/make_sample.py [DATA_DIR]     (default: data/ of this repo)

The rosters are deterministic (same bytes every run). `ssj init` writes the very same files into
a new workspace, with the plan from shuangsuiji/sample/ (package data, so it also works when
installed from a wheel); this script copies plans/chengzhong-2026.yaml there. tests/test_init.py
checks both, so run this after changing sample/generator.py or the sample plan.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from shuangsuiji.sample.generator import generate

ROOT = Path(__file__).resolve().parent.parent
PLAN = "chengzhong-2026.yaml"


def main(argv: list[str]) -> int:
    dest = Path(argv[0]) if argv else ROOT / "data"
    for path in generate(dest):
        print(f"{path.relative_to(dest)}  {path.stat().st_size:,} 字节")
    if not argv:
        shutil.copyfile(ROOT / "plans" / PLAN, ROOT / "shuangsuiji" / "sample" / PLAN)
        print(f"shuangsuiji/sample/{PLAN}（plans/{PLAN} 的副本）")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
