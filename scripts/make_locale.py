"""Compile shuangsuiji/cli/locale/*/LC_MESSAGES/ssj.po to .mo (babel), and list click/typer
messages the catalog does not translate yet (add them to the .po, then run this again)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shuangsuiji.cli.i18n import compile_catalog, untranslated  # noqa: E402

for po in sorted((ROOT / "shuangsuiji" / "cli" / "locale").glob("*/LC_MESSAGES/*.po")):
    mo = po.with_suffix(".mo")
    mo.write_bytes(compile_catalog(po))
    print(mo.relative_to(ROOT))
missing = untranslated()
for m in missing:
    print("未翻译：", m)
sys.exit(1 if missing else 0)
