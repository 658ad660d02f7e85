"""Columnar intake (intake/columnar.py) reads a CSV roster exactly as the row path does.

Each case writes one CSV carrying the traps of domain.md §5 (and of test_rosters.py), reads it
once through the columnar path and once through the row path, and compares everything a clerk
or the freeze sees: every Target (code, kind, texts, state, dates, licences, source row), every
problem (reason, row, column, value, severity, code, in order) and the report's counts.
"""

from __future__ import annotations

from datetime import date

import pytest
from factories import TARGET_HEADERS, code, officer, officers_file, plan_file, target, write_csv

from shuangsuiji.intake import columnar
from shuangsuiji.intake.rosters import load_rosters
from shuangsuiji.intake.targettable import TargetTable
from shuangsuiji.plan.load import load_plan


def _text(v) -> str:
    return "" if v is None else v.isoformat() if isinstance(v, date) else str(v)


def _rows(*rows) -> list[list[str]]:
    return [[_text(v) for v in row] for row in rows]


TRAPS = _rows(
    target(1, 统一社会信用代码=code(1)[:17] + ("0" if code(1)[17] != "0" else "1")),  # check character
    target(2, 统一社会信用代码=code(2).lower()),  # lower case: accepted, no remark
    target(3, 统一社会信用代码="91350100O000100Y43"),  # letter O
    target(4, 统一社会信用代码="９１３５０１００Ｍ０００１００Ｙ４３"),  # full width
    target(5, 统一社会信用代码=" 9135 0100 M000 100Y43"),  # spaces: same code as row 6, other name
    target(7, 统一社会信用代码="630103000012342"),  # 15-digit 注册号
    target(8, 统一社会信用代码="6301032001234"),  # 13-digit 注册号
    target(9, 统一社会信用代码="9.13501E+17"),  # the text of a number
    target(10, 统一社会信用代码=""),  # no identifier at all
    target(11, 登记状态="吊销，未注销"), target(12, 登记状态="歇业"), target(13, 登记状态=""),
    target(14, 登记状态="注销中"), target(15, 登记状态="在业"), target(16, 登记状态="在营（开业）企业"),
    target(17, 信用风险分类="B"), target(18, 信用风险分类="高风险"), target(19, 信用风险分类="Ｃ类"),
    target(20, 信用风险分类="特高"), target(21, 信用风险分类=""),
    target(22, 成立日期="2026/3/1"), target(23, 成立日期="2026年3月1日"), target(24, 成立日期="20260301"),
    target(25, 成立日期="2026-02-30"), target(26, 成立日期="三月一日"), target(27, 上次检查日期="2025-13-01"),
    target(28, 企业名称="=HYPERLINK(1)"), target(29, 企业名称=""), target(30, 企业名称="  "),
    target(31, 企业名称=" 带空格的名称 "), target(32, 住所="城中区\u3000人民街"), target(33, 行业="餐饮业\u3000"),
    target(34, 许可证名称="食品经营许可证", 许可证编号="JY1"),
    target(34, 许可证名称="食品经营许可证", 许可证编号="JY2"),  # consistent duplicate: merged
    target(35, 属地监管所="南滩所"), target(35, 属地监管所="总寨所"),  # conflicting duplicate: rejected
    target(36, 许可证编号="JY3"), target(37, 许可证名称="卫生许可证"),
    target(38), target(38, 统一社会信用代码=code(38).lower()),  # a duplicate only after upper-casing
    ["", "", "", "", "", "", "", "", "", "", "", "", "", ""],  # a blank row: not data
    target(39, 统一社会信用代码=code(39) + "\t"),
    target(40, 联系电话="13800000000 "),
)


def _read(folder, *, columnar_path: bool, monkeypatch):
    monkeypatch.setattr(columnar, "MIN_BYTES", 0 if columnar_path else 1 << 62)
    return load_rosters(load_plan(folder / "plan.yaml"))


def _both(tmp_path, monkeypatch, rows, *, encoding="utf-8-sig", above=()):
    write_csv(tmp_path / "targets.csv", [*above, TARGET_HEADERS, *rows], encoding=encoding)
    officers_file(tmp_path, [officer(1)])
    plan_file(tmp_path, targets="targets.csv")
    fast = _read(tmp_path, columnar_path=True, monkeypatch=monkeypatch)
    slow = _read(tmp_path, columnar_path=False, monkeypatch=monkeypatch)
    return fast, slow


def _same(fast, slow) -> None:
    from shuangsuiji.intake.checks import target_summary

    assert isinstance(slow.targets, list)
    assert target_summary(fast) == target_summary(slow)
    assert [list(d) for d in target_summary(fast).values() if isinstance(d, dict)] == \
        [list(d) for d in target_summary(slow).values() if isinstance(d, dict)]  # the same order
    assert list(fast.targets) == slow.targets
    assert fast.problems == slow.problems
    a, b = fast.by_role["targets"], slow.by_role["targets"]
    assert (a.rows_read, a.accepted, a.duplicates_collapsed) == (b.rows_read, b.accepted, b.duplicates_collapsed)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_every_trap_reads_the_same_both_ways(tmp_path, monkeypatch, encoding):
    fast, slow = _both(tmp_path, monkeypatch, TRAPS, encoding=encoding, above=[["城中区检查对象名录（导出）"]])
    assert isinstance(fast.targets, TargetTable)
    _same(fast, slow)
    rows = {p.row for p in slow.problems}
    assert {3, 5, 6, 7, 10, 11, 26, 30, 35, 37, 41} <= rows and len(slow.problems) == 20  # the traps fired
    by = {t.credit_code: t for t in slow.targets}
    assert by["630103000012342"].code_kind == "regno" and by["6301032001234"].code_kind == "regno13"
    assert by[code(34)].licences == ("食品经营许可证（JY1）", "食品经营许可证（JY2）")
    assert code(35) not in by and by[code(36)].licences == ("JY3",) and by[code(37)].licences == ("卫生许可证",)


def test_neighbouring_duplicate_groups_collapse_the_same_both_ways(tmp_path, monkeypatch):
    """Groups of duplicates next to each other in code order (merged, rejected, merged, a triple),
    scattered through the file: each merged row takes its group's place, a rejected group leaves none."""
    rows = _rows(
        target(60, 许可证编号="A1"), target(61), target(62, 属地监管所="南滩所"), target(63),
        target(60, 许可证编号="A2"), target(62, 属地监管所="总寨所"), target(61), target(64),
        target(63), target(60, 许可证编号="A3"), target(65),
    )
    fast, slow = _both(tmp_path, monkeypatch, rows)
    _same(fast, slow)
    codes = [t.credit_code for t in fast.targets]
    assert codes == sorted(codes) and code(62) not in codes
    assert [code(n) for n in (60, 61, 63, 64, 65)] == codes
    assert len(fast.targets[0].licences) == 3 and fast.targets[0].licences == slow.targets[0].licences
    assert sorted(p.row for p in fast.problems if p.code == "duplicate_conflict") == [4, 7]


def test_a_plain_large_roster_reads_the_same_both_ways(tmp_path, monkeypatch):
    rows = _rows(*(target(i, 信用风险分类=("低", "一般", "高", "")[i % 4], 登记状态=("存续", "注销")[i % 7 == 0],
                          成立日期=date(2000 + i % 25, 1 + i % 12, 1 + i % 28), 许可证名称=("", "食品")[i % 2],
                          许可证编号=("", f"JY{i}")[i % 3 == 0]) for i in range(1, 3001)))
    fast, slow = _both(tmp_path, monkeypatch, rows)
    _same(fast, slow)
    assert len(fast.targets) == 3000 and fast.targets[0] == slow.targets[0] and fast.targets[-1] == slow.targets[-1]


@pytest.mark.parametrize("trouble", ["empty line", "short row", "quoted title"])
def test_empty_lines_short_rows_and_quoted_titles_keep_the_row_numbers(tmp_path, monkeypatch, trouble):
    rows = _rows(target(1), target(2), target(3))
    above = [["城中区名录\n（导出）"]] if trouble == "quoted title" else []
    if trouble == "short row":
        rows[1] = rows[1][:3]
    write_csv(tmp_path / "targets.csv", [*above, TARGET_HEADERS, *rows])
    if trouble == "empty line":
        path = tmp_path / "targets.csv"
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\r\n\r\n", 2))
    officers_file(tmp_path, [officer(1)])
    plan_file(tmp_path, targets="targets.csv")
    fast = _read(tmp_path, columnar_path=True, monkeypatch=monkeypatch)
    slow = _read(tmp_path, columnar_path=False, monkeypatch=monkeypatch)
    # an empty line is a row of empty cells to pyarrow (ignore_empty_lines=False), as csv numbers it;
    # the other two are read row by row: the numbering stays the csv module's
    assert isinstance(fast.targets, TargetTable if trouble == "empty line" else list)
    _same(fast, slow)
    if trouble == "empty line":
        assert [t.source.row for t in slow.targets] == [3, 5, 6]  # the empty lines 2 and 4 counted


# --------------------------------------------------------------------------- the pool from columns


def _varied_targets(n: int) -> list:
    from shuangsuiji.intake.records import Source, Target

    out = []
    for i in range(1, n + 1):
        out.append(Target(
            code(i), ("=" if i % 97 == 0 else "") + f"测试{i}号" + (",分店" if i % 89 == 0 else ""),
            entity_type=("企业", "个体工商户", "农民专业合作社")[i % 3],
            industry=("餐饮业", "批发和零售业", "")[i % 4 % 3] if i % 31 else "+外卖\t平台",  # written dictionary-coded
            address=f"人民街{i}号" + ("\t二楼" if i % 53 == 0 else ""), area=("人民街所", "南滩所")[i % 2] if i % 37 else "@南滩\n所",
            state=("存续", "注销")[i % 9 == 0], drawable=i % 9 != 0, risk=("低", "一般", "较高", "高", "")[i % 5],
            established=date(2026, 3, 1) if i % 11 == 0 else (None if i % 13 == 0 else date(2015, 5, 1)),
            licences=(("食品经营许可证（JY1）",) if i % 2 else ()) + (("卫生许可证",) if i % 7 == 0 else ()),
            last_inspected=(date(2026, 2, 3), date(2025, 12, 31), None)[i % 3], legal_rep="张三", phone="138",
            source=Source("名录.csv", None, i + 1)))
    return out


def _tasks(plan):
    from shuangsuiji.plan.model import Exclusions, Scope

    t1, t2 = plan.task("T01"), plan.task("T02")
    yield t1
    yield t2
    yield t2.model_copy(update={"exclusions": Exclusions(drawn_within_days=200, established_within_days=60)})
    yield t1.model_copy(update={"scope": Scope(directed=True, entity_types=["企业", "个体工商户"], areas=["南滩所"],
                                               licence="食品"),
                                "exclusions": Exclusions(drawn_since=date(2026, 1, 1), high_risk_exempt=True)})
    yield t1.model_copy(update={"scope": Scope(directed=True, special_list="专项")})
    yield t1.model_copy(update={"scope": Scope(directed=True, licence="没有这种许可证")})


def test_pool_from_columns_equals_the_per_entity_pool(tmp_path):
    from draw_helpers import PLAN

    from shuangsuiji.draw.allocation import R_NO_RULE
    from shuangsuiji.core.fileio import sha256_bytes
    from shuangsuiji.draw.pool import (Drawn, build_pool, details_tsv_bytes, details_tsv_chunks, pool_csv_bytes,
                                       pool_csv_chunks, write_pool_files)
    from shuangsuiji.intake.targettable import to_arrow

    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "no-default.yaml").write_text(PLAN.replace("      default: {ratio: 0.3}\n", ""), encoding="utf-8")
    plan = load_plan(tmp_path / "plan.yaml").plan
    no_default = load_plan(tmp_path / "no-default.yaml").plan
    targets = _varied_targets(700)
    # the table's rows shuffled, with rows that are not targets (rejected, collapsed) left in it
    import numpy as np

    junk = _varied_targets(40)
    physical = junk[:20] + targets[::-1] + junk[20:]
    order = np.arange(20 + len(targets) - 1, 19, -1, dtype=np.int64)
    table = TargetTable(to_arrow(physical), "名录.csv", None, order)
    assert list(table) == targets and len(table) == len(targets) and table[-1] == targets[-1]
    assert table.codes() == {t.credit_code for t in targets} and table[3:6] == targets[3:6]
    drawn = {code(i): Drawn(date(2026, 4, 8) if i % 2 else date(2025, 11, 1), "T09") for i in range(4, 700, 17)}
    special = {"专项": {code(i) for i in range(1, 700, 5)}}
    for plan, task in [*((plan, t) for t in _tasks(plan)), (no_default, no_default.task("T01"))]:
        rows = build_pool(plan, task, targets, special_lists=special, drawn=drawn)
        cols = build_pool(plan, task, table, special_lists=special, drawn=drawn)
        assert [s.summary("up") for s in cols.strata] == [s.summary("up") for s in rows.strata]
        assert (cols.out_of_scope, cols.excluded_examples) == (rows.out_of_scope, rows.excluded_examples)
        assert list(cols.excluded_examples) == list(rows.excluded_examples)  # the same order
        assert [list(s.pool) for s in cols.strata] == [s.pool for s in rows.strata]
        assert pool_csv_bytes(cols.strata) == pool_csv_bytes(rows.strata)
        assert details_tsv_bytes(cols.strata) == details_tsv_bytes(rows.strata)
        for size in (1, 7, 64):  # chunk boundaries of the column writers (a province pool has many)
            assert b"".join(pool_csv_chunks(cols.strata, size)) == pool_csv_bytes(rows.strata)
            assert b"".join(details_tsv_chunks(cols.strata, size)) == details_tsv_bytes(rows.strata)
            shas = write_pool_files(cols.strata, tmp_path / "p.csv", tmp_path / "d.tsv", chunk_rows=size)
            assert (tmp_path / "p.csv").read_bytes() == pool_csv_bytes(rows.strata)
            assert (tmp_path / "d.tsv").read_bytes() == details_tsv_bytes(rows.strata)
            assert shas == (sha256_bytes(pool_csv_bytes(rows.strata)), sha256_bytes(details_tsv_bytes(rows.strata)))
        assert sum(len(s.pool) for s in rows.strata) > 0 or task.scope.licence == "没有这种许可证"
    assert rows.strata[-1].name == "（无抽取规则）" and rows.strata[-1].excluded[R_NO_RULE] > 0


def test_untrimmed_and_formula_starts_equal_python_on_every_whitespace_character():
    import pyarrow as pa

    from shuangsuiji.intake.cellcols import SPACES, first_byte_in as _first_byte_in, untrimmed as _untrimmed

    values = ["", "城中区", "业", "一", "A", "=1", "+86", "-", "@x", "中=", "\u3000", "x\u3000y"]
    for ch in SPACES:
        values += [ch + "城中", "城中" + ch, "城" + ch + "中", ch, "a" + ch]
    values += ["\u4e00\u4e80", "\u5f00", "\u3001", "\u2030"]  # CJK and punctuation ending in the same bytes as spaces
    column = pa.chunked_array([values[:7], values[7:8], values[8:]])
    assert _untrimmed(column).tolist() == [v != v.strip() for v in values]
    assert _first_byte_in(column, "=+-@", empty=True).tolist() == [v == "" or v[0] in "=+-@" for v in values]
