"""A small workspace for the freeze / draw / verify tests: plan, rosters, fixed clock."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from factories import code, officer, officers_file, target, targets_file

from shuangsuiji.core.clock import TZ

PLAN = """\
year: 2026
office: 测试联席办
departments:
  - {id: SCJG, name: 城中区市场监督管理局}
  - {id: WSJK, name: 城中区卫生健康局}
items:
  - {id: SX01, name: 企业公示信息的检查, department: SCJG, category: 市场监管综合}
  - {id: SX02, name: 餐饮服务食品安全的检查, department: SCJG, category: 食品安全}
  - {id: SX03, name: 公共场所卫生的检查, department: WSJK, category: 卫生监督}
rosters:
  targets: targets.xlsx
  inspectors: inspectors.xlsx
tasks:
  - id: T01
    number: 测试〔2026〕1号
    name: 企业公示信息随机抽查
    initiator: SCJG
    items: [SX01]
    sampling:
      strata:
        低: {ratio: 0.5, min_count: 1}
        高: {ratio: 1.0}
      default: {ratio: 0.3}
    exclusions:
      established_within_days: 90
    draw_date: 2026-04-08
    window: {start: 2026-04-15, end: 2026-07-31}
  - id: T02
    number: 测试〔2026〕2号
    name: 餐饮服务食品安全和公共场所卫生部门联合抽查
    initiator: SCJG
    cooperators: [WSJK]
    items: [SX02, SX03]
    scope: {directed: true, industries: [餐饮业]}
    sampling:
      default: {ratio: 1.0}
    exclusions:
      drawn_since: 2026-01-01
      high_risk_exempt: true
    team: {size: 3, departments: {SCJG: 2, WSJK: 1}}
    draw_date: 2026-05-11
    window: {start: 2026-05-18, end: 2026-08-31}
"""

RISKS = ["低", "一般", "较高", "高", "低", ""]


def roster_rows(n: int = 60) -> list[list]:
    """n targets: risks cycle, every 7th cancelled, every 11th new, every 3rd a restaurant."""
    rows = []
    for i in range(1, n + 1):
        rows.append(target(i, **{
            "信用风险分类": RISKS[i % len(RISKS)],
            "登记状态": "注销" if i % 7 == 0 else "存续",
            "成立日期": date(2026, 3, 1) if i % 11 == 0 else date(2015, 5, 1),
            "行业": "餐饮业" if i % 3 == 0 else "批发和零售业",
            "企业名称": "=HYPERLINK(\"x\")餐馆" if i == 9 else f"西宁测试{i}号商贸有限公司",
        }))
    return rows


def officer_rows() -> list[list]:
    return ([officer(i) for i in range(1, 6)]
            + [officer(6, 在岗状态="离岗"), officer(7, 执法证有效期至=date(2026, 6, 1)),
               officer(8, 执法门类="特种设备"),
               officer(9, 部门="WSJK", 执法门类="卫生监督"), officer(10, 部门="WSJK", 执法门类="卫生监督")])


def make_workspace(root: Path, *, rows: list[list] | None = None, plan: str = PLAN) -> Path:
    """A workspace at `root` (marker, plan, rosters); returns the plan path."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "workspace.yaml").write_text("name: test\n", encoding="utf-8")
    targets_file(root, rows if rows is not None else roster_rows())
    officers_file(root, officer_rows())
    path = root / "plan.yaml"
    path.write_text(plan, encoding="utf-8")
    return path


def at(y: int, m: int, d: int, h: int = 9, mi: int = 30) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=TZ)


def set_now(monkeypatch, moment: datetime) -> None:
    import shuangsuiji.core.clock as clock

    monkeypatch.setattr(clock, "now", lambda: moment)


SEED = "38201749561028374619"

__all__ = ["PLAN", "SEED", "at", "code", "make_workspace", "officer_rows", "roster_rows", "set_now"]


OTHER_SEED = "70615243987012364518"  # a second strong seed, never SEED


def draw_json(invoke, plan, *extra, seed=SEED, task="T01"):
    """`ssj draw --json` of a task with a seed source, as the official-acts tests call it."""
    return invoke("draw", "--plan", plan, "--task", task, "--seed", seed, "--seed-source", "掷骰", "--json", *extra)
