"""The typer application and its command groups. Command modules attach to these."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import typer
from typer.core import TyperGroup


# Placeholders of option values in help (click shows the type's English name: TEXT, INTEGER …).
METAVARS = {"text": "文字", "integer": "整数", "integer range": "整数", "float": "数字", "float range": "数字",
            "path": "路径", "file": "文件", "directory": "目录", "boolean": "是/否", "datetime": "日期"}


def chinese_metavars(cmd: click.Command) -> click.Command:
    """Give every option without a placeholder of its own a Chinese one from its type, in this command
    and the commands of a group under it (a setting of the built click command; no library code is
    patched). Choices keep their [a|b] list."""
    for p in cmd.params:
        if isinstance(p, click.Option) and p.metavar is None and not p.is_flag and p.type.name in METAVARS:
            p.metavar = METAVARS[p.type.name]
        if isinstance(p, click.Argument) and not p.help:
            p.help = _argument_help(cmd, p.name)
            # typer lists arguments with the options; click 8.5 would list them a second time
            cmd.format_arguments = lambda ctx, formatter: None
    if isinstance(cmd, click.Group):
        for sub in cmd.commands.values():
            chinese_metavars(sub)
    return cmd


def _argument_help(cmd: click.Command, name: str | None) -> str | None:
    """An argument's help as declared with `typer.Argument(help=...)`. click 8.5 keeps `help` on
    every parameter and its constructor overwrites the one typer < 0.26 set first, so help showed
    「起算日期  [必填]」 and nothing more; the declaration is still on the command's function."""
    import inspect

    function = getattr(cmd.callback, "__wrapped__", None)
    if function is None or name is None:
        return None
    param = inspect.signature(function).parameters.get(name)
    return getattr(param.default, "help", None) if param is not None else None


class SsjGroup(TyperGroup):
    """The root command: with --json anywhere on the line, a usage error (unknown command, missing
    or invalid option) still prints the JSON envelope, with exit code 2 (USAGE). Every command it
    hands out shows Chinese value placeholders and its arguments' help (`chinese_metavars`)."""

    def get_command(self, ctx, cmd_name):
        cmd = super().get_command(ctx, cmd_name)
        return chinese_metavars(cmd) if cmd is not None else None

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        argv = list(sys.argv[1:] if args is None else args)
        if "--json" not in argv or not standalone_mode:
            return super().main(argv, prog_name, complete_var, standalone_mode, **extra)
        try:
            rv = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as e:
            sys.exit(_usage_envelope(e, argv))
        except click.Abort:
            sys.exit(130)
        sys.exit(rv if isinstance(rv, int) else 0)


def _usage_envelope(e: click.UsageError, argv: list[str]) -> int:
    from ..core.errors import ExitCode, SsjError
    from .common import emit

    path = e.ctx.command_path.split(" ", 1) if e.ctx is not None else []
    command = path[1] if len(path) > 1 else next((a for a in argv if not a.startswith("-")), "")
    where = e.ctx.command_path if e.ctx is not None else "ssj"
    err = SsjError(e.format_message(), hint=f"运行 {where} --help 查看用法。", exit_code=ExitCode.USAGE, code="usage")
    return emit(command, True, error=err)

HELP = "双随机、一公开 抽查工具：计划检查、可复算的随机抽取与匹配、结果公示、期限提醒。"

# Usage lines in Chinese (click's own messages come from the gettext catalog, see cli/i18n.py);
# typer's command suggestion is English-only text, so it is off.
CHINESE = {"options_metavar": "[选项]", "subcommand_metavar": "命令 [参数]...", "suggest_commands": False}

app = typer.Typer(cls=SsjGroup, help=HELP, no_args_is_help=True, add_completion=False,
                  context_settings={"help_option_names": ["-h", "--help"]}, rich_markup_mode=None, **CHINESE)
calendar_app = typer.Typer(help="工作日日历：查看某年工作日安排，计算“N 个工作日后”。", no_args_is_help=True, **CHINESE)
report_app = typer.Typer(help="报表：期限提醒等（适合 cron 定时运行）。", no_args_is_help=True, **CHINESE)
plan_app = typer.Typer(help="计划：导出对外公布的抽查工作计划表。", no_args_is_help=True, **CHINESE)
app.add_typer(calendar_app, name="calendar")
app.add_typer(report_app, name="report")
app.add_typer(plan_app, name="plan")

# Options shared by every command (declare with these so help text stays identical).
JSON_OPT = typer.Option(False, "--json", help="以 JSON 信封输出到标准输出（供脚本和 cron 使用）。")


def default_plan(value: Path | None) -> Path:
    """--plan not given: the plan recorded in the workspace.yaml of the current folder or above."""
    if value is not None:
        return value
    import yaml

    from ..core.errors import SsjError
    from ..core.workspace import MARKER, find_workspace

    try:
        ws = find_workspace(Path.cwd())
    except SsjError:
        raise typer.BadParameter(f"未指定计划文件，当前目录及其上级目录中也没有工作区（{MARKER}）。"
                                 "请用 --plan 指定计划文件，或进入工作区目录后运行。") from None
    try:
        recorded = (yaml.safe_load((ws.root / MARKER).read_text(encoding="utf-8")) or {}).get("plan")
    except (OSError, yaml.YAMLError, AttributeError):
        recorded = None
    if not recorded:
        raise typer.BadParameter(f"未指定计划文件，{ws.root / MARKER} 中也没有记录计划（plan: plans/计划.yaml）。"
                                 "请用 --plan 指定计划文件，或在 workspace.yaml 中加上 plan 一行。")
    return ws.root / str(recorded)


PLAN_OPT = typer.Option(None, "--plan", "-p", help="计划文件（YAML）路径；默认为工作区 workspace.yaml 中记录的计划。",
                        exists=False, dir_okay=False, callback=default_plan, show_default=False)
TASK_OPT = typer.Option(..., "--task", "-t", help="任务编号或简称，如 T01 或「城中市监抽查〔2026〕1号」。")
TRACEBACK_OPT = typer.Option(False, "--traceback", help="出错时显示完整调用栈（供开发人员排查）。", hidden=True)
