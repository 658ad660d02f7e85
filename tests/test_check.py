"""`ssj check` through the CLI: summary, exit status, and the content of 问题清单.xlsx."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from factories import basic_workspace, officer, target

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PLAN = ROOT / "plans" / "chengzhong-2026.yaml"


def sheet_rows(path: Path, sheet: str = "问题清单") -> list[list]:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def problem_rows(path: Path) -> list[dict]:
    rows = sheet_rows(path)
    assert rows[1] == ["文件", "工作表", "行号", "列", "值", "问题", "严重程度"]
    return [dict(zip(rows[1], r)) for r in rows[2:]]


def test_shipped_sample_is_usable(invoke, tmp_path):
    res = invoke("check", "--plan", SAMPLE_PLAN, "--out", tmp_path, "--json")
    assert res.exit_code == 0, res.stdout
    env = res.json
    assert env["ok"] and env["command"] == "check" and env["errors"] == []
    data = env["data"]
    assert data["usable"] and data["targets"]["total"] >= 5000
    assert set(data["targets"]["by_risk"]) == {"低", "一般", "较高", "高"}
    assert data["targets"]["not_drawable"] > 0
    assert sum(d["total"] for d in data["inspectors"].values()) >= 80
    tasks = {t["id"]: t for t in data["tasks"]}
    assert len(tasks) == 7
    for t in tasks.values():  # every task has a pool and enough eligible officers for a team
        assert t["pool"] > 0 and t["take"] > 0, t
        assert all(d["eligible"] >= d["per_team"] for d in t["departments"].values()), t
        assert t["warnings"] == []
    assert tasks["T03"]["pool"] >= 40 and tasks["T07"]["pool"] >= 150
    assert data["special_lists"] == {"特种设备使用单位": 170} and data["neighbours"]["SCJG"] == 10
    rows = problem_rows(tmp_path / "问题清单.xlsx")
    assert rows and {r["严重程度"] for r in rows} == {"警告"}
    dup = next(r for r in rows if "同一主体出现 2 行" in r["问题"])
    assert dup["文件"].endswith("targets.xlsx") and dup["工作表"] == "检查对象名录" and dup["列"] == "统一社会信用代码"


def test_human_summary(invoke, tmp_path):
    res = invoke("check", "--plan", SAMPLE_PLAN, "--out", tmp_path)
    assert res.exit_code == 0
    out = res.stdout
    assert "检查对象：5,120 户" in out and "按信用风险分类：低" in out
    assert "城中区市场监督管理局（SCJG）：44 人，在岗 42" in out
    assert "T02 餐饮服务食品安全和公共场所卫生部门联合抽查：可抽对象" in out
    assert "结论：可以使用" in out
    overview = [r[0] for r in sheet_rows(tmp_path / "问题清单.xlsx", "概况")]
    assert any("结论：可以使用" in line for line in overview)


def test_rejected_rows_exit_3_and_are_listed_with_row_column_reason(invoke, tmp_path):
    rows = [target(1), target(2, 统一社会信用代码=913501001234567890), target(3, 统一社会信用代码="91110000800088421P"),
            target(4, 登记状态="歇业")]
    plan = basic_workspace(tmp_path, rows, [officer(1), officer(2, 部门="交通局")])
    out = tmp_path / "report"
    res = invoke("check", "--plan", plan, "--out", out, "--json")
    assert res.exit_code == 3
    env = res.json
    assert env["ok"] is False and env["errors"][0]["code"] == "input_invalid"
    assert env["data"]["targets"]["total"] == 2
    rows = problem_rows(out / "问题清单.xlsx")
    by_row = {(r["文件"].rsplit("/", 1)[-1], r["行号"]): r for r in rows}
    number = by_row[("targets.xlsx", 4)]
    assert (number["列"], number["值"], number["严重程度"]) == ("统一社会信用代码", "9.13501E+17", "错误")
    assert "存成了数字" in number["问题"]
    assert "校验位不符" in by_row[("targets.xlsx", 5)]["问题"]
    assert by_row[("targets.xlsx", 6)]["严重程度"] == "警告" and by_row[("targets.xlsx", 6)]["列"] == "登记状态"
    dept = by_row[("inspectors.xlsx", 4)]
    assert (dept["列"], dept["值"], dept["严重程度"]) == ("部门", "交通局", "错误")
    # the envelope carries every rejected row too, for scripts that do not open the workbook
    listed = {(p["file"].rsplit("/", 1)[-1], p["row"], p["column"]) for p in env["errors"][0]["problems"]}
    assert listed == {("targets.xlsx", 4, "统一社会信用代码"), ("targets.xlsx", 5, "统一社会信用代码"),
                      ("inspectors.xlsx", 4, "部门")}


def test_rejected_rows_human_text(invoke, tmp_path):
    plan = basic_workspace(tmp_path, [target(1), target(2, 统一社会信用代码="91350100O000100Y43")])
    res = invoke("check", "--plan", plan, "--out", tmp_path / "o")
    assert res.exit_code == 3
    assert "[错误]" in res.stdout and "统一社会信用代码/注册号有误或缺失：1 处（第 4 行）" in res.stdout
    assert "结论：不能使用" in res.stdout


def test_row_without_any_identifier_is_not_summed_up_as_a_wrong_code(invoke, tmp_path):
    """A clerk saw 「统一社会信用代码有误」 for a row whose code cell is empty: the summary must name
    what the problem list says (nothing to identify the entity), not send them hunting a typo."""
    plan = basic_workspace(tmp_path, [target(1), target(2, 统一社会信用代码=None)])
    res = invoke("check", "--plan", plan, "--out", tmp_path / "o")
    assert res.exit_code == 3
    assert "[错误] " in res.stdout and "统一社会信用代码/注册号有误或缺失：1 处（第 4 行）" in res.stdout
    assert "统一社会信用代码有误" not in res.stdout
    row = next(r for r in problem_rows(tmp_path / "o" / "问题清单.xlsx") if r["行号"] == 4)
    assert row["列"] == "统一社会信用代码" and row["问题"].startswith("没有任何标识")


def test_unusable_file_named_with_the_fix(invoke, tmp_path):
    plan = basic_workspace(tmp_path)
    (tmp_path / "inspectors.xlsx").unlink()
    res = invoke("check", "--plan", plan, "--out", tmp_path / "o", "--json")
    assert res.exit_code == 3
    err = res.json["errors"][0]
    assert "找不到文件" in err["message"] and "inspectors.xlsx" in err["message"]
    rows = problem_rows(tmp_path / "o" / "问题清单.xlsx")
    assert any(r["问题"] == "文件不存在" and r["文件"].endswith("inspectors.xlsx") for r in rows)


def test_invalid_plan_lists_plan_errors_with_lines(invoke, tmp_path):
    plan = basic_workspace(tmp_path)
    plan.write_text(plan.read_text(encoding="utf-8").replace("ratio: 0.5, min_count", "ratio: 50%, min_count"),
                    encoding="utf-8")
    res = invoke("check", "--plan", plan, "--out", tmp_path / "o")
    assert res.exit_code == 3
    assert "计划文件有 1 处错误" in res.stdout and "结论：不能使用" in res.stdout
    (row,) = problem_rows(tmp_path / "o" / "问题清单.xlsx")
    assert row["行号"] == 23 and "实际为 \"50%\"" in row["问题"] and row["严重程度"] == "错误"


def test_missing_plan_is_not_found(invoke, tmp_path):
    res = invoke("check", "--plan", tmp_path / "none.yaml")
    assert res.exit_code == 4 and "找不到计划文件" in res.stderr


def test_default_out_is_the_workspace(invoke, tmp_path, monkeypatch):
    assert invoke("init", tmp_path / "ws").exit_code == 0
    monkeypatch.chdir(tmp_path)
    res = invoke("check", "--plan", tmp_path / "ws" / "plans" / "chengzhong-2026.yaml")
    assert res.exit_code == 0
    assert (tmp_path / "ws" / "out" / "check" / "问题清单.xlsx").is_file()
    assert not (tmp_path / "out").exists()


def test_default_out_outside_a_workspace(invoke, tmp_path, monkeypatch):
    plan = basic_workspace(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert invoke("check", "--plan", plan).exit_code == 0
    assert (tmp_path / "out" / "check" / "问题清单.xlsx").is_file()


def test_warnings_only_is_usable(invoke, tmp_path):
    plan = basic_workspace(tmp_path, [target(1), target(1, 许可证名称="食品经营许可证"), target(2, 信用风险分类="")],
                           [officer(1), officer(2, 在岗状态="失效")])
    res = invoke("check", "--plan", plan, "--out", tmp_path / "o", "--json")
    assert res.exit_code == 0 and res.json["data"]["usable"]
    groups = {g["code"]: g for g in res.json["data"]["problems"]}
    assert groups["duplicate"]["rows"] == [3] and groups["risk_unmapped"]["rows"] == [5]
    assert res.json["data"]["inspectors"]["SCJG"]["active"] == 1


def test_check_help_is_chinese(invoke):
    res = invoke("check", "--help")
    assert res.exit_code == 0 and "问题清单" in res.stdout and "退出码" in res.stdout


def test_ssj_help_does_not_import_heavy_libraries():
    probe = ("import sys; from shuangsuiji.cli.main import main; sys.argv = ['ssj', '--help']\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print('HEAVY', sorted(m for m in ('pandas', 'openpyxl', 'python_calamine', 'numpy', 'pyarrow', 'fastexcel', 'polars') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert "HEAVY []" in out and "check" in out and "init" in out


def test_column_the_plan_needs_missing_fails_with_close_names(invoke, tmp_path):
    import json

    from factories import TARGET_HEADERS, write_xlsx

    headers = [("信用风险分类结论" if h == "信用风险分类" else h) for h in TARGET_HEADERS]  # not recognised
    plan = basic_workspace(tmp_path)
    write_xlsx(tmp_path / "targets.xlsx", [headers, target(1), target(2)])
    res = invoke("check", "--plan", plan, "--out", tmp_path / "out", "--json")
    assert res.exit_code == 3, res.stdout
    body = json.loads(res.stdout)
    found = [p for e in body["errors"] for p in e.get("problems", []) if p.get("code") == "column_needed"]
    assert found and "信用风险分类" in found[0]["reason"] and "最接近的是：信用风险分类结论" in found[0]["reason"]
    assert "T01 按信用风险分类分层抽取" in found[0]["reason"]


def _directed_plan(folder: Path, targets: str) -> Path:
    from factories import PLAN, plan_file

    text = PLAN.format(targets=targets, inspectors="inspectors.xlsx", rosters_extra="", neighbour="").replace(
        "    items: [SX01]\n", "    items: [SX01]\n    scope:\n      directed: true\n      entity_types: [个体工商户]\n")
    return plan_file(folder, text=text)


import pytest  # noqa: E402


@pytest.mark.parametrize("columnar_path", [False, True])
def test_empty_type_under_a_type_filter_is_warned_with_count_and_rows(tmp_path, monkeypatch, columnar_path):
    """A directed task filtering on 市场主体类型: an entity whose type cell is empty can never match,
    so it silently falls out of scope. `ssj check` warns: how many, which task, which rows."""
    from factories import TARGET_HEADERS, officers_file, write_csv

    from shuangsuiji.draw.readiness import run_check
    from shuangsuiji.intake import columnar

    monkeypatch.setattr(columnar, "MIN_BYTES", 0 if columnar_path else 1 << 62)
    rows = [target(i, 市场主体类型="个体工商户") for i in range(1, 15)]
    for i in (3, 7, 8, 9, 10, 11, 12, 13, 14, 2, 5, 6):  # 12 empty, listed out of row order
        rows[i - 1] = target(i, 市场主体类型="")
    rows.append(target(15, 市场主体类型="企业"))  # a type outside the filter: not a gap
    write_csv(tmp_path / "targets.csv", [TARGET_HEADERS, *rows])
    officers_file(tmp_path, [officer(1), officer(2)])
    plan = _directed_plan(tmp_path, "targets.csv")
    report = run_check(plan, tmp_path / "out")
    assert report.usable  # a warning: the data can still be used
    found = [p for p in report.problems if p.code == "filter_cell_empty"]
    assert len(found) == 1
    p = found[0]
    assert p.severity == "warning" and p.column == "市场主体类型" and p.row == 3  # first empty row (header is row 1)
    assert "为空的检查对象有 12 家" in p.reason and "第 3、4、6、7、8、9、10、11、12、13 行等" in p.reason
    assert "任务 T01 按市场主体类型定向筛选" in p.reason
    listed = problem_rows(tmp_path / "out" / "问题清单.xlsx")
    assert any(r["列"] == "市场主体类型" and "12 家" in r["问题"] and r["严重程度"] == "警告" for r in listed)


def test_empty_type_without_a_type_filter_is_not_warned(tmp_path):
    from factories import TARGET_HEADERS, officers_file, write_csv

    from shuangsuiji.draw.readiness import run_check

    rows = [target(1, 市场主体类型=""), target(2)]
    write_csv(tmp_path / "targets.csv", [TARGET_HEADERS, *rows])
    officers_file(tmp_path, [officer(1), officer(2)])
    from factories import plan_file

    report = run_check(plan_file(tmp_path, targets="targets.csv"), tmp_path / "out")
    assert not [p for p in report.problems if p.code == "filter_cell_empty"]
