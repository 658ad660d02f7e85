"""The draw's files for people: 抽取结果.xlsx (its sheets) and 公示名单.csv (its bytes).

Both list hundreds of thousands of entities on a province draw, so their rows are built per
stratum by C-level maps (zip, map, itemgetter) rather than a Python loop per entity: the same
cells, in the same order (tests/test_draw.py reads them back). Details come from
pool_details.tsv through poolread.read_details (credit code -> row); a code without details
keeps empty cells, as before.
"""

from __future__ import annotations

from itertools import repeat
from operator import itemgetter

from ..core.clock import cn_time
from ..plan.load import LoadedPlan
from ..sheets.fastxlsx import escaped, fast_csv_bytes
from ..sheets.writers import Sheet
from .freeze import SPEC_VERSION
from .history import PUBLIC_HEADERS, nature_text

__all__ = ["DETAIL_COLUMNS", "REFERENCE", "workbook", "public_csv"]

REFERENCE = "consistent-sampler==1.0.10"
DETAIL_COLUMNS = ["市场主体类型", "行业", "住所", "属地监管所", "登记状态", "信用风险分类", "法定代表人", "联系电话"]


def _listed_rows(manifest: dict, kind: str, tickets_key: str, by_code: dict[str, list], pick: list[int | None]
                 ) -> list[tuple]:
    """序号, 分层, 签序, 签号, code, then the `pick`ed detail cells of every `kind` id (selected or
    reserves), stratum by stratum; 签序 of a reserve continues after the stratum's take."""
    if None in pick:  # a column missing from the details file stays empty
        def get(d):
            return tuple(d[i] if i is not None else "" for i in pick)
    else:
        get = itemgetter(*pick)
    blank = ("",) * len(pick)
    out: list[tuple] = []
    for s in manifest["strata"]:
        codes = s[kind]
        first = 0 if kind == "selected" else s["take"]
        found = list(map(by_code.get, codes))
        details = map(get, found) if None not in found else [get(d) if d is not None else blank for d in found]
        n = len(out)
        heads = zip(range(n + 1, n + len(codes) + 1), repeat(s["name"]), range(first + 1, first + len(codes) + 1),
                    s[tickets_key], codes)
        out += map(tuple.__add__, heads, details)
    return out


def workbook(manifest: dict, details: tuple[list[str], dict[str, list]], lp: LoadedPlan) -> list[Sheet]:
    """抽取结果.xlsx: 抽中名单, 候补名单 (entity details included: internal) and 抽取说明."""
    nature = nature_text(manifest)
    headers, by_code = details
    pick = [headers.index(c) if c in headers else None for c in ["企业名称", *DETAIL_COLUMNS]]
    head = ["序号", "分层", "签序", "签号", "统一社会信用代码", "企业名称", *DETAIL_COLUMNS]

    def listed(kind: str, tickets_key: str) -> list[tuple]:
        return _listed_rows(manifest, kind, tickets_key, by_code, pick)

    title = f"{manifest['task_number']} {manifest['task_name']} 抽取结果 —— {nature}"
    info = [
        ["结果性质", nature],
        ["抽查任务", f"{manifest['task_number']} {manifest['task_name']}"],
        ["计划", lp.plan.title or lp.plan.doc_number],
        ["承诺值（固定名录，SHA-256）", manifest["commitment_sha256"]],
        ["承诺码（简写，仅供宣读）", manifest["commitment_code"] or ""],
        ["固定名录时间", cn_time(manifest["frozen_at"])],
        ["抽取时间", cn_time(manifest["drawn_at"])],
        ["公开随机种子", manifest["seed"]],
        ["种子 SHA-256", manifest["seed_sha256"]],
        ["种子来源", manifest["seed_source"] or ""],
        ["抽取用种子（sampler seed）", manifest["sampler_seed"]],
        ["池文件", manifest["pool_file"]],
        ["池文件 SHA-256", manifest["pool_sha256"]],
        ["算法", f"{SPEC_VERSION}：一致性抽样（不放回），与 {REFERENCE} 的 sampler 结果相同，见 docs/draw-spec.md"],
    ]
    if manifest["redo"]:
        info.insert(1, ["重做理由", manifest["reason"] or ""])
    for s in manifest["strata"]:
        info.append([f"分层「{s['name']}」", f"可抽取 {s['pool_size']} 户，抽取 {s['take']} 户，候补 {len(s['reserves'])} 户"])
    return [
        Sheet("抽中名单", head, listed("selected", "selected_tickets"), title=title, text_columns=[3, 4]),
        Sheet("候补名单", head, listed("reserves", "reserve_tickets"),
              title=f"{manifest['task_number']} 候补名单（按签序依次递补）—— {nature}", text_columns=[3, 4]),
        Sheet("抽取说明", ["项目", "内容"], info, title=title, text_columns=[1]),
    ]


def public_csv(manifest: dict, details: tuple[list[str], dict[str, list]]) -> bytes:
    """The public list: selected entities only, no personal data, every cell escaped."""
    nature = nature_text(manifest)
    headers, by_code = details
    name_at = headers.index("企业名称") if "企业名称" in headers else None
    number, name_ = escaped(manifest["task_number"]), escaped(manifest["task_name"])
    rows: list[tuple] = []
    for s in manifest["strata"]:
        codes = s["selected"]
        found = list(map(by_code.get, codes))
        if name_at is None:
            names = repeat("")
        elif None not in found:
            names = map(escaped, map(itemgetter(name_at), found))
        else:
            names = [escaped(d[name_at]) if d is not None else "" for d in found]
        n = len(rows)
        rows += zip(repeat(nature), repeat(number), repeat(name_), repeat(escaped(s["name"])),
                    map(str, range(n + 1, n + len(codes) + 1)), codes, names)
    return fast_csv_bytes(PUBLIC_HEADERS, rows)
