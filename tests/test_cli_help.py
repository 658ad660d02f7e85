"""Every command has Chinese help, and the README's command reference names it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shuangsuiji.cli.app import app
from shuangsuiji.cli.main import COMMAND_MODULES, _load

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _commands() -> list[tuple[str, ...]]:
    _load()
    out = []
    for info in app.registered_commands:
        out.append((info.name,))
    for group in app.registered_groups:
        for info in group.typer_instance.registered_commands:
            out.append((group.name, info.name))
    return out


def test_every_command_module_registers_something():
    names = {c[0] for c in _commands()}
    for module in COMMAND_MODULES:
        assert module in names, f"cli/{module}.py registers no command named {module}"


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_command_has_chinese_help_and_is_in_readme(invoke, command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    usage, _, rest = result.stdout.partition("\n")
    assert CJK.search(rest), f"ssj {' '.join(command)} --help has no Chinese description"
    assert f"ssj {' '.join(command)}" in README, f"README does not mention ssj {' '.join(command)}"


def test_top_level_help_lists_every_command_without_truncation(invoke):
    text = invoke("--help").stdout
    for command in {c[0] for c in _commands()}:
        line = next(line for line in text.splitlines() if line.strip().startswith(command + " "))
        assert "..." not in line and CJK.search(line), line


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_every_argument_shows_its_help(invoke, command):
    """`ssj calendar add --help` showed 「起算日期  [必填]」 with nothing to say what a start date is
    (click 8.5 keeps an argument's help itself and typer < 0.26 loses it): every positional
    argument's own help text must be in the command's help."""
    import inspect

    import typer

    _load()
    group = next((g.typer_instance for g in app.registered_groups if g.name == command[0]), None) \
        if len(command) > 1 else None
    infos = (group or app).registered_commands
    callback = next(i.callback for i in infos if i.name == command[-1])
    helps = [p.default.help for p in inspect.signature(callback).parameters.values()
             if isinstance(p.default, typer.models.ArgumentInfo)]
    raw = invoke(*command, "--help").stdout
    if helps:
        assert raw.count("参数:") == 1 and "位置参数" not in raw, raw  # one arguments section, not two
    text = re.sub(r"\s", "", raw)  # long help wraps
    for help_text in helps:
        assert help_text and re.sub(r"\s", "", help_text) in text, f"ssj {' '.join(command)} --help: {help_text!r} not shown"


def test_clerk_is_told_to_publish_the_full_commitment_not_the_short_code(invoke, tmp_path):
    """freeze prints the full 承诺值 to publish and a short 承诺码 to read aloud only; ssj init's next
    steps, freeze's help and the re-freeze hint still said to publish the 承诺码."""
    from shuangsuiji.draw import freeze

    texts = [invoke("init", tmp_path / "ws").stdout, invoke("freeze", "--help").stdout, invoke("--help").stdout,
             Path(freeze.__file__).read_text(encoding="utf-8"), README]
    wrong = re.compile(r"公布[^。；\n|]*承诺码|承诺码[^。；\n|]*公布|承诺码[^|\n]*\|\s*公众")
    for text in texts:
        hits = [m.group(0) for m in wrong.finditer(text) if "宣读" not in m.group(0)]
        assert hits == [], hits
    assert "承诺值" in texts[0] and "承诺值" in texts[1]


def test_readme_never_hands_an_internal_file_to_the_public():
    """README's 「哪个文件交给谁」 gave 抽取结果.xlsx (法定代表人, 联系电话) to 「公众 / 办公室」."""
    internal = ("抽取结果.xlsx", "办公室留存.xlsx", "派发单", "结果录入", "pool_details", "officer_pool", "documents/")
    section = README.split("### 哪个文件交给谁", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    rows = [line.split("|")[1:3] for line in section.splitlines() if line.startswith("| `")]
    assert len(rows) >= 10
    for files, who in rows:
        if "公众" in who:
            assert not any(name in files for name in internal), (files, who)
