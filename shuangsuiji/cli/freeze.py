"""`ssj freeze --plan FILE --task T`: fix the pool before any seed exists; print the commitment code."""

from __future__ import annotations

from pathlib import Path

import typer

from .app import JSON_OPT, PLAN_OPT, TASK_OPT, TRACEBACK_OPT, app
from .common import Result, progress_for, run


@app.command("freeze", short_help="抽取前固定名录，生成承诺值", help="抽取前固定名录：按任务的范围、登记状态和排除规则确定各分层的可抽取对象和抽取数，"
                            "固定各部门可抽取的执法人员，生成池文件和承诺记录，并给出须公开公布的承诺值（完整 SHA-256；简写的承诺码只供宣读）。"
                            "必须在产生随机种子之前运行。")
def freeze(
    plan: Path = PLAN_OPT,
    task: str = TASK_OPT,
    reason: str = typer.Option(None, "--reason", help="重新固定名录（已固定过）时必须说明理由。"),
    allow_rejected: bool = typer.Option(False, "--allow-rejected",
                                        help="检查对象名录有被拒绝的行时仍然固定（这些行列入承诺记录）。"),
    reserves: int = typer.Option(None, "--reserves", min=0,
                                 help="每层候补户数（计入承诺，抽取时不能再改）；默认为抽取数的 20%（向上取整，至少 2 户）。"),
    json_out: bool = JSON_OPT,
    traceback: bool = TRACEBACK_OPT,
) -> None:
    def body() -> Result:
        from ..core import clock
        from ..draw.freeze import freeze_from_plan

        with progress_for(json_out) as bar:
            data = freeze_from_plan(plan, task, now=clock.now(), reason=reason,
                                    allow_rejected=allow_rejected, reserves=reserves, progress=bar)
        return Result(data=data, lines=freeze_lines(data), warnings=freeze_warnings(data))

    run("freeze", json_out, body, traceback)


def freeze_lines(d: dict) -> list[str]:
    again = f"（第 {d['freeze_no']} 次固定）" if d["freeze_no"] > 1 else ""
    lines = [f"已固定任务 {d['task']}（{d['task_number']} {d['task_name']}）的抽取名录{again}。", ""]
    from ..sheets.writers import display_width

    width = max([display_width(s["name"]) for s in d["strata"]] + [4]) + 2
    lines.append(_pad("分层", width) + "  名录内    排除  可抽取  抽取数  规则")
    for s in d["strata"]:
        excluded = sum(s["excluded"].values())
        take = str(s["take"]) if s["drawable"] else "-"
        lines.append(f"{_pad(s['name'], width)}{s['in_roster']:>8}{excluded:>8}{s['pool_size']:>8}{take:>8}  "
                     f"{s['rule_text'] if s['drawable'] else '不参与抽取'}"
                     + (f"；候补 {s['reserves']} 户" if s["drawable"] else ""))
        if s["excluded"]:
            lines.append("            排除原因：" + "；".join(f"{r} {n} 户" for r, n in s["excluded"].items()))
        for note in s["notes"]:
            lines.append(f"            说明：{note}")
    total = sum(s["take"] for s in d["strata"] if s["drawable"])
    lines.append(f"合计抽取 {total} 户。")
    lines.append("")
    for dept, n in d["officers"].items():
        why = d["officer_ineligible"].get(dept) or {}
        extra = ("；不可抽取：" + "、".join(f"{r} {k} 人" for r, k in why.items())) if why else ""
        lines.append(f"执法人员 {dept}：可抽取 {n} 人{extra}")
    lines += ["", f"承诺值（须公开公布，核验以此全值为准）：{d['commitment_sha256']}",
              f"承诺码（简写，仅供口头宣读）：{d['code']}",
              f"承诺文件：{d['commitment']}",
              f"池文件：{d['pool_file']}（SHA-256 {d['pool_sha256']}）",
              "请在产生随机种子之前公开公布承诺值（可连同池文件和承诺文件），然后公开产生种子，再运行 ssj draw。"]
    return lines


def _pad(text: str, width: int) -> str:
    from ..sheets.writers import display_width

    return text + " " * max(0, width - display_width(text))


def freeze_warnings(d: dict) -> list[str]:
    out = []
    if d.get("after_draw"):
        out.append(f"本任务已正式抽取（{d['after_draw']}），此次重新固定名录是公开行为：须公布新的承诺值和理由；"
                   "重做抽取须用新的公开随机种子，ssj verify 会把此事列为核验发现。")
    if d["rejected_rows"]:
        out.append(f"检查对象名录有 {d['rejected_rows']} 行被拒绝，按 --allow-rejected 固定；这些行已列入承诺记录。")
    for s in d["strata"]:
        if s["drawable"] and s["pool_size"] == 0:
            out.append(f"分层「{s['name']}」没有可抽取的对象。")
        if not s["drawable"]:
            out.append(f"{s['in_roster']} 户对象的信用风险类别在本任务中没有抽取规则，不参与抽取。")
    for dept, n in d["officers"].items():
        if n == 0:
            out.append(f"部门 {dept} 没有可抽取的执法人员，匹配时须按计划启用直接委派或相邻地区人员。")
    return out
