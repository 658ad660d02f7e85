"""An adversarial audit of the official acts (issues 10, 11): each test is a way a clerk at the
terminal could bend a draw, leave the workspace stuck, or slip something past `ssj verify`."""

from __future__ import annotations

import json

import pytest
from draw_helpers import SEED, at, make_workspace, set_now

from shuangsuiji.core.workspace import Workspace
from shuangsuiji.draw.seeds import seed_weaknesses

OTHER = "70615243987012364518"


@pytest.fixture
def frozen(tmp_path, invoke, monkeypatch):
    plan = make_workspace(tmp_path)
    set_now(monkeypatch, at(2026, 4, 7))
    assert invoke("freeze", "--plan", plan, "--task", "T01").exit_code == 0
    set_now(monkeypatch, at(2026, 4, 8))
    return plan


def _draw(invoke, plan, *extra, seed=SEED, task="T01"):
    return invoke("draw", "--plan", plan, "--task", task, "--seed", seed, "--seed-source", "掷骰", "--json", *extra)


@pytest.mark.parametrize("seed", ["--------------------", "！！！！！！！！！！！！！！！！！！！！！",
                                  "-.-.-.-.-.-.-.-.-.-.-.", "～～～～～～～～～～～～～～～～～～～～"])
def test_a_seed_without_any_letter_or_digit_is_weak(seed):
    """Punctuation only: its comparison key is empty, so it escaped every weakness rule and the
    reuse check, although nobody can have produced it by a public random act."""
    assert any("没有数字或文字" in w for w in seed_weaknesses(seed))


def test_official_draw_refuses_a_punctuation_only_seed(frozen, tmp_path, invoke):
    r = _draw(invoke, frozen, seed="~!@#$%^&*()_+{}|:<>?~!@#")
    assert r.exit_code == 3 and "没有数字或文字" in r.json["errors"][0]["message"]
    assert not (tmp_path / "out/T01/draw").exists()
