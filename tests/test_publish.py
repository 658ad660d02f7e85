"""ssj publish: the public record, refusal, --partial, versions, encodings, injection, no PII."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from results_helpers import (
    make_workspace,
    record_draw,
    record_match,
    record_substitution,
    result_row,
    uscc,
    write_results,
)

from shuangsuiji.core.fileio import sha256_file
from shuangsuiji.intake.records import Source
from shuangsuiji.publish.intake import ResultRow
from shuangsuiji.publish.record import PUBLIC_HEADERS, merged_result

A, B, C, X = (uscc(n) for n in (201, 202, 203, 209))
T02 = "测试市监抽查〔2026〕2号"
SC, WS = "测试区市场监督管理局", "测试区卫生健康局"
INJECTED = ['=HYPERLINK("http://evil.example","点我")', "+8613800000000商贸", "@SUM(A1:A9)", "-1+1"]


@pytest.fixture
def ws(tmp_path):
    """T02 (SCJG + WSJK): A and C by both departments, B (substitute for X) by SCJG only."""
    ws, plan = make_workspace(tmp_path / "ws")
    record_draw(ws, "T02", {"一般": [A, X, C]}, reserves={"一般": [B]})
    record_substitution(ws, "T02", X, B, reason="经营场所无法联系，由备选替补")
    record_match(ws, "T02", {A: ("甲商贸有限公司", ["SCJG", "WSJK"]), B: ("乙餐饮店", ["SCJG"]),
                             C: ("丙宾馆", ["SCJG", "WSJK"])})
    return SimpleNamespace(root=ws.root, plan=plan, ledger=ws.ledger, ledger_path=ws.ledger_path)


def results_dir(ws) -> Path:
    return ws.root / "data" / "results" / "T02"


def fill(ws, scjg: list[dict] | None = None, wsjk: list[dict] | None = None) -> None:
    if scjg is None:
        scjg = [result_row(A, "SCJG"), result_row(B, "SCJG", inspected=date(2026, 6, 2), entered=date(2026, 6, 3)),
                result_row(C, "SCJG")]
    if wsjk is None:
        wsjk = [result_row(A, "WSJK", result="A 发现问题待后续处理", subcodes="2、B", follow_up="责令改正",
                           inspected=date(2026, 6, 10), entered=date(2026, 6, 12)),
                result_row(C, "WSJK", result="E", follow_up="责令改正")]
    write_results(results_dir(ws) / f"结果录入-{SC}.xlsx", scjg)
    write_results(results_dir(ws) / f"结果录入-{WS}.xlsx", wsjk)


def run(invoke, ws, *args, today="2026-09-01"):
    return invoke("publish", "--plan", ws.plan, "--task", "T02", "--today", today, "--json", *args)


def read_csv(path: Path, encoding="utf-8-sig") -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode(encoding))))


def xlsx_cells(path: Path) -> list:
    wb = load_workbook(path)
    return [c for s in wb.worksheets for r in s.iter_rows() for c in r if c.value is not None]


def v(ws, n: int) -> Path:
    return ws.root / "out" / "T02" / "publish" / f"v{n}"


# -- the record -----------------------------------------------------------------------------------


def test_publish_writes_one_public_record_per_entity(invoke, ws):
    fill(ws)
    r = run(invoke, ws)
    assert r.exit_code == 0, r.stdout
    assert r.json["data"]["version"] == 1 and r.json["data"]["published"] == 3
    raw = (v(ws, 1) / "公示结果.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    expected = [
        ["序号", "统一社会信用代码/注册号", "企业名称", "检查实施机关", "类型", "日期", "结果", "抽查任务编号", "抽查任务名称"],
        ["1", A, "甲商贸有限公司", f"{SC}、{WS}", "抽查", "2026年06月10日",
         "发现问题待后续处理；违反市场监管相关规定；未按规定公示应当公示的信息", T02, "公共场所部门联合抽查"],
        ["2", B, "乙餐饮店", SC, "抽查", "2026年06月02日", "未发现问题", T02, "公共场所部门联合抽查"],
        ["3", C, "丙宾馆", f"{SC}、{WS}", "抽查", "2026年05月20日", "发现问题经责令已改正", T02, "公共场所部门联合抽查"],
    ]
    assert read_csv(v(ws, 1) / "公示结果.csv") == expected
    sheet = load_workbook(v(ws, 1) / "公示结果.xlsx")["公示结果"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert values[0] == PUBLIC_HEADERS == expected[0]
    assert [[str(x) for x in row] for row in values[1:]] == expected[1:]  # the same text, 序号 a number
    assert [row[0] for row in values[1:]] == [1, 2, 3]


def test_ledger_entry_names_every_file_with_its_hash(invoke, ws):
    fill(ws)
    assert run(invoke, ws).exit_code == 0
    entry = ws.ledger().last("publish", "T02")
    assert entry["data"] == {"manifest": "out/T02/publish/v1/manifest.json",
                             "manifest_sha256": sha256_file(v(ws, 1) / "manifest.json"),
                             "version": 1, "reason": "首次公示", "partial": False}
    assert sorted(entry["files"]) == [f"out/T02/publish/v1/{n}" for n in
                                      ("ledger_head.json", "manifest.json", "公示结果.csv", "公示结果.xlsx", "办公室留存.xlsx")]
    for rel, sha in entry["files"].items():
        assert sha256_file(ws.root / rel) == sha
    manifest = json.loads((v(ws, 1) / "manifest.json").read_text(encoding="utf-8"))
    assert [r["统一社会信用代码/注册号"] for r in manifest["records"]] == [A, B, C]
    assert manifest["records"][0]["日期"] == "2026-06-10"  # the manifest keeps ISO dates whatever the style
    assert manifest["published"] == [A, B, C]  # what `ssj report deadlines` reads
    assert manifest["substitutions"] == [{"in": B, "out": X, "reason": "经营场所无法联系，由备选替补"}]
    assert ws.ledger().verify().ok


def test_merge_rule_drops_no_problem_only_when_a_department_found_one():
    def r(*codes, subs=()):
        return ResultRow(A, "SCJG", codes[0], subs, None, None, date(2026, 6, 1), None, Source("f", "s", 1),
                         more_codes=codes[1:])

    assert merged_result([r("1"), r("1")]) == "未发现问题"
    assert merged_result([r("1"), r("E")]) == "发现问题经责令已改正"
    assert merged_result([r("1"), r("8")]) == "不配合检查情节严重"
    assert merged_result([r("1"), r("F")]) == "未发现问题；未发现开展本次抽查涉及的经营活动"
    assert merged_result([r("A", subs=("B",)), r("E"), r("A", subs=("2",))]) == \
        "发现问题待后续处理；违反市场监管相关规定；未按规定公示应当公示的信息；发现问题经责令已改正"
    assert merged_result([r("A", subs=("6", "G"))]) == \
        "发现问题待后续处理；通过登记的住所（经营场所）无法联系；违反公安部门相关规定"


def test_substitute_is_published_under_its_own_code_and_noted_in_the_office_copy(invoke, ws):
    fill(ws)
    assert run(invoke, ws).exit_code == 0
    codes = [row[1] for row in read_csv(v(ws, 1) / "公示结果.csv")[1:]]
    assert B in codes and X not in codes
    office = load_workbook(v(ws, 1) / "办公室留存.xlsx")
    rows = [[c.value for c in r] for r in office["逐户逐部门"].iter_rows(min_row=3)]
    b_rows = [r for r in rows if r[0] == B]
    assert len(b_rows) == 1 and b_rows[0][2] == SC and b_rows[0][9] == "已公示"
    assert b_rows[0][11] == f"替补 {X}（经营场所无法联系，由备选替补）"
    swaps = [[c.value for c in r] for r in office["替补记录"].iter_rows(min_row=3)]
    assert swaps == [[B, "乙餐饮店", X, "经营场所无法联系，由备选替补"]]


def test_a_row_for_the_replaced_entity_is_refused(invoke, ws):
    fill(ws, scjg=[result_row(A), result_row(B), result_row(C), result_row(X)])
    r = run(invoke, ws)
    assert r.exit_code == 3
    reasons = [p["reason"] for p in r.json["errors"][0]["problems"]]
    assert reasons == [f"该对象已由替补对象 {B} 替换，不应再录入结果"]


# -- refusing and --partial -----------------------------------------------------------------------


def test_refuses_while_anything_is_invalid_and_writes_nothing(invoke, ws):
    fill(ws, wsjk=[result_row(A, "WSJK", result="A", subcodes="2")])  # no follow-up; C missing
    before = ws.ledger_path.read_bytes()
    r = run(invoke, ws)
    assert r.exit_code == 3
    err = r.json["errors"][0]
    assert err["message"] == "结果有 1 处错误、1 项未录入，未发布任何内容。"
    assert [(p["row"], p["column"], p["reason"]) for p in err["problems"]] == [
        (3, "后续处置", "检查结果为「A 发现问题待后续处理」时须填写后续处置"),
        (None, None, f"{WS}尚未录入检查结果：{C}（丙宾馆）"),
    ]
    assert not (ws.root / "out" / "T02" / "publish").exists()
    assert ws.ledger_path.read_bytes() == before


def test_text_output_names_file_row_and_column(invoke, ws):
    fill(ws, wsjk=[result_row(A, "WSJK", result="Z"), result_row(C, "WSJK")])
    r = invoke("publish", "--plan", ws.plan, "--task", "T02", "--today", "2026-09-01")
    assert r.exit_code == 3
    assert f"结果录入-{WS}.xlsx 工作表「检查结果录入」 第3行 「检查结果」列：检查结果「Z」不是有效代码" in r.stderr
    assert "处理办法：" in r.stderr and "Traceback" not in r.stderr + r.stdout


def test_partial_publishes_only_complete_valid_entities(invoke, ws):
    fill(ws, wsjk=[result_row(A, "WSJK", result="A", subcodes="2")])  # A lacks a follow-up; C missing
    r = run(invoke, ws, "--partial")
    assert r.exit_code == 0, r.stdout
    data = r.json["data"]
    assert data["published"] == 1 and data["partial"] is True
    shown = str(results_dir(ws) / f"结果录入-{WS}.xlsx")
    assert data["withheld"] == [
        {"credit_code": A, "reasons": [
            f"{shown} 工作表「检查结果录入」 第3行 「后续处置」列：检查结果为「A 发现问题待后续处理」时须填写后续处置"]},
        {"credit_code": C, "reasons": [f"{WS}尚未录入检查结果"]},
    ]
    assert [row[:2] for row in read_csv(v(ws, 1) / "公示结果.csv")[1:]] == [["1", B]]
    assert ws.ledger().last("publish", "T02")["data"]["partial"] is True
    office = load_workbook(v(ws, 1) / "办公室留存.xlsx")["逐户逐部门"]
    status = {(r[0].value, r[2].value): (r[9].value, r[10].value) for r in office.iter_rows(min_row=3)}
    assert status[(C, WS)] == ("未公示", "尚未录入")
    assert status[(B, SC)] == ("已公示", None)


def test_partial_with_nothing_complete_is_refused(invoke, ws):
    fill(ws, scjg=[], wsjk=[])
    r = run(invoke, ws, "--partial")
    assert r.exit_code == 3 and not (ws.root / "out" / "T02" / "publish").exists()
    (error,) = r.json["errors"]
    assert error["message"].startswith("任务 T02 没有任何完整且无误的对象可以公示")
    assert {p["code"] for p in error["problems"]} == {"missing"}


# -- versions -------------------------------------------------------------------------------------


def test_a_supplement_after_a_partial_publication_is_the_next_version(invoke, ws):
    fill(ws, wsjk=[result_row(A, "WSJK", result="1")])
    assert run(invoke, ws, "--partial").exit_code == 0
    v1 = {p.name: sha256_file(p) for p in v(ws, 1).iterdir()}
    fill(ws)
    r = run(invoke, ws)
    assert r.exit_code == 5  # A's result changed from 1 to A: a correction, not a supplement
    fill(ws, wsjk=[result_row(A, "WSJK", result="1"), result_row(C, "WSJK", result="E", follow_up="责令改正")])
    r = run(invoke, ws)
    assert r.exit_code == 0, r.stdout
    assert r.json["data"]["version"] == 2 and r.json["data"]["changes"] == {"added": [C], "changed": [],
                                                                             "withdrawn": []}
    entry = ws.ledger().last("publish", "T02")
    assert entry["data"]["reason"] == "补充公示：新增 1 户" and entry["data"]["partial"] is False
    assert {p.name: sha256_file(p) for p in v(ws, 1).iterdir()} == v1


def test_republishing_the_same_results_is_refused(invoke, ws):
    fill(ws)
    assert run(invoke, ws).exit_code == 0
    r = run(invoke, ws)
    assert r.exit_code == 5
    assert "完全相同" in r.json["errors"][0]["message"]
    # the hint names the folder the clerk can open, not a placeholder 「out/<任务>/publish/」
    assert "out/T02/publish/v1/" in r.json["errors"][0]["hint"] and "<任务>" not in r.json["errors"][0]["hint"]
    assert not v(ws, 2).exists()


def test_a_correction_needs_the_flag_and_a_reason_and_never_overwrites(invoke, ws):
    fill(ws)
    assert run(invoke, ws).exit_code == 0
    v1 = {p.name: sha256_file(p) for p in v(ws, 1).iterdir()}
    fill(ws, wsjk=[result_row(A, "WSJK", result="E", follow_up="责令改正", inspected=date(2026, 6, 10),
                              entered=date(2026, 6, 12)),
                   result_row(C, "WSJK", result="E", follow_up="责令改正")])
    r = run(invoke, ws)
    assert r.exit_code == 5
    assert r.json["errors"][0]["problems"] == [
        {"code": "changed", "severity": "error", "message": f"已公示记录将被改动：{A}",
         "reason": f"已公示记录将被改动：{A}", "file": None, "sheet": None, "row": None, "column": None,
         "value": None}]
    assert run(invoke, ws, "--correction").exit_code == 2
    r = run(invoke, ws, "--correction", "--reason", "卫健局更正甲商贸检查结果")
    assert r.exit_code == 0, r.stdout
    assert r.json["data"]["version"] == 2 and r.json["data"]["changes"]["changed"] == [A]
    assert read_csv(v(ws, 2) / "公示结果.csv")[1][6] == "发现问题经责令已改正"
    assert {p.name: sha256_file(p) for p in v(ws, 1).iterdir()} == v1
    entries = ws.ledger().entries("publish", "T02")
    assert [(e["data"]["version"], e["data"]["reason"]) for e in entries] == [
        (1, "首次公示"), (2, "卫健局更正甲商贸检查结果")]
    manifest = json.loads((v(ws, 2) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["previous"]["version"] == 1


def test_correction_before_any_publication_is_refused(invoke, ws):
    fill(ws)
    assert run(invoke, ws, "--correction", "--reason", "x").exit_code == 5


def test_an_orphan_version_folder_is_moved_aside_not_overwritten(invoke, ws):
    fill(ws)
    v(ws, 1).mkdir(parents=True)
    (v(ws, 1) / "公示结果.csv").write_text("中断时留下的文件", encoding="utf-8")
    r = run(invoke, ws)
    assert r.exit_code == 0, r.stdout
    assert any("台账中没有记录的输出 out/T02/publish/v1" in w for w in r.json["warnings"])
    (kept,) = (ws.root / "out/T02/.interrupted").iterdir()
    assert kept.name.startswith("publish-v1-") and (kept / "公示结果.csv").read_text(encoding="utf-8") == "中断时留下的文件"
    assert ws.ledger().last("publish", "T02")["data"]["version"] == 1


def test_publish_needs_a_match(invoke, tmp_path):
    ws, plan = make_workspace(tmp_path / "w")
    record_draw(ws, "T02", {"一般": [A]})
    r = invoke("publish", "--plan", plan, "--task", "T02", "--json")
    assert r.exit_code == 5 and "尚未匹配派发" in r.json["errors"][0]["message"]


def test_no_results_files(invoke, ws):
    r = run(invoke, ws)
    assert r.exit_code == 3 and "没有可读取的结果文件" in r.json["errors"][0]["message"]


def test_named_files_are_used_instead_of_the_folder(invoke, ws, tmp_path):
    fill(ws)
    other = tmp_path / "elsewhere"
    for p in results_dir(ws).iterdir():
        p.rename(other / p.name) if other.exists() else (other.mkdir(), p.rename(other / p.name))
    r = run(invoke, ws, *sorted(other.iterdir()))
    assert r.exit_code == 0, r.stdout
    assert run(invoke, ws, tmp_path / "nope.xlsx").exit_code == 4


# -- encodings, injection, personal data ---------------------------------------------------------


def test_gb18030_output_reads_back(invoke, ws):
    fill(ws)
    assert run(invoke, ws, "--encoding", "gb18030").exit_code == 0
    raw = (v(ws, 1) / "公示结果.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = read_csv(v(ws, 1) / "公示结果.csv", "gb18030")
    assert rows[0] == PUBLIC_HEADERS and rows[1][3] == f"{SC}、{WS}" and rows[1][5] == "2026年06月10日"
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert run(invoke, ws, "--encoding", "latin-1").exit_code == 2


def test_formula_injection_is_escaped_in_csv_and_xlsx(invoke, tmp_path):
    ws, plan = make_workspace(tmp_path / "w")
    codes = [uscc(300 + i) for i in range(len(INJECTED))]
    record_draw(ws, "T01", {"一般": codes})
    record_match(ws, "T01", {c: (n, ["SCJG"]) for c, n in zip(codes, INJECTED)})
    write_results(ws.root / "data" / "results" / "T01" / "r.xlsx", [result_row(c) for c in codes])
    r = invoke("publish", "--plan", plan, "--task", "T01", "--today", "2026-09-01", "--json")
    assert r.exit_code == 0, r.stdout
    folder = ws.root / "out" / "T01" / "publish" / "v1"
    names = {row[1]: row[2] for row in read_csv(folder / "公示结果.csv")[1:]}
    assert [names[c] for c in codes] == ["'" + n for n in INJECTED]
    for name in ("公示结果.xlsx", "办公室留存.xlsx"):
        cells = xlsx_cells(folder / name)
        assert all(c.data_type != "f" for c in cells)
        texts = [c.value for c in cells if isinstance(c.value, str)]
        assert not [t for t in texts if t.startswith(("=", "+", "-", "@"))]
        for n in INJECTED:
            assert "'" + n in texts


PII = {"names": ["王建国", "李秀英"], "ids": ["630103198801011234", "63010319900202567X"],
       "phones": ["13912345678", "0971-8123456"]}


def _write_rosters(ws) -> None:
    """Rosters with officers' names, ID numbers and phones, and a legal representative's phone."""
    from shuangsuiji.sheets.writers import Sheet, write_xlsx

    write_xlsx(ws.root / "data" / "inspectors.xlsx", [Sheet("人员", ["执法证号", "姓名", "部门", "身份证号", "手机号"], [
        ["Q001", PII["names"][0], "SCJG", PII["ids"][0], PII["phones"][0]],
        ["Q002", PII["names"][1], "WSJK", PII["ids"][1], PII["phones"][1]]])])
    write_xlsx(ws.root / "data" / "targets.xlsx", [Sheet("对象", ["统一社会信用代码", "企业名称", "法定代表人", "联系电话"], [
        [A, "甲商贸有限公司", PII["names"][0], PII["phones"][0]]])])


def test_no_personal_data_in_any_public_cell(invoke, ws):
    _write_rosters(ws)
    roster_values = set()
    for f in ("inspectors.xlsx", "targets.xlsx"):
        sheet = load_workbook(ws.root / "data" / f).worksheets[0]
        header = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2, values_only=True):
            for h, value in zip(header, row):
                if h in ("姓名", "身份证号", "手机号", "法定代表人", "联系电话"):
                    roster_values.add(str(value))
    assert len(roster_values) == 6
    # Departments wrote officers into the sheet: an extra column and the 备注.
    headers = ["统一社会信用代码", "企业名称", "检查部门", "检查结果", "后续处置", "检查日期", "录入日期", "检查人员", "备注"]
    rows = []
    for code, dept in ((A, "SCJG"), (B, "SCJG"), (C, "SCJG"), (A, "WSJK"), (C, "WSJK")):
        r = result_row(code, dept)
        r["检查人员"] = f"{PII['names'][0]}（{PII['ids'][0]}）"
        r["备注"] = f"联系人 {PII['names'][1]} {PII['phones'][1]} {PII['phones'][0]}"
        rows.append(r)
    write_results(results_dir(ws) / "all.xlsx", rows, headers=headers)
    r = run(invoke, ws)
    assert r.exit_code == 0, r.stdout
    public = [cell for row in read_csv(v(ws, 1) / "公示结果.csv") for cell in row]
    public += [str(c.value) for c in xlsx_cells(v(ws, 1) / "公示结果.xlsx")]
    assert len(public) > 40
    leaks = [(cell, pii) for cell in public for pii in roster_values if pii in cell]
    assert leaks == []
    # the office copy is internal, but it carries no officer identity either
    office = [str(c.value) for c in xlsx_cells(v(ws, 1) / "办公室留存.xlsx")]
    assert [(cell, pii) for cell in office for pii in roster_values if pii in cell] == []


# -- the demo filler ------------------------------------------------------------------------------


def _load_filler():
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "scripts" / "fill_sample_results.py"
    spec = importlib.util.spec_from_file_location("fill_sample_results", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_fill_sample_results_is_deterministic_and_publishable(invoke, tmp_path):
    ws, plan = make_workspace(tmp_path / "w")
    codes = [uscc(600 + i) for i in range(60)]
    record_draw(ws, "T02", {"一般": codes})
    record_match(ws, "T02", {c: (f"示例{i}号", ["SCJG", "WSJK"]) for i, c in enumerate(codes)})
    for dept, name in (("SCJG", SC), ("WSJK", WS)):
        write_results(ws.root / "out" / "T02" / "match" / f"结果录入-{name}.xlsx",
                      [result_row(c, dept, result=None, inspected=None, entered=None, method=None, seq=i + 1)
                       for i, c in enumerate(codes)])
    filler = _load_filler()
    args = ["--plan", str(plan), "--task", "T02", "--until", "2026-09-15"]
    assert filler.main(args) == 0
    out = ws.root / "data" / "results" / "T02"
    first = {p.name: [[c.value for c in r] for r in load_workbook(p).active.iter_rows()] for p in out.iterdir()}
    assert filler.main(args) != 0  # refuses to overwrite without --force
    assert filler.main(args + ["--force"]) == 0
    again = {p.name: [[c.value for c in r] for r in load_workbook(p).active.iter_rows()] for p in out.iterdir()}
    assert first == again
    r = invoke("publish", "--plan", plan, "--task", "T02", "--today", "2026-09-15", "--json")
    assert r.exit_code == 0, r.stdout
    assert r.json["data"]["published"] == 60
    results = [row[6] for row in read_csv(ws.root / "out" / "T02" / "publish" / "v1" / "公示结果.csv")[1:]]
    assert results.count("未发现问题") > 20 and any(x.startswith("发现问题待后续处理；") for x in results)


def test_a_rejection_writes_the_problem_list_and_prints_problems_grouped_by_kind(invoke, ws):
    bad = [result_row(A, "WSJK", result="Z"), result_row(B, "WSJK", result="Q"), result_row(C, "WSJK", result="Z")]
    fill(ws, wsjk=bad)
    r = invoke("publish", "--plan", ws.plan, "--task", "T02", "--today", "2026-09-01")
    assert r.exit_code == 3
    assert f"[错误] 结果录入-{WS}.xlsx 结果代码、问题类型或后续处置无效：3 处（第 3、4、5 行）" in r.stderr
    assert f"例：{results_dir(ws) / f'结果录入-{WS}.xlsx'} 工作表「检查结果录入」 第3行 「检查结果」列" in r.stderr
    assert f"[错误] 结果录入-{WS}.xlsx 部门未被派发该对象：1 处（第 4 行）" in r.stderr  # B is SCJG's only
    assert "全部 4 处问题（逐条写明文件、工作表、行、列）见 out/T02/问题清单.xlsx" in r.stderr
    assert "「检查结果」列：检查结果「Q」" not in r.stderr  # grouped, not listed one by one
    assert not (ws.root / "out" / "T02" / "publish").exists()  # nothing published
    sheet = load_workbook(ws.root / "out" / "T02" / "问题清单.xlsx")["问题清单"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [(r[2], r[3], r[6]) for r in rows] == [(3, "检查结果", "错误"), (4, "检查部门", "错误"),
                                                 (4, "检查结果", "错误"), (5, "检查结果", "错误")]
    assert rows[2][5].startswith("检查结果「Q」不是有效代码") and rows[0][0].endswith(f"结果录入-{WS}.xlsx")


def test_an_inspection_before_the_dispatch_is_a_located_error(invoke, ws):
    # the fixture's match was dispatched on 2026-04-14; the window opens 2026-05-18 — move the
    # dispatch later than one inspection date
    fill(ws, scjg=[result_row(A, "SCJG", inspected=date(2026, 5, 19), entered=date(2026, 5, 22)),
                   result_row(B, "SCJG"), result_row(C, "SCJG")])
    lines = ws.ledger_path.read_text(encoding="utf-8").splitlines()
    from shuangsuiji.core.ledger import Ledger

    ledger = Ledger(ws.ledger_path)
    match = [e for e in ledger.read() if e["kind"] == "match"][0]
    ws.ledger_path.write_text("\n".join(lines[: match["seq"] - 1]) + "\n", encoding="utf-8")
    ledger.append("match", task="T02", time=match["time"], files=match["files"],
                  data={**match["data"], "dispatched": "2026-05-20T09:00:00+08:00"})
    r = run(invoke, ws)
    assert r.exit_code == 3
    (p,) = [p for p in r.json["errors"][0]["problems"] if "派发日期" in p["reason"]]
    assert p["reason"] == "检查日期 2026-05-19 早于本任务的派发日期（2026-05-20），不可能是本任务的检查"
    assert p["file"].endswith(f"结果录入-{SC}.xlsx") and p["row"] == 3 and p["column"] == "检查日期"
    assert not v(ws, 1).exists()


def test_a_date_before_the_dispatch_and_the_window_counts_once(invoke, ws):
    """Dispatched 2026-04-14, window from 2026-05-18: 2026-04-01 breaks both rules but is one bad cell."""
    fill(ws, scjg=[result_row(A, "SCJG", inspected=date(2026, 4, 1), entered=date(2026, 4, 2)),
                   result_row(B, "SCJG"), result_row(C, "SCJG")])
    r = run(invoke, ws)
    assert r.exit_code == 3
    on_cell = [p for p in r.json["errors"][0]["problems"] if p["row"] == 3 and p["column"] == "检查日期"
               and p["file"].endswith(f"结果录入-{SC}.xlsx")]
    assert [p["code"] for p in on_cell] == ["date_before_dispatch"], on_cell


def test_today_in_the_future_is_refused(invoke, ws, monkeypatch):
    fill(ws)
    monkeypatch.setenv("SSJ_NOW", "2026-09-01T10:00:00+08:00")
    r = run(invoke, ws, today="2026-09-02")
    assert r.exit_code == 2 and "晚于实际的今天（2026-09-01）" in r.json["errors"][0]["message"]
    assert not v(ws, 1).exists()
    assert run(invoke, ws, today="2026-09-01").exit_code == 0


def test_every_problem_publish_raises_has_a_kind_name_in_the_summary():
    """The clerk saw the first row's whole message as a group title (「检查日期 2025-01-01 早于本任务的
    派发日期（…），不可能是本任务的检查：1 处」), and one group per distinct date: each problem code the
    results checks raise must have a label, so rows of one kind are counted together."""
    import re

    from shuangsuiji.core.errors import Problem
    from shuangsuiji.publish import problems

    src = "\n".join(p.read_text(encoding="utf-8") for p in (Path(problems.__file__).parent).glob("*.py"))
    raised = set(re.findall(r'code="([a-z_]+)"', src)) - {"input_invalid", "usage", "not_found", "state"}
    assert "date_before_dispatch" in raised
    assert raised <= set(problems.LABELS), sorted(raised - set(problems.LABELS))
    found = [Problem(f"检查日期 2026-05-{d} 早于本任务的派发日期（2026-05-20），不可能是本任务的检查", file="r.xlsx",
                     row=n, column="检查日期", code="date_before_dispatch") for n, d in ((3, 18), (4, 19))]
    (group,) = problems.groups(found)
    assert (group["label"], group["count"], group["rows"]) == ("检查日期早于派发日期", 2, [3, 4])


def test_the_office_copy_dates_the_version_as_a_clerk_reads_it(invoke, ws, monkeypatch):
    """办公室留存.xlsx 「版本说明」 showed 发布时间 2026-09-01T10:00:00+08:00 while 上一版 read in Chinese."""
    monkeypatch.setenv("SSJ_NOW", "2026-09-01T10:05:00+08:00")
    fill(ws)
    assert run(invoke, ws).exit_code == 0
    rows = {r[0].value: r[1].value for r in load_workbook(v(ws, 1) / "办公室留存.xlsx")["版本说明"].iter_rows(min_row=3)}
    assert rows["发布时间"] == "2026年9月1日 10:05"
