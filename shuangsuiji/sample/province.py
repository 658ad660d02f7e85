"""One department's inspector roster in the provincial 人员名录库 layout (the sample's real-layout file).

What a department exports from the provincial platform, so that `ssj init` / `make demo` exercise
the per-file roster settings: a merged title row, a 21-column header, an instruction row and an
example row 案例（请删除） under it, the department's own divisions in 所在业务部门（机构）, expert
types in 是否专家, two licence columns (工商执法证编号 empty but one, 省执法证编号; one number
cell), a local status word (在职), and a second sheet 参数表. The sample plan maps it (docs/rosters.md).
"""

from __future__ import annotations

from datetime import date, timedelta

from ..sheets.base import Sheet

DEPARTMENT = "WTLY"
FILE = "inspectors_wtly.xlsx"
HEADERS = ["序号", "单位工号", "姓名", "身份证号", "性别", "岗位大类", "岗位资质资格", "执法事项范围", "所在业务部门（机构）",
           "是否专家", "工商执法证编号", "省执法证编号", "执法证有效期", "执法人员状态", "手机号码", "学历", "职务", "职级",
           "政治面貌", "入职日期", "备注"]
INSTRUCTION = ["", "必填，本单位工号", "必填", "必填，18位身份证号", "选填", "必填，下拉选择", "选填，多个用顿号分隔",
               "必填，多个用顿号分隔", "必填，本单位内设机构", "选填，填写专家类型", "选填", "必填，省执法证编号",
               "必填，格式为 yyyy-mm-dd", "必填，下拉选择", "必填", "选填", "选填", "选填", "选填", "选填", "选填"]
DIVISION = {"人民街所": "文化市场执法一中队", "南滩所": "文化市场执法二中队", "仓门街所": "文化市场执法三中队",
            "礼让街所": "文化市场执法四中队", "饮马街所": "文化市场执法五中队", "南川东路所": "文化市场执法六中队",
            "南川西路所": "文化市场执法七中队", "总寨所": "文化市场执法八中队"}
EXPERT_TYPE = "文化市场专家（娱乐场所）"


def rows(specs: list[dict], person, id_number, mobile, h) -> list[list]:
    """Instruction row, example row, then the department's officers (`specs` from the generator)."""
    example = ["", "WT999", "张三", "630103198001010000", "男", "行政执法", "文化娱乐", "文化市场", "文化市场执法一中队",
               "", "", "63010329999", "2028-12-31", "在职", "13800000000", "大学", "科员", "四级主任科员", "群众",
               "2010-01-01", "案例（请删除）"]
    out = [INSTRUCTION, example]
    for n, o in enumerate(specs, 1):
        expiry = date(2027, 6, 30) + timedelta(days=h("exp", *o["key"]) % 1500)
        cred = int(o["cred"]) if n == 2 else o["cred"]  # a licence number stored as a number cell
        out.append([n, o["staff"], person("officer", *o["key"]), id_number("id", *o["key"]), "男" if n % 2 else "女",
                    "行政执法", "、".join(o["spec"]), "、".join(o["cats"]), DIVISION[o["area"]],
                    EXPERT_TYPE if o["expert"] else "", o["cred"] if n == 3 else "", cred, expiry,
                    "在职" if o["status"] == "在岗" else o["status"], mobile("officer", *o["key"]), "大学",
                    "科员", "", "", "", ""])
    return out


def sheets(specs: list[dict], person, id_number, mobile, h) -> list[Sheet]:
    params = [["岗位大类", "行政执法"], ["岗位大类", "辅助执法"], ["执法人员状态", "在职"], ["执法人员状态", "离职"],
              ["执法人员状态", "调离"], ["性别", "男"], ["性别", "女"]]
    return [Sheet("人员名录库", HEADERS, rows(specs, person, id_number, mobile, h),
                  title="城中区文体旅游广电局执法人员名录库（省平台导出）", date_columns=[12],
                  text_columns=[1, 3, 10, 14]),
            Sheet("参数表", ["参数", "取值"], params)]
