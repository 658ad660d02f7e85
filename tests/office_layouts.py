"""Our own generators of the layouts real platforms export (never copies of third-party files).

- `spreadsheetml`: SpreadsheetML 2003 XML (what several platforms save as .xls or .xlsx);
- `html_table`: an HTML-table "Excel" export;
- `province_roster`: a department's 人员名录库 in the provincial layout (title, 21-column header,
  instruction row, example row 案例（请删除）, divisions, two licence columns, 参数表 sheet).
"""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from factories import write_xlsx

PROVINCE_HEADERS = ["序号", "单位工号", "姓名", "身份证号", "性别", "岗位大类", "岗位资质资格", "执法事项范围",
                    "所在业务部门（机构）", "是否专家", "工商执法证编号", "省执法证编号", "执法证有效期", "执法人员状态",
                    "手机号码", "学历", "职务", "职级", "政治面貌", "入职日期", "备注"]
INSTRUCTION = ["", "必填", "必填", "必填，18位身份证号", "选填", "必填，下拉选择", "选填", "必填，多个用顿号分隔",
               "必填，本单位内设机构", "选填，填写专家类型", "选填", "必填", "必填，格式为 yyyy-mm-dd", "必填，下拉选择",
               "必填", "选填", "选填", "选填", "选填", "选填", "选填"]


def spreadsheetml(rows: list[list], sheet: str = "Sheet1", *, title_merge: int = 0) -> bytes:
    """SpreadsheetML 2003: numbers as Number cells, the rest String; a merged title when asked."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<?mso-application progid="Excel.Sheet"?>',
           '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
           'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">',
           f'<Worksheet ss:Name="{xml_escape(sheet)}"><Table>']
    for n, row in enumerate(rows):
        out.append("<Row>")
        for v in row:
            merge = f' ss:MergeAcross="{title_merge}"' if n == 0 and title_merge else ""
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out.append(f'<Cell{merge}><Data ss:Type="Number">{v}</Data></Cell>')
            else:
                out.append(f'<Cell{merge}><Data ss:Type="String">{xml_escape("" if v is None else str(v))}</Data></Cell>')
        out.append("</Row>")
    out.append("</Table></Worksheet></Workbook>")
    return "\n".join(out).encode("utf-8")


def html_table(rows: list[list], *, encoding: str = "utf-8") -> bytes:
    body = "".join("<tr>" + "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in r) + "</tr>"
                   for r in rows)
    return (f'<html><head><meta charset="{encoding}"></head><body><table border="1">{body}</table>'
            "</body></html>").encode(encoding)


def province_officer(n: int, division: str, **over) -> list:
    row = {"序号": n, "单位工号": f"WT{n:03d}", "姓名": f"文旅{n}", "身份证号": "630103199001010011", "性别": "男",
           "岗位大类": "行政执法", "岗位资质资格": "文化娱乐", "执法事项范围": "市场监管综合", "所在业务部门（机构）": division,
           "是否专家": "", "工商执法证编号": "", "省执法证编号": f"6301039{n:04d}", "执法证有效期": date(2029, 12, 31),
           "执法人员状态": "在职", "手机号码": "13900000000", "学历": "大学", "职务": "科员", "职级": "", "政治面貌": "",
           "入职日期": "", "备注": ""}
    row.update(over)
    return [row[h] for h in PROVINCE_HEADERS]


def province_roster(path: Path, officers: list[list], *, example: bool = True) -> Path:
    """The 人员名录库 export: merged title, header, instruction row, example row, officers, 参数表."""
    rows = [PROVINCE_HEADERS, INSTRUCTION]
    if example:
        rows.append(province_officer(0, "消保分局", 姓名="张三", 备注="案例（请删除）"))
    return write_xlsx(path, rows + officers, title="某区市场监督管理局执法人员名录库", sheet="人员名录库",
                      after={"参数表": [["参数", "取值"], ["岗位大类", "行政执法"]]})


def biff_xls(path: Path, rows: list[list], sheet: str = "名录") -> Path:
    """A real Excel 97-2003 (BIFF8) workbook, written with xlwt (test dependency: the format is
    frozen, so a writer from 2017 is exact); numbers stay Number cells, dates become dates."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet)
    dates = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if isinstance(v, date):
                ws.write(r, c, v, dates)
            elif v is not None:
                ws.write(r, c, v)
    wb.save(str(path))
    return path
