"""The hash-chained ledger: appends chain, any edit, removal or reordering is named."""

from __future__ import annotations

import json

import pytest

from shuangsuiji.core.errors import InputInvalid, VerifyFailed
from shuangsuiji.core.ledger import GENESIS, Ledger, check_chain, entry_hash


def _ledger(tmp_path, n=4) -> Ledger:
    ledger = Ledger(tmp_path / "ledger.jsonl")
    for i in range(n):
        ledger.append("draw" if i % 2 else "freeze", task=f"T0{i}", time=f"2026-04-0{i + 1}T09:00:00+08:00",
                      data={"i": i, "名称": "城中区"}, files={f"out/T0{i}/x": "0" * 64})
    return ledger


def _write(ledger: Ledger, entries: list[dict]) -> None:
    ledger.path.write_text("".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in entries),
                           encoding="utf-8")


def test_entries_chain_from_genesis(tmp_path):
    ledger = _ledger(tmp_path)
    entries = ledger.read()
    assert [e["seq"] for e in entries] == [1, 2, 3, 4]
    assert entries[0]["prev"] == GENESIS
    assert all(b["prev"] == a["hash"] for a, b in zip(entries, entries[1:]))
    assert all(entry_hash(e) == e["hash"] for e in entries)
    report = ledger.verify()
    assert report.ok and report.entries == 4 and report.broken_seq is None
    assert "城中区" in ledger.path.read_text(encoding="utf-8")  # stored readable, not \\u-escaped


def test_edit_is_named(tmp_path):
    ledger = _ledger(tmp_path)
    entries = ledger.read()
    entries[2]["data"]["i"] = 99
    _write(ledger, entries)
    report = ledger.verify()
    assert (report.ok, report.broken_seq) == (False, 3) and "被修改" in report.reason


def test_edit_with_recomputed_hash_breaks_the_next_link(tmp_path):
    ledger = _ledger(tmp_path)
    entries = ledger.read()
    entries[1]["data"]["i"] = 99
    entries[1]["hash"] = entry_hash(entries[1])
    _write(ledger, entries)
    report = ledger.verify()
    assert (report.ok, report.broken_seq) == (False, 3) and "不衔接" in report.reason


@pytest.mark.parametrize("drop, broken", [(0, 1), (1, 2), (3, None)])
def test_removal_is_named(tmp_path, drop, broken):
    ledger = _ledger(tmp_path)
    entries = ledger.read()
    del entries[drop]
    _write(ledger, entries)
    report = ledger.verify()
    if broken is None:  # the last line removed: the chain that remains is intact
        assert report.ok and report.entries == 3
    else:
        assert (report.ok, report.broken_seq) == (False, broken)


def test_reordering_is_named(tmp_path):
    ledger = _ledger(tmp_path)
    entries = ledger.read()
    entries[1], entries[2] = entries[2], entries[1]
    _write(ledger, entries)
    report = ledger.verify()
    assert (report.ok, report.broken_seq) == (False, 2)


def test_append_refuses_on_a_broken_chain(tmp_path):
    ledger = _ledger(tmp_path)
    entries = ledger.read()
    entries[0]["time"] = "2026-01-01T00:00:00+08:00"
    _write(ledger, entries)
    with pytest.raises(VerifyFailed, match="第1条"):
        ledger.append("draw", task="T09", time="2026-05-01T09:00:00+08:00", data={})
    assert len(ledger.read()) == 4


def test_garbage_line_is_reported_with_its_line_number(tmp_path):
    ledger = _ledger(tmp_path, 2)
    with open(ledger.path, "a", encoding="utf-8") as f:
        f.write("{not json\n")
    with pytest.raises(InputInvalid, match="第3行"):
        ledger.read()


def test_empty_ledger_is_a_valid_chain(tmp_path):
    assert check_chain([]).ok
    assert Ledger(tmp_path / "none.jsonl").verify().ok
