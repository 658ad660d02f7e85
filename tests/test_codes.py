"""统一社会信用代码: normalisation, the GB 32100 / GB 11714 checks, numbers from spreadsheets."""

from __future__ import annotations

import pytest

from shuangsuiji.intake.codes import (
    NUMBER_REASON,
    WEIGHTS,
    build_code,
    check_code,
    check_column,
    code_kind,
    excel_shows,
    normalise_code,
    org_check_char,
    uscc_check_char,
)
from shuangsuiji.intake.records import REGNO, USCC

VALID = ["91350100M000100Y43", "914403001922038216"]
INVALID_CHECK = ["91110000800088421P", "9133010057462616XH"]


def test_weights_are_powers_of_three_mod_31():
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.mark.parametrize("code", VALID)
def test_domain_valid_examples(code):
    assert check_code(code) is None
    assert uscc_check_char(code[:17]) == code[17]
    assert org_check_char(code[8:16]) == code[16]
    assert code_kind(code) == USCC


@pytest.mark.parametrize("code", INVALID_CHECK)
def test_domain_invalid_examples_name_the_check_character(code):
    reason = check_code(code)
    assert reason is not None and "校验位不符" in reason and f"「{code[17]}」" in reason


@pytest.mark.parametrize("raw", [" 9135 0100m000100y43 ", "９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43\u3000",
                                 "9135\t0100\u00a0M000100Y43", "９１３５０１００ｍ０００１００ｙ４３"])
def test_normalise_spaces_full_width_and_case(raw):
    assert normalise_code(raw) == "91350100M000100Y43"
    assert check_code(normalise_code(raw)) is None


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_letters_outside_the_alphabet_are_named(letter):
    code = "91350100" + letter + "000100Y43"
    reason = check_code(code)
    assert f"第 9 位是字母「{letter}」" in reason and "I、O、S、V、Z" in reason


def test_letter_o_hints_at_digit_zero():
    assert "数字 0 被误录为字母 O" in check_code("91350100O000100Y43")


def test_org_code_check_of_positions_9_to_17():
    # A code whose 18th character is recomputed after breaking position 17 passes GB 32100 only.
    first17 = "91350100M000100Y" + "5"
    code = first17 + uscc_check_char(first17)
    assert "GB 11714" in check_code(code)


def test_org_check_x_and_zero():
    # total mod 11 == 1 -> 10 -> X ; total mod 11 == 0 -> 11 -> 0
    assert org_check_char("00000001") == "9"  # 2 -> 11-2
    bodies = {org_check_char(f"{n:08d}") for n in range(200)}
    assert "X" in bodies and "0" in bodies


def test_build_code_is_valid():
    code = build_code("91630103", "MA7XYK2Q")
    assert len(code) == 18 and check_code(code) is None


def test_15_digit_registration_number_accepted_and_marked():
    assert check_code("630103000012342") is None
    assert code_kind("630103000012342") == REGNO
    assert "15 位注册号应全部为数字" in check_code("63010300001234A")


@pytest.mark.parametrize("text", ["9.13501E+17", "9.1350100M+17", "9.13501e+17", "913501001234567000",
                                  "913501001234567890.0"])
def test_numbers_from_spreadsheets_are_detected_not_repaired(text):
    assert check_code(normalise_code(text)) == NUMBER_REASON


def test_wrong_length_and_bad_characters():
    assert "长度为 17 位" in check_code("91350100M000100Y4")
    assert "第 5 位有非法字符「-」" in check_code("9135-100M000100Y43")
    assert check_code("") == "代码为空"


def test_check_column_fast_path_and_numbers():
    raw = ["91350100M000100Y43", 913501001234567890.0, 630103000012342.0, "91350100m000100y43 ", None,
           "91110000800088421P"]
    codes, reasons = check_column(raw)
    assert codes[0] == codes[3] == "91350100M000100Y43"
    assert reasons[0] is None and reasons[3] is None
    assert reasons[1] == NUMBER_REASON
    assert reasons[2] is None and codes[2] == "630103000012342"  # exact: below 2^53
    assert reasons[4] == "代码为空"
    assert "校验位不符" in reasons[5]


def test_check_column_agrees_with_check_code():
    codes = [build_code("92630103", f"{n:08d}") for n in range(300)]
    broken = [c[:17] + ("0" if c[17] != "0" else "1") for c in codes]
    _, ok = check_column(codes)
    _, bad = check_column(broken)
    assert all(r is None for r in ok)
    assert all(r == check_code(c) and r is not None for r, c in zip(bad, broken))


def test_excel_shows_like_excel():
    assert excel_shows(913501001234567890.0) == "9.13501E+17"
    assert excel_shows(630103000012342.0) == "6.30103E+14"
