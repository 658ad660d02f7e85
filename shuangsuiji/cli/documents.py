"""`ssj documents --task T`: per inspected entity a 现场检查记录表 and a 检查告知书 (.docx)."""

from __future__ import annotations

from pathlib import Path

import typer

from .app import JSON_OPT, PLAN_OPT, TASK_OPT, TRACEBACK_OPT, app
from .common import Result, progress_for, run

HELP = ("按匹配结果为每户检查对象生成现场检查记录表和检查告知书（Word .docx），写入 out/<任务>/documents/。"
        "模板优先使用工作区 templates/ 中的文件（ssj init 已复制一份，可按本单位格式修改），否则用软件自带模板。"
        "重新运行会整体替换该目录。")


@app.command("documents", short_help="生成现场检查记录表和检查告知书（Word）", help=HELP)
def documents(
    plan: Path = PLAN_OPT,
    task: str = TASK_OPT,
    today: str = typer.Option(None, "--today", help="告知书落款日期（YYYY-MM-DD）；默认今天。"),
    json_out: bool = JSON_OPT,
    traceback: bool = TRACEBACK_OPT,
) -> None:
    def body() -> Result:
        from ..core.workspace import find_workspace
        from ..documents.inspection import write_task_documents
        from ..plan.load import load_plan
        from .calendar import resolve_today

        lp = load_plan(plan)
        ws = find_workspace(lp.path)
        t = lp.plan.task(task)
        with ws.lock(), progress_for(json_out) as bar:
            data = write_task_documents(ws, lp, t, resolve_today(today), progress=bar)
        lines = [f"已为任务 {t.id}（{t.number}）的 {data['entities']} 户检查对象生成现场检查记录表和检查告知书：",
                 f"  {data['folder']}/（{len(data['files'])} 个文件，内部文件，含执法人员姓名，不得公开）",
                 "  使用的模板：" + "、".join(data["templates"].values()),
                 "  告知书在检查前送达被检查单位；记录表由检查组现场填写，检查人员和被检查单位签字后各部门留存。"]
        return Result(data=data, lines=lines)

    run("documents", json_out, body, traceback)
