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
