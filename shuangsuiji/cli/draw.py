"""`ssj draw --plan FILE --task T --seed S`: the verifiable draw of inspection targets."""

from __future__ import annotations

from pathlib import Path

import typer

from .app import JSON_OPT, PLAN_OPT, TASK_OPT, TRACEBACK_OPT, app
from .common import Result, progress_for, run


@app.command("draw", short_help="随机抽取检查对象（可复算）", help="随机抽取检查对象：用公开产生的随机种子，按固定的名录逐层抽取（一致性抽样，"
                          "与 consistent-sampler 1.0.10 结果相同），并给出候补名单。须先 ssj freeze。"
                          "同一任务只能正式抽取一次；重做须 --redo --reason；演练用 --dry-run（试抽，不具效力）。")
def draw(
    plan: Path = PLAN_OPT,
    task: str = TASK_OPT,
    seed: str = typer.Option(..., "--seed", "-s",
                             help="公开产生的随机种子，按原样作为文字使用（不会当作数字；建议至少 20 位）。"),
    seed_source: str = typer.Option(None, "--seed-source", help="种子如何产生，如“5 人现场掷骰，纪检组监督”。"),
    redo: bool = typer.Option(False, "--redo", help="重做已完成的正式抽取（须同时给出 --reason）。"),
    reason: str = typer.Option(None, "--reason", help="重做的理由，记入台账并显示在结果中。"),
    dry_run: bool = typer.Option(False, "--dry-run", help="试抽：输出标明“试抽”，用不同的种子派生方式，不记入台账。"),
    reserves: int = typer.Option(None, "--reserves", hidden=True,
                                 help="已移到 ssj freeze：候补户数在固定名录时确定并计入承诺。"),
    weak_seed_reason: str = typer.Option(None, "--weak-seed-reason",
                                         help="种子短于 20 个字符、过于规律或与已用种子相同时，正式抽取须说明为何仍要使用"
                                              "（记入台账，核验时显示）。"),
    json_out: bool = JSON_OPT,
    traceback: bool = TRACEBACK_OPT,
) -> None:
    def body() -> Result:
        from ..core import clock
        from ..draw.run import draw_from_plan

        with progress_for(json_out) as bar:
            data = draw_from_plan(plan, task, seed, now=clock.now(), seed_source=seed_source, redo=redo,
                                  reason=reason, dry_run=dry_run, reserves=reserves,
                                  weak_seed_reason=weak_seed_reason, progress=bar)
        warnings = data.pop("warnings")
        return Result(data=data, lines=draw_lines(data), warnings=warnings)

    run("draw", json_out, body, traceback)


def draw_lines(d: dict) -> list[str]:
    if d["trial"]:
        head = "【试抽，非正式结果】"
    elif d["redo"]:
        head = f"【正式抽取（第 {d['draw_no']} 次，重做）】"
    else:
        head = "【正式抽取】"
    lines = [f"{head}任务 {d['task']}（{d['task_number']} {d['task_name']}）",
             f"随机种子：「{d['seed']}」（{len(d['seed'])} 个字符，SHA-256 {d['seed_sha256']}）",
             "请核对种子与现场产生的完全一致。",
             f"抽取用种子：{d['sampler_seed']}",
             f"依据的承诺值：{d['commitment_sha256']}（简写 {d['commitment_code']}，仅供宣读）", ""]
    for s in d["strata"]:
        lines.append(f"分层「{s['name']}」：可抽取 {s['pool_size']} 户，抽中 {len(s['selected'])} 户，"
                     f"候补 {len(s['reserves'])} 户")
        shown = s["selected"][:10]
        if shown:
            more = f" 等 {len(s['selected'])} 户" if len(s["selected"]) > len(shown) else ""
            lines.append("    " + "、".join(shown) + more)
    lines += ["", f"合计抽中 {d['selected_total']} 户。输出文件："]
    lines += [f"  {f}" for f in d["files"]]
    if d["trial"]:
        lines.append("试抽结果不具效力，不记入台账；正式抽取须去掉 --dry-run。")
    else:
        lines.append(f"已记入台账第 {d['ledger_seq']} 条。任何人可用 ssj verify {d['manifest']} 复算核验。")
    return lines
