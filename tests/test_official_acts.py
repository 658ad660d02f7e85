"""Issue 11, first part: after the seed is known nothing changes silently. New seeds for a redo,
weak seeds refused unless a recorded reason is given, reserves fixed at freeze, the full SHA-256
as the commitment, no freeze of a task that draws nothing, the internal details file."""

from __future__ import annotations

import json
import os
import stat

import pytest
from draw_helpers import OTHER_SEED as OTHER
from draw_helpers import SEED, at, make_workspace, roster_rows, set_now
from draw_helpers import draw_json as _draw

from shuangsuiji.core.workspace import Workspace
from shuangsuiji.draw.seeds import seed_weaknesses


@pytest.mark.parametrize("seed, said", [
    ("1", "少于要求的 20 个"),
    ("城中区2026年第一次", "少于要求的 20 个"),
    ("77777777777777777777777", "一两个字符反复组成"),
    ("12121212121212121212", "一两个字符反复组成"),
    ("12345678901234567890", "依次递增或递减"),
    ("9876543210987654321098", "依次递增或递减"),
    ("abcdefghijklmnopqrstuvw", "依次递增或递减"),
])
def test_weak_seeds_are_named(seed, said):
    assert any(said in w for w in seed_weaknesses(seed))


def test_good_seed_has_no_weakness():
    assert seed_weaknesses(SEED) == []
    assert seed_weaknesses("城中区 2026 年第一次摇号：3820-1749-5610") == []
    assert "已用过的种子相同" in seed_weaknesses(SEED, [("3820 1749 5610 2837 4619", "任务 T02 的抽取")])[0]


def test_official_draw_refuses_a_weak_seed_unless_a_reason_is_recorded(frozen, tmp_path, invoke):
    r = _draw(invoke, frozen, seed="1")
    assert r.exit_code == 3 and "强度不足" in r.json["errors"][0]["message"]
    assert "--weak-seed-reason" in r.json["errors"][0]["hint"]
    assert not (tmp_path / "out/T01/draw").exists()
    # a trial only warns
    r = _draw(invoke, frozen, "--dry-run", seed="1")
    assert r.exit_code == 0 and any("正式抽取/匹配时会被拒绝" in w for w in r.json["warnings"])
    r = _draw(invoke, frozen, "--weak-seed-reason", "现场只掷了一次骰子，经纪检组同意", seed="1")
    assert r.exit_code == 0
    (entry,) = Workspace(tmp_path).ledger().entries(kind="draw")
    assert entry["data"]["weak_seed"]["accepted_because"] == "现场只掷了一次骰子，经纪检组同意"
    manifest = json.loads((tmp_path / "out/T01/draw/manifest.json").read_text(encoding="utf-8"))
    assert manifest["weak_seed"] == entry["data"]["weak_seed"]
    # verifying the manifest alone (an outside auditor) shows it too
    r = invoke("verify", str(tmp_path / "out/T01/draw/manifest.json"), "--json")
    assert r.exit_code == 0 and any("强度不足" in f and "经纪检组同意" in f for f in r.json["data"]["findings"])


def test_a_seed_used_by_another_task_is_weak(tmp_path, invoke, monkeypatch):
    plan = make_workspace(tmp_path)
    set_now(monkeypatch, at(2026, 4, 7))
    assert invoke("freeze", "--plan", plan, "--task", "T01").exit_code == 0
    assert invoke("freeze", "--plan", plan, "--task", "T02").exit_code == 0
    assert _draw(invoke, plan).exit_code == 0
    r = _draw(invoke, plan, seed=SEED.replace("0", "０"), task="T02")
    assert r.exit_code == 3 and "已用过的种子相同" in r.json["errors"][0]["message"]
    assert "任务 T01 的抽取" in r.json["errors"][0]["message"]


def test_redo_needs_a_new_seed_even_after_a_refreeze(frozen, tmp_path, invoke):
    assert _draw(invoke, frozen).exit_code == 0
    r = invoke("freeze", "--plan", frozen, "--task", "T01", "--reason", "名录更正", "--json")
    assert r.exit_code == 0
    assert any("已正式抽取" in w and "核验发现" in w for w in r.json["warnings"])
    (_, refreeze) = Workspace(tmp_path).ledger().entries(kind="freeze")
    assert refreeze["data"]["after_draw"] == "out/T01/draw/manifest.json"
    assert refreeze["data"]["reason"] == "名录更正"
    for same in (SEED, "3820-1749-5610-2837-4619", "３８２０１７４９５６１０２８３７４６１９"):
        r = _draw(invoke, frozen, "--redo", "--reason", "换", seed=same)
        assert r.exit_code == 3, same
        assert "必须使用新的随机种子" in r.json["errors"][0]["message"]
    assert not (tmp_path / "out/T01/draw-redo-2").exists()
    assert _draw(invoke, frozen, "--redo", "--reason", "名录更正后重抽", seed=OTHER).exit_code == 0


def test_commitment_is_the_full_sha256_everywhere(frozen, tmp_path, invoke):
    (entry,) = Workspace(tmp_path).ledger().entries(kind="freeze")
    full = entry["data"]["commitment_sha256"]
    assert len(full) == 64
    assert _draw(invoke, frozen).exit_code == 0
    (draw,) = Workspace(tmp_path).ledger().entries(kind="draw")
    assert draw["data"]["commitment_sha256"] == full


def test_freeze_refuses_a_task_that_draws_nothing(tmp_path, invoke, monkeypatch):
    # as after a renamed risk column: no target has a class, and the task has rules only for classes
    text = __import__("draw_helpers").PLAN.replace("      default: {ratio: 0.3}\n", "")
    rows = [r[:10] + [""] + r[11:] for r in roster_rows()]  # no risk class at all
    plan = make_workspace(tmp_path, rows=rows, plan=text)
    set_now(monkeypatch, at(2026, 4, 7))
    r = invoke("freeze", "--plan", plan, "--task", "T01", "--json")
    assert r.exit_code == 3, r.stdout
    message = r.json["errors"][0]["message"]
    assert "一户也抽不到" in message and "信用风险类别在本任务中没有抽取规则" in message
    assert not (tmp_path / "out/T01").exists()
    assert Workspace(tmp_path).ledger().read() == []


def test_freeze_refuses_when_every_entity_is_excluded(tmp_path, invoke, monkeypatch):
    rows = []
    for r in roster_rows():
        r = list(r)
        r[r.index("存续") if "存续" in r else r.index("注销")] = "注销"
        rows.append(r)
    plan = make_workspace(tmp_path, rows=rows)
    set_now(monkeypatch, at(2026, 4, 7))
    r = invoke("freeze", "--plan", plan, "--task", "T01", "--json")
    assert r.exit_code == 3
    assert "全部被排除" in r.json["errors"][0]["message"] and "登记状态不可抽取" in r.json["errors"][0]["message"]


def test_internal_details_file_is_named_private_and_escaped(frozen, tmp_path):
    path = tmp_path / "out/T01/freeze/pool_details.internal.tsv"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "法定代表人" in lines[0] and "联系电话" in lines[0]
    # target 9's name is a formula in the roster; every cell is escaped like any other file
    cells = [c for line in lines[1:] for c in line.split("\t")]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert any(c.startswith("'=HYPERLINK") for c in cells)


def test_specs_state_the_rules_auditors_asked_about():
    from pathlib import Path

    from shuangsuiji.draw.history import SUBSTITUTION_REASONS

    docs = Path(__file__).resolve().parent.parent / "docs"
    draw_en = (docs / "draw-spec.md").read_text(encoding="utf-8")
    draw_zh = (docs / "draw-spec.zh.md").read_text(encoding="utf-8")
    match_en = (docs / "match-spec.md").read_text(encoding="utf-8")
    match_zh = (docs / "match-spec.zh.md").read_text(encoding="utf-8")
    # the documented substitution reasons are exactly the code's list, in both languages
    assert ", ".join(SUBSTITUTION_REASONS) in draw_en and "、".join(SUBSTITUTION_REASONS) in draw_zh
    # the false fairness claim is gone, and what is true is stated
    assert "about equally likely" not in match_en
    assert "pair probabilities are not equal" in match_en and "配对的概率并不相等" in match_zh
    for needed in ("capacity_raises", "`neighbours`", "null officer id", "Where a substitute sits", "lo"):
        assert needed in match_en
    for needed in ("capacity_raises", "`neighbours`", "人员 id 为空", "递补对象的位置"):
        assert needed in match_zh
    for needed in ("序号", "结果性质", "freeze-<n>", "Every stratum appears", "Reserve clamps", "ledger_head.json"):
        assert needed in draw_en
    assert "如何确认没有人能悄悄改变抽取结果" in (docs / "user-guide.md").read_text(encoding="utf-8")


def test_substitution_follows_the_reference_sampler_order(frozen, tmp_path, invoke):
    """Independent check: the substitute is the package's next ticket after the take."""
    from consistent_sampler import sampler as package_sampler

    from shuangsuiji.draw.poolread import read_pool_ids

    assert _draw(invoke, frozen).exit_code == 0
    m = json.loads((tmp_path / "out/T01/draw/manifest.json").read_text(encoding="utf-8"))
    s = m["strata"][0]
    ids = read_pool_ids(tmp_path / "out/T01/freeze/pool.csv")[s["name"]]
    ref = [t[1] for t in package_sampler(ids, seed=m["sampler_seed"], take=s["take"] + len(s["reserves"]),
                                         with_replacement=False)]
    assert ref[: s["take"]] == s["selected"]
    for i, out in enumerate(s["selected"][:2]):
        r = invoke("substitute", "--plan", frozen, "--task", "T01", "--out", out, "--reason", "迁出", "--json")
        assert r.exit_code == 0 and r.json["data"]["in"] == ref[s["take"] + i]
