"""What every command shares: the JSON envelope, error → exit code mapping, console, progress.

Envelope (stdout, with --json), version 1:
    {"result_version": 1, "command": "draw", "ok": true, "exit_code": 0,
     "data": {...}, "warnings": ["..."], "errors": [{"code", "message", "hint", "problems": [...]}]}
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

import typer

from ..core.errors import ExitCode, SsjError

RESULT_VERSION = 1


@dataclass
class Result:
    """What a command hands back: data for --json, lines for people, warnings, and an exit code."""

    data: dict = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)  # human text, printed to stdout
    warnings: list[str] = field(default_factory=list)
    exit_code: ExitCode = ExitCode.OK
    table: object = None  # optional rich renderable for terminals
    errors: list[dict] = field(default_factory=list)  # for the envelope when exit_code != 0 (human text: lines)


def is_tty(stream=None) -> bool:
    stream = stream or sys.stderr
    return hasattr(stream, "isatty") and stream.isatty()


def color_ok() -> bool:
    return "NO_COLOR" not in os.environ and is_tty(sys.stdout)


def err_console():
    from rich.console import Console

    return Console(stderr=True, no_color="NO_COLOR" in os.environ, highlight=False,
                   force_terminal=None if is_tty() else False)


def out_console():
    from rich.console import Console

    return Console(no_color="NO_COLOR" in os.environ, highlight=False,
                   force_terminal=None if is_tty(sys.stdout) else False)


class BarProgress:
    """Rich progress on a terminal (stderr); nothing when not a terminal (cron) or with --json."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._progress = None
        self._tasks: dict[str, int] = {}

    def __enter__(self):
        if self.enabled:
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                      TextColumn("{task.completed}/{task.total}"), TimeRemainingColumn(),
                                      console=err_console(), transient=True)
            self._progress.__enter__()
        return self

    def __exit__(self, *exc):
        if self._progress is not None:
            self._progress.__exit__(*exc)

    def step(self, label: str, done: int, total: int) -> None:
        if self._progress is None:
            return
        if label not in self._tasks:
            self._tasks[label] = self._progress.add_task(label, total=total)
        self._progress.update(self._tasks[label], completed=done, total=total)


def progress_for(json_out: bool) -> BarProgress:
    return BarProgress(enabled=is_tty() and not json_out and "SSJ_NO_PROGRESS" not in os.environ)


def emit(command: str, json_out: bool, result: Result | None = None, error: SsjError | None = None) -> int:
    """Print the outcome and return the exit code."""
    if error is not None:
        code = int(error.exit_code)
        if json_out:
            envelope = {"result_version": RESULT_VERSION, "command": command, "ok": False,
                        "exit_code": code, "data": {}, "warnings": [], "errors": [error.to_dict()]}
            print(json.dumps(envelope, ensure_ascii=False, indent=2, default=str))
        else:
            _print_error(error)
        return code
    assert result is not None
    code = int(result.exit_code)
    if json_out:
        envelope = {"result_version": RESULT_VERSION, "command": command, "ok": code == 0,
                    "exit_code": code, "data": result.data, "warnings": result.warnings, "errors": result.errors}
        print(json.dumps(envelope, ensure_ascii=False, indent=2, default=str))
        return code
    console = out_console()
    if result.table is not None:
        console.print(result.table)
    if result.lines:  # plain text: rich would wrap lines at 80 columns when not on a terminal
        sys.stdout.write("\n".join(result.lines) + "\n")
        sys.stdout.flush()
    econ = err_console()
    for w in result.warnings:
        econ.print(f"警告：{w}", style="yellow", markup=False, highlight=False, soft_wrap=True)
    return code


MAX_PROBLEMS_SHOWN = 20


def _print_error(error: SsjError) -> None:
    econ = err_console()
    econ.print(f"错误：{error.message}", style="bold red", markup=False, highlight=False, soft_wrap=True)
    grouped = getattr(error, "summary_lines", None)  # set by commands that write a problem list
    for line in grouped or []:
        econ.print(line, markup=False, highlight=False, soft_wrap=True)
    for p in [] if grouped else error.listed_problems()[:MAX_PROBLEMS_SHOWN]:
        econ.print(f"  - {p.message()}", markup=False, highlight=False, soft_wrap=True)
    if not grouped and len(error.problems) > MAX_PROBLEMS_SHOWN:
        econ.print(f"  …… 另有 {len(error.problems) - MAX_PROBLEMS_SHOWN} 处问题（用 --json 查看全部）",
                   markup=False, highlight=False, soft_wrap=True)
    if error.hint:
        econ.print(f"处理办法：{error.hint}", markup=False, highlight=False, soft_wrap=True)


def run(command: str, json_out: bool, body: Callable[[], Result], traceback: bool = False) -> None:
    """Run a command body; map expected errors to their exit code and unexpected ones to INTERNAL."""
    from ..core.recovery import drain_notices

    drain_notices()
    try:
        result = body()
    except SsjError as e:
        for notice in drain_notices():  # a recovery happened before the refusal: still say so
            err_console().print(f"警告：{notice}", style="yellow", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(emit(command, json_out, error=e)) from None
    except KeyboardInterrupt:
        err_console().print("已中断，未写入任何正式结果。", markup=False)
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as e:  # noqa: BLE001 - last line of defence: no traceback for clerks
        if traceback or os.environ.get("SSJ_TRACEBACK"):
            raise
        err = SsjError(f"程序内部错误：{type(e).__name__}: {e}",
                       hint="这是软件缺陷，请加 --traceback 重新运行并把输出发给维护人员。",
                       exit_code=ExitCode.INTERNAL, code="internal")
        raise typer.Exit(emit(command, json_out, error=err)) from None
    result.warnings = drain_notices() + list(result.warnings)
    raise typer.Exit(emit(command, json_out, result=result))
