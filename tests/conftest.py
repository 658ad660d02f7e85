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


@pytest.fixture(autouse=True)
def _columnar_intake_for_every_csv_roster(monkeypatch):
    """Every CSV target roster of the suite takes the columnar path (intake/columnar.py), which
    production uses from 1 MB on: the existing cases prove its messages are today's."""
    from shuangsuiji.intake import columnar

    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
