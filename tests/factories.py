"""Small generated rosters and plans carrying the real traps (domain.md §5).

Every builder writes into a folder the test owns; cell types are exactly what a real export
would hold (a code stored as a float, an ID number stored as a number, a merged title row).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from shuangsuiji.intake.codes import build_code

TARGET_HEADERS = ["统一社会信用代码", "企业名称", "市场主体类型", "行业", "住所", "法定代表人", "联系电话",
                  "属地监管所", "登记状态", "成立日期", "信用风险分类", "许可证名称", "许可证编号", "上次检查日期"]
OFFICER_HEADERS = ["执法证号", "姓名", "部门", "所属所", "执法门类", "业务专长", "是否专家", "执法证有效期至",
                   "在岗状态", "身份证号", "手机号"]


def code(n: int, kind: str = "1") -> str:
    """A valid USCC in 城中区 (630103) for a small integer n."""
    return build_code(f"9{kind}630103", f"{n:08d}")


def target(n: int, **over) -> list:
    """One target row (list in TARGET_HEADERS order); keyword overrides by header name."""
    row = {"统一社会信用代码": code(n), "企业名称": f"西宁测试{n}号商贸有限公司", "市场主体类型": "企业",
           "行业": "批发和零售业", "住所": f"城中区人民街{n}号", "法定代表人": "张三", "联系电话": "13800000000",
           "属地监管所": "人民街所", "登记状态": "存续", "成立日期": date(2015, 5, 1), "信用风险分类": "低",
           "许可证名称": "", "许可证编号": "", "上次检查日期": None}
    row.update(over)
    return [row[h] for h in TARGET_HEADERS]


def officer(n: int, **over) -> list:
    row = {"执法证号": f"630103{n:05d}", "姓名": f"检查员{n}", "部门": "SCJG", "所属所": "人民街所",
           "执法门类": "市场监管综合、食品安全", "业务专长": "食品", "是否专家": "否",
           "执法证有效期至": date(2028, 12, 31), "在岗状态": "在岗", "身份证号": "630103199001010011",
           "手机号": "13900000000"}
    row.update(over)
    return [row[h] for h in OFFICER_HEADERS]


def write_xlsx(path: Path, rows: list[list], *, title: str | None = "城中区检查对象名录（导出）",
               sheet: str = "名录", before: dict[str, list[list]] | None = None,
               after: dict[str, list[list]] | None = None) -> Path:
    """A workbook whose data sheet has an optional merged title row above the header.

    `before` / `after`: other sheets (name -> rows) placed before or after the data sheet.
    """
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, other in (before or {}).items():
        _fill(wb.create_sheet(name), other)
    ws = wb.create_sheet(sheet)
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(rows[0]), 2))
    _fill(ws, rows)
    for name, other in (after or {}).items():
        _fill(wb.create_sheet(name), other)
    wb.save(path)
    return path


def _fill(ws, rows: list[list]) -> None:
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a name like "=cmd" is text in a real export, not a formula


def write_csv(path: Path, rows: list[list], *, encoding: str = "utf-8-sig") -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(["" if v is None else v for v in row] for row in rows)
    return path


def targets_file(folder: Path, rows: list[list], **kw) -> Path:
    return write_xlsx(folder / "targets.xlsx", [TARGET_HEADERS, *rows], **kw)


def officers_file(folder: Path, rows: list[list], **kw) -> Path:
    kw.setdefault("title", "执法检查人员名录")
    return write_xlsx(folder / "inspectors.xlsx", [OFFICER_HEADERS, *rows], sheet="人员", **kw)


PLAN = """\
year: 2026
office: 测试联席办
departments:
  - id: SCJG
    name: 城中区市场监督管理局{neighbour}
  - id: WSJK
    name: 城中区卫生健康局
items:
  - {{id: SX01, name: 企业公示信息的检查, department: SCJG, category: 市场监管综合}}
  - {{id: SX03, name: 公共场所卫生的检查, department: WSJK, category: 卫生监督}}
rosters:
  targets: {targets}
  inspectors: {inspectors}
{rosters_extra}
tasks:
  - id: T01
    number: 测试〔2026〕1号
    name: 企业公示信息随机抽查
    initiator: SCJG
    items: [SX01]
    sampling:
      strata:
        低: {{ratio: 0.5, min_count: 1}}
      default: {{ratio: 0.5}}
    draw_date: 2026-04-08
    window: {{start: 2026-04-15, end: 2026-07-31}}
"""


def plan_file(folder: Path, *, targets: str = "targets.xlsx", inspectors: str = "inspectors.xlsx",
              rosters_extra: str = "", neighbour: str | None = None, text: str | None = None) -> Path:
    """A minimal valid plan beside the rosters; `rosters_extra` is indented under rosters:."""
    extra = "\n".join("  " + line for line in rosters_extra.strip("\n").splitlines())
    nb = f"\n    neighbour_inspectors: {neighbour}" if neighbour else ""
    body = text if text is not None else PLAN.format(targets=targets, inspectors=inspectors,
                                                      rosters_extra=extra, neighbour=nb)
    path = folder / "plan.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def basic_workspace(folder: Path, targets: list[list] | None = None, officers: list[list] | None = None,
                    **plan_kw) -> Path:
    """Targets, officers and a plan in `folder`; returns the plan path."""
    targets_file(folder, targets if targets is not None else [target(i) for i in range(1, 6)])
    officers_file(folder, officers if officers is not None else [officer(i) for i in range(1, 4)])
    return plan_file(folder, **plan_kw)
