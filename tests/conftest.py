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


@pytest.fixture
def frozen(tmp_path, invoke, monkeypatch):
    """A workspace with T01 frozen on 2026-04-07; the clock then stands on the draw date."""
    from draw_helpers import at, make_workspace, set_now

    plan = make_workspace(tmp_path)
    set_now(monkeypatch, at(2026, 4, 7))
    assert invoke("freeze", "--plan", plan, "--task", "T01").exit_code == 0
    set_now(monkeypatch, at(2026, 4, 8))
    return plan


@pytest.fixture(autouse=True)
def _columnar_intake_for_every_csv_roster(monkeypatch):
    """Every CSV target roster of the suite takes the columnar path (intake/columnar.py), and
    every xlsx target roster whose cells are all text too (intake/xlsxcols.py), which production
    uses from 1 MB on: the existing cases prove its messages are today's."""
    from shuangsuiji.intake import columnar, xlsxcols

    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    monkeypatch.setattr(xlsxcols, "MIN_BYTES", 0)
