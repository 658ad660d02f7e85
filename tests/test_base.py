"""The shared base: cell escaping, CSV/xlsx writers, atomic writes, staged folders, the lock."""

from __future__ import annotations

import json
from datetime import date

import pytest
from openpyxl import load_workbook

from shuangsuiji.core.errors import ExitCode, InputInvalid, Problem, StateError, WorkspaceLocked
from shuangsuiji.core.fileio import atomic_path, staged_dir, write_text_atomic
from shuangsuiji.core.workspace import Workspace, find_workspace
from shuangsuiji.sheets.base import Dropdown
from shuangsuiji.sheets.writers import Sheet, csv_bytes, display_width, escape_cell, write_csv, write_xlsx


@pytest.mark.parametrize("raw, escaped", [
    ("=HYPERLINK(\"http://x\",\"点我\")", "'=HYPERLINK(\"http://x\",\"点我\")"),
    ("+8613800000000", "'+8613800000000"),
    ("-1+1", "'-1+1"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\tcmd", "'\tcmd"),
    ("西宁市城中区某某餐饮店", "西宁市城中区某某餐饮店"),
])
def test_escape_cell_neutralises_formula_prefixes(raw, escaped):
    assert escape_cell(raw) == escaped


def test_escape_cell_leaves_numbers_and_dates_alone():
    assert escape_cell(-5) == -5
    assert escape_cell(date(2026, 3, 1)) == date(2026, 3, 1)


def test_csv_has_bom_and_escapes_cells():
    data = csv_bytes(["统一社会信用代码", "企业名称"], [["91630103MA7XXXXX1", "=cmd|' /C calc'!A0"]])
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert text.splitlines()[1] == "91630103MA7XXXXX1,'=cmd|' /C calc'!A0"


def test_csv_gb18030_round_trips(tmp_path):
    path = write_csv(tmp_path / "a.csv", ["企业名称"], [["城中区饮马街餐馆"]], encoding="gb18030")
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("gb18030").splitlines() == ["企业名称", "城中区饮马街餐馆"]


def test_xlsx_has_title_header_dropdown_and_escaped_cells(tmp_path):
    sheet = Sheet("结果", ["代码", "名称", "结果", "日期"],
                  [["91630103", "@SUM(1)", "", date(2026, 5, 6)]], title="检查结果录入表",
                  dropdowns=[Dropdown(2, ["1 未发现问题", "A 发现问题待后续处理"])], date_columns=[3],
                  extra_rows=3)
    path = write_xlsx(tmp_path / "r.xlsx", [sheet])
    ws = load_workbook(path)["结果"]
    assert ws["A1"].value == "检查结果录入表"
    assert [c.value for c in ws[2]] == ["代码", "名称", "结果", "日期"]
    assert ws["B3"].value == "'@SUM(1)"
    assert ws.freeze_panes == "A3"
    validations = ws.data_validations.dataValidation
    assert len(validations) == 1
    assert validations[0].formula1 == '"1 未发现问题,A 发现问题待后续处理"'
    assert str(validations[0].sqref) == "C3:C6"
    assert validations[0].showErrorMessage is True
    assert ws["D3"].number_format == "yyyy-mm-dd"


def test_display_width_counts_cjk_double():
    assert display_width("ab城中") == 6


def test_display_width_is_the_same_when_remembered_and_after_the_memory_is_cleared(monkeypatch):
    """Widths are kept per text and per character (a row's height reads the same texts again
    and again); what is kept must never change an answer, nor outgrow its bound."""
    import unicodedata

    from shuangsuiji.sheets import base

    def reference(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    texts = ["城中区市场监督管理局", "ａｂｃ１２３", "Ωé…", "「检查结果录入」第3行", "한국어", "😀x", "\u3000全角空格",
             "ｶﾀｶﾅ半角", "𠀀𪚥", "a\u0301", "data/results/T02/结果录入-城中区卫生健康局.xlsx",
             "x「检查结果录入」第3行", "y「检查结果录入」第4行 Ωé", "\x7f\x80é城"]
    monkeypatch.setattr(base, "_WIDTHS", {})
    monkeypatch.setattr(base, "_RUN_EXTRA", {})
    monkeypatch.setattr(base, "_WIDTHS_KEPT", 4)
    for _ in range(3):  # computed, remembered, remembered again after clearing
        for text in texts:
            assert display_width(text) == reference(text), text
            assert len(base._WIDTHS) <= 4 and len(base._RUN_EXTRA) <= 4
    assert display_width("城中") == 4 and display_width("ab") == 2 and display_width("") == 0


def test_row_heights_are_the_same_when_line_counts_are_remembered(monkeypatch):
    """A row's height is its tallest wrapped cell's line count; counts of texts are kept (bounded)
    and must give what counting each cell afresh gives, whatever the cell's type."""
    from datetime import datetime

    from shuangsuiji.sheets import writers
    from shuangsuiji.sheets.base import _text

    def reference(values, wrap, widths):
        lines = max((writers.line_count(_text(values[c]), widths[c]) for c in wrap
                     if c < len(values) and values[c] is not None), default=1)
        return writers.LINE_HEIGHT * lines + 3 if lines > 1 else None

    monkeypatch.setattr(writers, "_LINES", {})
    monkeypatch.setattr(writers, "_LINES_KEPT", 5)
    cells = ["城中区市场监督管理局", "短", "", "一行\n两行\n三行", "x" * 70, "很长的企业名称" * 6, 12345678901234567890,
             1.5, True, date(2026, 6, 1), datetime(2026, 6, 1, 9, 30), None, "ａｂｃ" * 9]
    widths = [6, 10, 16, 30]
    rows = [[cells[(i * 7 + k) % len(cells)] for k in range(i % 5)] for i in range(200)]  # short rows too
    for wrap in ({0, 1, 2, 3}, {1, 3}, {2}, set()):
        for row in rows * 2:  # counted, then remembered (or counted again after clearing)
            assert writers._row_height(row, wrap, widths) == reference(row, wrap, widths), (row, wrap)
            assert len(writers._LINES) <= 5
    assert writers._row_height(["一\n二\n三"], {0}, [10]) == writers.LINE_HEIGHT * 3 + 3
    assert writers._row_height(["短"], {0}, [10]) is None


def test_atomic_write_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.json"
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_refuses_to_overwrite_when_asked(tmp_path):
    target = write_text_atomic(tmp_path / "m.json", "first")
    with pytest.raises(StateError):
        write_text_atomic(target, "second", overwrite=False)
    assert target.read_text() == "first"


def test_staged_dir_renames_complete_folder_and_refuses_existing(tmp_path):
    with staged_dir(tmp_path / "draw") as tmp:
        (tmp / "manifest.json").write_text("{}")
    assert (tmp_path / "draw" / "manifest.json").read_text() == "{}"
    with pytest.raises(StateError):
        with staged_dir(tmp_path / "draw"):
            pass
    with pytest.raises(ValueError):
        with staged_dir(tmp_path / "draw-2") as tmp:
            (tmp / "partial").write_text("x")
            raise ValueError
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draw"]


def test_workspace_lock_refuses_a_second_holder(tmp_path):
    ws = Workspace(tmp_path)
    with ws.lock():
        with pytest.raises(WorkspaceLocked) as err:
            with Workspace(tmp_path).lock(timeout=0.1):
                pass
    assert err.value.exit_code == ExitCode.LOCKED
    with ws.lock():  # released again
        pass


def test_find_workspace_walks_up_from_plan(tmp_path):
    (tmp_path / "workspace.yaml").write_text("name: x\n")
    (tmp_path / "plans").mkdir()
    plan = tmp_path / "plans" / "p.yaml"
    plan.write_text("")
    assert find_workspace(plan).root == tmp_path.resolve()


def test_problem_message_names_file_sheet_row_column():
    p = Problem(reason="校验位错误", file="targets.xlsx", sheet="名录", row=12, column="统一社会信用代码",
                value="91110000800088421P")
    assert p.message() == "targets.xlsx 工作表「名录」 第12行 「统一社会信用代码」列：校验位错误（值：91110000800088421P）"


def test_error_envelope_and_exit_code(capsys):
    from shuangsuiji.cli.common import emit

    err = InputInvalid("名录有错误", hint="请修改", problems=[Problem(reason="缺列", file="a.xlsx")])
    code = emit("check", True, error=err)
    envelope = json.loads(capsys.readouterr().out)
    assert code == ExitCode.INPUT_INVALID == 3
    assert envelope["ok"] is False and envelope["command"] == "check"
    assert envelope["errors"][0]["problems"][0]["message"] == "a.xlsx：缺列"


def test_outputs_get_the_usual_file_mode_not_mkstemp_private(tmp_path):
    import os
    import stat

    mask = os.umask(0o022)
    try:
        path = write_text_atomic(tmp_path / "m.json", "{}")
        with staged_dir(tmp_path / "draw") as tmp:
            (tmp / "a.txt").write_text("x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "draw").stat().st_mode) == 0o755


def test_large_sheets_take_the_fast_writer_and_read_back_the_same(tmp_path):
    from shuangsuiji.sheets.writers import BIG_SHEET

    rows = [[f"9163010300000{i:05d}", "=SUM(1)" if i == 7 else f"企业{i}", date(2026, 5, 6)]
            for i in range(BIG_SHEET + 1)]
    path = write_xlsx(tmp_path / "big.xlsx", [Sheet("公示", ["代码", "名称", "日期"], rows, title="公示结果",
                                                    date_columns=[2])])
    ws = load_workbook(path, read_only=True)["公示"]
    got = [list(r) for r in ws.iter_rows(values_only=True)]
    assert got[0][0] == "公示结果" and got[1] == ["代码", "名称", "日期"]
    assert got[2 + 7][1] == "'=SUM(1)"
    assert got[-1][0] == f"9163010300000{BIG_SHEET:05d}"
    assert len(got) == BIG_SHEET + 3


def test_dropdowns_survive_large_sheets_and_can_be_advisory(tmp_path):
    from shuangsuiji.sheets.writers import BIG_SHEET

    rows = [[f"{i}", None, None] for i in range(BIG_SHEET + 1)]
    sheet = Sheet("录入", ["代码", "问题类型", "检查日期"], rows, date_columns=[2],
                  dropdowns=[Dropdown(1, ["2 违反市场监管相关规定", "B 未按规定公示应当公示的信息"], strict=False)])
    ws = load_workbook(write_xlsx(tmp_path / "t.xlsx", [sheet]))["录入"]
    (dv,) = ws.data_validations.dataValidation
    assert str(dv.sqref) == f"B2:B{BIG_SHEET + 2}"
    assert dv.showErrorMessage is False  # "2、B" typed by hand must not be refused
    assert ws[f"C{BIG_SHEET + 2}"].number_format == "yyyy-mm-dd"  # blank date cell formatted
