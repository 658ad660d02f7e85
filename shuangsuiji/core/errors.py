"""One error family with named exit codes. Messages are Simplified Chinese: clerks read them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """Exit statuses of every `ssj` command (documented in README.md)."""

    OK = 0
    INTERNAL = 1  # a bug: please report, with --traceback
    USAGE = 2  # wrong options (typer/click use 2 as well)
    INPUT_INVALID = 3  # plan, roster or results file rejected
    NOT_FOUND = 4  # a file or task that was named does not exist
    STATE = 5  # the workflow forbids it now (no freeze, already drawn, inputs changed)
    INFEASIBLE = 6  # no team assignment satisfies the rules
    VERIFY_FAILED = 7  # a recomputation or hash check does not hold
    CALENDAR_MISSING = 8  # no working-day data for a year that is needed
    OVERDUE = 9  # report: something is overdue
    LOCKED = 10  # another ssj process holds the workspace


@dataclass
class Problem:
    """One located problem in an input file. `row` is the 1-based row as Excel shows it."""

    reason: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    code: str = "invalid"
    severity: str = "error"  # "error" rejects the row / file, "warning" is kept but reported

    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"「{self.column}」列")
        return " ".join(parts)

    def message(self) -> str:
        where = self.where()
        value = f"（值：{self.value}）" if self.value not in (None, "") else ""
        return f"{where}：{self.reason}{value}" if where else f"{self.reason}{value}"

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message(),
            "reason": self.reason,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
        }


class SsjError(Exception):
    """An expected failure: one Chinese message, a hint, an exit code, located problems."""

    exit_code: ExitCode = ExitCode.INTERNAL
    code: str = "error"

    def __init__(self, message: str, *, hint: str | None = None,
                 problems: list[Problem] | None = None, exit_code: ExitCode | None = None,
                 code: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.problems = problems or []
        if exit_code is not None:
            self.exit_code = exit_code
        if code is not None:
            self.code = code

    def listed_problems(self) -> list[Problem]:
        """The problems to list under the message: all of them, unless the message already states
        the only one (a plan with one error names it in the headline; saying it twice reads as two)."""
        if len(self.problems) == 1 and self.problems[0].reason in self.message:
            return []
        return self.problems

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "hint": self.hint,
                "problems": [p.to_dict() for p in self.problems]}


class InputInvalid(SsjError):
    exit_code = ExitCode.INPUT_INVALID
    code = "input_invalid"


class FileMissing(SsjError):
    exit_code = ExitCode.NOT_FOUND
    code = "not_found"


class StateError(SsjError):
    exit_code = ExitCode.STATE
    code = "state"


class Infeasible(SsjError):
    exit_code = ExitCode.INFEASIBLE
    code = "infeasible"


class VerifyFailed(SsjError):
    exit_code = ExitCode.VERIFY_FAILED
    code = "verify_failed"


class WorkspaceLocked(SsjError):
    exit_code = ExitCode.LOCKED
    code = "locked"
