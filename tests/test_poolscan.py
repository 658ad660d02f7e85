"""The draw's one pass over pool.csv (draw/poolscan.py) against the whole-column draw it replaces.

`draw_pool_file(path, strata, seed)` must give exactly `draw_strata(read_pool_ids(path), strata,
seed)` (ids, order, tickets, reserves) and, for every listed id, its data row in the file (the
line of its details), whatever the block size, line endings, quoting, stratum order or take.
"""

from __future__ import annotations

import csv
import hashlib
import io

import pytest

from shuangsuiji.core.errors import InputInvalid, VerifyFailed
from shuangsuiji.draw import poolscan
from shuangsuiji.draw.poolread import read_pool_csv, read_pool_ids
from shuangsuiji.draw.poolscan import coarse_from_digests, draw_pool_file, scan_pool
from shuangsuiji.draw.run import draw_strata
from shuangsuiji.draw.sampler import _candidates, _coarse_keys, _digests, sampler_seed, seed_hash
from tests.factories import code

SEED = sampler_seed("20260408-07-41-93-58-26", "城中市监抽查〔2026〕1号")
HEADER = "\ufeff分层,统一社会信用代码,企业名称\r\n"


def _write(path, rows, *, newline="\r\n", trailing=True):
    """A pool file of (stratum, id, name) rows, quoted as the csv module would quote them."""
    def cell(v):
        return '"' + v.replace('"', '""') + '"' if any(ch in v for ch in ',"\r\n') else v
    text = HEADER.replace("\r\n", newline) + newline.join(",".join(map(cell, r)) for r in rows)
    path.write_bytes((text + (newline if trailing else "")).encode("utf-8"))
    return path


def _rows(sizes: dict[str, int], start: int = 1) -> list[tuple[str, str, str]]:
    out, n = [], start
    for stratum, size in sizes.items():
        for _ in range(size):
            out.append((stratum, code(n), f"测试{n}号"))
            n += 1
    return out


def _plan(sizes: dict[str, int], takes: dict[str, int], reserves: dict[str, int] | None = None,
          undrawable: tuple[str, ...] = ()) -> list[dict]:
    out = []
    for name, n in sizes.items():
        s = {"name": name, "pool_size": n, "take": takes.get(name, 0), "drawable": name not in undrawable}
        if reserves is not None and name in reserves:
            s["reserves"] = reserves[name]
        out.append(s)
    return out


def _expected(path, plan, seed=SEED):
    """The whole-column draw, and each listed id's data row found by reading every row."""
    strata = draw_strata(read_pool_ids(path), plan, seed)
    rows = [r for rows in read_pool_csv(path).values() for r in rows]  # grouped files only
    by_stratum = read_pool_csv(path)
    offsets, at = {}, 0
    for name, rs in by_stratum.items():
        offsets[name] = at
        at += len(rs)
    positions = {}
    for s in strata:
        ids = [c for c, _ in by_stratum.get(s["name"], [])]
        for c in s["selected"] + s["reserves"]:
            positions[c] = offsets[s["name"]] + ids.index(c)
    assert len(rows) == at
    return strata, positions


SIZES = {"低": 700, "一般": 450, "较高": 90, "高": 13, "其他": 3}
TAKES = {"低": 21, "一般": 23, "较高": 9, "高": 4, "其他": 3}


@pytest.mark.parametrize("block", [1, 37, 4096, 1 << 24])
@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_one_pass_draw_equals_the_whole_column_draw(tmp_path, block, newline):
    path = _write(tmp_path / "pool.csv", _rows(SIZES), newline=newline)
    plan = _plan(SIZES, TAKES, reserves={"低": 5, "一般": 5, "较高": 2, "高": 2, "其他": 0})
    strata, positions = draw_pool_file(path, plan, SEED, block=block)
    assert (strata, positions) == _expected(path, plan)
    assert [len(s["selected"]) for s in strata] == [21, 23, 9, 4, 3]
    assert len(strata[0]["reserves"]) == 5 and strata[-1]["reserves"] == []
    # the rows are the lines of the file: data row p is line p + 2
    lines = path.read_bytes().decode("utf-8-sig").split(newline)
    for c, p in positions.items():
        assert lines[p + 1].split(",")[1] == c


def test_take_zero_undrawable_strata_default_reserves_and_take_all(tmp_path):
    sizes = {"低": 300, "一般": 40, "较高": 5, "（无抽取规则）": 4}
    path = _write(tmp_path / "pool.csv", _rows(sizes))
    plan = _plan(sizes, {"低": 9, "一般": 0, "较高": 5}, undrawable=("（无抽取规则）",))
    strata, positions = draw_pool_file(path, plan, SEED, block=200)
    assert (strata, positions) == _expected(path, plan)
    assert [s["name"] for s in strata] == ["低", "一般", "较高"]  # the undrawable one is not listed
    assert strata[1]["selected"] == strata[1]["reserves"] == []     # take 0: nothing drawn
    assert len(strata[0]["reserves"]) == 2                          # default: ceil(20 % x 9), at least 2
    assert sorted(strata[2]["selected"]) == sorted(code(n) for n in range(341, 346))  # take all


def test_quoted_names_go_through_the_csv_parse(tmp_path, monkeypatch):
    rows = _rows({"低": 120, "高": 30})
    rows[5] = ("低", rows[5][1], '带"引号",和逗号')
    rows[130] = ("高", rows[130][1], "换\r\n行")
    path = _write(tmp_path / "pool.csv", rows)
    assert path.read_bytes().count(b'"') == 8
    plan = _plan({"低": 120, "高": 30}, {"低": 10, "高": 30})
    parsed = []
    real = poolscan._csv_runs
    monkeypatch.setattr(poolscan, "_csv_runs", lambda p: parsed.append(p) or real(p))
    for block in (16, 1 << 24):  # the quote met in the first block, or only after some blocks
        assert draw_pool_file(path, plan, SEED, block=block) == _expected(path, plan)
    assert parsed == [path, path]


@pytest.mark.parametrize("max_runs", [1, 2, 64])
def test_interleaved_strata_are_split_into_runs(tmp_path, monkeypatch, max_runs):
    monkeypatch.setattr(poolscan, "_MAX_RUNS", max_runs)
    rows = _rows({"低": 200, "高": 100})
    mixed = [r for pair in zip(rows[:100], rows[200:]) for r in pair] + rows[100:200]
    path = _write(tmp_path / "pool.csv", mixed)
    plan = _plan({"低": 200, "高": 100}, {"低": 20, "高": 10})
    strata, positions = draw_pool_file(path, plan, SEED, block=512)
    assert strata == draw_strata(read_pool_ids(path), plan, SEED)
    data = [r[1] for r in mixed]
    assert positions == {c: data.index(c) for s in strata for c in s["selected"] + s["reserves"]}


def test_empty_lines_are_skipped_and_a_short_line_is_named(tmp_path):
    path = tmp_path / "pool.csv"
    path.write_bytes((HEADER + "低,A1,甲\r\n\r\n低,A2,乙,有逗号\n\n高,B1,丙").encode())  # no last line break
    plan = _plan({"低": 2, "高": 1}, {"低": 2, "高": 1})
    for block in (5, 1 << 24):
        strata, positions = draw_pool_file(path, plan, SEED, block=block)
        assert sorted(strata[0]["selected"]) == ["A1", "A2"] and strata[1]["selected"] == ["B1"]
        assert positions == {"A1": 0, "A2": 1, "B1": 2}  # rows count data lines, not empty ones
    path.write_bytes(path.read_bytes() + "\r\n高,B2\r\n".encode())
    for block in (7, 1 << 24):  # the line number read_pool_ids gives
        with pytest.raises(InputInvalid, match="第7行应有 3 列"):
            read_pool_ids(path, block=block)
        with pytest.raises(InputInvalid, match="第7行应有 3 列"):
            draw_pool_file(path, plan, SEED, block=block)


def test_a_wrong_header_or_pool_size_is_refused(tmp_path):
    path = _write(tmp_path / "pool.csv", _rows({"低": 10}))
    with pytest.raises(VerifyFailed, match="「低」层有 10 户，承诺记录为 11 户"):
        draw_pool_file(path, _plan({"低": 11}, {"低": 2}), SEED)
    with pytest.raises(VerifyFailed, match="「高」层有 0 户，承诺记录为 3 户"):
        draw_pool_file(path, _plan({"低": 10, "高": 3}, {"低": 2, "高": 1}), SEED)
    path.write_bytes(path.read_bytes().replace("企业名称".encode(), b"name"))
    with pytest.raises(InputInvalid, match="表头应为"):
        draw_pool_file(path, _plan({"低": 10}, {"低": 2}), SEED)


def test_coarse_keys_from_digests_are_the_first_four_ticket_digits():
    ids = [code(n) for n in range(1, 3000)] + ["A-1", "测试", "", "x" * 200]
    prefix = seed_hash(SEED)
    digests = _digests([i.encode("utf-8") for i in ids], prefix)
    assert digests[:32] == hashlib.sha256((prefix + ids[0]).encode("utf-8")).digest()
    assert coarse_from_digests(digests).tolist() == _coarse_keys(ids, prefix)


@pytest.mark.parametrize("slack", [0, 10_000])
def test_pruning_while_scanning_changes_nothing(tmp_path, monkeypatch, slack):
    monkeypatch.setattr(poolscan, "_SLACK", slack)
    sizes = {"低": 5000, "高": 400}
    path = _write(tmp_path / "pool.csv", _rows(sizes))
    plan = _plan(sizes, {"低": 3, "高": 150})
    pruned = []
    real = poolscan.Candidates._prune
    monkeypatch.setattr(poolscan.Candidates, "_prune", lambda self: pruned.append(self.k) or real(self))
    assert draw_pool_file(path, plan, SEED, block=300) == _expected(path, plan)
    assert (len(pruned) > 2) == (slack == 0)  # with no slack, pruned during the scan, not only at the end


def test_the_running_bound_keeps_exactly_the_sampler_candidates_and_few_more(tmp_path):
    sizes = {"低": 30_000}
    path = _write(tmp_path / "pool.csv", _rows(sizes))
    k = 40
    found = scan_pool(path, {"低": k}, seed_hash(SEED), block=4096)["低"]
    assert found.count == 30_000
    assert found.kept < 400  # ids above the running bound are dropped as the scan goes (254 here)
    ids, rows = found.final()
    pool = read_pool_ids(path)["低"]
    assert sorted(ids) == sorted(pool[i] for i in _candidates(pool, seed_hash(SEED), k))
    assert [pool[r] for r in rows] == ids


def test_details_at_hinted_rows_survive_wrong_duplicate_and_out_of_range_hints(tmp_path):
    from shuangsuiji.draw.poolread import read_details

    path = tmp_path / "details.tsv"
    lines = ["统一社会信用代码\t企业名称\t住所"] + [f"{code(n)}\t测试{n}号\t人民街{n}号" for n in range(1, 8)]
    path.write_bytes("\n".join(lines).encode("utf-8"))  # the last line has no line break
    headers, rows = read_details(path, {code(2): 1, code(7): 6, code(5): 4})
    assert headers == ["统一社会信用代码", "企业名称", "住所"]
    assert rows == {code(2): [code(2), "测试2号", "人民街2号"], code(7): [code(7), "测试7号", "人民街7号"],
                    code(5): [code(5), "测试5号", "人民街5号"]}
    # two codes hinted at one row, a row past the end, a wrong row: all still found (by the scan)
    wanted = {code(3): 2, code(4): 2, code(6): 40, code(1): 3, "NOSUCHCODE": 0}
    assert read_details(path, wanted)[1] == {code(n): [code(n), f"测试{n}号", f"人民街{n}号"] for n in (1, 3, 4, 6)}


def test_draw_files_rows_with_missing_details_and_a_missing_column():
    import csv
    import io

    from shuangsuiji.draw.drawfiles import DETAIL_COLUMNS, public_csv, workbook

    class _LP:
        class plan:
            title, doc_number = "计划", "城中市监〔2026〕1号"

    manifest = {"task_number": "城中市监抽查〔2026〕1号", "task_name": "=随机抽查", "trial": False, "official": True,
                "redo": False, "reason": None, "commitment_sha256": "c" * 64, "commitment_code": "ABCD",
                "frozen_at": "2026-04-07T09:00:00+08:00", "drawn_at": "2026-04-08T09:30:00+08:00", "seed": "1",
                "seed_sha256": "s" * 64, "seed_source": None, "sampler_seed": "x", "pool_file": "p",
                "pool_sha256": "p" * 64,
                "strata": [{"name": "低", "pool_size": 9, "take": 2, "selected": ["A1", "A2"], "reserves": ["A3"],
                            "selected_tickets": ["0.1", "0.2"], "reserve_tickets": ["0.3"]},
                           {"name": "+高", "pool_size": 3, "take": 1, "selected": ["B1"], "reserves": [],
                            "selected_tickets": ["0.05"], "reserve_tickets": []}]}
    headers = ["统一社会信用代码", "企业名称", *[c for c in DETAIL_COLUMNS if c != "住所"]]  # no 住所 column
    by_code = {c: [c, f"@{c}公司", *[f"{c}-{h}" for h in headers[2:]]] for c in ("A1", "A3", "B1")}  # A2: none
    sel, res, _ = workbook(manifest, (headers, by_code), _LP)
    assert sel.rows[0] == (1, "低", 1, "0.1", "A1", "@A1公司", "A1-市场主体类型", "A1-行业", "", "A1-属地监管所",
                           "A1-登记状态", "A1-信用风险分类", "A1-法定代表人", "A1-联系电话")
    assert sel.rows[1] == (2, "低", 2, "0.2", "A2", *[""] * 9)  # no details: empty cells
    assert sel.rows[2][:6] == (3, "+高", 1, "0.05", "B1", "@B1公司")
    assert res.rows == [(1, "低", 3, "0.3", "A3", "@A3公司", "A3-市场主体类型", "A3-行业", "", "A3-属地监管所",
                         "A3-登记状态", "A3-信用风险分类", "A3-法定代表人", "A3-联系电话")]  # 签序 after the take
    rows = list(csv.reader(io.StringIO(public_csv(manifest, (headers, by_code)).decode("utf-8-sig"))))
    assert rows[1:] == [["正式", "城中市监抽查〔2026〕1号", "'=随机抽查", "低", "1", "A1", "'@A1公司"],
                        ["正式", "城中市监抽查〔2026〕1号", "'=随机抽查", "低", "2", "A2", ""],
                        ["正式", "城中市监抽查〔2026〕1号", "'=随机抽查", "'+高", "3", "B1", "'@B1公司"]]
    assert public_csv(manifest, (["统一社会信用代码"], {}))[-20:].endswith(b",B1,\r\n")  # no name column at all


def test_ssj_draw_never_reads_the_whole_id_column(frozen, tmp_path, invoke, monkeypatch):
    """The command goes through the one pass; the whole-column readers and the chunked sampler are
    verify's, not the draw's. Its result is still the package's, and its 抽取结果 rows carry details."""
    import json

    from consistent_sampler import sampler as package_sampler
    from draw_helpers import SEED

    from shuangsuiji.draw import partition, poolread

    def refuse(*a, **k):
        raise AssertionError("the draw read the whole id column")
    for module, name in ((poolread, "read_pool_ids"), (poolread, "pool_positions"), (partition, "sample_in_chunks")):
        monkeypatch.setattr(module, name, refuse)
    r = invoke("draw", "--plan", frozen, "--task", "T01", "--seed", SEED, "--seed-source", "5 人掷骰", "--json")
    assert r.exit_code == 0, r.stdout
    m = json.loads((tmp_path / "out/T01/draw/manifest.json").read_text(encoding="utf-8"))
    pool = read_pool_csv(tmp_path / m["pool_file"])
    for s in m["strata"]:
        ref = list(package_sampler([c for c, _ in pool[s["name"]]], seed=m["sampler_seed"],
                                   take=s["take"] + len(s["reserves"])))
        assert s["selected"] + s["reserves"] == [t[1] for t in ref]
        assert s["selected_tickets"] + s["reserve_tickets"] == [t[0] for t in ref]
    listed = [row for row in csv.reader(io.StringIO((tmp_path / "out/T01/draw/公示名单.csv").read_text("utf-8-sig")))][1:]
    names = {c: n for rows in pool.values() for c, n in rows}
    assert [(row[5], row[6]) for row in listed] == [(c, names[c]) for s in m["strata"] for c in s["selected"]]
