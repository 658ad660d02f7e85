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
