"""Regenerate the default Word templates shipped in shuangsuiji/documents/templates/."""

from pathlib import Path

from shuangsuiji.documents.templatebuild import build

ROOT = Path(__file__).resolve().parent.parent
for p in build(ROOT / "shuangsuiji" / "documents" / "templates"):
    print(p.relative_to(ROOT))
