"""`ssj documents`: inspection records and advance notices (.docx) for the sample's T02, from
templates the office can replace; the shipped templates equal their generator's output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from docx import Document
from test_match_cli import DAY, PLAN_REL, cli, drawn, run_match  # noqa: F401 - fixture reused

from shuangsuiji.core.workspace import Workspace
from shuangsuiji.documents.templatebuild import NAMES, build, template_text
from shuangsuiji.documents.templates import default_template


@pytest.fixture(scope="module")
def matched(drawn, tmp_path_factory):  # noqa: F811
    root = tmp_path_factory.mktemp("docs") / "ws"
    shutil.copytree(drawn, root)
    ws = Workspace(root)
    r = run_match(ws)
    assert r.exit_code == 0, r.stdout + r.stderr
    return root


@pytest.fixture
def ws(matched, tmp_path) -> Workspace:
    root = tmp_path / "ws"
    shutil.copytree(matched, root)
    return Workspace(root)


def text(path: Path) -> str:
    return template_text(path)


def documents(ws: Workspace, *extra):
    return cli("documents", "--plan", ws.root / PLAN_REL, "--task", "T02", "--today", DAY, *extra)


def test_every_team_gets_a_record_and_a_notice_with_everything_filled_in(ws):
    r = documents(ws, "--json")
    assert r.exit_code == 0, r.stdout + r.stderr
    data = json.loads(r.stdout)["data"]
    manifest = json.loads((ws.task_dir("T02") / "match" / "manifest.json").read_text(encoding="utf-8"))
    pool = json.loads((ws.root / manifest["officer_pool"]["path"]).read_text(encoding="utf-8"))
    names = {e["id"]: e["name"] for v in pool["departments"].values() for e in v["eligible"]}
    folder = ws.root / data["folder"]
    assert data["entities"] == len(manifest["teams"]) and len(list(folder.iterdir())) == 2 * len(manifest["teams"])
    team = manifest["teams"][0]
    record = text(next(folder.glob("001-*-现场检查记录表.docx")))
    notice = text(next(folder.glob("001-*-检查告知书.docx")))
    for doc in (record, notice):
        assert "{{" not in doc and "{%" not in doc
        assert team["name"] in doc and team["credit_code"] in doc
        for item, basis in (("餐饮服务经营者食品安全的检查", "《中华人民共和国食品安全法》第一百一十条"),
                            ("公共场所卫生的检查", "《公共场所卫生管理条例》第十条")):
            assert f"{item} | {basis}" in doc
    # the team, leader first, with credentials, and a signature line each
    leader = next(m for m in team["members"] if m["leader"])
    rows = [line for line in record.splitlines() if line.endswith(("| 组长", "| 组员", "| 组员（专家）"))]
    assert rows[0] == f"城中区市场监督管理局 | {names[leader['officer']]} | {leader['officer']} | 组长"
    assert len(rows) == len(team["members"])
    assert "部门 | 姓名（执法证号） | 签名 | 日期" in record  # a signature table, one row per member
    for m in team["members"]:
        assert f" | {names[m['officer']]}（执法证号 {m['officer']}） |  | 　　年　　月　　日" in record
    assert "被检查单位法定代表人（负责人）或委托代理人签名：" in record and "拒绝签字" in record
    assert record.count("□未发现问题") == 2  # a blank result field per item
    # the notice: all departments, the window, what to prepare
    assert "城中区市场监督管理局、城中区卫生健康局将于 2026年5月18日至2026年8月31日 期间" in notice
    assert "进一次门，查多项事" in notice and "营业执照（副本）原件" in notice
    assert "与“公共场所卫生的检查”有关的制度、台账、记录和票据（城中区卫生健康局检查）" in notice
    assert "\n2026年5月11日\n" in notice  # dated in Chinese, not ISO


def test_a_workspace_template_overrides_the_default_and_a_rerun_replaces_the_folder(ws):
    assert documents(ws).exit_code == 0
    own = Document(str(default_template("检查告知书.docx")))
    own.add_paragraph("本所自定义：请{{ entity.name }}于检查当日备好消毒记录。")
    (ws.root / "templates").mkdir(exist_ok=True)
    own.save(str(ws.root / "templates" / "检查告知书.docx"))
    r = documents(ws)
    assert r.exit_code == 0 and "templates/检查告知书.docx" in r.stdout
    notice = text(next((ws.task_dir("T02") / "documents").glob("001-*-检查告知书.docx")))
    assert "本所自定义：请" in notice and "于检查当日备好消毒记录" in notice
    assert not list(ws.task_dir("T02").glob(".documents*")) and not (ws.task_dir("T02") / "documents.new").exists()


def test_a_broken_template_is_an_input_error_and_leaves_the_old_documents(ws):
    assert documents(ws).exit_code == 0
    before = sorted(p.name for p in (ws.task_dir("T02") / "documents").iterdir())
    bad = Document(str(default_template("现场检查记录表.docx")))
    bad.add_paragraph("{% for x in %}")
    (ws.root / "templates").mkdir(exist_ok=True)
    bad.save(str(ws.root / "templates" / "现场检查记录表.docx"))
    r = documents(ws)
    assert r.exit_code == 3 and "Word 模板" in r.stderr and "现场检查记录表.docx" in r.stderr
    assert sorted(p.name for p in (ws.task_dir("T02") / "documents").iterdir()) == before


def test_without_a_match_there_is_nothing_to_write(drawn, tmp_path):  # noqa: F811
    root = tmp_path / "ws"
    shutil.copytree(drawn, root)
    r = cli("documents", "--plan", root / PLAN_REL, "--task", "T02")
    assert r.exit_code == 5 and "还没有匹配检查人员" in r.stderr
    assert not (root / "out" / "T02" / "documents").exists()


@pytest.mark.parametrize("name", NAMES)
def test_shipped_templates_are_what_the_generator_writes(name, tmp_path):
    build(tmp_path)
    assert text(tmp_path / name) == text(default_template(name)), "请运行 python scripts/make_templates.py"


def test_init_copies_the_templates_for_the_office_to_edit(drawn):  # noqa: F811
    for name in NAMES:
        assert text(drawn / "templates" / name) == text(default_template(name))


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                    reason="LibreOffice (soffice) and poppler (pdftotext) are not installed")
def test_the_record_prints_every_signature_date_on_one_line(ws, tmp_path):
    """Printed through LibreOffice, each signature line of the record broke before the last 「日」
    of its date: the clerk got 「日期：  年  月」 and a lone 「日」 on the next line."""
    import subprocess

    assert documents(ws).exit_code == 0
    record = next((ws.task_dir("T02") / "documents").glob("001-*-现场检查记录表.docx"))
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(record)],
                   check=True, capture_output=True, timeout=180)
    pdf = next(tmp_path.glob("*.pdf"))
    lines = [x.strip() for x in subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                                                capture_output=True, text=True).stdout.splitlines()]
    assert "日" not in lines, "a date's 「日」 printed alone on a line"
    assert sum("年" in x and "月" in x and x.rstrip().endswith("日") for x in lines) >= 4  # 3 members + entity


def test_table_rows_never_split_over_two_pages_and_headers_repeat(ws):
    """A signature row printed its name on one page and its credential on the next."""
    from docx.oxml.ns import qn

    assert documents(ws).exit_code == 0
    for path in (ws.task_dir("T02") / "documents").glob("001-*.docx"):
        for table in Document(str(path)).tables:
            rows = [r._tr for r in table.rows]
            if len(rows) < 2:
                continue
            assert all(tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None for tr in rows), path.name
            if len(table.columns) > 2:  # a list with a header row, not a two-column form
                assert rows[0].trPr.find(qn("w:tblHeader")) is not None, path.name
