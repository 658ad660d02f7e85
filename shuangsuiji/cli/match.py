"""`ssj match --plan FILE --task T --seed S`: officers drawn and paired with the drawn targets."""

from __future__ import annotations

from pathlib import Path

import typer

from .app import JSON_OPT, PLAN_OPT, TASK_OPT, TRACEBACK_OPT, app
from .common import Result, progress_for, run


@app.command("match", short_help="随机匹配检查人员并派发（可复算）",
             help="第二个随机：从各参与部门固定的可抽取执法人员中随机抽取，与抽中的检查对象配对组成检查组"
                  "（人数、部门构成、组长、回避、所所交叉、不由上次检查人员再查、专家），工作量尽量均衡；"
                  "输出派发单（全部和各部门）、各部门结果录入表和匹配清单，记入台账。须先正式抽取；"
                  "种子须是抽取之后新产生的公开随机数。无法满足规则时说明原因，不写任何文件。"
                  "加 --fairness N 只做公平性检验（N 个派生种子），不写文件、不记台账。")
def match(
    plan: Path = PLAN_OPT,
    task: str = TASK_OPT,
    seed: str = typer.Option(..., "--seed", "-s",
                             help="抽取之后公开产生的新随机种子，按原样作为文字使用（建议至少 20 位；不得与抽取种子相同）。"),
    seed_source: str = typer.Option(None, "--seed-source", help="种子如何产生，如“5 人现场第二次掷骰”。"),
    redo: bool = typer.Option(False, "--redo", help="重新匹配已派发的任务（须同时给出 --reason；原派发单保留）。"),
    reason: str = typer.Option(None, "--reason", help="重新匹配的理由，记入台账和派发单。"),
    direct_reason: str = typer.Option(None, "--direct-reason",
                                      help="计划允许直接委派时，人员不足的名额由部门直接委派，并记录此理由。"),
    weak_seed_reason: str = typer.Option(None, "--weak-seed-reason",
                                         help="种子短于 20 个字符、过于规律或与已用种子相同时，须说明为何仍要使用"
                                              "（记入台账，核验时显示）。"),
    fairness: int = typer.Option(None, "--fairness", min=1, max=100000,
                                 help="公平性检验：用 N 个由 --seed 派生的种子重复匹配，报告每名人员的被抽中率"
                                      "和人员—对象配对率（不写文件，不记台账）。"),
    json_out: bool = JSON_OPT,
    traceback: bool = TRACEBACK_OPT,
) -> None:
    def body() -> Result:
        from ..core import clock

        if fairness is not None:
            if redo or reason:
                from ..core.errors import ExitCode, SsjError

                raise SsjError("--fairness 只做检验，不能与 --redo/--reason 同时使用。",
                               exit_code=ExitCode.USAGE, code="usage")
            from ..match.fairness import fairness_from_plan

            with progress_for(json_out) as bar:
                data = fairness_from_plan(plan, task, seed, fairness, direct_reason=direct_reason, progress=bar)
            warnings = data.pop("warnings")
            return Result(data=data, lines=fairness_lines(data), warnings=warnings)
        from ..match.run import match_from_plan

        with progress_for(json_out) as bar:
            data = match_from_plan(plan, task, seed, now=clock.now(), seed_source=seed_source, redo=redo,
                                   reason=reason, direct_reason=direct_reason,
                                   weak_seed_reason=weak_seed_reason, progress=bar)
        warnings = data.pop("warnings")
        return Result(data=data, lines=match_lines(data), warnings=warnings)

    run("match", json_out, body, traceback)


def match_lines(d: dict) -> list[str]:
    head = f"【匹配派发（第 {d['match_no']} 次，重新匹配）】" if d["redo"] else "【匹配派发】"
    lines = [f"{head}任务 {d['task']}（{d['task_number']} {d['task_name']}）",
             f"匹配种子：「{d['seed']}」（{len(d['seed'])} 个字符，SHA-256 {d['seed_sha256']}）",
             "请核对种子与现场产生的完全一致。",
             f"依据的抽取：{d['draw_manifest']}（承诺码 {d['commitment_code']}）"]
    if d["redo"]:
        lines.append(f"重新匹配理由：{d['reason']}")
    mix = "、".join(f"{x['name']} {x['per_team']} 人" for x in d["departments"])
    lines += ["", f"检查组：{d['teams']} 组，每组 {d['team_size']} 人（{mix}），组长由{d['initiator_name']}人员担任。"]
    for x in d["departments"]:
        load = f"{x['min']}" if x["min"] == x["max"] else f"{x['min']}–{x['max']}"
        extra = f"；直接委派 {x['direct_slots']} 个名额" if x["direct_slots"] else ""
        lines.append(f"  {x['name']}：可抽取人员 {x['officers']} 名，每人承担 {load} 户{extra}")
    for note in d["workload_notes"]:
        lines.append(f"  工作量：{note}")
    if d["specialists_added"]:
        lines.append(f"增派专家：{d['specialists_added']} 组（组内人员无所需业务专长）。")
    if d["specialists_missing"]:
        lines.append(f"须由单位选派专业人员：{d['specialists_missing']} 组（无可派的专家，已在派发单中注明）。")
    for f in d["fallbacks"]:
        why = f"，理由：{f['reason']}" if f.get("reason") else ""
        lines.append(f"兜底方式：{f['text']}{why}（派发单已注明）")
    lines += [f"认领确认期限：{d['confirm_deadline']}（派发后 {d['confirm_wd']} 个工作日）", "", "输出文件（内部，含执法人员信息，不得公开）："]
    lines += [f"  {f}" for f in d["files"]]
    lines.append(f"已记入台账第 {d['ledger_seq']} 条。复核：ssj verify {d['manifest']}")
    return lines


def fairness_lines(d: dict) -> list[str]:
    lines = [f"【公平性检验】任务 {d['task']}（{d['task_number']}），{d['runs']} 次匹配，"
             f"种子由「{d['seed']}」派生（{d['seed_rule']}）。不写文件，不记台账。", ""]
    lines.append("各部门人员被抽中率（每户对象中该人员参加的比例）：")
    lines.append("  部门 | 人员数 | 期望 | 最低 | 最高 | 最高/期望")
    for x in d["departments"]:
        lines.append(f"  {x['name']} | {x['officers']} | {x['expected']:.4f} | {x['min_rate']:.4f} | "
                     f"{x['max_rate']:.4f} | {x['max_ratio']:.2f}")
    p = d["pairs"]
    lines += ["", "人员—对象配对率（同一人员检查同一对象的比例）：",
              f"  最大配对率 {p['max_rate']:.4f}（{p['max_pair']['officer']} — {p['max_pair']['credit_code']}），"
              f"均匀时应为 {p['max_pair']['uniform']:.4f}，比值 {p['max_ratio']:.2f}",
              f"  完全随机时 {d['runs']} 次中最大配对率的参考上限约 {p['reference_max']:.4f}"
              f"（{p['pairs']} 个可能配对）",
              f"  结论：{d['verdict']}"]
    return lines
