"""Deterministic generator of the shipped sample rosters (data/ of the repo and of `ssj init`).

No `random`: every choice derives from SHA-256 over a stable string, so the same code gives the
same rows on every machine. The workbooks are made byte-identical run to run: fixed document
timestamps and zip entry times, entries stored uncompressed (no dependence on the zlib build).
All names, codes, ID and phone numbers are fictitious.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ..core.fileio import write_with
from ..intake.codes import ALPHABET, build_code
from ..sheets.writers import Sheet, write_csv, write_xlsx
from . import province as P
from . import words as W

EXPORTED = date(2026, 9, 15)
FIXED_STAMP = "2026-09-15T08:00:00Z"
ZIP_TIME = (2026, 9, 15, 8, 0, 0)
TARGET_HEADERS = ["序号", "统一社会信用代码", "企业名称", "市场主体类型", "行业", "住所", "法定代表人(负责人)", "联系电话",
                  "登记机关", "属地监管所", "登记状态", "成立日期", "信用风险分类", "许可证名称", "许可证编号", "上次检查日期"]
OFFICER_HEADERS = ["序号", "执法证号", "工号", "姓名", "部门", "所属所", "执法门类", "业务专长", "是否专家",
                   "执法证有效期至", "在岗状态", "身份证号", "手机号"]
TYPE_DIGIT = {"企业": "1", "个体工商户": "2", "农民专业合作社": "3"}
HAZCHEM_COUNT, HAZCHEM_TWO_ROWS, LODGING_TWO_ROWS, SPECIAL_COUNT = 52, 14, 20, 170


def _h(*parts) -> int:
    return int.from_bytes(hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()[:8], "big")


def _unit(*parts) -> float:
    return _h(*parts) / 2**64


def _pick(seq, *parts):
    return seq[_h(*parts) % len(seq)]


def _weighted(weights: dict, *parts):
    u, acc = _unit(*parts) * sum(weights.values()), 0
    for k, w in weights.items():
        acc += w
        if u < acc:
            return k
    return k


def _person(*parts) -> str:
    given = _pick(W.GIVEN, "g1", *parts) + (_pick(W.GIVEN, "g2", *parts) if _h("len", *parts) % 3 else "")
    return _pick(W.SURNAMES, "s", *parts) + given


def _mobile(*parts) -> str:
    return "1" + _pick("3578", "m", *parts) + f"{_h('mobile', *parts) % 10**9:09d}"


def _id_number(*parts) -> str:
    born = date(1966, 1, 1) + timedelta(days=_h("born", *parts) % 11600)
    first17 = f"630103{born:%Y%m%d}{900 + _h('seq', *parts) % 100:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


@dataclass
class Entity:
    index: int
    code: str
    name: str
    etype: str
    industry: str
    area: str
    state: str
    established: date
    risk: str
    licences: list[tuple[str, str]] = field(default_factory=list)
    last_inspected: date | None = None

    @property
    def drawable(self) -> bool:
        return self.state in ("存续", "在业")


def entities() -> list[Entity]:
    """The sample's market entities, deterministic (≈5,100 entities)."""
    industries = [name for name, spec in W.INDUSTRIES.items() for _ in range(spec[0])]
    order = sorted(range(len(industries)), key=lambda i: _h("order", i))
    codes, names, out = set(), set(), []
    for pos, i in enumerate(order):
        out.append(_entity(i, industries[pos], codes, names))
    _hazchem(out, names)
    _licences(out)
    return out


def _entity(i: int, industry: str, codes: set, names: set) -> Entity:
    etype = _weighted(W.INDUSTRIES[industry][1], "type", i)
    area = "总寨所" if industry.startswith("农") and _unit("farm", i) < 0.8 else \
        _weighted(dict(zip(W.AREAS, W.AREA_WEIGHTS)), "area", i)
    u = _unit("state", i)
    state = ("注销" if u < 0.012 else "吊销") if u < 0.02 else ("存续" if u < 0.87 else "在业")
    r = _unit("risk", i)
    risk = "低" if r < 0.50 else "一般" if r < 0.85 else "较高" if r < 0.95 else "高"
    if _unit("new", i) < 0.04:  # newly established: some within 90 days of every task's draw date
        established = date(2026, 1, 1) + timedelta(days=_h("day", i) % (EXPORTED - date(2026, 1, 1)).days)
    else:
        established = date(1998, 1, 1) + timedelta(days=int(_unit("age", i) ** 0.6 * 10226))
    e = Entity(i, _code(i, etype, codes), "", etype, industry, area, state, established, risk)
    e.name = _name(e, names)
    if _unit("inspected", i) < 0.25:
        e.last_inspected = date(2023, 3, 1) + timedelta(days=_h("last", i) % 1000)
    return e


def _code(i: int, etype: str, codes: set) -> str:
    for salt in range(100):
        h = _h("code", i, salt)
        if _unit("modern", i) < 0.65:
            body = "MA" + "".join(ALPHABET[(h >> (5 * k)) % 31] for k in range(6))
        else:
            body = f"{h % 10**8:08d}"
        code = build_code(f"9{TYPE_DIGIT[etype]}630103", body)
        if code not in codes:
            codes.add(code)
            return code
    raise AssertionError("code space exhausted")


def _name(e: Entity, names: set, suffixes: list[str] | None = None) -> str:
    ent, ind = W.INDUSTRIES[e.industry][2], W.INDUSTRIES[e.industry][3]
    for salt in range(200):
        brand = _pick(W.FIRST, "b1", e.index, salt) + _pick(W.SECOND, "b2", e.index, salt)
        if e.etype == "农民专业合作社":
            name = f"西宁市城中区{brand}{_pick(W.COOP_SUFFIXES, 'sx', e.index, salt)}"
        elif e.etype == "企业":
            name = f"{_pick(['青海', '西宁'], 'pre', e.index, salt)}{brand}{_pick(suffixes or ent, 'sx', e.index, salt)}"
        else:
            name = f"城中区{brand}{_pick(suffixes or ind, 'sx', e.index, salt)}"
        if name not in names:
            names.add(name)
            return name
    raise AssertionError("name space exhausted")


def _hazchem(out: list[Entity], names: set) -> None:
    retail = sorted((e for e in out if e.industry == "批发和零售业" and e.etype == "企业"), key=lambda e: _h("hz", e.index))
    for k, e in enumerate(retail[:HAZCHEM_COUNT]):
        names.discard(e.name)
        e.name = _name(e, names, W.HAZCHEM_SUFFIXES)
        e.licences.append(("危险化学品经营许可证", f"青宁危化经字〔{2021 + k % 5}〕{k + 1:04d}号"))
        if k < HAZCHEM_TWO_ROWS:
            second = W.SECOND_LICENCES[k % 3]
            number = {"食品经营许可证": f"JY1630103{_h('jy', e.index) % 10**7:07d}",
                      "成品油零售经营批准证书": f"油零售证书第{6301030 + k}号"}.get(second, f"630103{_h('yc', e.index) % 10**6:06d}")
            e.licences.append((second, number))


def _licences(out: list[Entity]) -> None:
    lodging = 0
    for e in out:
        if e.industry == "餐饮业":
            e.licences.append(("食品经营许可证", f"JY1630103{_h('jy', e.index) % 10**7:07d}"))
        elif e.industry == "住宿业":
            e.licences.append(("公共场所卫生许可证", f"青卫公证字〔2024〕第{e.index:04d}号"))
            if lodging < LODGING_TWO_ROWS and e.drawable:
                lodging += 1
                e.licences.append(("食品经营许可证", f"JY1630103{_h('jy', e.index) % 10**7:07d}"))
        elif e.industry == "娱乐业":
            e.licences.append(("娱乐经营许可证", f"630103{_h('yl', e.index) % 10**6:06d}"))


def target_rows(ents: list[Entity]) -> list[list]:
    rows = []
    for e in ents:
        street = _pick(W.STREETS[e.area], "street", e.index)
        address = f"青海省西宁市城中区{street}{_h('no', e.index) % 300 + 1}号"
        authority = "西宁市市场监督管理局" if e.etype == "企业" and _unit("auth", e.index) < 0.05 else "西宁市城中区市场监督管理局"
        base = [e.code, e.name, e.etype, e.industry, address, _person("rep", e.index), _mobile("tel", e.index),
                authority, e.area, e.state, e.established, e.risk]
        for lic in e.licences or [("", "")]:
            rows.append([len(rows) + 1, *base, lic[0], lic[1], e.last_inspected])
    return rows


# -- officers -------------------------------------------------------------------------------------
def _scjg(k: int) -> dict:
    area = W.AREAS[k // 5] if k < 40 else "局机关"
    cats = ["市场监管综合"] + (["食品安全"] if k % 3 != 2 else []) + (["特种设备"] if k % 3 == 2 or k % 7 == 0 else [])
    spec = (["食品"] if "食品安全" in cats and k % 2 == 0 else []) + (["特种设备"] if "特种设备" in cats and k % 2 else [])
    spec += ["危险化学品"] if k in (5, 17, 29) else []
    o = dict(dept=W.SCJG_NAME, area=area, cats=cats, spec=spec, expert=k in (3, 11, 19, 27, 35, 38),
             cred=f"6301031{k + 1:04d}", staff=f"SC{k + 1:03d}", status="在岗", key=("SCJG", k))
    o.update({7: dict(status="失效"), 22: dict(status="退休"), 9: dict(expiry=date(2025, 12, 31)),
              30: dict(expiry=date(2026, 6, 30)), 42: dict(cred="", cats=[], spec=[]),
              43: dict(cred="", cats=[], spec=[]), 15: dict(id_as_number=True)}.get(k, {}))
    return o


def _other(dept: str, j: int) -> dict:
    name, _, cats, specs = W.DEPARTMENTS[dept]
    o = dict(dept=name, area=W.AREAS[(j * 3 + len(dept)) % 8], cats=list(cats),
             spec=[specs[j % len(specs)]] if j % 3 != 2 else [], expert=j == 0,
             cred=f"6301032{list(W.DEPARTMENTS).index(dept)}{j + 1:03d}", staff=f"{dept}{j + 1:02d}",
             status="在岗", key=(dept, j))
    o.update({("WSJK", 6): dict(status="失效"), ("YJGL", 3): dict(expiry=date(2026, 3, 31))}.get((dept, j), {}))
    return o


def officer_specs() -> list[dict]:
    specs = [_scjg(k) for k in range(44)]
    for dept, (_, count, _, _) in W.DEPARTMENTS.items():
        specs += [_other(dept, j) for j in range(count)]
    return specs


def officer_rows(specs: list[dict]) -> list[list]:
    rows = []
    for n, o in enumerate(specs, 1):
        expiry = o.get("expiry", date(2027, 6, 30) + timedelta(days=_h("exp", *o["key"]) % 1500))
        idn = _id_number("id", *o["key"])
        rows.append([n, o["cred"], o["staff"], _person("officer", *o["key"]), o["dept"], o["area"], "、".join(o["cats"]),
                     "、".join(o["spec"]), "是" if o["expert"] else "否", expiry if o["cred"] else None, o["status"],
                     int(idn[:17]) * 10 if o.get("id_as_number") else idn, _mobile("officer", *o["key"])])
    return rows


def neighbour_rows() -> list[list]:
    rows = []
    for j in range(10):
        cats = ["市场监管综合", "特种设备"] + (["食品安全"] if j % 2 else [])
        rows.append([j + 1, f"6301021{j + 1:04d}", f"CD{j + 1:03d}", _person("nb", j), "城东区市场监督管理局",
                     W.NEIGHBOUR_AREAS[j % 5], "、".join(cats), "特种设备" if j % 3 == 0 else ("食品" if j % 2 else ""),
                     "是" if j == 4 else "否", date(2027, 12, 31) + timedelta(days=_h("nbexp", j) % 900), "在岗",
                     _id_number("nbid", j), _mobile("nb", j)])
    return rows


def conflict_rows(ents: list[Entity], specs: list[dict], officers: list[list]) -> list[list]:
    """About ten declared conflicts, on officers and entities that the sample tasks actually meet."""
    food = [e for e in ents if e.industry == "餐饮业" and e.drawable]
    haz = [e for e in ents if any(n == "危险化学品经营许可证" for n, _ in e.licences) and e.drawable]
    picks = [(1, food), (4, food), (8, food), (12, ents), (16, food), (20, ents), (44, food), (51, haz), (52, haz), (59, haz)]
    rows = []
    for n, (idx, pool) in enumerate(picks):
        o, row = specs[idx], officers[idx]
        e = _pick([x for x in pool if x.area != o["area"]], "conflict", n)
        rows.append([row[1], row[3], e.code, e.name, W.CONFLICT_REASONS[n]])
    return rows


def special_rows(ents: list[Entity]) -> list[list]:
    kinds = ["电梯", "锅炉", "压力容器", "起重机械", "场（厂）内专用机动车辆"]
    cand = [e for e in ents if e.etype == "企业" and e.industry in ("住宿业", "制造业", "批发和零售业", "房地产业", "餐饮业")]
    cand.sort(key=lambda e: _h("special", e.index))
    return [[e.code, e.name, _pick(kinds, "kind", e.index)] for e in cand[:SPECIAL_COUNT]]


# -- writing --------------------------------------------------------------------------------------
def generate(data_dir: Path) -> list[Path]:
    """Write the sample rosters into data_dir; returns the files written (byte-identical every run)."""
    data_dir = Path(data_dir)
    ents = entities()
    specs = officer_specs()
    officers = officer_rows(specs)
    # one department exports in the provincial layout (province.py); its officers leave inspectors.xlsx
    own = [o for o in specs if o["key"][0] == P.DEPARTMENT]
    others = [row for o, row in zip(specs, officers) if o["key"][0] != P.DEPARTMENT]
    others = [[n, *row[1:]] for n, row in enumerate(others, 1)]
    files = [
        _xlsx(data_dir / "targets.xlsx", Sheet("检查对象名录", TARGET_HEADERS, target_rows(ents),
                                               title=f"城中区检查对象名录库（导出日期：{EXPORTED.isoformat()}）",
                                               date_columns=[11, 15], text_columns=[1, 7])),
        _xlsx(data_dir / "inspectors.xlsx", Sheet("执法检查人员", OFFICER_HEADERS, others,
                                                  title="城中区执法检查人员名录库", date_columns=[9],
                                                  text_columns=[1, 2, 11, 12])),
        _xlsx(data_dir / P.FILE, P.sheets(own, _person, _id_number, _mobile, _h)),
        _xlsx(data_dir / "neighbour_inspectors.xlsx", Sheet("执法检查人员", OFFICER_HEADERS, neighbour_rows(),
                                                            title="城东区市场监督管理局执法检查人员名录（邻近地区）",
                                                            date_columns=[9], text_columns=[1, 2, 11, 12])),
        write_csv(data_dir / "conflicts.csv", ["执法证号", "姓名", "统一社会信用代码", "企业名称", "回避原因"],
                  conflict_rows(ents, specs, officers)),
        write_csv(data_dir / "special" / "特种设备使用单位.csv", ["统一社会信用代码", "企业名称", "设备类别"],
                  special_rows(ents)),
    ]
    return files


def _xlsx(path: Path, sheet: Sheet | list[Sheet]) -> Path:
    tmp = path.with_name(f".{path.name}.gen")
    write_xlsx(tmp, sheet if isinstance(sheet, list) else [sheet])
    try:
        data = deterministic_zip(tmp.read_bytes())
    finally:
        tmp.unlink(missing_ok=True)
    return write_with(path, lambda p: p.write_bytes(data))


def deterministic_zip(data: bytes) -> bytes:
    """Rewrite an xlsx with fixed entry times, fixed document timestamps and stored entries."""
    import io

    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + FIXED_STAMP.encode(), body)
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, body)
    return buf.getvalue()
