"""`ssj verify [FILE]`: recompute a draw and check every hash and the ledger chain."""

from __future__ import annotations

from pathlib import Path

import typer

from .app import JSON_OPT, TRACEBACK_OPT, app
from .common import Result, run

MARK = {"通过": "✓", "不通过": "✗", "未核验": "-", "发现": "!"}


@app.command("verify", short_help="复核抽取、文件哈希和台账", help="复核：按抽取清单、池文件和种子重新计算抽取结果，核对所有文件哈希和台账哈希链，"
                            "明确说明是否成立。文件可以是抽取、匹配或发布清单 manifest.json、承诺文件 commitment.json 或台账 "
                            "ledger.jsonl；不给文件时核验当前工作区的台账、全部正式抽取、匹配、发布和输出目录，"
                            "并列出重做、抽取后重新固定名录、弱种子等核验发现。")
def verify(
    file: Path = typer.Argument(None, metavar="文件", help="要核验的文件；省略则核验当前工作区。", dir_okay=False),
    pool: Path = typer.Option(None, "--pool", dir_okay=False, help="池文件路径（不在工作区内核验时使用）。"),
    commitment: Path = typer.Option(None, "--commitment", dir_okay=False, help="承诺文件路径（不在工作区内核验时使用）。"),
    json_out: bool = JSON_OPT,
    traceback: bool = TRACEBACK_OPT,
) -> None:
    def body() -> Result:
        from ..core.errors import ExitCode
        from ..verify.dispatch import verify_path

        reports = verify_path(file, pool=pool, commitment=commitment)
        lines: list[str] = []
        for rep in reports:
            lines.append(f"核验 {rep.subject}")
            lines += [f"  {MARK[c.status]} {c.text}" for c in rep.checks]
        failed = [c for rep in reports for c in rep.checks if c.status == "不通过"]
        skipped = [c for rep in reports for c in rep.checks if c.status == "未核验"]
        trials = [rep for rep in reports if getattr(rep, "trial", False)]
        found = [c for rep in reports for c in rep.checks if c.status == "发现"]
        if failed:
            lines.append(f"结论：核验不通过（{len(failed)} 项不符）。")
        elif trials:
            lines.append("结论：这是试抽（--dry-run）结果，不是正式抽取，不具任何效力；"
                         "其复算与文件核对虽然成立，不能作为正式结果使用。")
        elif skipped:
            lines.append(f"结论：已核验的各项全部成立（另有 {len(skipped)} 项未核验或提示，见上）。")
        else:
            lines.append("结论：核验通过，结果可由公开信息复算，文件与台账均未被改动。")
        if found and not trials:
            lines.append(f"但请注意以下 {len(found)} 项核验发现（记录一致，但须向公众说明）：")
            lines += [f"  ! {c.text}" for c in found]
        data = {"ok": not failed, "trial": bool(trials), "findings": [c.text for c in found],
                "reports": [r.to_dict() for r in reports]}
        return Result(data=data, lines=lines, exit_code=ExitCode.VERIFY_FAILED if failed else ExitCode.OK)

    run("verify", json_out, body, traceback)
