"""`ssj freeze`: scope, exclusions, strata, allocation, officer pool, commitment and its refusals."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from draw_helpers import SEED, at, code, make_workspace, roster_rows, set_now
from factories import target

from shuangsuiji.core.workspace import Workspace
from shuangsuiji.draw.allocation import (
    R_DRAWN,
    R_INSPECTED,
    R_NEW,
    R_NO_RULE,
    R_SCOPE,
    R_STATE,
    allocate,
    strata_for,
)
from shuangsuiji.draw.freeze import Drawn, build_pool, commitment_code
from shuangsuiji.draw.officers import eligible_officers
from shuangsuiji.intake.records import Inspector, Target
from shuangsuiji.plan.load import load_plan
from shuangsuiji.plan.model import StratumRule

# --------------------------------------------------------------------------- allocation


@pytest.mark.parametrize("rule, pool, rounding, take", [
    (StratumRule(ratio=0.03), 100, "up", 3),      # exact decimal: 0.03 x 100 is 3, not 4
    (StratumRule(ratio=0.03), 101, "up", 4),
    (StratumRule(ratio=0.03), 101, "down", 3),
    (StratumRule(ratio=0.05), 30, "nearest", 2),  # 1.5 rounds half up
    (StratumRule(ratio=0.05), 29, "nearest", 1),  # 1.45
    (StratumRule(ratio=0.1), 7, "down", 0),
    (StratumRule(ratio=0.1, min_count=2), 7, "down", 2),
    (StratumRule(ratio=0.5, max_count=20), 1000, "up", 20),
    (StratumRule(count=5), 100, "up", 5),
    (StratumRule(ratio=0.01, count=5), 1000, "up", 10),  # both: the larger
    (StratumRule(ratio=0.01, count=5), 100, "up", 5),
    (StratumRule(ratio=1.0), 37, "up", 37),
    (StratumRule(count=50), 12, "up", 12),        # take >= pool: the whole pool
    (StratumRule(ratio=0.3, min_count=3), 2, "up", 2),
    (StratumRule(ratio=0.3, min_count=1), 0, "up", 0),  # empty stratum
])
def test_allocate(rule, pool, rounding, take):
    assert allocate(rule, pool, rounding)[0] == take


def test_allocate_explains_bounds():
    assert allocate(StratumRule(count=50), 12, "up")[1] == ["应抽 50 户，超过可抽取的 12 户，全部抽取"]
    assert "最少 2 户" in allocate(StratumRule(ratio=0.1, min_count=2), 7, "down")[1][0]
    assert allocate(StratumRule(ratio=0.3, min_count=1), 0, "up")[1] == ["该层没有可抽取的对象，抽取 0 户"]
    assert allocate(StratumRule(ratio=0.5), 10, "up")[1] == []


# --------------------------------------------------------------------------- strata and pool


def _plan(tmp_path, text=None):
    from draw_helpers import PLAN

    p = tmp_path / "plan.yaml"
    p.write_text(text or PLAN, encoding="utf-8")
    (tmp_path / "targets.xlsx").write_bytes(b"x")
    (tmp_path / "inspectors.xlsx").write_bytes(b"x")
    return load_plan(p).plan


def _t(n: int, **kw) -> Target:
    base = dict(credit_code=code(n), name=f"测试{n}号", risk="低", industry="批发和零售业",
                established=date(2015, 1, 1))
    base.update(kw)
    return Target(**base)


def test_strata_for_names_listed_classes_then_the_default(tmp_path):
    plan = _plan(tmp_path)
    strata, class_to = strata_for(plan, plan.task("T01"))
    assert [s.name for s in strata] == ["低", "高", "其他"]
    assert strata[2].classes == ["一般", "较高", ""]
    assert class_to == {"低": "低", "高": "高", "一般": "其他", "较高": "其他", "": "其他"}
    strata, _ = strata_for(plan, plan.task("T02"))
    assert [s.name for s in strata] == ["全部"]


def test_build_pool_applies_state_new_and_counts_reasons(tmp_path):
    plan = _plan(tmp_path)
    task = plan.task("T01")  # established_within_days: 90 before 2026-04-08
    targets = [_t(1), _t(2, drawable=False, state="注销"), _t(3, established=date(2026, 2, 1)),
               _t(4, established=date(2026, 1, 8)),  # exactly 90 days: not new any more
               _t(5, risk="高"), _t(6, risk=""), _t(7, risk="一般")]
    res = build_pool(plan, task, targets)
    by = {s.name: s for s in res.strata}
    assert [t.credit_code for t in by["低"].pool] == sorted([code(1), code(4)])
    assert dict(by["低"].excluded) == {R_STATE: 1, R_NEW: 1}
    assert by["低"].in_roster == 4
    assert [t.credit_code for t in by["高"].pool] == [code(5)]
    assert sorted(t.credit_code for t in by["其他"].pool) == sorted([code(6), code(7)])
    assert (by["低"].take, by["高"].take, by["其他"].take) == (1, 1, 1)


def test_build_pool_input_order_does_not_matter(tmp_path):
    plan = _plan(tmp_path)
    targets = [_t(i, risk=["低", "高", "一般"][i % 3]) for i in range(1, 40)]
    a = build_pool(plan, plan.task("T01"), targets)
    b = build_pool(plan, plan.task("T01"), list(reversed(targets)))
    assert [[t.credit_code for t in s.pool] for s in a.strata] == [[t.credit_code for t in s.pool] for s in b.strata]
    assert all(s.pool == sorted(s.pool, key=lambda t: t.credit_code) for s in a.strata)


def test_directed_scope_and_recent_draws_with_high_risk_exempt(tmp_path):
    plan = _plan(tmp_path)
    task = plan.task("T02")  # 餐饮业 only (exact cell match); drawn since 2026-01-01 excluded unless 高
    targets = [_t(1, industry="餐饮业"), _t(2, industry="正餐服务（餐饮业）"), _t(3),
               _t(4, industry="餐饮业"), _t(5, industry="餐饮业", risk="高"),
               _t(6, industry="餐饮业", last_inspected=date(2026, 2, 3)),
               _t(7, industry="餐饮业", last_inspected=date(2025, 12, 31)),
               _t(8, industry="餐饮业")]
    drawn = {code(4): Drawn(date(2026, 4, 8), "T01"), code(5): Drawn(date(2026, 4, 8), "T01"),
             code(8): Drawn(date(2025, 11, 1), "T09")}
    res = build_pool(plan, task, targets, drawn=drawn)
    (s,) = res.strata
    # code(2)'s industry only contains 餐饮业: out of scope, like code(3) with no industry.
    assert sorted(t.credit_code for t in s.pool) == sorted([code(1), code(5), code(7), code(8)])
    assert dict(s.excluded) == {R_SCOPE: 2, R_DRAWN: 1, R_INSPECTED: 1}
    assert res.out_of_scope == 2
    assert res.excluded_examples[R_DRAWN] == [code(4)]


def test_classes_without_a_rule_are_reported_not_drawn(tmp_path):
    from draw_helpers import PLAN

    text = PLAN.replace("      default: {ratio: 0.3}\n", "")
    plan = _plan(tmp_path, text)
    res = build_pool(plan, plan.task("T01"), [_t(1), _t(2, risk="一般"), _t(3, risk="")])
    names = [s.name for s in res.strata]
    assert names == ["低", "高", "（无抽取规则）"]
    assert res.strata[-1].drawable is False
    assert dict(res.strata[-1].excluded) == {R_NO_RULE: 2}


def test_eligible_officers(tmp_path):
    plan = _plan(tmp_path)
    task = plan.task("T01")  # window ends 2026-07-31; SX01 needs 市场监管综合
    officers = [
        Inspector("B2", "乙", "SCJG", categories=("市场监管综合",), credential_no="B2"),
        Inspector("A1", "甲", "SCJG", categories=("食品安全", "市场监管综合"), credential_no="A1",
                  credential_expiry=date(2026, 7, 31)),
        Inspector("C3", "丙", "SCJG", categories=("市场监管综合",), credential_no=""),
        Inspector("D4", "丁", "SCJG", categories=("市场监管综合",), credential_no="D4", active=False, status="调离"),
        Inspector("E5", "戊", "SCJG", categories=("市场监管综合",), credential_no="E5",
                  credential_expiry=date(2026, 7, 30)),
        Inspector("F6", "己", "SCJG", categories=("特种设备",), credential_no="F6"),
        Inspector("G7", "庚", "WSJK", categories=("市场监管综合",), credential_no="G7"),
    ]
    ok, bad = eligible_officers(officers, plan, task, "SCJG")
    assert [o.id for o in ok] == ["A1", "B2"]
    assert [(o.id, why) for o, why in bad] == [
        ("C3", "无执法证"), ("D4", "不在岗（调离）"),
        ("E5", "执法证 2026-07-30 到期，不能覆盖检查期（至 2026-07-31）"), ("F6", "缺少执法门类：市场监管综合")]


def test_commitment_code_is_grouped_prefix():
    assert commitment_code("472e855434284e9a" + "0" * 48) == "472E-8554-3428-4E9A"


# --------------------------------------------------------------------------- the command


def test_freeze_writes_pool_commitment_and_ledger(tmp_path, invoke, monkeypatch):
    plan = make_workspace(tmp_path)
    set_now(monkeypatch, at(2026, 4, 7))
    r = invoke("freeze", "--plan", plan, "--task", "T01", "--json")
    assert r.exit_code == 0, r.stdout
    data = r.json["data"]
    folder = tmp_path / "out" / "T01" / "freeze"
    assert sorted(p.name for p in folder.iterdir()) == ["commitment.json", "ledger_head.json", "officer_pool.json",
                                                        "pool.csv", "pool_details.internal.tsv"]
    assert json.loads((folder / "ledger_head.json").read_text(encoding="utf-8"))["seq"] == 0
    commitment = json.loads((folder / "commitment.json").read_text(encoding="utf-8"))
    import hashlib

    digest = hashlib.sha256((folder / "commitment.json").read_bytes()).hexdigest()
    assert data["commitment_sha256"] == digest and data["code"] == commitment_code(digest)
    assert commitment["pool_sha256"] == hashlib.sha256((folder / "pool.csv").read_bytes()).hexdigest()
    assert commitment["frozen_at"] == "2026-04-07T09:30:00+08:00"
    assert set(commitment["rosters"]) == {"targets", "inspectors"}
    # Pool file: BOM, header, stratum order then code order, no personal data, names escaped.
    raw = (folder / "pool.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["分层", "统一社会信用代码", "企业名称"]
    strata = [s["name"] for s in commitment["strata"]]
    assert [r[0] for r in rows[1:]] == sorted((r[0] for r in rows[1:]), key=strata.index)
    for name in strata:
        codes = [r[1] for r in rows[1:] if r[0] == name]
        assert codes == sorted(codes)
        assert len(codes) == next(s["pool_size"] for s in commitment["strata"] if s["name"] == name)
    text = raw.decode("utf-8-sig")
    assert "13800000000" not in text and "张三" not in text
    assert f'{code(9)},"\'=HYPERLINK' in text  # formula injection escaped (and CSV-quoted)
    # Expected pool from the roster rows: active, not new, by risk.
    expected = {code(i) for i in range(1, 61) if i % 7 and i % 11}
    assert {r[1] for r in rows[1:]} == expected
    # Officer pool: internal, per participating department.
    officers = json.loads((folder / "officer_pool.json").read_text(encoding="utf-8"))
    assert [o["id"] for o in officers["departments"]["SCJG"]["eligible"]] == [f"630103{n:05d}" for n in range(1, 6)]
    assert {o["kind"] for o in officers["departments"]["SCJG"]["ineligible"]} == {"不在岗", "执法证到期", "缺少执法门类"}
    # Ledger.
    ws = Workspace(tmp_path)
    (entry,) = ws.ledger().entries(kind="freeze")
    assert entry["data"] == {"commitment": "out/T01/freeze/commitment.json", "commitment_sha256": digest,
                             "code": data["code"]}
    assert set(entry["files"]) == {f"out/T01/freeze/{n}" for n in
                                   ("pool.csv", "pool_details.internal.tsv", "officer_pool.json", "commitment.json",
                                    "ledger_head.json")}


def test_freeze_human_output_shows_code_and_reasons(tmp_path, invoke):
    plan = make_workspace(tmp_path)
    r = invoke("freeze", "--plan", plan, "--task", "T01")
    assert r.exit_code == 0
    assert "登记状态不可抽取" in r.stdout and "新设立未满期限" in r.stdout
    digest = Workspace(tmp_path).ledger().entries(kind="freeze")[0]["data"]["commitment_sha256"]
    # the full SHA-256 is the announced commitment; the short code is only for reading aloud
    assert f"承诺值（须公开公布，核验以此全值为准）：{digest}" in r.stdout
    assert "承诺码（简写，仅供口头宣读）：" in r.stdout
    assert "请在产生随机种子之前公开公布承诺值" in r.stdout


def test_refreeze_needs_a_reason(tmp_path, invoke):
    plan = make_workspace(tmp_path)
    assert invoke("freeze", "--plan", plan, "--task", "T01").exit_code == 0
    r = invoke("freeze", "--plan", plan, "--task", "T01", "--json")
    assert r.exit_code == 5 and "已" in r.json["errors"][0]["message"]
    r = invoke("freeze", "--plan", plan, "--task", "T01", "--reason", "修正名录", "--json")
    assert r.exit_code == 0 and r.json["data"]["freeze_no"] == 2
    assert (tmp_path / "out" / "T01" / "freeze-2" / "commitment.json").is_file()


def test_rejected_roster_rows_block_freeze_unless_allowed(tmp_path, invoke):
    rows = roster_rows(20) + [target(99, 统一社会信用代码="91630103MA00000001")]  # bad check character
    plan = make_workspace(tmp_path, rows=rows)
    r = invoke("freeze", "--plan", plan, "--task", "T01", "--json")
    assert r.exit_code == 3
    err = r.json["errors"][0]
    assert "被拒绝" in err["message"] and err["problems"] and err["problems"][0]["row"] is not None
    assert not (tmp_path / "out").exists()
    r = invoke("freeze", "--plan", plan, "--task", "T01", "--allow-rejected", "--json")
    assert r.exit_code == 0
    commitment = json.loads((tmp_path / "out/T01/freeze/commitment.json").read_text(encoding="utf-8"))
    assert len(commitment["rejected_rows"]) == 1 and commitment["rejected_rows"][0]["row"] == err["problems"][0]["row"]


def test_entities_drawn_by_another_task_are_excluded(tmp_path, invoke, monkeypatch):
    plan = make_workspace(tmp_path)
    set_now(monkeypatch, at(2026, 4, 8))
    assert invoke("freeze", "--plan", plan, "--task", "T01").exit_code == 0
    r = invoke("draw", "--plan", plan, "--task", "T01", "--seed", SEED, "--json")
    assert r.exit_code == 0
    drawn = {c for s in r.json["data"]["strata"] for c in s["selected"]}
    set_now(monkeypatch, at(2026, 5, 10))
    r = invoke("freeze", "--plan", plan, "--task", "T02", "--json")
    assert r.exit_code == 0
    (stratum,) = r.json["data"]["strata"]
    pool = {row[1] for row in csv.reader(io.StringIO(
        (tmp_path / "out/T02/freeze/pool.csv").read_bytes().decode("utf-8-sig")))}
    restaurants = {code(i) for i in range(1, 61) if i % 3 == 0 and i % 7}
    high = {code(i) for i in range(1, 61) if i % 6 == 3}  # RISKS[3] == 高: exempt
    expected = {c for c in restaurants if c not in drawn or c in high}
    assert pool - {"统一社会信用代码"} == expected
    assert stratum["excluded"].get(R_DRAWN, 0) == len(restaurants - expected) > 0


@pytest.mark.parametrize("names", [["甲公司", "乙公司", "丙公司"], ['甲"公司', "乙,公司", "丙\r\n公司"]])
def test_pool_readers_agree_quoted_or_not(tmp_path, names):
    from shuangsuiji.draw.pool import POOL_HEADERS
    from shuangsuiji.draw.poolread import read_pool_csv, read_pool_ids
    from shuangsuiji.sheets.fastxlsx import fast_csv_bytes

    rows = [("低", code(1), names[0]), ("低", code(2), names[1]), ("高", code(3), names[2])]
    path = tmp_path / "pool.csv"
    path.write_bytes(fast_csv_bytes(POOL_HEADERS, rows))
    assert read_pool_csv(path) == {"低": [(code(1), names[0]), (code(2), names[1])], "高": [(code(3), names[2])]}
    assert read_pool_ids(path) == {"低": [code(1), code(2)], "高": [code(3)]}
