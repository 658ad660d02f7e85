"""`ssj plan export`: the public plan table, every cell derived from the plan file."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from shuangsuiji.deadlines.planexport import HEADERS, percent, plan_rows, sampling_text, scope_text
from shuangsuiji.plan.load import load_plan

REPO = Path(__file__).resolve().parents[1]
SAMPLE_PLAN = REPO / "plans" / "chengzhong-2026.yaml"


@pytest.fixture
def lp():
    return load_plan(SAMPLE_PLAN)


def test_percent():
    assert [percent(x) for x in (0.03, 0.025, 1.0, 0.3, 0.1025)] == ["3%", "2.5%", "100%", "30%", "10.25%"]


def test_rows_describe_each_task(lp):
    plan = lp.plan
    rows = plan_rows(plan)
    assert len(rows) == 7 and [r.joint for r in rows] == [False] + [True] * 6
    t01 = dict(zip(HEADERS, rows[0].cells))
    assert t01["任务编号"] == "城中市监抽查〔2026〕1号"
    assert t01["抽取类型"] == "不定向"
    assert t01["检查对象范围"] == "检查对象名录库中全部可抽取的市场主体"
    assert t01["抽查比例/数量"] == ("按信用风险分类：低 3%（至少 1 户）；一般 5%（至少 1 户）；"
                                "较高 10%（至少 1 户）；高 30%（至少 1 户）（户数向上取整）")
    assert t01["配合部门"] == "" and t01["发起部门"] == "城中区市场监督管理局"
    assert t01["抽取日期"] == date(2026, 4, 8)
    assert t01["计划开展时间"] == "2026-04-15 至 2026-07-31"
    assert t01["备注"] == "成立不满 90 日的不抽取"
    t03 = dict(zip(HEADERS, rows[2].cells))
    assert t03["检查对象范围"] == "持有危险化学品经营许可证的市场主体"
    assert t03["抽查比例/数量"] == "按信用风险分类：高 100%；其他类别 20%（至少 2 户）（户数向上取整）"
    assert t03["配合部门"] == "城中区市场监督管理局、西宁市生态环境局城中分局"
    assert t03["抽查事项"] == "危险化学品经营企业安全生产的检查；排污单位污染物排放的检查；价格行为的检查"
    assert t03["备注"] == "2026-01-01 以来已被抽中的不再抽取（高风险除外）"
    t06 = plan.task("T06")
    assert scope_text(plan, t06) == "市场主体类型：企业；行业：租赁和商务服务业"
    assert sampling_text(plan, t06) == "5%（至少 2 户，至多 20 户）（户数向上取整）"


def test_cli_export_writes_workbook_and_csv(invoke, tmp_path):
    plan_copy = tmp_path / "plan.yaml"
    text = SAMPLE_PLAN.read_text(encoding="utf-8").replace(
        "name: 娱乐场所部门联合抽查", "name: \"=HYPERLINK(\\\"http://x\\\")娱乐场所\"")
    plan_copy.write_text(text, encoding="utf-8")
    out = tmp_path / "out" / "计划表.xlsx"
    r = invoke("plan", "export", "--plan", plan_copy, "--out", out, "--json")
    assert r.exit_code == 0, r.stdout + r.stderr
    data = r.json["data"]
    assert data["tasks"] == 7 and data["joint_tasks"] == 6
    assert set(data["files"]) == {str(out), str(out.with_suffix(".csv"))}

    wb = load_workbook(out)
    assert wb.sheetnames == ["各部门抽查计划", "部门联合抽查计划"]
    own, joint = wb["各部门抽查计划"], wb["部门联合抽查计划"]
    assert own["A1"].value.endswith("抽查工作计划表（各部门）")
    assert [c.value for c in own[2]] == HEADERS
    assert own.freeze_panes == "A3"
    assert [c.value for c in own[3]][:3] == [1, "城中市监抽查〔2026〕1号", "企业公示信息随机抽查"]
    assert own.cell(row=3, column=12).value.date() == date(2026, 4, 8)
    assert own.max_row == 3
    assert joint.max_row == 2 + 6
    numbers = [joint.cell(row=r, column=2).value for r in range(3, 9)]
    assert numbers == [f"城中市监抽查〔2026〕{i}号" for i in range(2, 8)]
    assert [joint.cell(row=r, column=1).value for r in range(3, 9)] == [1, 2, 3, 4, 5, 6]
    names = [joint.cell(row=r, column=3).value for r in range(3, 9)]
    assert "'=HYPERLINK(\"http://x\")娱乐场所" in names  # formula injection escaped

    raw = out.with_suffix(".csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:3] == ["序号", "类别", "任务编号"]
    assert len(rows) == 8 and rows[1][1] == "各部门" and rows[2][1] == "部门联合"
    assert any(c.startswith("'=HYPERLINK") for c in rows[4])


def test_cli_export_defaults_to_workspace_out(invoke, tmp_path):
    (tmp_path / "workspace.yaml").write_text("name: t\n", encoding="utf-8")
    (tmp_path / "plans").mkdir()
    shutil.copy(SAMPLE_PLAN, tmp_path / "plans" / "chengzhong-2026.yaml")
    r = invoke("plan", "export", "--plan", tmp_path / "plans" / "chengzhong-2026.yaml")
    assert r.exit_code == 0, r.stderr
    target = tmp_path / "out" / "plan" / "chengzhong-2026-抽查工作计划表.xlsx"
    assert target.is_file() and target.with_suffix(".csv").is_file()
    assert "7 项任务（其中部门联合 6 项）" in r.stdout


def test_cli_export_outside_workspace_needs_out(invoke, tmp_path):
    shutil.copy(SAMPLE_PLAN, tmp_path / "p.yaml")
    r = invoke("plan", "export", "--plan", tmp_path / "p.yaml", "--json")
    assert r.exit_code == 4
    assert "--out" in r.json["errors"][0]["hint"]
