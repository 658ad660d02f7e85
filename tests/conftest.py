"""Shared fixtures: run the CLI in-process and parse its JSON envelope."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from typer.testing import CliRunner

from shuangsuiji.cli.app import app
from shuangsuiji.cli.main import _load


@dataclass
class Invocation:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def json(self) -> dict:
        return json.loads(self.stdout)


@pytest.fixture
def invoke(monkeypatch):
    """invoke("draw", "--plan", p, ...) -> Invocation. Progress bars are off in tests."""
    monkeypatch.setenv("SSJ_NO_PROGRESS", "1")
    _load()
    runner = CliRunner()

    def _invoke(*args: str, input: str | None = None) -> Invocation:
        result = runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)
        return Invocation(result.exit_code, result.stdout, result.stderr)

    return _invoke
