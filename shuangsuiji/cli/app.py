"""The typer application and its command groups. Command modules attach to these."""

from __future__ import annotations

import typer

HELP = "双随机、一公开 抽查工具：计划检查、可复算的随机抽取与匹配、结果公示、期限提醒。"

app = typer.Typer(help=HELP, no_args_is_help=True, add_completion=False,
                  context_settings={"help_option_names": ["-h", "--help"]}, rich_markup_mode=None)
calendar_app = typer.Typer(help="工作日日历：查看某年工作日安排，计算“N 个工作日后”。", no_args_is_help=True)
report_app = typer.Typer(help="报表：期限提醒等（适合 cron 定时运行）。", no_args_is_help=True)
plan_app = typer.Typer(help="计划：导出对外公布的抽查工作计划表。", no_args_is_help=True)
app.add_typer(calendar_app, name="calendar")
app.add_typer(report_app, name="report")
app.add_typer(plan_app, name="plan")

# Options shared by every command (declare with these so help text stays identical).
JSON_OPT = typer.Option(False, "--json", help="以 JSON 信封输出到标准输出（供脚本和 cron 使用）。")
PLAN_OPT = typer.Option(..., "--plan", "-p", help="计划文件（YAML）路径。", exists=False, dir_okay=False)
TASK_OPT = typer.Option(..., "--task", "-t", help="任务编号或简称，如 T01 或「城中市监抽查〔2026〕1号」。")
TRACEBACK_OPT = typer.Option(False, "--traceback", help="出错时显示完整调用栈（供开发人员排查）。", hidden=True)
