"""`ssj draw` and `ssj substitute`: agreement with the package, refusals, redo, trial, reserves."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time

import pytest
from consistent_sampler import sampler as package_sampler
from draw_helpers import SEED, at, code, make_workspace, roster_rows, set_now
from openpyxl import load_workbook

from shuangsuiji.core.errors import InputInvalid
from shuangsuiji.core.state import TaskState
from shuangsuiji.core.workspace import Workspace
from shuangsuiji.draw.poolread import read_pool_csv
from shuangsuiji.draw.run import check_seed, default_reserves, draw_strata


def _draw(invoke, plan, *extra, seed=SEED):
    return invoke("draw", "--plan", plan, "--task", "T01", "--seed", seed, "--seed-source", "5 人掷骰", "--json", *extra)


def _manifest(root, folder="draw"):
    return json.loads((root / "out" / "T01" / folder / "manifest.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- pure parts


@pytest.mark.parametrize("take, pool, reserves", [(0, 10, 0), (1, 10, 2), (10, 100, 2), (11, 100, 3),
                                                  (30000, 10**6, 6000), (9, 10, 1), (10, 10, 0)])
def test_default_reserves(take, pool, reserves):
    assert default_reserves(take, pool) == reserves


def test_check_seed():
    assert check_seed("38201749561028374619") == []
    assert check_seed("1234") == []  # weakness is judged by seed_weaknesses, refused only when official
    assert check_seed("城中区 2026 年第一次摇号：3820-1749-5610") == []
    for bad in ("", " 123", "123 ", "12\n3", "a\tb", "1234\u200b5678", "\ufeff12345678", "1234\u00a05678",
                "1234\u30005678", "12\u008534", "12\u202e34", "12\u2028\u200934"):
        with pytest.raises(InputInvalid):
            check_seed(bad)


def test_draw_strata_matches_package_and_reserves_continue_the_order():
    ids = [code(i) for i in range(1, 400)]
    seed = "ssj-draw-v1|测试〔2026〕1号|城中区2026年第一次摇号"
    (s,) = draw_strata({"低": ids}, [{"name": "低", "pool_size": 399, "take": 40}], seed)
    full = [(t[1], t[0]) for t in package_sampler(ids, seed=seed)]
    assert list(zip(s["selected"] + s["reserves"], s["selected_tickets"] + s["reserve_tickets"])) == full[:48]
    assert len(s["selected"]) == 40 and len(s["reserves"]) == 8


# --------------------------------------------------------------------------- the command


def test_draw_outputs_agree_with_the_package(frozen, tmp_path, invoke):
    r = _draw(invoke, frozen)
    assert r.exit_code == 0, r.stdout
    m = _manifest(tmp_path)
    for key in ("task", "official", "seed", "seed_source", "sampler_seed", "pool_file", "pool_sha256",
                "commitment_sha256", "strata", "tool", "spec", "drawn_at", "frozen_at"):
        assert key in m
    assert m["official"] is True and m["trial"] is False and m["redo"] is False
    assert m["seed"] == SEED and m["seed_source"] == "5 人掷骰"
    assert m["sampler_seed"] == f"ssj-draw-v1|测试〔2026〕1号|{SEED}"
    assert m["drawn_at"] == "2026-04-08T09:30:00+08:00"
    pool = read_pool_csv(tmp_path / m["pool_file"])
    commitment = json.loads((tmp_path / m["commitment"]).read_text(encoding="utf-8"))
    assert [s["name"] for s in m["strata"]] == [s["name"] for s in commitment["strata"]]
    for s, c in zip(m["strata"], commitment["strata"]):
        ids = [row[0] for row in pool[s["name"]]]
        reference = list(package_sampler(ids, seed=m["sampler_seed"], take=s["take"] + len(s["reserves"])))
        assert s["selected"] == [t[1] for t in reference[: s["take"]]]
        assert s["reserves"] == [t[1] for t in reference[s["take"]:]]
        assert s["selected_tickets"] == [t[0] for t in reference[: s["take"]]]
        assert (s["take"], s["pool_size"]) == (c["take"], c["pool_size"])
    assert r.json["data"]["selected_total"] == sum(s["take"] for s in m["strata"])
    # Ledger entry with every output's hash.
    (entry,) = Workspace(tmp_path).ledger().entries(kind="draw")
    assert entry["data"]["manifest"] == "out/T01/draw/manifest.json" and entry["data"]["official"] is True
    assert set(entry["files"]) == {"out/T01/draw/manifest.json", "out/T01/draw/抽取结果.xlsx",
                                   "out/T01/draw/公示名单.csv", "out/T01/draw/ledger_head.json", "out/T01/draw/抽取记录.csv"}
    head = json.loads((tmp_path / "out/T01/draw/ledger_head.json").read_text(encoding="utf-8"))
    (freeze,) = Workspace(tmp_path).ledger().entries(kind="freeze")
    assert (head["seq"], head["hash"]) == (freeze["seq"], freeze["hash"]) and entry["seq"] == head["seq"] + 1
    assert TaskState(Workspace(tmp_path), "T01").official_draw["seq"] == entry["seq"]


def test_public_list_and_workbook(frozen, tmp_path, invoke):
    assert _draw(invoke, frozen).exit_code == 0
    m = _manifest(tmp_path)
    raw = (tmp_path / "out/T01/draw/公示名单.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["结果性质", "抽查任务编号", "抽查任务名称", "分层", "序号", "统一社会信用代码", "企业名称"]
    assert [r[5] for r in rows[1:]] == [c for s in m["strata"] for c in s["selected"]]
    assert {r[0] for r in rows[1:]} == {"正式"}
    text = raw.decode("utf-8-sig")
    assert "13800000000" not in text and "张三" not in text  # no personal data in the public list
    assert all(not r[6].startswith("=") for r in rows[1:])
    wb = load_workbook(tmp_path / "out/T01/draw/抽取结果.xlsx")
    assert wb.sheetnames == ["抽中名单", "候补名单", "抽取说明"]
    sel = wb["抽中名单"]
    assert "正式" in sel["A1"].value and sel.freeze_panes == "A3"
    header = [c.value for c in sel[2]]
    assert header[:6] == ["序号", "分层", "签序", "签号", "统一社会信用代码", "企业名称"]
    body = [[c.value for c in row] for row in sel.iter_rows(min_row=3)]
    assert [r[4] for r in body] == [c for s in m["strata"] for c in s["selected"]]
    assert [r[3] for r in body] == [t for s in m["strata"] for t in s["selected_tickets"]]
    assert body[0][header.index("联系电话")] == "13800000000"  # the office's copy has contacts
    res = [[c.value for c in row] for row in wb["候补名单"].iter_rows(min_row=3)]
    first = m["strata"][0]
    if first["reserves"]:
        assert res[0][2] == first["take"] + 1 and res[0][4] == first["reserves"][0]
    info = {row[0].value: row[1].value for row in wb["抽取说明"].iter_rows(min_row=3)}
    assert info["公开随机种子"] == SEED and info["承诺值（固定名录，SHA-256）"] == m["commitment_sha256"]
    assert info["承诺码（简写，仅供宣读）"] == m["commitment_code"]


def test_formula_names_are_escaped_in_outputs(tmp_path, invoke, monkeypatch):
    rows = roster_rows(12)  # entity 9 is named =HYPERLINK(...)餐馆
    text = __import__("draw_helpers").PLAN.replace("{ratio: 0.3}", "{ratio: 1.0}").replace(
        "低: {ratio: 0.5, min_count: 1}", "低: {ratio: 1.0}")
    plan = make_workspace(tmp_path, rows=rows, plan=text)
    set_now(monkeypatch, at(2026, 4, 8))
    assert invoke("freeze", "--plan", plan, "--task", "T01").exit_code == 0
    assert _draw(invoke, plan).exit_code == 0
    csv_text = (tmp_path / "out/T01/draw/公示名单.csv").read_bytes().decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    wb = load_workbook(tmp_path / "out/T01/draw/抽取结果.xlsx")
    names = [row[5].value for row in wb["抽中名单"].iter_rows(min_row=3)]
    assert "'=HYPERLINK(\"x\")餐馆" in names


def test_refuses_without_freeze(tmp_path, invoke):
    plan = make_workspace(tmp_path)
    r = _draw(invoke, plan)
    assert r.exit_code == 5 and "尚未固定名录" in r.json["errors"][0]["message"]
    assert not (tmp_path / "out").exists()


def test_refuses_when_a_roster_changed_since_freeze(frozen, tmp_path, invoke):
    from factories import targets_file

    targets_file(tmp_path, roster_rows(59))
    r = _draw(invoke, frozen)
    assert r.exit_code == 5
    assert "检查对象名录 targets.xlsx 在固定名录后被修改" in r.json["errors"][0]["message"]
    assert not (tmp_path / "out/T01/draw").exists()


def test_refuses_when_the_plan_task_changed_since_freeze(frozen, tmp_path, invoke):
    text = frozen.read_text(encoding="utf-8").replace("{ratio: 0.3}", "{ratio: 0.4}")
    frozen.write_text(text, encoding="utf-8")
    r = _draw(invoke, frozen)
    assert r.exit_code == 5 and "任务 T01 的设置" in r.json["errors"][0]["message"]


def test_other_tasks_edits_do_not_block(frozen, tmp_path, invoke):
    text = frozen.read_text(encoding="utf-8").replace("name: 餐饮服务食品安全和公共场所卫生部门联合抽查",
                                                       "name: 餐饮服务部门联合抽查")
    frozen.write_text(text, encoding="utf-8")
    assert _draw(invoke, frozen).exit_code == 0


def test_refuses_a_tampered_pool_file(frozen, tmp_path, invoke):
    pool = tmp_path / "out/T01/freeze/pool.csv"
    pool.write_bytes(pool.read_bytes().replace(b"\r\n", b"\n"))
    r = _draw(invoke, frozen)
    assert r.exit_code == 7 and "池文件" in r.json["errors"][0]["message"]


def test_second_official_draw_refused_redo_recorded(frozen, tmp_path, invoke):
    assert _draw(invoke, frozen).exit_code == 0
    first = _manifest(tmp_path)
    r = _draw(invoke, frozen, seed="49271830564738291056")
    assert r.exit_code == 5 and "不能再次正式抽取" in r.json["errors"][0]["message"]
    r = _draw(invoke, frozen, "--redo", seed="49271830564738291056")
    assert r.exit_code == 2 and "--reason" in r.json["errors"][0]["message"]
    r = _draw(invoke, frozen, "--redo", "--reason", "现场种子记录有误，经监督人员确认重抽", seed="49271830564738291056")
    assert r.exit_code == 0, r.stdout
    redo = _manifest(tmp_path, "draw-redo-2")
    assert redo["redo"] is True and redo["draw_no"] == 2 and redo["supersedes"] == "out/T01/draw/manifest.json"
    assert redo["reason"] == "现场种子记录有误，经监督人员确认重抽"
    assert redo["strata"] != first["strata"]
    draws = Workspace(tmp_path).ledger().entries(kind="draw")
    assert [e["data"]["redo"] for e in draws] == [False, True]
    assert TaskState(Workspace(tmp_path), "T01").official_draw["data"]["manifest"] == "out/T01/draw-redo-2/manifest.json"
    csv_text = (tmp_path / "out/T01/draw-redo-2/公示名单.csv").read_bytes().decode("utf-8-sig")
    assert "重做" in csv_text.splitlines()[1]


def test_dry_run_is_marked_and_never_official(frozen, tmp_path, invoke):
    r = _draw(invoke, frozen, "--dry-run")
    assert r.exit_code == 0
    (folder,) = [p for p in (tmp_path / "out/T01").iterdir() if p.name.startswith("trial-")]
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json", "试抽-公示名单.csv", "试抽-抽取结果.xlsx"]
    trial = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert trial["official"] is False and trial["trial"] is True
    assert trial["sampler_seed"].startswith("ssj-trial-v1|")
    assert Workspace(tmp_path).ledger().entries(kind="draw") == []
    rows = (folder / "试抽-公示名单.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert all(line.startswith("试抽（非正式结果）") for line in rows[1:])
    assert "试抽" in load_workbook(folder / "试抽-抽取结果.xlsx")["抽中名单"]["A1"].value
    # The official draw with the same seed is still possible and differs from the trial.
    assert _draw(invoke, frozen).exit_code == 0
    official = _manifest(tmp_path)
    assert [s["selected"] for s in official["strata"]] != [s["selected"] for s in trial["strata"]]


def test_seed_is_text_zeros_matter(tmp_path, invoke, monkeypatch):
    results = []
    for n, seed in enumerate(("0000000000", "0")):
        root = tmp_path / f"w{n}"
        plan = make_workspace(root)
        set_now(monkeypatch, at(2026, 4, 8))
        assert invoke("freeze", "--plan", plan, "--task", "T01").exit_code == 0
        r = invoke("draw", "--plan", plan, "--task", "T01", "--seed", seed, "--json")
        assert r.exit_code == 3 and "少于要求的 20 个" in r.json["errors"][0]["message"]
        r = invoke("draw", "--plan", plan, "--task", "T01", "--seed", seed, "--json",
                   "--weak-seed-reason", "测试：零的个数是否有意义")
        assert r.exit_code == 0
        assert any("少于要求的 20 个" in w for w in r.json["warnings"])
        m = _manifest(root)
        assert m["seed"] == seed
        results.append([s["selected"] for s in m["strata"]])
    assert results[0] != results[1]


def test_seed_with_surrounding_space_refused(frozen, invoke):
    r = _draw(invoke, frozen, seed=f"{SEED} ")
    assert r.exit_code == 3 and "首尾" in r.json["errors"][0]["message"]


def test_roster_row_order_does_not_change_the_draw(tmp_path, invoke, monkeypatch):
    rows = roster_rows()
    shuffled = rows[1::2] + rows[::2][::-1]
    out = []
    for n, variant in enumerate((rows, shuffled)):
        root = tmp_path / f"w{n}"
        plan = make_workspace(root, rows=variant)
        set_now(monkeypatch, at(2026, 4, 8))
        assert invoke("freeze", "--plan", plan, "--task", "T01").exit_code == 0
        assert _draw(invoke, plan).exit_code == 0
        m = _manifest(root)
        out.append((m["pool_sha256"], [s["selected"] for s in m["strata"]], [s["reserves"] for s in m["strata"]]))
    assert out[0] == out[1]


def test_take_at_least_the_pool_and_empty_stratum(tmp_path, invoke, monkeypatch):
    text = __import__("draw_helpers").PLAN.replace("高: {ratio: 1.0}", "高: {count: 50}").replace(
        "      default: {ratio: 0.3}\n", "        较高: {ratio: 0.2, min_count: 2}\n      default: {ratio: 0.3}\n")
    rows = [r for r in roster_rows() if r[10] != "较高"]  # no 较高 entity at all
    plan = make_workspace(tmp_path, rows=rows, plan=text)
    set_now(monkeypatch, at(2026, 4, 8))
    r = invoke("freeze", "--plan", plan, "--task", "T01", "--json")
    assert r.exit_code == 0
    strata = {s["name"]: s for s in r.json["data"]["strata"]}
    assert strata["高"]["take"] == strata["高"]["pool_size"] > 0
    assert any("全部抽取" in n for n in strata["高"]["notes"])
    assert strata["较高"]["pool_size"] == 0 and strata["较高"]["take"] == 0
    assert any("没有可抽取的对象" in w for w in r.json["warnings"])
    assert _draw(invoke, plan).exit_code == 0
    m = {s["name"]: s for s in _manifest(tmp_path)["strata"]}
    assert len(m["高"]["selected"]) == m["高"]["pool_size"] and m["高"]["reserves"] == []
    assert m["较高"]["selected"] == [] and m["较高"]["reserves"] == []


def test_reserves_are_fixed_at_freeze_and_committed(tmp_path, invoke, monkeypatch):
    plan = make_workspace(tmp_path)
    set_now(monkeypatch, at(2026, 4, 7))
    r = invoke("freeze", "--plan", plan, "--task", "T01", "--reserves", "5", "--json")
    assert r.exit_code == 0
    commitment = json.loads((tmp_path / "out/T01/freeze/commitment.json").read_text(encoding="utf-8"))
    assert [s["reserves"] for s in commitment["strata"] if s["drawable"]] == [
        min(5, s["pool_size"] - s["take"]) for s in commitment["strata"] if s["drawable"]]
    set_now(monkeypatch, at(2026, 4, 8))
    # after the seed, the reserve count can no longer be chosen
    r = _draw(invoke, plan, "--reserves", "50")
    assert r.exit_code == 2 and "固定名录时确定" in r.json["errors"][0]["message"]
    assert not (tmp_path / "out/T01/draw").exists()
    assert _draw(invoke, plan).exit_code == 0
    m = _manifest(tmp_path)
    assert [len(s["reserves"]) for s in m["strata"]] == [s["reserves"] for s in commitment["strata"] if s["drawable"]]


def test_default_reserves_are_in_the_commitment(frozen, tmp_path):
    commitment = json.loads((tmp_path / "out/T01/freeze/commitment.json").read_text(encoding="utf-8"))
    assert all(s["reserves"] == default_reserves(s["take"], s["pool_size"])
               for s in commitment["strata"] if s["drawable"])


# --------------------------------------------------------------------------- substitution


def test_substitution_takes_the_next_reserve_in_order(frozen, tmp_path, invoke):
    assert _draw(invoke, frozen).exit_code == 0
    m = _manifest(tmp_path)
    s = m["strata"][0]
    out1, out2 = s["selected"][2], s["selected"][0]
    r = invoke("substitute", "--plan", frozen, "--task", "T01", "--out", out1, "--reason", "注销", "--json")
    assert r.exit_code == 0, r.stdout
    assert r.json["data"]["in"] == s["reserves"][0] and r.json["data"]["ticket_rank"] == s["take"] + 1
    r = invoke("substitute", "--plan", frozen, "--task", "T01", "--out", out2, "--reason", "吊销", "--json")
    assert r.json["data"]["in"] == s["reserves"][1]
    # The reserve that came in can itself be replaced; the one replaced cannot be replaced again.
    r = invoke("substitute", "--plan", frozen, "--task", "T01", "--out", out1, "--reason", "注销", "--json")
    assert r.exit_code == 3
    selected = [x.credit_code for x in TaskState(Workspace(tmp_path), "T01").selected()]
    assert out1 not in selected and s["reserves"][0] in selected and s["reserves"][1] in selected
    assert len(selected) == sum(x["take"] for x in m["strata"])
    subs = Workspace(tmp_path).ledger().entries(kind="substitution")
    assert [(e["data"]["out"], e["data"]["in"], e["data"]["reason"]) for e in subs] == [
        (out1, s["reserves"][0], "注销"), (out2, s["reserves"][1], "吊销")]


def test_substitution_refusals(frozen, tmp_path, invoke):
    r = invoke("substitute", "--plan", frozen, "--task", "T01", "--out", code(1), "--reason", "注销", "--json")
    assert r.exit_code == 5  # no draw yet
    assert invoke("freeze", "--plan", frozen, "--task", "T01", "--reserves", "1", "--reason", "候补 1 户").exit_code == 0
    assert _draw(invoke, frozen).exit_code == 0
    m = _manifest(tmp_path)
    s = m["strata"][0]
    r = invoke("substitute", "--plan", frozen, "--task", "T01", "--out", s["selected"][0], "--reason", " ", "--json")
    assert r.exit_code == 2
    r = invoke("substitute", "--plan", frozen, "--task", "T01", "--out", s["selected"][0], "--reason", "注销", "--json")
    assert r.exit_code == 0
    r = invoke("substitute", "--plan", frozen, "--task", "T01", "--out", s["selected"][1], "--reason", "注销", "--json")
    assert r.exit_code == 5 and "候补已用完" in r.json["errors"][0]["message"]


# --------------------------------------------------------------------------- the lock


def test_a_second_process_cannot_draw_while_the_workspace_is_locked(frozen, tmp_path, invoke):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys,time; from filelock import FileLock; l=FileLock(sys.argv[1]); l.acquire(); "
         "print('locked', flush=True); time.sleep(30)", str(tmp_path / ".ssj.lock")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        start = time.monotonic()
        r = _draw(invoke, frozen)
        assert r.exit_code == 10 and "另一个 ssj 进程" in r.json["errors"][0]["message"]
        assert time.monotonic() - start < 20
    finally:
        holder.kill()
        holder.wait()
    assert not (tmp_path / "out/T01/draw").exists()
    assert Workspace(tmp_path).ledger().entries(kind="draw") == []
    assert _draw(invoke, frozen).exit_code == 0


def test_renamed_task_id_cannot_draw_the_same_task_number_again(frozen, tmp_path, invoke):
    """The ledger keys tasks by id; renaming T01 must not open a second official draw of 测试〔2026〕1号."""
    assert _draw(invoke, frozen).exit_code == 0
    frozen.write_text(frozen.read_text(encoding="utf-8").replace("id: T01\n", "id: T01X\n"), encoding="utf-8")
    assert invoke("freeze", "--plan", frozen, "--task", "T01X").exit_code == 0
    r = invoke("draw", "--plan", frozen, "--task", "T01X", "--seed", "49271830564738291056", "--json")
    assert r.exit_code == 5, r.stdout
    message = r.json["errors"][0]["message"]
    assert "测试〔2026〕1号" in message and "T01" in message and "out/T01/draw/manifest.json" in message
    assert not (tmp_path / "out/T01X/draw").exists()
    assert [e["task"] for e in Workspace(tmp_path).ledger().entries(kind="draw")] == ["T01"]
    # A trial under the new id stays possible: it is never official.
    r = invoke("draw", "--plan", frozen, "--task", "T01X", "--seed", "49271830564738291056", "--dry-run", "--json")
    assert r.exit_code == 0


def test_refreeze_needs_a_real_reason(frozen, tmp_path, invoke):
    r = invoke("freeze", "--plan", frozen, "--task", "T01", "--reason", "  ", "--json")
    assert r.exit_code == 5 and "--reason" in r.json["errors"][0]["hint"]
    assert [e["kind"] for e in Workspace(tmp_path).ledger().read()] == ["freeze"]
    assert not (tmp_path / "out/T01/freeze-2").exists()


def test_a_task_number_with_the_seed_separator_is_a_plan_error(tmp_path, invoke, monkeypatch):
    """'|' joins prefix, task number and seed (draw-spec §1); the plan says so before any freeze."""
    from draw_helpers import PLAN

    plan = make_workspace(tmp_path, plan=PLAN.replace("number: 测试〔2026〕1号", "number: 测试〔2026〕1|号"))
    set_now(monkeypatch, at(2026, 4, 8))
    r = invoke("freeze", "--plan", plan, "--task", "T01", "--json")
    assert r.exit_code == 3, r.stdout
    assert "任务编号不能含有字符「|」" in json.dumps(r.json["errors"], ensure_ascii=False)
    assert not (tmp_path / "out/T01").exists()
