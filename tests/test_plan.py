"""The plan file: the shipped sample validates; errors are Chinese, with the file, line and field;
YAML's traps (octal-looking ids, `no`, dates) never change a value."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from shuangsuiji.core.errors import FileMissing, InputInvalid
from shuangsuiji.plan.load import load_plan

ROOT = Path(__file__).resolve().parent.parent
PLAN = """\
year: 2026
office: 测试联席办
departments:
  - id: 010020
    name: 城中区市场监督管理局
  - id: no
    name: 城中区卫生健康局
items:
  - {id: 0123, name: 企业公示信息的检查, department: 010020, category: 市场监管综合}
  - {id: SX03, name: 公共场所卫生的检查, department: no, category: 卫生监督}
rosters: {targets: t.xlsx, inspectors: i.xlsx}
risk_aliases: {on: 高}
tasks:
  - id: 1e3
    number: 测试〔2026〕1号
    name: 抽查
    initiator: 010020
    cooperators: [no]
    items: [0123, SX03]
    sampling:
      strata:
        低: {ratio: 0.05, min_count: 1}
    draw_date: 2026-04-08
    window: {start: 2026-04-15, end: 2026-07-31}
    team: {size: 2}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(tmp_path: Path, text: str) -> list:
    with pytest.raises(InputInvalid) as e:
        load_plan(write(tmp_path, text))
    assert e.value.problems and e.value.hint
    return e.value.problems


def test_shipped_plan_is_valid():
    lp = load_plan(ROOT / "plans" / "chengzhong-2026.yaml")
    plan = lp.plan
    assert len(plan.tasks) >= 6 and len({d for t in plan.tasks for d in t.participants}) >= 5
    assert lp.resolve(plan.rosters.targets) == (ROOT / "data" / "targets.xlsx").resolve()
    assert all(t.team.size >= 2 for t in plan.tasks)


def test_yaml_traps_keep_strings_and_dates(tmp_path):
    plan = load_plan(write(tmp_path, PLAN)).plan
    assert [d.id for d in plan.departments] == ["010020", "no"]  # not octal 4112, not False
    assert plan.items[0].id == "0123" and plan.items[1].department == "no"
    assert plan.tasks[0].id == "1e3"  # not the float 1000.0
    assert plan.risk_aliases == {"on": "高"}  # `on` is a key, not True
    assert plan.tasks[0].draw_date == date(2026, 4, 8)
    assert plan.tasks[0].cooperators == ["no"]


def test_field_errors_name_line_and_field(tmp_path):
    text = PLAN.replace("ratio: 0.05", "ratio: 5%").replace("draw_date: 2026-04-08", "draw_date: 2026-04-31")
    text = text.replace("team: {size: 2}", "team: {size: 1}\n    colour: red")
    problems = {p.row: p for p in errors_of(tmp_path, text)}
    assert problems[22].reason == 'tasks[0].sampling.strata.低.ratio：应为 0 到 1 之间的小数（如 0.05），实际为 "5%"'
    assert problems[23].reason == "tasks[0].draw_date：应为日期，格式 YYYY-MM-DD"
    assert problems[25].reason == "tasks[0].team.size：应不小于 2"
    assert problems[26].reason == "tasks[0].colour：未知字段（可能拼写错误）"
    assert all(p.file.endswith("plan.yaml") for p in problems.values())


def test_message_names_the_first_error(tmp_path):
    with pytest.raises(InputInvalid) as e:
        load_plan(write(tmp_path, PLAN.replace("year: 2026", "year: 二〇二六")))
    assert "计划文件有 1 处错误" in e.value.message and "第1行 year：应为整数" in e.value.message


def test_a_single_plan_error_is_said_once(tmp_path):
    """The headline names the only error; it is not listed again below it, and the value is not
    repeated after a reason that already quotes it."""
    with pytest.raises(InputInvalid) as e:
        load_plan(write(tmp_path, PLAN.replace("ratio: 0.05", "ratio: 5%", 1)))
    (p,) = e.value.problems
    assert e.value.message.startswith("计划文件有 1 处错误：") and "第一处" not in e.value.message
    assert 'ratio：应为 0 到 1 之间的小数（如 0.05），实际为 "5%"' in e.value.message
    assert p.value is None and "（值：" not in p.message()
    assert e.value.listed_problems() == []


def test_reference_errors_point_at_their_own_line(tmp_path):
    text = PLAN.replace("initiator: 010020", "initiator: 10020").replace("items: [0123, SX03]", "items: [0123, SX09]")
    problems = errors_of(tmp_path, text)
    by_row = {p.row: p.reason for p in problems}
    assert by_row[17] == "tasks[0].initiator：任务 1e3 的部门 10020 不在 departments 中"
    assert by_row[19] == "tasks[0].items[1]：任务 1e3 的抽查事项 SX09 不在 items 中"


def test_missing_fields_and_wrong_types(tmp_path):
    text = PLAN.replace("    name: 抽查\n", "").replace("cooperators: [no]", "cooperators: no")
    by_reason = {p.reason: p.row for p in errors_of(tmp_path, text)}
    assert by_reason["tasks[0].name：缺少必填项"] == 14  # the task's own line
    assert by_reason["tasks[0].cooperators：应为列表（每项以“- ”开头）"] == 17


def test_directed_scope_needs_a_filter(tmp_path):
    text = PLAN.replace("    team: {size: 2}", "    team: {size: 2}\n    scope: {directed: true}")
    (p,) = errors_of(tmp_path, text)
    assert p.row == 26 and "定向抽查必须至少设置一个筛选条件" in p.reason


def test_unknown_risk_class_and_special_list(tmp_path):
    text = PLAN.replace("低: {ratio", "中: {ratio").replace(
        "    team: {size: 2}", "    team: {size: 2}\n    scope: {directed: true, special_list: 电梯}")
    reasons = {p.row: p.reason for p in errors_of(tmp_path, text)}
    assert "未知风险类别 中" in reasons[22]
    assert "专项库 电梯 未在 rosters.special_lists 中定义" in reasons[26]


def test_yaml_syntax_error_has_a_line(tmp_path):
    with pytest.raises(InputInvalid) as e:
        load_plan(write(tmp_path, PLAN.replace("  - id: no\n", "  - id: no\n   bad: [\n")))
    assert "YAML 格式错误" in e.value.message and e.value.problems[0].row is not None


@pytest.mark.parametrize("old, new, row, said", [
    ("    initiator: 010020\n", "    initiator：010020\n", 17, "中文全角冒号「：」"),
    ("    name: 抽查\n", "    name: 抽查\n\t\n", 17, "制表符（Tab）"),
    ("  - id: no\n    name: 城中区卫生健康局\n", "  - id: no\n   name: 城中区卫生健康局\n", 7, "缩进不一致"),
])
def test_yaml_syntax_error_names_the_cause_in_chinese(tmp_path, old, new, row, said):
    with pytest.raises(InputInvalid) as e:
        load_plan(write(tmp_path, PLAN.replace(old, new, 1)))
    assert said in e.value.message and f"第{row}行" in e.value.message
    assert e.value.problems[0].row == row and said in e.value.problems[0].reason
    assert not any(c.isascii() and c.isalpha() for c in e.value.message.split("（", 1)[1].replace("YAML", "").replace("Tab", ""))


def test_key_written_twice_is_rejected_not_last_wins(tmp_path):
    with pytest.raises(InputInvalid) as e:
        load_plan(write(tmp_path, PLAN.replace("    draw_date: 2026-04-08\n",
                                               "    draw_date: 2026-04-08\n    draw_date: 2026-04-09\n")))
    assert "字段「draw_date」出现了不止一次（第23行和第24行）" in e.value.message
    assert e.value.problems[0].row == 24 and e.value.problems[0].column is None  # a plan has no columns


def test_missing_plan_file(tmp_path):
    with pytest.raises(FileMissing) as e:
        load_plan(tmp_path / "none.yaml")
    assert "找不到计划文件" in e.value.message


def test_yaml_alias_bomb_is_refused_with_a_line(tmp_path):
    # a "billion laughs" plan: each level references the previous one ten times
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        levels.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    p = tmp_path / "bomb.yaml"
    p.write_text(PLAN + "\n".join(levels) + "\n", encoding="utf-8")
    with pytest.raises(InputInvalid) as e:
        load_plan(p)
    assert "锚点" in e.value.message and f"第{PLAN.count(chr(10)) + 1}行" in e.value.message
    assert e.value.problems[0].row == PLAN.count("\n") + 1


def test_yaml_single_alias_is_refused(tmp_path):
    p = tmp_path / "alias.yaml"
    p.write_text(PLAN.replace("risk_aliases: {on: 高}", "risk_aliases: {on: 高}\nx: &k 1\ny: *k"), encoding="utf-8")
    with pytest.raises(InputInvalid) as e:
        load_plan(p)
    assert "YAML 锚点和别名" in e.value.message
