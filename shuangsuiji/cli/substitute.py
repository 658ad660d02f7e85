"""`ssj substitute --plan FILE --task T --out CODE --reason TEXT`: the next reserve replaces an entity."""

from __future__ import annotations

from pathlib import Path

import typer

from .app import JSON_OPT, PLAN_OPT, TASK_OPT, TRACEBACK_OPT, app
from .common import Result, run


@app.command("substitute", short_help="由候补递补无法检查的对象", help="递补：抽中的对象在检查前已注销、吊销等无法检查时，按候补名单顺序由同一分层的"
                                "下一户候补替换，并把理由记入台账。")
def substitute(
    plan: Path = PLAN_OPT,
    task: str = TASK_OPT,
    out: str = typer.Option(..., "--out", help="被替换对象的统一社会信用代码。"),
    reason: str = typer.Option(..., "--reason", help="替换理由，只能是规定的理由之一：注销、吊销、撤销登记、迁出、歇业、"
                                                     "无法联系、已列入经营异常、已被依法查处。"),
    note: str = typer.Option(None, "--note", help="具体情况，如“2026-04-10 注销”（与理由一起记入台账和公示名单）。"),
    json_out: bool = JSON_OPT,
    traceback: bool = TRACEBACK_OPT,
) -> None:
    def body() -> Result:
        from ..core import clock
        from ..core.workspace import find_workspace
        from ..draw.substitute import substitute as do_substitute
        from ..plan.load import load_plan

        lp = load_plan(plan)
        t = lp.plan.task(task)
        ws = find_workspace(lp.path)
        with ws.lock():
            data = do_substitute(ws, lp, t, out, reason, now=clock.now(), note=note)
        warnings = data.pop("warnings")
        lines = [f"已递补：任务 {t.id} 分层「{data['stratum']}」 {data['out']} → {data['in']}"
                 f"（签序第 {data['ticket_rank']} 位的候补），理由：{data['reason']}",
                 f"该层剩余候补 {data['reserves_left']} 户。已记入台账第 {data['ledger_seq']} 条。",
                 f"新版公示名单（第 {data['version']} 版）：{data['list']}，请替换已公布的名单。"]
        return Result(data=data, lines=lines, warnings=warnings)

    run("substitute", json_out, body, traceback)
