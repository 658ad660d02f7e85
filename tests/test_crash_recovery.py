"""A crash at any instant leaves a consistent workspace (issue 11).

The process is ended at named points (SSJ_TEST_CRASH, core/recovery.py: os._exit, no cleanup, as a
SIGKILL would) in a real subprocess; the next run of the same command must recognise what was
interrupted, move it aside (kept), say so, and succeed; `ssj verify` then passes and reports
what was moved aside.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from draw_helpers import SEED, make_workspace

from shuangsuiji.core.recovery import CRASH_EXIT
from shuangsuiji.core.workspace import Workspace

FREEZE_AT = "2026-04-07T09:30:00+08:00"
DRAW_AT = "2026-04-08T09:30:00+08:00"
POINTS = ["before_staging", "staging", "renamed", "half_appended", "appended"]


def ssj(root, *args, crash: str | None = None, now: str = DRAW_AT):
    env = {k: v for k, v in os.environ.items() if k != "SSJ_TEST_CRASH"}
    env.update({"SSJ_NOW": now, "SSJ_NO_PROGRESS": "1"})
    if crash:
        env["SSJ_TEST_CRASH"] = crash
    code = "import sys; from shuangsuiji.cli.main import main; sys.argv[0] = 'ssj'; main()"
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)


def _state(root):
    """The ledger's official acts (recoveries apart, see _recoveries)."""
    ws = Workspace(root)
    return [e["kind"] for e in ws.ledger().read() if e["kind"] != "recovery"]


def _recoveries(root):
    return [m for e in Workspace(root).ledger().entries(kind="recovery") for m in e["data"]["moved"]]


def _interrupted(root, task="T01"):
    d = root / "out" / task / ".interrupted"
    return sorted(p.name for p in d.iterdir()) if d.is_dir() else []


@pytest.mark.parametrize("point", POINTS)
def test_freeze_killed_at_each_step_recovers(tmp_path, point):
    plan = make_workspace(tmp_path)
    r = ssj(tmp_path, "freeze", "--plan", plan, "--task", "T01", crash=point, now=FREEZE_AT)
    assert r.returncode == CRASH_EXIT, r.stderr
    folder = tmp_path / "out/T01/freeze"
    if point == "appended":
        # the act completed: nothing to recover, a second freeze is a re-freeze needing a reason
        assert _state(tmp_path) == ["freeze"]
        r = ssj(tmp_path, "freeze", "--plan", plan, "--task", "T01", now=FREEZE_AT)
        assert r.returncode == 5 and "--reason" in r.stderr
        assert _interrupted(tmp_path) == []
    else:
        if point != "half_appended":
            assert _state(tmp_path) == []
        assert folder.exists() == (point in ("renamed", "half_appended"))
        r = ssj(tmp_path, "freeze", "--plan", plan, "--task", "T01", now=FREEZE_AT)
        assert r.returncode == 0, r.stderr
        assert _state(tmp_path) == ["freeze"]
        if point == "before_staging":
            assert _interrupted(tmp_path) == [] and "中断" not in r.stderr
        else:
            (moved,) = _interrupted(tmp_path)
            assert moved.startswith("freeze" if point != "staging" else "freeze.") and moved.endswith("20260407-093000")
            assert "已移到 out/T01/.interrupted/" in r.stderr and "保留备查" in r.stderr
            kept = tmp_path / "out/T01/.interrupted" / moved
            assert (kept / "commitment.json").is_file()  # kept, not deleted
            # the recovery is itself recorded, with the hashes of what was moved
            (rec,) = [m for m in _recoveries(tmp_path) if "from" in m]
            assert rec["to"] == f"out/T01/.interrupted/{moved}" and "commitment.json" in rec["files"]
    if point == "half_appended":
        assert "写了一半的记录" in r.stderr
        assert list((tmp_path / "out/.interrupted").glob("ledger-tail-*.txt"))
    r = ssj(tmp_path, "verify", "--json")
    assert r.returncode == 0, r.stdout
    # no staging folder survives anywhere
    assert not list((tmp_path / "out/T01").glob(".*.tmp"))


@pytest.mark.parametrize("point", ["staging", "renamed", "appended"])
def test_draw_killed_at_each_step_recovers(tmp_path, point):
    plan = make_workspace(tmp_path)
    assert ssj(tmp_path, "freeze", "--plan", plan, "--task", "T01", now=FREEZE_AT).returncode == 0
    args = ("draw", "--plan", plan, "--task", "T01", "--seed", SEED, "--seed-source", "掷骰", "--json")
    r = ssj(tmp_path, *args, crash=point)
    assert r.returncode == CRASH_EXIT
    if point == "appended":
        assert _state(tmp_path) == ["freeze", "draw"]
        r = ssj(tmp_path, *args)
        assert r.returncode == 5  # already drawn: the crash after the ledger line lost nothing
    else:
        r = ssj(tmp_path, *args)
        assert r.returncode == 0, r.stdout
        out = json.loads(r.stdout)
        assert any("台账中没有记录的输出" in w or "未完成的暂存" in w for w in out["warnings"])
        assert _state(tmp_path) == ["freeze", "draw"]
        assert len(_interrupted(tmp_path)) == 1
    r = ssj(tmp_path, "verify")
    assert r.returncode == 0, r.stdout
    if point != "appended":
        assert "中断" in r.stdout and ".interrupted" in r.stdout and "请与当时公布的台账末条哈希核对" in r.stdout


def test_substitute_killed_in_the_middle_of_the_ledger_line(tmp_path):
    plan = make_workspace(tmp_path)
    assert ssj(tmp_path, "freeze", "--plan", plan, "--task", "T01", now=FREEZE_AT).returncode == 0
    r = ssj(tmp_path, "draw", "--plan", plan, "--task", "T01", "--seed", SEED, "--seed-source", "掷骰", "--json")
    manifest = json.loads((tmp_path / "out/T01/draw/manifest.json").read_text(encoding="utf-8"))
    out = manifest["strata"][0]["selected"][0]
    args = ("substitute", "--plan", plan, "--task", "T01", "--out", out, "--reason", "注销")
    r = ssj(tmp_path, *args, crash="half_appended")
    assert r.returncode == CRASH_EXIT
    assert not (tmp_path / "ledger.jsonl").read_bytes().endswith(b"\n")
    r = ssj(tmp_path, *args)
    assert r.returncode == 0, r.stderr
    assert "写了一半的记录" in r.stderr
    assert _state(tmp_path) == ["freeze", "draw", "substitution"]
    assert ssj(tmp_path, "verify").returncode == 0


def test_match_and_publish_killed_recover(tmp_path):
    """The same recovery for the later acts, on the shipped sample: a match killed after its folder
    was renamed into place, a publication killed while staging, a mark killed mid ledger line."""
    import importlib.util
    from pathlib import Path

    root = tmp_path / "ws"
    assert ssj(tmp_path, "init", root).returncode == 0
    plan = "plans/chengzhong-2026.yaml"
    day = "2026-05-11"
    assert ssj(root, "freeze", "--plan", plan, "--task", "T02", now=f"{day}T09:00:00+08:00").returncode == 0
    assert ssj(root, "draw", "--plan", plan, "--task", "T02", "--seed", "58203917462038175920",
               "--seed-source", "掷骰", now=f"{day}T10:00:00+08:00").returncode == 0
    match = ("match", "--plan", plan, "--task", "T02", "--seed", "91827364501928374650", "--seed-source", "掷骰")
    r = ssj(root, *match, crash="renamed", now=f"{day}T15:00:00+08:00")
    assert r.returncode == CRASH_EXIT and (root / "out/T02/match/manifest.json").is_file()
    r = ssj(root, *match, now=f"{day}T15:05:00+08:00")
    assert r.returncode == 0, r.stderr
    assert "out/T02/match" in r.stderr and "已移到 out/T02/.interrupted/match-20260511-150500" in r.stderr
    assert _state(root) == ["freeze", "draw", "match"]

    path = Path(__file__).resolve().parent.parent / "scripts" / "fill_sample_results.py"
    spec = importlib.util.spec_from_file_location("fill_sample_results", path)
    filler = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(filler)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        assert filler.main(["--plan", plan, "--task", "T02", "--until", "2026-08-31"]) == 0
    finally:
        os.chdir(cwd)
    publish = ("publish", "--plan", plan, "--task", "T02", "--today", "2026-09-11")
    r = ssj(root, *publish, crash="staging", now="2026-09-11T10:00:00+08:00")
    assert r.returncode == CRASH_EXIT and list((root / "out/T02/publish").glob(".v1.*.tmp"))
    r = ssj(root, *publish, now="2026-09-11T10:05:00+08:00")
    assert r.returncode == 0, r.stderr
    assert "未完成的暂存" in r.stderr and not list((root / "out/T02/publish").glob(".*.tmp"))
    assert (root / "out/T02/publish/v1/公示结果.csv").is_file()

    mark = ("mark", "confirmed", "--plan", plan, "--task", "T02", "--department", "SCJG", "--date", "2026-05-13")
    assert ssj(root, *mark, crash="half_appended", now="2026-05-13T16:00:00+08:00").returncode == CRASH_EXIT
    r = ssj(root, *mark, now="2026-05-13T16:00:00+08:00")
    assert r.returncode == 0, r.stderr
    assert _state(root)[-1] == "mark"
    r = ssj(root, "verify", "--json")
    assert r.returncode == 0, r.stdout
    found = json.loads(r.stdout)["data"]["findings"]
    assert any("out/T02/.interrupted/match-20260511-150500" in f for f in found), found


def test_an_interrupted_draw_cannot_be_redone_on_a_new_freeze_with_its_seed(tmp_path):
    """A kill after the draw folder appeared shows the result without recording it; re-freezing then
    and drawing with the same seed would be choosing the pool after seeing the seed."""
    plan = make_workspace(tmp_path)
    assert ssj(tmp_path, "freeze", "--plan", plan, "--task", "T01", now=FREEZE_AT).returncode == 0
    args = ("draw", "--plan", plan, "--task", "T01", "--seed", SEED, "--seed-source", "掷骰")
    assert ssj(tmp_path, *args, crash="renamed").returncode == CRASH_EXIT
    r = ssj(tmp_path, "freeze", "--plan", plan, "--task", "T01", "--reason", "名录更正", "--reserves", "3",
            now=DRAW_AT)
    assert r.returncode == 0, r.stderr
    r = ssj(tmp_path, *args)
    assert r.returncode == 3 and "中断的抽取" in r.stderr and "已用过的种子相同" in r.stderr
    assert _state(tmp_path) == ["freeze", "freeze"]
