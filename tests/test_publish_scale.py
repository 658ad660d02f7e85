"""Publish at scale (issue 12): reading result cells per column and per distinct value must not
change one row, one problem or one byte of what publish writes.

`messy_results` fills the match templates the way departments really do (codes typed as numbers,
dates as text, departments as ids, unknown codes, blank template rows, duplicates, platform
phrases …), deterministically. The snapshot digest below was taken on the per-cell reader
(main @ 1b31db8, before per-column reading) and pins: every ResultRow, every Problem (file,
sheet, row, column, reason, value, code, severity), the public CSV, the manifest (less the
input and output file hashes, which carry xlsxwriter's creation time) and every part of the
public and office xlsx except docProps/core.xml (the creation time).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import zipfile
from datetime import date, datetime

import pytest

from results_helpers import DEPT_NAMES, make_workspace, setup_task, uscc, write_results

TODAY = date(2026, 11, 30)
NOW = datetime.fromisoformat("2026-11-30T10:00:00+08:00")
N = 240


def _pick(*parts) -> int:
    return int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:4], "big")


RESULTS = ["1 未发现问题", "A 发现问题待后续处理", "A", "未发现问题", "1", 1.0, True, "A、7", "Z 不存在",
           "发现问题待后续处理；未按规定公示应当公示的信息；", "1；A", "Ａ", 1, "未发现问题", "1 未发现问题"]
SUBCODES = [None, "B", "2", "B、2", "X", "无", None, None]
FOLLOW_UPS = [None, "责令改正", "无需后续处置", "责令改正；其他：罚款", "立案查处", "乱写", "-", None]
DATES = [date(2026, 6, 1), date(2026, 7, 15), date(2026, 9, 20), date(2026, 3, 1), date(2026, 12, 25),
         "2026-06-01", "2026/6/2", 20260603, "abc", "2026-13-01", None, 45000.5, date(2026, 6, 1), date(2026, 6, 5)]
METHODS = ["书面检查", "实地检查", "现场检查", "乱写", None, "书面检查"]


def _code_cell(i: int, code: str):
    k = _pick("code", i) % 40
    return {0: code.lower(), 1: f" {code[:6]} {code[6:]} ", 2: 9.13501001234568e17, 3: 123456789012345,
            4: None, 5: uscc(90000 + i), 6: code[:17] + ("0" if code[17] != "0" else "1")}.get(k, code)


def _dept_cell(i: int, dept: str):
    k = _pick("dept", i) % 30
    return {0: dept, 1: " ".join(DEPT_NAMES[dept]), 2: "某某局", 3: None, 4: "ＳＣＪＧ" if dept == "SCJG" else dept,
            5: "测试区应急管理局"}.get(k, DEPT_NAMES[dept])


def _row(i: int, code: str, dept: str) -> dict:
    h = _pick(i, dept)
    if h % 23 == 0:  # an untouched template row
        return {"统一社会信用代码": code, "企业名称": f"企业{i}", "检查部门": DEPT_NAMES[dept]}
    if h % 29 == 0:  # a blank row
        return {}
    cells = {
        "序号": i + 1,
        "抽查任务编号": ["", "测试市监抽查〔2026〕2号", "其他〔2026〕9号", "测试市监抽查[2026]2号"][h % 4] if h % 3 else "",
        "统一社会信用代码": _code_cell(i, code),
        "企业名称": f"企业{i}",
        "检查部门": _dept_cell(i, dept),
        "检查结果": RESULTS[(h >> 3) % len(RESULTS)],
        "问题类型": SUBCODES[(h >> 7) % len(SUBCODES)],
        "后续处置": FOLLOW_UPS[(h >> 11) % len(FOLLOW_UPS)],
        "检查方式": METHODS[(h >> 13) % len(METHODS)],
        "检查日期": DATES[(h >> 16) % len(DATES)],
        "录入日期": DATES[(h >> 20) % len(DATES)],
    }
    if (h >> 25) % 3:  # the clean case, which most rows are
        cells.update({"检查结果": "1 未发现问题", "问题类型": None, "后续处置": None,
                      "检查日期": date(2026, 6, 1 + i % 20), "录入日期": date(2026, 6, 25)})
    return cells


def messy_results(root, n: int = N, order=None):
    """A joint task (SCJG + WSJK) over `n` entities; both departments' workbooks, messy, plus
    a duplicate of a few rows; `order` rearranges each workbook's rows."""
    ws, plan = make_workspace(root)
    codes = [uscc(i) for i in range(n)]
    setup_task(ws, "T02", {c: (f"企业{i}", ["SCJG", "WSJK"]) for i, c in enumerate(codes)})
    folder = ws.root / "data" / "results" / "T02"
    for dept in ("SCJG", "WSJK"):
        rows = [_row(i, c, dept) for i, c in enumerate(codes)]
        rows += [_row(i, codes[i], dept) for i in range(0, n, 37)]  # entered twice
        rows = order(rows) if order else rows
        retyped = dept == "WSJK"  # a department that re-typed the sheet: other headers, no title row
        write_results(folder / f"结果录入-{DEPT_NAMES[dept]}.xlsx", rows, title=None if retyped else "检查结果录入表",
                      rename={"统一社会信用代码": "信用代码", "检查日期": "检查完成日期", "后续处置": "处置措施"}
                      if retyped else None)
    return ws, plan


def _xlsx_parts(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: hashlib.sha256(z.read(n)).hexdigest() for n in sorted(z.namelist()) if n != "docProps/core.xml"}


def snapshot(ws, plan) -> dict:
    """What read_results, validate and publish (--partial) give on the workspace, as plain data."""
    from shuangsuiji.plan.load import load_plan
    from shuangsuiji.publish.intake import default_files, read_results
    from shuangsuiji.publish.publication import Options, publish
    from shuangsuiji.publish.validate import load_expected, validate

    lp = load_plan(plan)
    task = lp.plan.task("T02")
    rows, problems = read_results(default_files(ws, task), lp, task)
    problems = problems + validate(rows, load_expected(ws, lp, task), task, TODAY)
    pub = publish(ws, lp, task, [], today=TODAY, now=NOW, opts=Options(partial=True))
    manifest = json.loads((pub.folder / "manifest.json").read_text(encoding="utf-8"))
    del manifest["inputs"], manifest["files"]
    return {
        "rows": [repr(tuple(sorted(v) if isinstance(v, frozenset) else v for v in dataclasses.astuple(r)))
                 for r in rows],
        "problems": [p.to_dict() for p in problems],
        "office_problems": [p.to_dict() for p in pub.assessment.problems],
        "csv": hashlib.sha256((pub.folder / "公示结果.csv").read_bytes()).hexdigest(),
        "manifest": manifest,
        "xlsx": {n: _xlsx_parts(pub.folder / n) for n in ("公示结果.xlsx", "办公室留存.xlsx")},
    }


def digest(snap: dict) -> str:
    return hashlib.sha256(json.dumps(snap, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


# Taken on the per-cell reader (see the module docstring); a change here must say why.
SNAPSHOT_SHA256 = "10197dcda9dd8bccefa753f85d3b5d378f61362159890e0b42786db4e0f991a8"


def test_messy_results_publish_exactly_as_the_per_cell_reader_did(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # files are named in messages relative to the current folder
    ws, plan = messy_results(tmp_path / "ws")
    snap = snapshot(ws, plan)
    # the input is as messy as intended: each kind of problem is there
    kinds = {p["code"] for p in snap["problems"]}
    assert {"invalid", "bad_date", "not_drawn", "duplicate", "unknown_code", "contradictory", "no_follow_up",
            "date_outside", "date_future", "entry_before", "missing", "subcode_without_a"} <= kinds
    assert 0 < len(snap["manifest"]["records"]) < N
    assert digest(snap) == SNAPSHOT_SHA256


def test_a_column_is_read_once_per_distinct_cell_and_type():
    from shuangsuiji.publish.columns import per_value

    calls = []

    def fn(v):
        calls.append(v)
        return repr(v)

    col = [1, True, 1.0, None, 1, True] * 50  # equal in Python, three different cells in a sheet
    assert per_value(col, fn) == ["1", "True", "1.0", "None", "1", "True"] * 50
    assert sorted(map(repr, calls)) == ["1", "1.0", "None", "True"]
    calls.clear()
    assert per_value(["a", "b", None] * 10, fn) == ["'a'", "'b'", "None"] * 10 and len(calls) == 3
    calls.clear()
    names = [f"企业{i}" for i in range(100)]
    assert per_value(names, fn) == [repr(x) for x in names] and len(calls) == 100  # no table for distinct cells
    assert per_value([["a"], ["a"]], fn) == ["['a']", "['a']"]  # unhashable: read cell by cell


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_the_public_csv_is_byte_for_byte_what_write_csv_writes(tmp_path, encoding):
    from shuangsuiji.publish.files import _write_public_csv
    from shuangsuiji.publish.record import PUBLIC_HEADERS
    from shuangsuiji.sheets.writers import write_csv

    traps = ["=1+1", "+86", "-3", "@SUM(A1)", "\tx", "\r\n", "普通企业", "", "含,逗号", '含"引号', "多\n行"]
    rows = [[n, *[traps[(n + k) % len(traps)] for k in range(8)]] for n in range(1, 40)]
    _write_public_csv(tmp_path / "fast.csv", rows, encoding)
    write_csv(tmp_path / "ref.csv", PUBLIC_HEADERS, rows, encoding=encoding)
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "ref.csv").read_bytes()
    text = (tmp_path / "fast.csv").read_bytes().decode(encoding)
    assert "'=1+1" in text and "'@SUM(A1)" in text and "'-3" in text  # formula injection escaped
    rows[5][3] = 12  # a cell that is not text: written the general way, still the same bytes
    _write_public_csv(tmp_path / "fast.csv", rows, encoding)
    write_csv(tmp_path / "ref.csv", PUBLIC_HEADERS, rows, encoding=encoding)
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "ref.csv").read_bytes()


def test_the_manifest_text_is_what_json_dumps_with_indent_writes(tmp_path, monkeypatch):
    from shuangsuiji.core.jsontext import json_text

    docs = [
        {}, [], {"a": []}, {"a": {}}, [[]], [{}], "x", 1, None,
        {"kind": "publish", "version": 2, "partial": False, "previous": None, "ratio": 0.1, "big": 10**20,
         "records": [{"名称": "含{括号}与\"引号\"、\n换行\t和\\反斜杠", "n": 1, "x": 1.5e-7, "t": True, "z": None},
                     {}, {"嵌套": {"a": [1, [2, {"b": []}]]}}],
         "published": ["91630103000000000Q", "", "=1+1"], "changes": {"added": [], "changed": ["a"]},
         "nested": [[1, 2], [], [[]], ({"k": ("t", "u")},)], "nan": float("nan"), "inf": float("-inf")},
        {1: "a non-text key"}, {"a": {2.5: "b"}}, {"a": {True: [None]}},
        # lists of flat records (one C-encoder call, boundaries rewritten): values that look like boundaries
        [{"a": "}"}, {"b": "x},\n  {"}, {"c": "},\n    {", "d": 1}], [{"a": 1}], {"x": [{"a": "}"}, {"a": "{"}]},
        {"x": {"y": [{"a": None, "b": False}, {"a": 1.0, "b": "]"}]}},
        [{"a": 1}, {}], [{"a": {"b": 1}}, {"c": 2}], [{"a": [1]}], [{"a": []}, {"b": {}}], [{"a": (1, 2)}],
        [{"a": 1}, ["b"]], [{1: "a"}, {"b": 2}],
    ]
    for doc in docs:
        assert json_text(doc) == json.dumps(doc, ensure_ascii=False, indent=2) + "\n", doc
    monkeypatch.chdir(tmp_path)
    ws, plan = messy_results(tmp_path / "ws", 60)
    snapshot(ws, plan)
    written = next((tmp_path / "ws" / "out" / "T02" / "publish").glob("v1/manifest.json")).read_text(encoding="utf-8")
    assert json_text(json.loads(written)) == written
    assert json.dumps(json.loads(written), ensure_ascii=False, indent=2) + "\n" == written


def test_whole_column_normalisation_equals_the_cell_by_cell_one():
    from shuangsuiji.intake.codes import normalise_code
    from shuangsuiji.publish.cells import norm_text
    from shuangsuiji.publish.columns import codes_of, texts_of

    codes = ["91630103abcdefgh1x", "", "91630103ABCDEFGH1X", "123456789012345"]
    assert codes_of(codes) == [normalise_code(c) for c in codes] == ["91630103ABCDEFGH1X", "", "91630103ABCDEFGH1X",
                                                                   "123456789012345"]
    odd = [" 9163 0103ＡＢ ", "91630103-x", None, 9.13501001234568e17, 123456789012345, "a\x00b", "ok"]
    for column in (odd, ["a\x00b", "c"], ["", ""], []):
        assert codes_of(column) == [normalise_code(c) for c in column]
    # combining marks and jamo at the edges of cells, compatibility forms, full-width text, spaces
    names = ["\u0301开头的组合符", "结尾e\u0301", "\u1100", "\u1161한", "ﬁ①㍿", "（全角）ＡＢＣ１２３", "  两端空格  ",
             "e", "\u0301", "Å", "A\u030a", "", "\u3000全角空格\u3000", "a\x00b"]
    assert texts_of(names) == [norm_text(n) for n in names]
    assert texts_of(names[:-1]) == [norm_text(n) for n in names[:-1]]
    mixed = ["企业", None, 12.0, "企业"]
    assert texts_of(mixed) == [norm_text(n) for n in mixed] == ["企业", "", "12", "企业"]


def test_chunk_size_changes_no_row_and_no_problem(tmp_path, monkeypatch):
    """Per-chunk state (the shortest row, the untouched rows left out, the table of distinct cells)
    must not leak: reading 7 rows at a time gives what reading the whole sheet at once gives."""
    from shuangsuiji.intake.tables import Table
    from shuangsuiji.plan.load import load_plan
    from shuangsuiji.publish.intake import default_files, read_results

    monkeypatch.chdir(tmp_path)
    ws, plan = messy_results(tmp_path / "ws", 90)
    lp = load_plan(plan)
    task = lp.plan.task("T02")
    whole = read_results(default_files(ws, task), lp, task)
    real = Table.chunks
    monkeypatch.setattr(Table, "chunks", lambda self, size=7: real(self, 7))
    small = read_results(default_files(ws, task), lp, task)
    assert small == whole and len(whole[0]) > 100 and len(whole[1]) > 50


def test_the_order_of_rows_in_a_workbook_changes_nothing_published(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    published = []
    for name, order in (("a", None), ("b", lambda rows: rows[::-1]), ("c", lambda rows: rows[1::2] + rows[::2])):
        ws, plan = messy_results(tmp_path / name, 90, order=order)
        snap = snapshot(ws, plan)
        withheld = [w["credit_code"] for w in snap["manifest"]["withheld"]]  # the reasons name rows, which moved
        published.append((snap["csv"], snap["manifest"]["records"], withheld))
    assert published[0][1] and published[0][2] and published[0] == published[1] == published[2]
