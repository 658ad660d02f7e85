"""Deterministic 7-column target rosters for the scale measurements (issue 12), CSV or xlsx.

    python bench/gen_roster.py OUT.csv ROWS      # or OUT.xlsx

Columns as the intake sees them: 统一社会信用代码, 企业名称, 市场主体类型, 行业, 属地监管所, 登记状态,
信用风险分类. Row i is a pure function of i (arithmetic only, no random module): codes are distinct
and check-valid (a bijection of i below 10**8), names are realistic Chinese shop and company names.
About 1 row in 1000 carries the bad input seen in practice (lower case, full-width characters,
spaces inside, a wrong check character, a duplicate code, an unknown state, an empty risk class),
so the column operations measured do real work on their slow paths.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shuangsuiji.intake.codes import ALPHABET, build_code  # noqa: E402

HEADERS = ["统一社会信用代码", "企业名称", "市场主体类型", "行业", "属地监管所", "登记状态", "信用风险分类"]
AREAS = ["人民街所", "南滩所", "仓门街所", "礼让街所", "饮马街所", "南川东路所", "南川西路所", "总寨所"]
PLACES = ["西宁", "城中", "青海", "湟中", "南川", "河湟", "昆仑", "夏都"]
FIRST = "鑫华昆青雪金瑞宏德汇聚博安顺泰嘉裕兴祥恒河湟康永明宁昌福天晨锦润同益惠众佳荣万百"
SECOND = "源通仑湖域穗丰达馨福远康和禾旺瑞信盛城珠海佑光航程泽心民诚美隆味昌欣辉鼎"
INDUSTRIES = [("批发和零售业", "商贸有限公司", "便利店"), ("餐饮业", "餐饮管理有限公司", "牛肉面馆"),
              ("住宿业", "酒店有限公司", "宾馆"), ("制造业", "制品有限公司", "加工坊"),
              ("租赁和商务服务业", "商务咨询有限公司", "广告部"), ("居民服务业", "家政服务有限公司", "理发店"),
              ("建筑业", "建筑工程有限公司", "装修队"), ("娱乐业", "文化娱乐有限公司", "台球室")]
STATES = ["存续"] * 40 + ["在业"] * 6 + ["注销", "吊销，未注销", "迁出", "注销中"]
RISKS = ["低", "低", "一般", "一般", "低", "较高", "一般", "高", "A", "B", "C", "D"]
FULLWIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHJKLMNPQRTUWXY"}


def code(i: int) -> str:
    kind = ("91", "92", "93")[i % 3]
    return build_code(f"{kind}63{(i // 7) % 10:02d}03", "%08d" % ((i * 7919 + 12345678) % 10**8))


def row(i: int) -> list[str]:
    c = code(i)
    ind, company, shop = INDUSTRIES[(i * 5) % 8]
    word = FIRST[(i * 13) % len(FIRST)] + SECOND[(i // 3 * 17) % len(SECOND)]
    individual = i % 3 == 1
    name = (f"{PLACES[i % 8]}市城中区{word}{shop}（个体工商户）" if individual
            else f"{PLACES[i % 8]}{word}{company}")
    state = STATES[(i * 31) % len(STATES)]
    risk = RISKS[(i * 7) % len(RISKS)]
    dirt = i % 1000
    if dirt == 1:
        c = c.lower()
    elif dirt == 2:
        c = c.translate(FULLWIDTH)
    elif dirt == 3:
        c = f" {c[:6]} {c[6:]} "
    elif dirt == 4:
        c = c[:17] + ALPHABET[(ALPHABET.index(c[17]) + 1) % 31]
    elif dirt == 5 and i > 10:
        c = code(i - 7)  # a duplicate of an earlier row
    elif dirt == 6:
        state = "不明"
    elif dirt == 7:
        risk = ""
    return [c, name, "个体工商户" if individual else "企业", ind, AREAS[(i * 3) % 8], state, risk]


def _csv_field(v: str) -> str:
    return f'"{v}"' if ("," in v or '"' in v) else v


def write_csv(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        f.write(",".join(HEADERS) + "\r\n")
        batch = []
        for i in range(n):
            batch.append(",".join(map(_csv_field, row(i))))
            if len(batch) == 100_000:
                f.write("\r\n".join(batch) + "\r\n")
                batch = []
        if batch:
            f.write("\r\n".join(batch) + "\r\n")


def write_xlsx(path: Path, n: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("检查对象名录")
    ws.append(HEADERS)
    for i in range(n):
        ws.append(row(i))
    wb.save(path)


if __name__ == "__main__":
    out, rows = Path(sys.argv[1]), int(sys.argv[2])
    (write_xlsx if out.suffix == ".xlsx" else write_csv)(out, rows)
