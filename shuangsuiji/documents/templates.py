"""Where a Word template comes from: the workspace `templates/` folder first (the office's own
edited copy), else the default shipped in the package. `ssj init` copies the defaults there.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from ..core.errors import InputInvalid
from ..core.workspace import Workspace
from .templatebuild import NAMES

FOLDER = "templates"


def default_template(name: str) -> Path:
    return Path(str(resources.files("shuangsuiji").joinpath("documents", "templates", name)))


def find_template(ws: Workspace | None, name: str) -> Path:
    if ws is not None:
        own = ws.root / FOLDER / name
        if own.is_file():
            return own
    return default_template(name)


def copy_defaults(root: Path) -> list[Path]:
    """Copy every default template into root/templates/ (existing files are kept)."""
    dest = Path(root) / FOLDER
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for name in NAMES:
        if not (dest / name).exists():
            shutil.copyfile(default_template(name), dest / name)
        out.append(Path(FOLDER) / name)
    return out


def render(template: Path, context: dict, dest: Path) -> None:
    """Render a docxtpl template into dest; a broken template is the office's input error."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    try:
        doc = DocxTemplate(str(template))
        doc.render(context, autoescape=True)
    except TemplateError as e:
        raise InputInvalid(f"Word 模板 {template} 有错误：{e}",
                           hint="模板中的 {{ }} 和 {% %} 标记须成对、拼写正确；可删除工作区 templates/ 中的该文件，"
                                "改用软件自带模板。") from None
    except Exception as e:  # noqa: BLE001 - not a .docx, damaged zip, …
        raise InputInvalid(f"无法读取 Word 模板 {template}：{type(e).__name__}: {e}",
                           hint="请用 Word 或 WPS 另存为 .docx 格式，或删除该文件改用软件自带模板。") from None
    doc.save(str(dest))
