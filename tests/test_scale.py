"""Issue 12 (province scale): the streamed pool files are byte-identical to the whole-file ones.

The expected SHA-256 values below were produced by the code of `main` *before* the pool files
were streamed (pool_csv_bytes / details_tsv_bytes built whole, then hashed), on exactly the
inputs these tests build. A streamed freeze that changed one byte of pool.csv or
pool_details.tsv would change the commitment, and every published commitment code with it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
from draw_helpers import PLAN, make_workspace, officer_rows
from factories import TARGET_HEADERS, code, officers_file, target, write_csv
from typer.testing import CliRunner

from shuangsuiji.cli.app import app
from shuangsuiji.cli.main import _load
from shuangsuiji.draw.allocation import Stratum
from shuangsuiji.draw.pool import details_tsv_bytes, details_tsv_chunks, pool_csv_bytes, pool_csv_chunks
from shuangsuiji.intake.records import Target
from shuangsuiji.plan.model import StratumRule

NOW = {"SSJ_NOW": "2026-04-08T09:30:00+08:00"}

# Produced on main @ 8f59f0c (before streaming): see the module docstring. The 200k details hash
# was produced again on main @ 4d59f4f, still whole-file, after pool_details became internal and
# formula-escaped (issue 11): the streamed writers must give those bytes.
SAMPLE_T01 = {"pool": "591e98a367cc5d369841d6b03e8a593923f045e8c65adc1952c3887aaa5177b2",
              "details": "a31a3aac455b6b0864d4a514dd9eef6ca20900fbbb5a288075c9f8e50b3325eb"}
GENERATED_200K = {"pool": "cb7bf46d21aac27c4fc33e1468e68936104628674f58b85f69b32c114e1f923b",
                  "details": "513fb2ad96d0bc257d612ae00a15877724759c983250a92fd7fb44110f81d39a",
                  "pool_size": 173_756}


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cli(*args: str):
    _load()
    return CliRunner().invoke(app, [str(a) for a in args], env={**NOW, "SSJ_NO_PROGRESS": "1"})


def _freeze(plan, task: str = "T01") -> dict:
    res = _cli("freeze", "--plan", plan, "--task", task, "--json")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)["data"]


def _commitment(root, data) -> dict:
    return json.loads((root / data["commitment"]).read_text(encoding="utf-8"))


def test_sample_pool_files_are_byte_identical_to_before(tmp_path):
    root = tmp_path / "ws"
    assert _cli("init", root).exit_code == 0
    data = _freeze(root / "plans" / "chengzhong-2026.yaml")
    c = _commitment(root, data)
    assert c["pool_sha256"] == _sha(root / c["pool_file"]) == SAMPLE_T01["pool"]
    assert c["pool_details"]["sha256"] == _sha(root / c["pool_details"]["path"]) == SAMPLE_T01["details"]


def generated_rows(n: int) -> list[list]:
    """n target rows with what a province export holds: every risk class, cancelled and new
    entities, restaurants, a consistent duplicate every 997 rows (one per licence), names that
    start like formulas, tabs and line breaks inside addresses."""
    risks = ["低", "一般", "较高", "高", "", "A类"]
    rows = []
    for i in range(1, n + 1):
        over = {"信用风险分类": risks[i % len(risks)],
                "登记状态": "注销" if i % 13 == 0 else ("在营（开业）企业" if i % 5 == 0 else "存续"),
                "成立日期": date(2026, 3, 1) if i % 17 == 0 else date(2010 + i % 12, 1 + i % 12, 1 + i % 28),
                "行业": "餐饮业" if i % 3 == 0 else "批发和零售业",
                "住所": f"城中区\t人民街\n{i}号" if i % 1001 == 0 else f"城中区人民街{i}号",
                "企业名称": f"-{i}号商行" if i % 2003 == 0 else f"西宁测试{i}号商贸有限公司",
                "属地监管所": ("人民街所", "南滩所", "总寨所")[i % 3]}
        rows.append(target(i, **over))
        if i % 997 == 0:
            rows.append(target(i, **over, 许可证名称="食品经营许可证", 许可证编号=f"JY{i:010d}"))
    return rows


@pytest.fixture(scope="module")
def big_workspace(tmp_path_factory):
    root = tmp_path_factory.mktemp("scale")
    (root / "workspace.yaml").write_text("name: test\n", encoding="utf-8")
    write_csv(root / "targets.csv", [TARGET_HEADERS, *generated_rows(200_000)])
    officers_file(root, officer_rows())
    plan = root / "plan.yaml"
    plan.write_text(PLAN.replace("targets: targets.xlsx", "targets: targets.csv"), encoding="utf-8")
    return root, plan


def test_generated_200k_pool_files_are_byte_identical_to_before(big_workspace):
    root, plan = big_workspace
    data = _freeze(plan)
    c = _commitment(root, data)
    assert sum(s["pool_size"] for s in c["strata"] if s.get("drawable", True)) == GENERATED_200K["pool_size"]
    assert c["pool_sha256"] == _sha(root / c["pool_file"]) == GENERATED_200K["pool"]
    assert c["pool_details"]["sha256"] == _sha(root / c["pool_details"]["path"]) == GENERATED_200K["details"]


def _strata() -> list[Stratum]:
    def t(i: int, **kw) -> Target:
        return Target(code(i), kw.pop("name", f"测试{i}号"), address=kw.pop("address", f"人民街{i}号"), **kw)

    low = Stratum("低", ["低"], StratumRule(ratio=0.5), [t(i) for i in range(1, 24)])
    high = Stratum("高", ["高"], StratumRule(ratio=1.0),
                   [t(30, name="=cmd|x"), t(31, address="a\tb\r\nc"), t(32, name='带"引号",和逗号')])
    never = Stratum("（无抽取规则）", [], StratumRule(count=0), [t(40)], drawable=False)
    return [low, high, never]


@pytest.mark.parametrize("chunk_rows", [1, 2, 7, 23, 100_000])
def test_chunking_never_changes_a_byte(chunk_rows):
    strata = _strata()
    assert b"".join(pool_csv_chunks(strata, chunk_rows)) == pool_csv_bytes(strata)
    assert b"".join(details_tsv_chunks(strata, chunk_rows)) == details_tsv_bytes(strata)
    pool = pool_csv_bytes(strata).decode("utf-8-sig").split("\r\n")
    assert pool[0] == "分层,统一社会信用代码,企业名称" and len(pool) == 1 + 26 + 1 and pool[-1] == ""
    assert f"高,{code(30)},'=cmd|x" in pool and f'高,{code(32)},"带""引号"",和逗号"' in pool
    assert not any(code(40) in line for line in pool)  # the undrawable stratum is not in the pool
    details = details_tsv_bytes(strata).decode("utf-8").split("\n")
    assert len(details) == 1 + 26 + 1 and details[-1] == ""
    assert details[1 + 24].split("\t")[:5] == [code(31), "测试31号", "", "", "a b  c"]


# --------------------------------------------------------------------------- reading the pool back


def _pool_file(tmp_path, strata):
    from shuangsuiji.draw.pool import write_pool_files

    pool, details = tmp_path / "pool.csv", tmp_path / "pool_details.tsv"
    shas = write_pool_files(strata, pool, details)
    assert shas == (_sha(pool), _sha(details))
    return pool, details


@pytest.mark.parametrize("block", [1, 5, 64, 1 << 24])
def test_pool_ids_read_in_blocks_equal_the_whole_file_parse(tmp_path, block):
    from shuangsuiji.draw.poolread import read_pool_csv, read_pool_ids

    plain = [s for s in _strata() if s.name == "低"] + [Stratum("高", ["高"], StratumRule(ratio=1.0),
                                                                   [Target(code(50), "丙"), Target(code(51), "丁")])]
    pool, _ = _pool_file(tmp_path, plain)
    expected = {"低": [code(i) for i in range(1, 24)], "高": [code(50), code(51)]}
    assert read_pool_ids(pool, block=block) == expected
    lf = tmp_path / "lf.csv"
    lf.write_bytes(pool.read_bytes().replace(b"\r\n", b"\n"))
    assert read_pool_ids(lf, block=block) == expected
    (tmp_path / "q").mkdir()
    quoted, _ = _pool_file(tmp_path / "q", _strata())  # names with quotes, commas: parsed as CSV
    ids = read_pool_ids(quoted, block=block)
    assert ids == {k: [c for c, _ in v] for k, v in read_pool_csv(quoted).items()}
    assert ids["高"] == [code(30), code(31), code(32)]


def test_pool_ids_refuse_a_short_line_with_its_number(tmp_path):
    from shuangsuiji.core.errors import InputInvalid
    from shuangsuiji.draw.poolread import read_pool_ids

    pool, _ = _pool_file(tmp_path, _strata()[:1])
    lines = pool.read_bytes().split(b"\r\n")
    lines[5] = b"x"
    pool.write_bytes(b"\r\n".join(lines))
    with pytest.raises(InputInvalid, match="第6行应有 3 列"):
        read_pool_ids(pool, block=16)


@pytest.mark.parametrize("block", [7, 1 << 24])
def test_pool_ids_skip_empty_lines_and_count_them_in_line_numbers(tmp_path, block):
    from shuangsuiji.core.errors import InputInvalid
    from shuangsuiji.draw.poolread import read_pool_ids

    pool = tmp_path / "pool.csv"
    pool.write_bytes("\ufeff分层,统一社会信用代码,企业名称\r\n低,A1,甲\r\n\r\n低,A2,乙,有逗号\n\n高,B1,丙\r\n".encode())
    assert read_pool_ids(pool, block=block) == {"低": ["A1", "A2"], "高": ["B1"]}
    pool.write_bytes(pool.read_bytes() + "\r\n高,B2\r\n".encode())
    with pytest.raises(InputInvalid, match="第8行应有 3 列"):
        read_pool_ids(pool, block=block)


def test_details_are_fetched_for_wanted_codes_only(tmp_path):
    from shuangsuiji.draw.poolread import pool_positions, read_details, read_pool_ids

    pool, details = _pool_file(tmp_path, _strata())
    ids = read_pool_ids(pool)
    wanted = {"低": [code(3), code(17)], "高": [code(31)], "无此层": [code(99)]}
    pos = pool_positions(ids, wanted)
    assert pos == {code(3): 2, code(17): 16, code(31): 24}
    headers, rows = read_details(details, pos)
    assert headers[0] == "统一社会信用代码" and sorted(rows) == [code(3), code(17), code(31)]
    assert rows[code(31)][:5] == [code(31), "测试31号", "", "", "a b  c"]
    # a wrong position hint is caught by the line's code and found by scanning
    headers, rows = read_details(details, {code(3): 7, code(17): -1, code(99): 0})
    assert sorted(rows) == [code(3), code(17)] and rows[code(3)][1] == "测试3号"
    assert read_details(details, [code(32), code(40)])[1] == {code(32): [code(32), '带"引号",和逗号', "", "", "人民街32号",
                                                                    "", "", "", "", ""]}


# --------------------------------------------------------------------------- publish: once per distinct cell


def test_result_cells_are_read_once_per_distinct_value_and_type(monkeypatch):
    from shuangsuiji.publish import cells

    reader = cells.CellReader()
    calls = []
    real = cells.code_texts
    monkeypatch.setattr(cells, "code_texts", lambda known: calls.append(1) or real(known))
    column = ["A 发现问题待后续处理；未按规定公示应当公示的信息", "未发现问题", "未发现问题", 1.0, True, 1, None]
    expected = [(("A",), ("B",)), (("1",), ()), (("1",), ()), (("1",), ()), (("True",), ()), (("1",), ()),
                ((), ())]  # True is a yes/no cell, not the number 1: the memo keys by type too
    assert [reader.result(c) for c in column * 1000] == expected * 1000
    assert len(calls) == 1  # the code table is built once per reader, not once per cell
    assert [cells.CellReader().result(c) for c in column] == expected  # a fresh reader agrees
    assert reader.follow_up("责令改正；其他：罚款") == reader.follow_up("责令改正；其他：罚款") == ["责令改正", "其他"]
    assert reader.follow_up("责令改正；其他：罚款") is not reader.follow_up("责令改正；其他：罚款")  # callers own it


# --------------------------------------------------------------------------- duplicates by sorting


def _collapse_as_on_main(accepted, problems, table):
    """intake.targets._collapse as it was before issue 12 (a dict of every code), for comparison."""
    from shuangsuiji.intake.targets import _merge

    first, groups = {}, {}
    for t in accepted:
        seen = first.setdefault(t.credit_code, t)
        if seen is not t:
            groups.setdefault(t.credit_code, [seen]).append(t)
    collapsed = 0
    for c, group in groups.items():
        merged = _merge(group, problems, table)
        if merged is None:
            del first[c]
        else:
            first[c] = merged
            collapsed += len(group) - 1
    return [first[c] for c in sorted(first)], collapsed


def test_duplicates_found_by_sorting_equal_the_dictionary_way():
    from types import SimpleNamespace

    from shuangsuiji.intake.records import Source
    from shuangsuiji.intake.targets import _collapse

    table = SimpleNamespace(display="名录.csv", sheet=None, header_of=lambda name: "统一社会信用代码")
    rows = []
    for row in range(2, 3000):
        n = (row * 7919) % 1500  # every code about twice, some three times, in scattered rows
        kw = {"licences": (f"许可证{row}",)}
        if n % 50 == 0:
            kw["area"] = f"所{row}"  # these duplicates disagree: rejected, every row an error
        rows.append(Target(code(n + 1), f"名称{n}", source=Source("名录.csv", None, row), **kw))
    got_problems, want_problems = [], []
    got = _collapse(list(rows), got_problems, table)
    want = _collapse_as_on_main(list(rows), want_problems, table)
    assert got == want and got[1] > 1000
    assert sorted(got_problems, key=lambda p: p.row) == sorted(want_problems, key=lambda p: p.row)
    assert {p.code for p in got_problems} == {"duplicate", "duplicate_conflict"}


# --------------------------------------------------------------------------- the draw in chunks


@pytest.mark.parametrize("chunk", [1, 3, 50, 1000])
def test_draw_in_chunks_equals_the_whole_pool_sample(monkeypatch, chunk):
    from shuangsuiji.draw import partition
    from shuangsuiji.draw.run import draw_strata
    from shuangsuiji.draw.sampler import sample

    ids = [code(i) for i in range(1, 400)]
    seed = "a" * 64
    plan = [{"name": "低", "pool_size": len(ids), "take": 37}, {"name": "高", "pool_size": 3, "take": 3}]
    pool = {"低": ids, "高": ids[:3]}
    whole = draw_strata(pool, plan, seed)
    monkeypatch.setattr(partition, "CHUNK", chunk)
    assert draw_strata(pool, plan, seed) == whole
    expect = sample(ids, seed, 37 + 8)
    assert whole[0]["selected"] + whole[0]["reserves"] == [t.id for t in expect]
    assert whole[0]["selected_tickets"] + whole[0]["reserve_tickets"] == [t.ticket for t in expect]
    assert partition.sample_in_chunks(ids, seed, 500, chunk) == sample(ids, seed, 500)  # k beyond the pool


def test_read_pool_names_streams_the_wanted_names_as_the_whole_file_parse_gives_them(tmp_path):
    """Names for the wanted codes only, as read_pool_csv gives them, quoted cells included."""
    import csv
    import io

    from shuangsuiji.draw.pool import POOL_HEADERS
    from shuangsuiji.draw.poolread import read_pool_csv, read_pool_names

    rows = [["低", f"9163010300000{i:05d}", name] for i, name in enumerate(
        ["平安商店", "甲,乙 商贸", '说"好"的店', "两行\r\n名称", "'=SUM(1)", "普通"])]
    rows.append(["高", rows[1][1], "同一代码在另一层"])  # a code in two strata: the later line
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([POOL_HEADERS, *rows])
    path = tmp_path / "pool.csv"
    path.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    whole = {c: n for pairs in read_pool_csv(path).values() for c, n in pairs}
    wanted = [rows[i][1] for i in (1, 2, 3, 4)] + ["916301030000099999"]
    assert read_pool_names(path, wanted) == {c: whole[c] for c in wanted if c in whole}
    assert read_pool_names(path, [rows[1][1]]) == {rows[1][1]: "同一代码在另一层"}
