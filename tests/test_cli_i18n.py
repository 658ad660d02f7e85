"""Chinese everywhere on the command line: click's and typer's own text comes from our gettext
catalog, usage errors keep the JSON envelope with --json, and --plan defaults to workspace.yaml."""

from __future__ import annotations

import json
import re

import pytest

from shuangsuiji.cli.i18n import LOCALE_DIR, compile_catalog, untranslated

ENGLISH = re.compile(r"Usage:|Options:|Commands:|Show this message|\[required\]|Missing |No such |Error:|"
                     r"is not a valid|is not one of|Try '|Invalid value|\[OPTIONS\]|COMMAND \[ARGS\]")


def test_every_message_of_click_and_typer_has_a_translation():
    assert untranslated() == [], "请在 ssj.po 中补充翻译，再运行 python scripts/make_locale.py"


def test_the_compiled_catalog_is_the_po_file():
    po = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "ssj.po"
    assert po.with_suffix(".mo").read_bytes() == compile_catalog(po), "请运行 python scripts/make_locale.py"


@pytest.mark.parametrize("args", [("--help",), ("draw", "--help"), ("calendar", "--help"), ("report", "deadlines", "-h")])
def test_help_labels_are_chinese(invoke, args):
    r = invoke(*args)
    assert r.exit_code == 0
    assert ENGLISH.search(r.stdout) is None, r.stdout
    assert r.stdout.startswith("用法： ") and "选项" in r.stdout and "显示本帮助后退出。" in r.stdout
    if args == ("draw", "--help"):
        assert "[必填]" in r.stdout


PLACEHOLDER = re.compile(r"\b(TEXT|INTEGER|FLOAT|PATH|FILE|DIRECTORY|BOOLEAN|RANGE|YEAR|DATE|WHAT|RESULTS|"
                         r"N|DIR|WORKSPACE)\b")


def _command_paths():
    import typer.main

    from shuangsuiji.cli.main import _load
    from shuangsuiji.cli.app import app

    _load()
    root = typer.main.get_command(app)
    out = []
    for name, cmd in sorted(root.commands.items()):
        subs = getattr(cmd, "commands", None)
        out += [(name, sub) for sub in sorted(subs)] if subs else [(name,)]
    return out


@pytest.mark.parametrize("path", _command_paths())
def test_every_commands_help_shows_chinese_placeholders(invoke, path):
    """Value placeholders and argument names in help are Chinese (文字, 整数, 目录 …), not TEXT/INTEGER."""
    r = invoke(*path, "--help")
    assert r.exit_code == 0, r.stdout
    lines = r.stdout.splitlines()
    shown = [lines[0]]  # the usage line
    section = None
    for line in lines[1:]:
        if line.endswith(":") and not line.startswith(" "):
            section = line
        elif section in ("选项:", "参数:") and line.startswith("  ") and line.strip():
            shown.append(re.split(r"\s{2,}", line.strip())[0])  # the option or argument column
    found = [x for x in shown if PLACEHOLDER.search(x)]
    assert found == [], found


@pytest.mark.parametrize("args, expected", [
    (("draw", "--plan", "p.yaml"), "错误：缺少选项 '--task' / '-t'."),
    (("drw",), "错误：没有命令 'drw'。"),
    (("draw", "-p", "p.yaml", "-t", "T01", "-s", "1", "--reserves", "两户"), "'--reserves' 的取值无效：'两户' 不是有效的数字。"),
    (("report", "deadlines", "-p", "p.yaml", "--format", "pdf"), "'pdf' 不在可选值中（可选："),
    (("draw", "-p", "p.yaml", "--colour"), "错误：没有选项 '--colour'。"),
    # the clerk saw 「DATE 的值…」: the argument is named as the help names it
    (("calendar", "add", "2026年9月28日", "5"), "错误：起算日期的值「2026年9月28日」不是 YYYY-MM-DD 格式的日期。"),
    (("mark", "confirm", "-p", "p.yaml", "-t", "T01", "--department", "SCJG"),
     "错误：事项应为 confirmed（认领确认）或 summary（总结材料已报送），实际为「confirm」。"),
])
def test_usage_errors_are_chinese_with_exit_2(invoke, args, expected):
    r = invoke(*args)
    assert r.exit_code == 2
    assert expected in r.stderr, r.stderr
    assert ENGLISH.search(r.stderr) is None, r.stderr
    assert r.stdout == ""


@pytest.mark.parametrize("args, command, message", [
    (("draw", "--plan", "p.yaml", "--json"), "draw", "缺少选项 '--task' / '-t'."),
    (("drw", "--json"), "drw", "没有命令 'drw'。"),
    (("calendar", "add", "2026-09-28", "五", "--json"), "calendar add", "'工作日数' 的取值无效：'五' 不是有效的数字。"),
])
def test_with_json_a_usage_error_still_prints_the_envelope(invoke, args, command, message):
    r = invoke(*args)
    assert r.exit_code == 2
    env = json.loads(r.stdout)
    assert env["ok"] is False and env["exit_code"] == 2 and env["command"] == command
    (err,) = env["errors"]
    assert err["code"] == "usage" and err["message"].startswith(message) and "--help" in err["hint"]


def test_plan_defaults_to_the_one_recorded_in_workspace_yaml(invoke, tmp_path, monkeypatch):
    assert invoke("init", tmp_path / "ws").exit_code == 0
    monkeypatch.chdir(tmp_path / "ws" / "data")  # anywhere inside the workspace
    r = invoke("plan", "export", "--json")
    assert r.exit_code == 0, r.stdout
    assert r.json["data"]["plan"].endswith("plans/chengzhong-2026.yaml")
    monkeypatch.chdir(tmp_path)
    r = invoke("plan", "export")
    assert r.exit_code == 2 and "未指定计划文件" in r.stderr and "workspace.yaml" in r.stderr
