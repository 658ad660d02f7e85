"""`ssj init`: a ready workspace, the shipped sample byte-identical to the generator, no overwrites."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from shuangsuiji import __version__
from shuangsuiji.sample.generator import entities, generate

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_FILES = ["targets.xlsx", "inspectors.xlsx", "inspectors_wtly.xlsx", "neighbour_inspectors.xlsx", "conflicts.csv",
                "special/特种设备使用单位.csv"]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    from typer.testing import CliRunner

    from shuangsuiji.cli.app import app
    from shuangsuiji.cli.main import _load

    _load()
    root = tmp_path_factory.mktemp("init") / "城中区2026"
    res = CliRunner().invoke(app, ["init", str(root)], env={"SSJ_NOW": "2026-03-31T09:30:00+08:00"})
    assert res.exit_code == 0, res.output
    return root, res.stdout


def test_layout_and_marker(workspace):
    root, out = workspace
    for rel in ["workspace.yaml", "plans/chengzhong-2026.yaml", *(f"data/{f}" for f in SAMPLE_FILES)]:
        assert (root / rel).is_file(), rel
    for rel in ["data/results", "data/calendar", "out"]:
        assert (root / rel).is_dir() and not any((root / rel).iterdir())
    marker = yaml.safe_load((root / "workspace.yaml").read_text(encoding="utf-8"))
    assert marker == {"name": "城中区2026", "created": "2026-03-31T09:30:00+08:00", "tool_version": __version__,
                      "plan": "plans/chengzhong-2026.yaml"}
    assert "下一步" in out and "ssj check --plan plans/chengzhong-2026.yaml" in out


def test_workspace_files_equal_the_repo_sample(workspace):
    root, _ = workspace
    for rel in SAMPLE_FILES:
        assert sha(root / "data" / rel) == sha(ROOT / "data" / rel), f"data/{rel} 与生成器不一致：请运行 make sample"
    assert (root / "plans" / "chengzhong-2026.yaml").read_bytes() == (ROOT / "plans" / "chengzhong-2026.yaml").read_bytes()


def test_package_copy_of_the_plan_is_identical():
    packaged = ROOT / "shuangsuiji" / "sample" / "chengzhong-2026.yaml"
    assert packaged.read_bytes() == (ROOT / "plans" / "chengzhong-2026.yaml").read_bytes(), "请运行 make sample"


def test_generator_is_deterministic(tmp_path, workspace):
    root, _ = workspace
    generate(tmp_path)
    assert {rel: sha(tmp_path / rel) for rel in SAMPLE_FILES} == {rel: sha(root / "data" / rel) for rel in SAMPLE_FILES}


def test_sample_content_meets_the_brief():
    ents = entities()
    drawable = [e for e in ents if e.drawable]
    assert len(ents) >= 5000
    by_industry = {k: sum(e.industry == k for e in drawable) for k in ("餐饮业", "娱乐业", "房地产业")}
    assert by_industry["餐饮业"] >= 600 and by_industry["娱乐业"] >= 60 and by_industry["房地产业"] >= 100
    assert sum(e.industry == "租赁和商务服务业" and e.etype == "企业" for e in drawable) >= 200
    hazchem = [e for e in drawable if any(n == "危险化学品经营许可证" for n, _ in e.licences)]
    assert len(hazchem) >= 40 and sum(len(e.licences) > 1 for e in hazchem) >= 5
    assert 0.01 <= (len(ents) - len(drawable)) / len(ents) <= 0.03
    assert {e.code[2:8] for e in ents} == {"630103"}


def test_refuses_non_empty_folder_and_writes_nothing(invoke, tmp_path):
    (tmp_path / "notes.txt").write_text("keep", encoding="utf-8")
    res = invoke("init", tmp_path)
    assert res.exit_code == 5 and "不是空目录" in res.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_refuses_an_existing_workspace(invoke, workspace):
    root, _ = workspace
    before = sha(root / "workspace.yaml")
    res = invoke("init", root, "--json")
    assert res.exit_code == 5 and "已经是 ssj 工作区" in res.json["errors"][0]["message"]
    assert sha(root / "workspace.yaml") == before


def test_accepts_an_empty_folder(invoke, tmp_path):
    target = tmp_path / "empty"
    target.mkdir()
    res = invoke("init", target, "--json")
    assert res.exit_code == 0 and "plans/chengzhong-2026.yaml" in res.json["data"]["files"]
    assert (target / "data" / "targets.xlsx").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["empty"]  # no temp folder left behind
