"""Every workbook ssj writes prints on A4: orientation by width, one page wide, title and header
repeated on every page, 「第 N 页 共 M 页」, wrapped long columns, an autofilter on data sheets.
With LibreOffice on the machine, the T02 dispatch sheet is converted to PDF and is one page wide."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_match_cli import DAY, PLAN_REL, cli, drawn, run_match  # noqa: F401 - fixture reused

from shuangsuiji.core.workspace import Workspace
from shuangsuiji.sheets.base import Sheet
from shuangsuiji.sheets.writers import OPTIONS_SHEET, write_xlsx


@pytest.fixture(scope="module")
def workspace(drawn, tmp_path_factory):  # noqa: F811
    """The sample after T02's draw and match, plus ssj check, plan export and summary."""
    root = tmp_path_factory.mktemp("print") / "ws"
    shutil.copytree(drawn, root)
    ws = Workspace(root)
    assert run_match(ws).exit_code == 0
    plan = root / PLAN_REL
    assert cli("check", "--plan", plan).exit_code == 0
    assert cli("plan", "export", "--plan", plan).exit_code == 0
    assert cli("summary", "--plan", plan, "--today", "2026-05-12").exit_code == 0
    return root


def books(root: Path) -> list[Path]:
    return sorted(p for p in (root / "out").rglob("*.xlsx"))


def test_every_workbook_is_set_up_for_a4(workspace):
    found = {p.name for p in books(workspace)}
    for name in ("抽取结果.xlsx", "派发单-全部.xlsx", "派发单-城中区卫生健康局.xlsx", "结果录入-城中区卫生健康局.xlsx",
                 "问题清单.xlsx", "chengzhong-2026-抽查工作计划表.xlsx"):
        assert name in found, name
    assert any(n.startswith("抽查工作总结-") for n in found)
    for path in books(workspace):
        wb = load_workbook(path)
        for ws in wb.worksheets:
            if ws.title == OPTIONS_SHEET:
                continue
            where = f"{path.name}「{ws.title}」"
            assert ws.page_setup.paperSize == 9, where  # A4
            assert ws.page_setup.orientation in ("portrait", "landscape"), where
            assert ws.sheet_properties.pageSetUpPr.fitToPage and (ws.page_setup.fitToWidth or 1) == 1, where  # 1: the default
            assert ws.page_setup.fitToHeight == 0, where  # as many pages long as needed
            assert ws.print_title_rows in ("$1:$2", "$1:$1"), where
            assert ws.oddFooter.center.text == "第 &P 页 共 &N 页", where
            # data cells carry their own borders; printed gridlines drew an empty grid beside the
            # summary's chart and under every short sheet
            assert not ws.print_options.gridLines, where
            if ws.max_column > 2:
                assert ws.auto_filter.ref, where


def test_wide_sheets_print_landscape_with_long_columns_wrapped(workspace):
    wb = load_workbook(workspace / "out" / "T02" / "match" / "派发单-全部.xlsx")
    ws = wb["派发单"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$2" and ws.auto_filter.ref.startswith("A2:J")
    team = ws.cell(row=3, column=8)
    assert team.alignment.wrap_text and ws.row_dimensions[3].height > 15  # a wrapped, taller row
    assert wb["说明"].page_setup.orientation == "portrait"  # two columns fit a portrait page


def test_orientation_follows_the_width(tmp_path):
    narrow = Sheet("窄", ["项目", "内容"], [["a", "b"]])
    wide = Sheet("宽", [f"列{i}" for i in range(14)], [["很长的内容" * 3] * 14])
    wb = load_workbook(write_xlsx(tmp_path / "w.xlsx", [narrow, wide]))
    assert wb["窄"].page_setup.orientation == "portrait" and not wb["窄"].auto_filter.ref
    assert wb["宽"].page_setup.orientation == "landscape" and wb["宽"].auto_filter.ref == "A1:N2"


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdfinfo")),
                    reason="LibreOffice (soffice) and poppler (pdftotext, pdfinfo) are not installed")
def test_the_t02_dispatch_prints_one_page_wide(workspace, tmp_path):
    src = workspace / "out" / "T02" / "match" / "派发单-全部.xlsx"
    book = tmp_path / "dispatch.xlsx"
    shutil.copyfile(src, book)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(book)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "dispatch.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.3" in info  # A4 landscape
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    ws = load_workbook(src)["派发单"]
    headers = [c.value for c in ws[2]]
    dispatch_pages = 0
    for page in range(1, pages + 1):
        text = re.sub(r"\s", "", subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                                                capture_output=True, text=True, check=True).stdout)
        assert f"第{page}页共{pages}页" in text  # the footer
        if "派发单（内部文件" in text:  # the title and header rows repeat on every page of the sheet
            dispatch_pages += 1
            assert all(h.split("（")[0] in text for h in headers), page  # every column: one page wide
    assert dispatch_pages >= 1


CODE = re.compile(r"^[0-9A-Z]{18}$")


def test_credit_codes_print_on_one_line_in_every_workbook(workspace):
    """A clerk reads the 18-character code off paper: no workbook may break it over two lines
    (the results template did: its code column was narrowed to 16 to fit the page)."""
    checked = 0
    for path in books(workspace):
        wb = load_workbook(path)
        for ws in wb.worksheets:
            for column in ws.iter_cols(min_row=3, max_row=min(ws.max_row, 40)):
                if not any(isinstance(c.value, str) and CODE.match(c.value) for c in column):
                    continue
                letter, index = column[0].column_letter, column[0].column
                width = next((d.width for d in ws.column_dimensions.values() if d.min <= index <= d.max), 0)
                assert width >= 20, f"{path.name}「{ws.title}」列 {letter} 宽 {width}，18 位代码会折行"
                checked += 1
    assert checked >= 5  # dispatch, results template, draw result, …
