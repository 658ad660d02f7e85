"""docs/match-spec.md's test vector: recomputed here, and the document must still show it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from shuangsuiji.intake.codes import build_code
from shuangsuiji.intake.records import Conflict, Inspector, Target
from shuangsuiji.match.flow import Keys
from shuangsuiji.match.teams import ItemRule, MatchInput, MatchRules, match

DOC = Path(__file__).resolve().parent.parent / "docs" / "match-spec.md"
SEED = "示例-20260512-掷骰47193628"


def vector() -> MatchInput:
    rules = MatchRules("T02", "城中市监抽查〔2026〕2号", "SCJG", (("SCJG", 2), ("WSJK", 1)),
                       (ItemRule("SX02", "餐饮服务经营者食品安全的检查", "SCJG", "食品安全", "食品"),
                        ItemRule("SX03", "公共场所卫生的检查", "WSJK", "卫生监督")),
                       (("SCJG", "城中区市场监督管理局"), ("WSJK", "城中区卫生健康局")),
                       date(2026, 5, 18), date(2026, 8, 31), cross_area=True)
    codes = [build_code("91630103", f"{n:08d}") for n in (11, 22, 33, 44, 55)]
    areas = ["南川所", "人民街所", "南川所", "饮马街所", "人民街所"]
    targets = [Target(c, f"示例{i + 1}号餐饮店", area=a) for i, (c, a) in enumerate(zip(codes, areas))]

    def o(oid, dept, area, **kw):
        cat = "食品安全" if dept == "SCJG" else "卫生监督"
        return Inspector(oid, oid, dept, area=area, credential_no=oid, categories=(cat,), **kw)

    pools = {"SCJG": [o("S01", "SCJG", "南川所"), o("S02", "SCJG", "人民街所"),
                      o("S03", "SCJG", "饮马街所", expert=True, specialties=("食品",)), o("S04", "SCJG", "南川所")],
             "WSJK": [o("W01", "WSJK", "人民街所"), o("W02", "WSJK", "南川所")]}
    return MatchInput(rules, targets, pools, SEED, conflicts=[Conflict("S02", codes[3], "亲属")],
                      last={codes[1]: ["S01"]})


def team_line(team) -> str:
    def show(m):
        if m.specialist_for:
            return f"{m.officer_id}+专家({','.join(m.specialist_for)})"
        return f"{m.officer_id}(组长)" if m.leader else m.officer_id

    left = " ".join(show(m) for m in team.members if m.department == "SCJG")
    right = " ".join(show(m) for m in team.members if m.department == "WSJK")
    return f"{team.no} {team.credit_code}  {left} | {right}"


def test_the_documented_vector_is_what_the_code_computes():
    doc = DOC.read_text(encoding="utf-8")
    inp = vector()
    result = match(inp)
    lines = [team_line(t) for t in result.teams]
    assert lines[0] == "1 91630103000000115Y  S02(组长) S03 | W01"
    for line in lines:
        assert line in doc, f"docs/match-spec.md no longer shows: {line}"
    keys = Keys(SEED, "T02")
    for t in inp.targets:
        assert keys.digest("target", t.credit_code).hex() in doc
    assert keys.digest("pick", "own", "SCJG", "91630103000000115Y", "0").hex() in doc
    for dept, pool in inp.pools.items():
        for o in pool:
            assert f"{o.id} {keys.digest('officer', 'own', dept, o.id).hex()[:16]}" in doc
    notes = {t.no: [n["rule"] for n in t.notes] for t in result.teams}
    assert notes[4] == ["specialist_missing"] and notes[5] == ["specialist_added"]
    assert result.workload["SCJG"]["load"] == {"S01": 2, "S02": 2, "S03": 3, "S04": 3}
    assert result.workload["SCJG"]["capacity_raises"] == 0


# --------------------------------------------------------------------------- every branch (§6.1)

BRANCH_SEED = "分支向量-20260601-掷骰83920223"


def branch_vector() -> MatchInput:
    """Repairs, capacity raises, a rebalancing move, the neighbour pool, direct slots, specialists
    added and missing, conflicts and a last inspection, in one small input (docs/match-spec.md §6.1)."""
    rules = MatchRules("T09", "测试〔2026〕9号", "SCJG", (("SCJG", 2), ("WSJK", 1)),
                       (ItemRule("SX02", "餐饮服务食品安全的检查", "SCJG", "食品安全", "食品"),
                        ItemRule("SX03", "公共场所卫生的检查", "WSJK", "卫生监督")),
                       (("SCJG", "市场监管局"), ("WSJK", "卫健局")),
                       date(2026, 6, 1), date(2026, 8, 31), cross_area=True, neighbour_pool=True,
                       direct_appointment=True)
    codes = [build_code("91630103", f"{n:08d}") for n in range(101, 109)]
    areas = ["南川所", "南川所", "南川所", "南川所", "人民街所", "饮马街所", "南川所", "人民街所"]
    targets = [Target(c, f"分支{i + 1}号", area=a) for i, (c, a) in enumerate(zip(codes, areas))]

    def o(oid, dept, area, **kw):
        cat = "食品安全" if dept == "SCJG" else "卫生监督"
        return Inspector(oid, oid, dept, area=area, credential_no=oid, categories=(cat,), **kw)

    pools = {"SCJG": [o("S01", "SCJG", "南川所"), o("S02", "SCJG", "人民街所", expert=True, specialties=("食品",)),
                      o("S03", "SCJG", "饮马街所"), o("S04", "SCJG", "南川所"), o("S05", "SCJG", "南川所")],
             "WSJK": [o("W01", "WSJK", "南川所")]}
    neighbours = {"SCJG": [o("N01", "SCJG", "湟中所")], "WSJK": [o("N11", "WSJK", "湟中所")]}
    conflicts = [Conflict("S02", codes[0], "亲属"), Conflict("N01", codes[0], "亲属"),
                 Conflict("S03", codes[1], "曾任职"), Conflict("N11", codes[2], "亲属")]
    return MatchInput(rules, targets, pools, BRANCH_SEED, conflicts=conflicts, last={codes[3]: ["S02"]},
                      neighbours=neighbours, direct_reason="本局持证人员不足，经分管领导批准")


def branch_line(team) -> str:
    def show(m):
        who = m.officer_id if m.officer_id else "直接委派"
        if m.source == "neighbour":
            who += "(相邻)"
        if m.specialist_for:
            who += f"+专家({','.join(m.specialist_for)})"
        return who + ("(组长)" if m.leader else "")

    left = " ".join(show(m) for m in team.members if m.department == "SCJG")
    right = " ".join(show(m) for m in team.members if m.department == "WSJK")
    return f"{team.no} {team.credit_code}  {left} | {right}"


def test_the_branch_vector_exercises_every_branch_and_is_documented(monkeypatch):
    import shuangsuiji.match.flow as flow

    counts = {"augment": 0, "move": 0}
    augment, move = flow._Stage._augment, flow._Stage._apply_move

    def counted_augment(self, *a):
        counts["augment"] += 1
        return augment(self, *a)

    def counted_move(self, *a):
        counts["move"] += 1
        return move(self, *a)

    monkeypatch.setattr(flow._Stage, "_augment", counted_augment)
    monkeypatch.setattr(flow._Stage, "_apply_move", counted_move)
    result = match(branch_vector())
    assert counts["augment"] > 0 and counts["move"] > 0
    w = result.workload["SCJG"]
    assert w["capacity_raises"] > 0 and w["moves"] == counts["move"]
    sources = {m.source for t in result.teams for m in t.members}
    rules = {n["rule"] for t in result.teams for n in t.notes}
    assert {"own", "neighbour", "direct"} <= sources
    assert {"specialist_added", "specialist_missing", "neighbour_pool", "direct_appointment"} <= rules
    doc = DOC.read_text(encoding="utf-8")
    for t in result.teams:
        assert branch_line(t) in doc, f"docs/match-spec.md §6.1 no longer shows: {branch_line(t)}"
    loads = ", ".join(f"{o} {n}" for o, n in w["load"].items())
    assert f"SCJG load: {loads}; capacity_raises {w['capacity_raises']}; moves {w['moves']}" in doc
    # rules every team must satisfy, checked apart from the engine
    conflicts = {(c.inspector_id, c.credit_code) for c in branch_vector().conflicts}
    areas = {t.credit_code: t.area for t in branch_vector().targets}
    officer_area = {o.id: o.area for ps in (*branch_vector().pools.values(), *branch_vector().neighbours.values())
                    for o in ps}
    for t in result.teams:
        for m in t.members:
            if m.officer_id:
                assert (m.officer_id, t.credit_code) not in conflicts
                assert officer_area[m.officer_id] != areas[t.credit_code]
        assert sum(1 for m in t.members if m.department == "SCJG" and not m.specialist_for) == 2
        assert sum(1 for m in t.members if m.department == "WSJK") == 1
