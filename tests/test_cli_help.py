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
