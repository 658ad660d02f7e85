"""`ssj check --plan FILE`: validate the plan and every file it references; write 问题清单.xlsx.

Exit status: 0 when the data is usable (warnings allowed); 3 (INPUT_INVALID) when the plan is
invalid, a referenced file cannot be used, or any row was rejected; 4 when the plan file itself
does not exist.
"""

from __future__ import annotations

from pathlib import Path

import typer

from .app import JSON_OPT, PLAN_OPT, TRACEBACK_OPT, app
from .common import Result, progress_for, run

HELP = ("检查计划文件及其引用的全部名录（检查对象、执法检查人员、回避名单、专项库、邻近地区人员），"
        "输出概况并生成问题清单（问题清单.xlsx）。退出码：0 可以使用（可有警告）；3 有错误（被拒收的行、"
        "无法读取的文件或计划错误）；4 找不到计划文件。")


@app.command("check", short_help="检查计划和名录，生成问题清单", help=HELP)
def check(
    plan: Path = PLAN_OPT,
    out: Path = typer.Option(None, "--out", "-o", file_okay=False,
                             help="问题清单的输出目录；默认为工作区的 out/check/，计划不在工作区内时为 ./out/check/。"),
    json_out: bool = JSON_OPT,
    traceback: bool = TRACEBACK_OPT,
) -> None:
    def body() -> Result:
        from ..core.errors import ExitCode
        from ..draw.readiness import run_check

        with progress_for(json_out) as bar:
            report = run_check(plan, out or default_out(plan), progress=bar)
        code = ExitCode.OK if report.usable else ExitCode.INPUT_INVALID
        return Result(data=report.data, lines=report.lines, exit_code=code, errors=report.errors)

    run("check", json_out, body, traceback)


def default_out(plan: Path) -> Path:
    """out/check/ of the workspace holding the plan (or the current folder), else ./out/check/."""
    from ..core.errors import FileMissing
    from ..core.workspace import find_workspace

    for start in (plan.parent, Path.cwd()):
        try:
            return find_workspace(start).out / "check"
        except FileMissing:
            continue
    return Path("out") / "check"
