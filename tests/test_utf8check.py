"""The large-file UTF-8 check (Arrow's validator in blocks) answers exactly as decoding does."""

import pytest

from shuangsuiji.intake import tables, utf8check


def _decodes(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


TEXT = "统一社会信用代码,企业名称\r\n91630003123456788T,西宁鑫源商贸有限公司🏪\r\n".encode("utf-8")


@pytest.mark.parametrize("case", [
    TEXT, b"\xef\xbb\xbf" + TEXT, TEXT * 7, TEXT[:-3] + b"\xe5", TEXT + b"\xff", "城中区".encode("gb18030") * 5,
    TEXT[:40] + b"\xed\xa0\x80" + TEXT[40:],  # a surrogate: not UTF-8
    TEXT[:41] + b"\xc0\xaf" + TEXT[41:],  # an overlong form: not UTF-8
    b"", b"\xe5\x9f", "🏪".encode("utf-8") * 9,
])
@pytest.mark.parametrize("block", [1, 2, 3, 5, 64, 1 << 20])
def test_valid_utf8_equals_decoding_at_every_block_size(tmp_path, case, block):
    path = tmp_path / "f.csv"
    path.write_bytes(case)
    assert utf8check.valid_utf8(path, block) == _decodes(case)


def test_large_files_take_the_arrow_check_and_get_the_same_encoding(tmp_path, monkeypatch):
    path = tmp_path / "f.csv"
    monkeypatch.setattr(utf8check, "ARROW_CHECK_BYTES", 0)
    path.write_bytes(TEXT * 3)
    assert tables._csv_encoding(path, "f.csv") == "utf-8-sig"
    path.write_bytes("企业名称\r\n城中区商店\r\n".encode("gb18030"))
    assert tables._csv_encoding(path, "f.csv") == "gb18030"


def test_the_head_check_stops_at_its_limit(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(TEXT * 50 + "城中区".encode("gb18030"))
    assert utf8check.valid_utf8(path, 64, limit=len(TEXT) * 10) is True
    assert utf8check.valid_utf8(path, 64) is False
    assert utf8check.first_invalid_line(path, 64) == 101  # 2 lines per TEXT: the bad bytes start line 101
    assert utf8check.first_invalid_line(tmp_path / "f.csv", 1 << 20) == 101
    path.write_bytes(TEXT * 3)
    assert utf8check.first_invalid_line(path, 7) is None


@pytest.mark.parametrize("columnar_path", [True, False])
@pytest.mark.parametrize("column", ["企业名称", "登记状态"])  # a plain and a dictionary-read (few-valued) column
def test_a_large_file_changing_encoding_midway_is_refused_with_the_line(tmp_path, monkeypatch, columnar_path, column):
    """A file UTF-8 at its head (the part checked before reading) and GB18030 further on (two exports
    put together): refused, naming the line, on both intake paths, instead of read as GB18030 whole
    (which garbled every name) or half-read."""
    from factories import TARGET_HEADERS, officer, officers_file, plan_file, target, write_csv

    from shuangsuiji.core.errors import InputInvalid
    from shuangsuiji.intake import columnar
    from shuangsuiji.intake.rosters import load_rosters
    from shuangsuiji.plan.load import load_plan

    rows = [target(i) for i in range(1, 200)]
    path = write_csv(tmp_path / "targets.csv", [TARGET_HEADERS, *rows])
    lines = path.read_bytes().split(b"\r\n")
    bad = TARGET_HEADERS.index(column)
    cells = lines[150].decode("utf-8").split(",")
    cells[bad] = "城中区商店" if column == "企业名称" else "存续"
    lines[150] = ",".join(cells).encode("gb18030")  # line 151 of the file
    path.write_bytes(b"\r\n".join(lines))
    monkeypatch.setattr(utf8check, "ARROW_CHECK_BYTES", 1000)
    monkeypatch.setattr(utf8check, "HEAD_BYTES", 1000)
    monkeypatch.setattr(columnar, "MIN_BYTES", 0 if columnar_path else 1 << 62)
    officers_file(tmp_path, [officer(1)])
    with pytest.raises(InputInvalid) as e:
        load_rosters(load_plan(plan_file(tmp_path, targets="targets.csv")))
    assert "第151行" in e.value.message and "不是 UTF-8" in e.value.message
    assert [p.code for p in e.value.problems] == ["encoding_mixed"] and e.value.problems[0].row == 151
