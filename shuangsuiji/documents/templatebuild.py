"""The default Word templates, built by code so that they can be reviewed as text.

`build(dest)` writes 现场检查记录表.docx, 检查告知书.docx and 总结材料.docx with python-docx; the
Jinja tags inside are docxtpl's (`{{ x }}`, `{%tr for %}` for table rows, `{%p for %}` for
paragraphs). The committed copies in documents/templates/ are this function's output
(`python scripts/make_templates.py`; a test checks that regenerating gives the same text).
An office edits its own copy in the workspace `templates/` folder, never these.
"""

from __future__ import annotations

from pathlib import Path

RECORD = "现场检查记录表.docx"
NOTICE = "检查告知书.docx"
SUMMARY = "总结材料.docx"
NAMES = (RECORD, NOTICE, SUMMARY)
FONT = "宋体"


def _document():
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(11)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    props = doc.core_properties
    props.author = "ssj"
    props.title = ""
    return doc


def _title(doc, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = True
    run.font.size = Pt(18)


def _heading(doc, text: str) -> None:
    from docx.shared import Pt

    run = doc.add_paragraph().add_run(text)
    run.bold = True
    run.font.size = Pt(13)


def _table(doc, headers: list[str], loop: str, cells: list[str]):
    """A bordered table: header row, then one row repeated by docxtpl for each element of `loop`."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    for i, h in enumerate(headers):
        table.cell(0, i).paragraphs[0].add_run(h).bold = True
    table.cell(1, 0).text = "{%tr for " + loop + " %}"
    for i, c in enumerate(cells):
        table.cell(2, i).text = c
    table.cell(3, 0).text = "{%tr endfor %}"
    _rows_stay_whole(table)
    return table


def _rows_stay_whole(table, header: bool = True) -> None:
    """No row split over two pages (a signature row printed its name on one page, its credential
    on the next); the header row repeats on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for i, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if i == 0 and header:
            tr_pr.append(OxmlElement("w:tblHeader"))


def _pairs(doc, rows: list[tuple[str, str]]) -> None:
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for r, (k, v) in enumerate(rows):
        table.cell(r, 0).paragraphs[0].add_run(k).bold = True
        table.cell(r, 1).text = v
    _rows_stay_whole(table, header=False)


def record(path: Path) -> None:
    doc = _document()
    _title(doc, "现场检查记录表")
    doc.add_paragraph("抽查任务：{{ task.number }} {{ task.name }}{% if task.joint %}（部门联合抽查）{% endif %}")
    doc.add_paragraph("检查组序号：第 {{ team.no }} 组　　派发单位：{{ office }}")
    _pairs(doc, [
        ("检查对象", "{{ entity.name }}"),
        ("统一社会信用代码", "{{ entity.code }}"),
        ("住所（经营场所）", "{{ entity.address }}"),
        ("属地监管所", "{{ entity.area }}"),
        ("法定代表人（负责人）", ""),
        ("联系电话", ""),
        ("检查时间", "　　　　年　　月　　日　　时　　分 至　　时　　分"),
        ("检查地点", ""),
    ])
    _heading(doc, "一、检查组")
    _table(doc, ["部门", "姓名", "执法证号", "职责"], "m in team.members",
           ["{{ m.department }}", "{{ m.name }}", "{{ m.credential }}", "{{ m.role }}"])
    _heading(doc, "二、检查事项和检查结果")
    doc.add_paragraph("以下为本次抽查各部门的全部检查事项，逐项填写检查结果；"
                      "没有本记录表的部门，视为没有按规定完成检查。")
    _table(doc, ["序号", "检查部门", "检查事项", "抽查依据", "检查方式", "检查结果", "发现的问题及处理"],
           "it in items",
           ["{{ it.no }}", "{{ it.department }}", "{{ it.name }}", "{{ it.basis }}", "{{ it.method }}",
            "□未发现问题\n□发现问题\n□其他：", ""])
    doc.add_paragraph("结果代码（录入结果表时使用）：{{ result_codes }}")
    _heading(doc, "三、签名")
    # Signatures in a table: a signature line with the date after it was wider than A4 and
    # printed the 「日」 of every date alone on the next line.
    doc.add_paragraph("检查人员签名：")
    _table(doc, ["部门", "姓名（执法证号）", "签名", "日期"], "m in team.members",
           ["{{ m.department }}", "{{ m.name }}（执法证号 {{ m.credential }}）", "", "　　年　　月　　日"])
    doc.add_paragraph("被检查单位意见：＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿")
    doc.add_paragraph("被检查单位法定代表人（负责人）或委托代理人签名：＿＿＿＿＿＿＿＿")
    doc.add_paragraph("日期：　　年　　月　　日")
    doc.add_paragraph("拒绝签字的，由检查人员注明情况：被检查单位＿＿＿＿＿＿拒绝签字，"
                      "理由：＿＿＿＿＿＿＿＿＿＿＿＿；见证人：＿＿＿＿＿＿；检查人员签名：＿＿＿＿＿＿")
    doc.add_paragraph("本记录表一式{{ copies }}份，被检查单位和检查组各部门各留存一份；由 ssj 依据 {{ manifest }} 生成。")
    doc.save(path)


def notice(path: Path) -> None:
    doc = _document()
    _title(doc, "{% if task.joint %}部门联合抽查{% else %}抽查{% endif %}检查告知书")
    doc.add_paragraph("{{ task.number }}-{{ team.no }}")
    doc.add_paragraph("{{ entity.name }}（统一社会信用代码：{{ entity.code }}）：")
    doc.add_paragraph("　　根据“双随机、一公开”监管工作安排，你单位被随机抽取为{{ task.name }}的检查对象。"
                      "{{ departments }}将于 {{ window }} 期间到你单位开展检查，"
                      "按“进一次门，查多项事”的要求一次性完成下列全部检查事项，现一次性告知如下。")
    _heading(doc, "一、检查部门和检查事项")
    _table(doc, ["序号", "检查部门", "检查事项", "抽查依据", "检查方式"], "it in items",
           ["{{ it.no }}", "{{ it.department }}", "{{ it.name }}", "{{ it.basis }}", "{{ it.method }}"])
    _heading(doc, "二、请提前准备的材料")
    doc.add_paragraph("{%p for m in materials %}")
    doc.add_paragraph("{{ loop.index }}. {{ m }}")
    doc.add_paragraph("{%p endfor %}")
    _heading(doc, "三、注意事项")
    doc.add_paragraph("1. 检查人员将出示执法证件，检查结束后请法定代表人（负责人）或委托代理人在现场检查记录表上签字。")
    doc.add_paragraph("2. 检查结果将依法通过国家企业信用信息公示系统向社会公示。")
    doc.add_paragraph("3. 无正当理由拒绝、阻挠检查的，将依法处理并记入信用记录。")
    doc.add_paragraph("")
    doc.add_paragraph("{{ office }}")
    doc.add_paragraph("{{ issued }}")
    doc.save(path)


def summary(path: Path) -> None:
    doc = _document()
    _title(doc, "{{ office }}{{ year }}年度“双随机、一公开”抽查工作总结")
    doc.add_paragraph("（草稿，统计截至 {{ today }}，由 ssj 生成；请补充文字后报送）")
    _heading(doc, "一、工作开展情况")
    doc.add_paragraph("　　{{ year }}年，我局按照年度抽查工作计划共组织抽查任务 {{ tasks_total }} 个，"
                      "其中已实施 {{ tasks_done }} 个；部门联合抽查任务实际实施 {{ joint_done }} 个，"
                      "联合抽查占比 {{ joint_share }}（计划占比 {{ joint_planned }}）。"
                      "共抽取检查对象 {{ drawn }} 户，其中各部门均已录入结果 {{ complete }} 户；"
                      "各部门共检查 {{ inspections }} 户次，发现问题 {{ with_problem }} 户次，发现问题率 {{ problem_rate }}。")
    _table(doc, ["任务编号", "任务名称", "联合", "状态", "抽取户数", "完成户数"], "t in tasks",
           ["{{ t.number }}", "{{ t.name }}", "{{ t.joint }}", "{{ t.status }}", "{{ t.drawn }}",
            "{{ t.complete }}"])
    doc.add_paragraph("信用风险分类抽查覆盖情况（以抽取时固定的名录为基数）：")
    _table(doc, ["信用风险分类", "固定名录户数", "已抽取户数", "覆盖率", "计划比例", "是否达到"], "r in risk",
           ["{{ r.risk }}", "{{ r.population }}", "{{ r.drawn }}", "{{ r.coverage }}", "{{ r.planned }}",
            "{{ r.reached }}"])
    _heading(doc, "二、发现的问题")
    doc.add_paragraph("　　检查结果分布：{{ codes }}。后续处置：{{ follow_ups }}。")
    doc.add_paragraph("　　（请概述发现的主要问题及典型案例。）")
    _heading(doc, "三、下一步工作打算")
    doc.add_paragraph("　　（请填写下一步工作打算。）")
    doc.add_paragraph("{%p for w in notes %}")
    doc.add_paragraph("说明：{{ w }}")
    doc.add_paragraph("{%p endfor %}")
    doc.save(path)


BUILDERS = {RECORD: record, NOTICE: notice, SUMMARY: summary}


def build(dest: Path) -> list[Path]:
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for name, fn in BUILDERS.items():
        fn(dest / name)
        out.append(dest / name)
    return out


def template_text(path: Path) -> str:
    """The visible text of a .docx (paragraphs, then table cells), for comparing templates."""
    from docx import Document

    doc = Document(str(path))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append(" | ".join(c.text for c in row.cells))
    return "\n".join(lines)
