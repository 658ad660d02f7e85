"""An adversarial audit of the official acts (issues 10, 11): each test is a way a clerk at the
terminal could bend a draw, leave the workspace stuck, or slip something past `ssj verify`."""

from __future__ import annotations

import json

import pytest
from draw_helpers import OTHER_SEED as OTHER
from draw_helpers import SEED, at, make_workspace, set_now
from draw_helpers import draw_json as _draw
from test_crash_recovery import ssj

from shuangsuiji.core.recovery import CRASH_EXIT
from shuangsuiji.core.workspace import Workspace
from shuangsuiji.draw.seeds import seed_weaknesses


@pytest.mark.parametrize("seed", ["--------------------", "！！！！！！！！！！！！！！！！！！！！！",
                                  "-.-.-.-.-.-.-.-.-.-.-.", "～～～～～～～～～～～～～～～～～～～～"])
def test_a_seed_without_any_letter_or_digit_is_weak(seed):
    """Punctuation only: its comparison key is empty, so it escaped every weakness rule and the
    reuse check, although nobody can have produced it by a public random act."""
    assert any("没有数字或文字" in w for w in seed_weaknesses(seed))


def test_official_draw_refuses_a_punctuation_only_seed(frozen, tmp_path, invoke):
    r = _draw(invoke, frozen, seed="~!@#$%^&*()_+{}|:<>?~!@#")
    assert r.exit_code == 3 and "没有数字或文字" in r.json["errors"][0]["message"]
    assert not (tmp_path / "out/T01/draw").exists()


def test_substitution_after_a_redo_gets_its_own_list_folder(frozen, tmp_path, invoke, monkeypatch):
    """A substitution on the first draw, then a redo, then a substitution on the redo: the second
    used to pick out/T01/draw-list-2 again, which exists, so the task was stuck for good."""
    assert _draw(invoke, frozen).exit_code == 0
    first = json.loads((tmp_path / "out/T01/draw/manifest.json").read_text(encoding="utf-8"))
    out1 = first["strata"][0]["selected"][0]
    r = invoke("substitute", "--plan", frozen, "--task", "T01", "--out", out1, "--reason", "注销", "--json")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert _draw(invoke, frozen, "--redo", "--reason", "名录有误", seed=OTHER).exit_code == 0
    redo = json.loads((tmp_path / "out/T01/draw-redo-2/manifest.json").read_text(encoding="utf-8"))
    out2 = redo["strata"][0]["selected"][0]
    r = invoke("substitute", "--plan", frozen, "--task", "T01", "--out", out2, "--reason", "吊销", "--json")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert r.json["data"]["list"] == "out/T01/draw-redo-2-list-2/公示名单.csv"
    listed = (tmp_path / "out/T01/draw-redo-2-list-2/公示名单.csv").read_text(encoding="utf-8-sig")
    assert f"替换 {out2}（吊销）" in listed and out1 not in listed.split(out2)[0][-40:]
    # the first draw's list version is untouched and both versions verify
    assert "替换 " + out1 in (tmp_path / "out/T01/draw-list-2/公示名单.csv").read_text(encoding="utf-8-sig")
    monkeypatch.chdir(tmp_path)
    r = invoke("verify", "--json")
    assert r.exit_code == 0, r.stdout + r.stderr


def test_an_unrecorded_redo_list_version_counts_as_official_looking(frozen, tmp_path, invoke, monkeypatch):
    """A crash after out/T01/draw-redo-2-list-2 was renamed into place but before its ledger line:
    the folder must be moved aside by the next command and failed by verify while it stays."""
    from shuangsuiji.core.recovery import unrecorded_outputs

    assert _draw(invoke, frozen).exit_code == 0
    stray = tmp_path / "out/T01/draw-redo-2-list-2"
    stray.mkdir()
    (stray / "公示名单.csv").write_text("伪造", encoding="utf-8")
    assert unrecorded_outputs(tmp_path, Workspace(tmp_path).ledger().read()) == [stray]
    monkeypatch.chdir(tmp_path)
    r = invoke("verify", "--json")
    assert r.exit_code == 7
    fails = [c["text"] for rep in r.json["data"]["reports"] for c in rep["checks"] if c["status"] == "fail"]
    assert any("台账中没有记录" in f and "out/T01/draw-redo-2-list-2" in f for f in fails), fails


@pytest.mark.parametrize("variant", ["测试〔2026〕１号", "测试 〔2026〕 1号", "测试[2026]1号", "测试（2026）1号"])
def test_a_task_renamed_with_a_look_alike_number_cannot_be_drawn_again(frozen, tmp_path, invoke, monkeypatch, variant):
    """After an official draw, renaming the task id and typing its number with a full-width digit,
    spaces or other brackets made a "new" task: freeze and a second official draw without --redo,
    and no finding in verify. The number is compared with those differences removed."""
    assert _draw(invoke, frozen).exit_code == 0
    frozen.write_text(frozen.read_text(encoding="utf-8").replace("id: T01", "id: T01B")
                      .replace("number: 测试〔2026〕1号", f"number: \"{variant}\""), encoding="utf-8")
    set_now(monkeypatch, at(2026, 4, 8, 11))
    assert invoke("freeze", "--plan", frozen, "--task", "T01B").exit_code == 0  # as for a renamed id
    r = _draw(invoke, frozen, seed=OTHER, task="T01B")
    assert r.exit_code == 5, r.stdout
    msg = r.json["errors"][0]["message"]
    assert "以任务简称 T01 正式抽取" in msg and "out/T01/draw/manifest.json" in msg
    assert not (tmp_path / "out/T01B/draw").exists()


def test_two_tasks_with_look_alike_numbers_are_refused_in_the_plan(tmp_path):
    from draw_helpers import PLAN

    from shuangsuiji.core.errors import InputInvalid
    from shuangsuiji.plan.load import load_plan

    plan = make_workspace(tmp_path, plan=PLAN.replace("number: 测试〔2026〕2号", "number: 测试〔2026〕１号"))
    with pytest.raises(InputInvalid) as e:
        load_plan(plan)
    assert any("任务编号重复" in p.reason and "测试〔2026〕1号" in p.reason for p in e.value.problems)


def _mode(path) -> int:
    return path.stat().st_mode & 0o777


def test_files_naming_officers_or_kept_by_the_office_are_private(frozen, tmp_path, invoke):
    """officer_pool.json (officer names, 执法证号), the dispatch sheets (teams with names and 执法证号)
    were written world-readable although the spec lists them as not for release."""
    assert _mode(tmp_path / "out/T01/freeze/officer_pool.json") == 0o600
    assert _mode(tmp_path / "out/T01/freeze/pool_details.internal.tsv") == 0o600
    assert _mode(tmp_path / "out/T01/freeze/pool.csv") != 0o600  # public files stay readable
    assert _draw(invoke, frozen).exit_code == 0
    r = invoke("match", "--plan", frozen, "--task", "T01", "--seed", OTHER, "--seed-source", "掷骰", "--json")
    assert r.exit_code == 0, r.stdout
    sheets = sorted((tmp_path / "out/T01/match").glob("派发单-*.xlsx"))
    assert sheets and all(_mode(p) == 0o600 for p in sheets), [(p.name, oct(_mode(p))) for p in sheets]
    manifest = tmp_path / "out/T01/match/manifest.json"
    import json

    members = [m for t in json.loads(manifest.read_text(encoding="utf-8"))["teams"] for m in t["members"]]
    assert members and _mode(manifest) == 0o600  # it lists every team member by officer id
    assert all(_mode(p) != 0o600 for p in (tmp_path / "out/T01/match").glob("结果录入-*.xlsx"))  # no officer named


def test_the_office_copy_of_a_publication_is_private(invoke, tmp_path):
    from types import SimpleNamespace

    from results_helpers import make_workspace as results_workspace
    from results_helpers import record_draw, record_match, result_row
    from test_publish import A, C, fill, run

    w, plan = results_workspace(tmp_path / "ws")
    record_draw(w, "T02", {"一般": [A, C]})
    record_match(w, "T02", {A: ("甲商贸有限公司", ["SCJG", "WSJK"]), C: ("丙宾馆", ["SCJG", "WSJK"])})
    ws = SimpleNamespace(root=w.root, plan=plan)
    fill(ws, scjg=[result_row(A, "SCJG"), result_row(C, "SCJG")], wsjk=[result_row(A, "WSJK"), result_row(C, "WSJK")])
    r = run(invoke, ws)
    assert r.exit_code == 0, r.stdout
    folder = ws.root / "out/T02/publish/v1"
    assert _mode(folder / "办公室留存.xlsx") == 0o600
    assert _mode(folder / "公示结果.csv") != 0o600


def _findings(invoke, tmp_path, monkeypatch) -> list[str]:
    monkeypatch.chdir(tmp_path)
    r = invoke("verify", "--json")
    assert r.exit_code == 0, r.stdout
    return r.json["data"]["findings"]


def test_a_freeze_backdated_with_ssj_now_is_a_finding(tmp_path, invoke, monkeypatch):
    """SSJ_NOW (a demo and test clock) let a clerk record a freeze "before" a seed ceremony that had
    already happened; the ledger marks such entries, but verify said 核验通过 without a word."""
    plan = make_workspace(tmp_path)
    monkeypatch.setenv("SSJ_NOW", "2026-04-07T09:00:00+08:00")
    assert invoke("freeze", "--plan", plan, "--task", "T01").exit_code == 0
    monkeypatch.delenv("SSJ_NOW")
    set_now(monkeypatch, at(2026, 4, 8))
    assert _draw(invoke, plan).exit_code == 0
    found = _findings(invoke, tmp_path, monkeypatch)
    assert any("台账第 1 条" in f and "SSJ_NOW" in f and "不是实际时间" in f for f in found), found
    assert not any("台账第 2 条" in f for f in found), found


def test_a_ledger_time_earlier_than_the_entry_before_it_is_a_finding(tmp_path, invoke, monkeypatch):
    """The computer's clock put back between the seed ceremony and the freeze: entries out of time
    order are shown (the ledger's order is the true order of the acts)."""
    plan = make_workspace(tmp_path)
    set_now(monkeypatch, at(2026, 4, 8, 10))
    assert invoke("freeze", "--plan", plan, "--task", "T02").exit_code == 0
    set_now(monkeypatch, at(2026, 4, 8, 9))
    assert invoke("freeze", "--plan", plan, "--task", "T01").exit_code == 0
    found = _findings(invoke, tmp_path, monkeypatch)
    assert any("台账第 2 条" in f and "早于" in f and "台账第 1 条" in f for f in found), found


def _rewrite_last_entry(root, change) -> None:
    """What a clerk with a text editor and sha256sum can do to the ledger's last line."""
    from shuangsuiji.core.ledger import entry_hash

    path = root / "ledger.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[-1])
    change(entry)
    entry["hash"] = entry_hash(entry)
    lines[-1] = json.dumps(entry, ensure_ascii=False, sort_keys=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_substitution_with_a_reason_outside_the_list_fails_verify(frozen, tmp_path, invoke, monkeypatch):
    """verify said 递补…记有理由 without looking at the reason: a rewritten last ledger line with
    reason 领导要求 passed."""
    assert _draw(invoke, frozen).exit_code == 0
    manifest = json.loads((tmp_path / "out/T01/draw/manifest.json").read_text(encoding="utf-8"))
    out = manifest["strata"][0]["selected"][0]
    assert invoke("substitute", "--plan", frozen, "--task", "T01", "--out", out, "--reason", "注销").exit_code == 0
    monkeypatch.chdir(tmp_path)
    assert invoke("verify", "--json").exit_code == 0

    def forge(entry):
        entry["data"]["reason"] = "领导要求"
    _rewrite_last_entry(tmp_path, forge)
    listed = tmp_path / "out/T01/draw-list-2/公示名单.csv"
    text = listed.read_text(encoding="utf-8-sig").replace("（注销）", "（领导要求）")
    listed.write_bytes("\ufeff".encode("utf-8") + text.encode("utf-8"))

    def rehash(entry):
        from shuangsuiji.core.fileio import sha256_file
        entry["files"]["out/T01/draw-list-2/公示名单.csv"] = sha256_file(listed)
    _rewrite_last_entry(tmp_path, rehash)
    r = invoke("verify", "--json")
    fails = [c["text"] for rep in r.json["data"]["reports"] for c in rep["checks"] if c["status"] == "fail"]
    assert r.exit_code == 7 and any("领导要求" in f and "规定的理由" in f for f in fails), fails


@pytest.mark.parametrize("old, new, said", [
    ("name: 企业公示信息随机抽查", "name: !!binary 5LyB5Lia", "!!binary"),
    ("ratio: 0.3", "ratio: !!float 0.3", "!!float"),
    ("number: 测试〔2026〕1号", "number: !!str 测试〔2026〕1号", "!!str"),
    ("name: 企业公示信息随机抽查", "name: !custom 企业公示信息随机抽查", "!custom"),
    ("year: 2026", "? [a, b]\n: 1\nyear: 2026", "字段名"),
])
def test_yaml_tags_and_complex_keys_are_refused_with_their_line(tmp_path, old, new, said):
    """A tag was silently dropped (`!!binary 5LyB5Lia` became the name 5LyB5Lia); a list as a key
    produced an error showing PyYAML node reprs."""
    from draw_helpers import PLAN

    from shuangsuiji.core.errors import InputInvalid
    from shuangsuiji.plan.load import load_plan

    text = PLAN.replace(old, new, 1)
    plan = make_workspace(tmp_path, plan=text)
    with pytest.raises(InputInvalid) as e:
        load_plan(plan)
    line = next(i for i, raw in enumerate(text.splitlines(), 1) if new.splitlines()[0] in raw)
    assert said in e.value.message and f"第{line}行" in e.value.message, e.value.message
    assert "Node(" not in e.value.message


def test_a_new_seed_after_an_interrupted_draw_needs_a_recorded_redo(frozen, tmp_path, invoke, monkeypatch):
    """Crash the draw after its folder is in place (the result is seen), then draw with another seed:
    the public history showed one ordinary draw. The seed of an interrupted draw on the same
    commitment now binds: the same seed again is a plain rerun, another one needs --redo --reason,
    which is recorded, shown in 抽取记录.csv and listed by verify."""
    r = ssj(tmp_path, "draw", "--plan", frozen, "--task", "T01", "--seed", SEED, "--seed-source", "掷骰",
            crash="renamed")
    assert r.returncode == CRASH_EXIT and (tmp_path / "out/T01/draw/公示名单.csv").is_file()
    r = _draw(invoke, frozen, seed=OTHER)
    assert r.exit_code == 5, r.stdout
    msg = r.json["errors"][0]["message"]
    assert "中断" in msg and SEED in msg and ".interrupted/draw-" in msg
    assert "--redo" in r.json["errors"][0]["hint"]
    assert not (tmp_path / "out/T01/draw").exists()  # moved aside, nothing new written
    r = _draw(invoke, frozen, "--redo", "--reason", "中断前种子录入有误", seed=OTHER)
    assert r.exit_code == 0, r.stdout
    history = (tmp_path / "out/T01/draw/抽取记录.csv").read_text(encoding="utf-8-sig")
    assert "中断前种子录入有误" in history
    monkeypatch.chdir(tmp_path)
    found = invoke("verify", "--json").json["data"]["findings"]
    assert any("重做" in f and "中断前种子录入有误" in f and ".interrupted/draw-" in f for f in found), found


def test_the_same_seed_after_an_interrupted_draw_is_a_plain_rerun(frozen, tmp_path, invoke):
    r = ssj(tmp_path, "draw", "--plan", frozen, "--task", "T01", "--seed", SEED, "--seed-source", "掷骰",
            crash="renamed")
    assert r.returncode == CRASH_EXIT
    r = _draw(invoke, frozen)
    assert r.exit_code == 0, r.stdout
    assert r.json["data"]["redo"] is False


def test_a_new_seed_after_an_interrupted_match_needs_a_recorded_redo(frozen, tmp_path, invoke, monkeypatch):
    """The same bend for the match: crash after the dispatch sheets are in place, match again with
    another seed. Now refused unless --redo --reason, which verify lists."""
    assert _draw(invoke, frozen).exit_code == 0
    match = ("match", "--plan", frozen, "--task", "T01", "--seed-source", "掷骰")
    r = ssj(tmp_path, *match, "--seed", OTHER, crash="renamed")
    assert r.returncode == CRASH_EXIT and (tmp_path / "out/T01/match/manifest.json").is_file()
    third = "59127304861592038476"
    r = invoke(*match, "--seed", third, "--json")
    assert r.exit_code == 5, r.stdout
    msg = r.json["errors"][0]["message"]
    assert "中断" in msg and OTHER in msg and ".interrupted/match-" in msg
    assert not (tmp_path / "out/T01/match").exists()
    r = invoke(*match, "--seed", third, "--redo", "--reason", "派发单打印前发现人员名录有误", "--json")
    assert r.exit_code == 0, r.stdout
    monkeypatch.chdir(tmp_path)
    found = invoke("verify", "--json").json["data"]["findings"]
    assert any("重新匹配" in f and "派发单打印前发现人员名录有误" in f and ".interrupted/match-" in f for f in found), found
    # the same seed as the interrupted match is a plain rerun
    assert (tmp_path / "out/T01/match/manifest.json").is_file()


def test_the_same_seed_after_an_interrupted_match_is_a_plain_rerun(frozen, tmp_path, invoke):
    assert _draw(invoke, frozen).exit_code == 0
    match = ("match", "--plan", frozen, "--task", "T01", "--seed-source", "掷骰", "--seed", OTHER)
    assert ssj(tmp_path, *match, crash="renamed").returncode == CRASH_EXIT
    r = invoke(*match, "--json")
    assert r.exit_code == 0, r.stdout


@pytest.mark.parametrize("rel, damage", [
    ("out/T01/freeze/officer_pool.json", lambda b: b + b"x"),
    ("out/T01/match/manifest.json", lambda b: b.replace(b'"teams"', b'"teamz"')),
    ("out/T01/draw/manifest.json", lambda b: b.replace(b'"strata"', b'"strata_"')),
])
def test_a_damaged_json_output_fails_verify_instead_of_crashing_it(frozen, tmp_path, invoke, monkeypatch, rel, damage):
    """An edited officer_pool.json or a manifest with a renamed key made ssj verify stop with
    程序内部错误 (JSONDecodeError, KeyError): no verdict at all for the auditor."""
    assert _draw(invoke, frozen).exit_code == 0
    assert invoke("match", "--plan", frozen, "--task", "T01", "--seed", OTHER, "--seed-source", "掷骰").exit_code == 0
    path = tmp_path / rel
    path.write_bytes(damage(path.read_bytes()))
    monkeypatch.chdir(tmp_path)
    r = invoke("verify", "--json")
    assert r.exit_code == 7, r.stdout
    fails = [c["text"] for rep in r.json["data"]["reports"] for c in rep["checks"] if c["status"] == "fail"]
    assert any(rel in f for f in fails), fails
    assert any("无法核验" in f for f in fails), fails


@pytest.mark.parametrize("bad", ["..", ".", ".T01", "T 01", "T01/a", "T01\\\\a", "T01 "])
def test_a_task_id_that_is_no_folder_name_is_refused(tmp_path, bad):
    """A task id becomes out/<id>/: ".." wrote the freeze into the workspace root (out/..), and
    ids that differ only by characters the folder name drops collided."""
    from draw_helpers import PLAN

    from shuangsuiji.core.errors import InputInvalid
    from shuangsuiji.plan.load import load_plan

    plan = make_workspace(tmp_path, plan=PLAN.replace("id: T01", f"id: '{bad}'", 1))
    with pytest.raises(InputInvalid) as e:
        load_plan(plan)
    assert any("任务简称" in p.reason for p in e.value.problems), [p.reason for p in e.value.problems]


def test_task_ids_differing_only_in_case_are_refused(tmp_path):
    """T01 and t01 are one folder on Windows and macOS."""
    from draw_helpers import PLAN

    from shuangsuiji.core.errors import InputInvalid
    from shuangsuiji.plan.load import load_plan

    plan = make_workspace(tmp_path, plan=PLAN.replace("id: T02", "id: t01", 1))
    with pytest.raises(InputInvalid) as e:
        load_plan(plan)
    assert any("任务 id 重复" in p.reason for p in e.value.problems), [p.reason for p in e.value.problems]


def test_a_public_looking_file_the_ledger_does_not_know_is_a_finding(frozen, tmp_path, invoke, monkeypatch):
    """A forged list dropped beside the real ones (out/T01/公示名单.csv, out/T01/draw/公示名单（修订）.csv)
    passed verify without a word: only official-looking folder names were compared with the ledger."""
    assert _draw(invoke, frozen).exit_code == 0
    assert _draw(invoke, frozen, "--dry-run", seed=OTHER).exit_code == 0  # a trial is not such a file
    real = (tmp_path / "out/T01/draw/公示名单.csv").read_bytes()
    (tmp_path / "out/T01/公示名单.csv").write_bytes(real)
    (tmp_path / "out/T01/draw/公示名单（修订）.csv").write_bytes(real)
    found = _findings(invoke, tmp_path, monkeypatch)
    loose = [f for f in found if "台账中没有记录的文件" in f]
    assert len(loose) == 1 and "out/T01/公示名单.csv" in loose[0] and "out/T01/draw/公示名单（修订）.csv" in loose[0], found
    assert "trial-" not in loose[0]


@pytest.mark.parametrize("variant", ["三八二〇一七四九五六一〇二八三七四六一九", "叁捌贰零壹柒肆玖伍陆壹零贰捌叁柒肆陆壹玖",
                                     "٣٨٢٠١٧٤٩٥٦١٠٢٨٣٧٤٦١٩", "𝟑𝟖𝟐𝟎𝟏𝟕𝟒𝟗𝟓𝟔𝟏𝟎𝟐𝟖𝟑𝟕𝟒𝟔𝟏𝟗"])
def test_the_same_dice_roll_written_in_other_digits_is_not_a_new_seed(frozen, tmp_path, invoke, variant):
    """The seed 38201749561028374619 written in Chinese numerals (小写 or 大写) or another script's
    digits passed as a "new" seed for a redo after a re-freeze: a different sampler seed, so a
    different result from the same public dice roll."""
    from shuangsuiji.draw.seeds import seed_key

    assert seed_key(variant) == seed_key(SEED)
    assert _draw(invoke, frozen).exit_code == 0
    assert invoke("freeze", "--plan", frozen, "--task", "T01", "--reason", "名录更正").exit_code == 0
    r = _draw(invoke, frozen, "--redo", "--reason", "名录更正后重抽", seed=variant)
    assert r.exit_code == 3 and "必须使用新的随机种子" in r.json["errors"][0]["message"], r.stdout


def test_a_refreeze_before_the_first_draw_is_a_finding(frozen, tmp_path, invoke, monkeypatch):
    """Anyone can compute the official result from pool.csv and a public seed (draw-spec §5): a
    clerk who dislikes it can re-freeze (an entity dropped from the roster) and draw with that same
    seed. The re-freeze before the first draw was not shown by verify; its time must be compared
    with the seed ceremony's."""
    set_now(monkeypatch, at(2026, 4, 8, 9))
    assert invoke("freeze", "--plan", frozen, "--task", "T01", "--reason", "名录中有一户重复").exit_code == 0
    set_now(monkeypatch, at(2026, 4, 8, 10))
    assert _draw(invoke, frozen).exit_code == 0
    found = _findings(invoke, tmp_path, monkeypatch)
    assert any("任务 T01" in f and "抽取前重新固定" in f and "台账第 2 条" in f and "名录中有一户重复" in f
               and "种子" in f for f in found), found


def test_a_summary_dated_in_the_future_is_refused(tmp_path, invoke, monkeypatch):
    """ssj publish refused a future --today (inspection dates that have not happened would pass),
    ssj summary did not: a summary "截至" a later date, counting such results, could be signed."""
    plan = make_workspace(tmp_path)
    set_now(monkeypatch, at(2026, 9, 1))
    r = invoke("summary", "--plan", plan, "--today", "2026-12-31", "--json")
    assert r.exit_code == 2, r.stdout
    assert "2026-12-31" in r.json["errors"][0]["message"] and "晚于实际的今天" in r.json["errors"][0]["message"]
    assert not (tmp_path / "out/summary").exists()
    assert invoke("summary", "--plan", plan, "--today", "2026-08-31", "--json").exit_code == 0


def test_an_interrupted_redo_followed_by_a_redo_with_another_seed_is_a_finding(frozen, tmp_path, invoke, monkeypatch):
    """After an official draw, a redo with seed C killed after its folder was in place (result seen),
    then a redo with seed D: the C attempt vanished from the public history."""
    assert _draw(invoke, frozen).exit_code == 0
    seed_c = "59127304861592038476"
    r = ssj(tmp_path, "draw", "--plan", frozen, "--task", "T01", "--seed", seed_c, "--seed-source", "掷骰",
            "--redo", "--reason", "名录更正", crash="renamed")
    assert r.returncode == CRASH_EXIT and (tmp_path / "out/T01/draw-redo-2/manifest.json").is_file()
    assert _draw(invoke, frozen, "--redo", "--reason", "名录更正", seed=OTHER).exit_code == 0
    found = _findings(invoke, tmp_path, monkeypatch)
    assert any(seed_c in f and ".interrupted/draw-redo-2" in f and OTHER in f for f in found), found
