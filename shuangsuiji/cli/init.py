"""`ssj init DIR`: a ready workspace (sample plan, sample rosters, folders) to try every command."""

from __future__ import annotations

from pathlib import Path

import typer

from .app import JSON_OPT, TRACEBACK_OPT, app
from .common import Result, run

HELP = ("建立新的工作区：示例年度计划（plans/）、示例名录（data/）和输出目录（out/），建好即可试用全部命令。"
        "目录须不存在或为空；不会覆盖任何已有文件。")


@app.command("init", short_help="建立新的工作区（含示例计划和名录）", help=HELP)
def init(
    directory: Path = typer.Argument(..., metavar="目录", help="工作区目录（不存在则新建；已存在时须为空目录）。", file_okay=False),
    json_out: bool = JSON_OPT,
    traceback: bool = TRACEBACK_OPT,
) -> None:
    def body() -> Result:
        from ..core.clock import now
        from ..sample.workspace import SAMPLE_PLAN, create_workspace

        from ..documents.templates import copy_defaults

        files = create_workspace(directory, now=now())
        files += copy_defaults(directory)  # the office edits these; ssj documents and summary use them
        plan = f"plans/{SAMPLE_PLAN}"
        lines = [f"已建立工作区：{directory}", *[f"  {f.as_posix()}" for f in files],
                 "  data/results/、data/calendar/、out/（空目录）",
                 "  templates/ 中的 Word 模板（检查记录表、告知书、总结材料）可按本单位格式修改",
                 "下一步：",
                 f"  1. cd {directory}",
                 f"  2. ssj check --plan {plan}          检查计划和名录，查看 out/check/问题清单.xlsx",
                 "  3. 用本单位的年度计划和名录替换示例文件（表头不同时在计划 rosters.columns 中映射），"
                 "重复第 2 步直到没有错误",
                 f"  4. ssj freeze --plan {plan} --task T01   抽取前固定名录，并公布屏幕上的承诺值（完整 64 位）"]
        data = {"workspace": str(directory.resolve()), "plan": plan, "files": [f.as_posix() for f in files]}
        return Result(data=data, lines=lines)

    run("init", json_out, body, traceback)
