"""`ssj plan export --plan FILE`: the public plan table (抽查工作计划表) as a workbook and CSV."""

from __future__ import annotations

from pathlib import Path

import typer

from .app import JSON_OPT, PLAN_OPT, TRACEBACK_OPT, plan_app
from .common import Result, run


@plan_app.command("export", help="导出对外公布的抽查工作计划表（xlsx，另附 UTF-8 CSV）。")
def export(
    plan: Path = PLAN_OPT,
    out: Path = typer.Option(None, "--out", "-o", dir_okay=False,
                             help="输出的 xlsx 路径；默认为工作区 out/plan/<计划文件名>-抽查工作计划表.xlsx。"),
    json_out: bool = JSON_OPT,
    traceback: bool = TRACEBACK_OPT,
) -> None:
    def body() -> Result:
        from ..core.errors import FileMissing
        from ..core.workspace import find_workspace
        from ..deadlines.planexport import export_plan
        from ..plan.load import load_plan

        lp = load_plan(plan)
        target = out
        if target is None:
            try:
                ws = find_workspace(lp.path)
            except FileMissing as e:
                raise FileMissing(e.message, hint="计划文件不在工作区内时，请用 --out 指定输出文件。") from None
            target = ws.out / "plan" / f"{lp.path.stem}-抽查工作计划表.xlsx"
        if target.suffix.lower() != ".xlsx":
            target = target.with_suffix(".xlsx")
        data = export_plan(lp, target)
        lines = [f"已导出抽查工作计划表：{data['tasks']} 项任务（其中部门联合 {data['joint_tasks']} 项）"]
        lines += [f"  {p}" for p in data["files"]]
        return Result(data=data, lines=lines)

    run("plan export", json_out, body, traceback)
