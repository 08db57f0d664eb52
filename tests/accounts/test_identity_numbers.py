"""Form checks of citizen-ID and tax-code numbers, with generated numbers (Hypothesis) around the hand examples."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taybac.accounts.identity_numbers import (
    CITIZEN_ID_PROVINCES,
    IdentityNumberError,
    masked,
    parse,
    parse_citizen_id,
    parse_tax_code,
    tax_check_digit,
)

TODAY = date(2026, 12, 6)


def test_known_tax_codes_pass_and_a_changed_check_digit_fails():
    # Published codes: 0100233488 (a Hà Nội enterprise), 0314409058 (its branch form -002).
    assert parse_tax_code("0100233488", allow_branch=False) == "0100233488"
    assert parse_tax_code("0314409058-002", allow_branch=True) == "0314409058-002"
    assert parse_tax_code("0314 409 058 002", allow_branch=True) == "0314409058-002"
    with pytest.raises(IdentityNumberError, match="chữ số kiểm tra"):
        parse_tax_code("0100233480", allow_branch=False)


def test_citizen_id_examples():
    assert parse_citizen_id("001 090 123456", today=TODAY) == "001090123456"
    assert parse_citizen_id("014301000123", today=TODAY) == "014301000123"  # Sơn La, female born 2001
    for bad, words in [
        ("00109012345", "12 chữ số"),
        ("003090123456", "mã tỉnh"),  # 003 is not in the annex
        ("097090123456", "mã tỉnh"),
        ("001590123456", "thế kỷ"),
        ("001299123456", "tương lai"),  # born 2099
        ("00109012345a", "12 chữ số"),
        ("", "Vui lòng"),
    ]:
        with pytest.raises(IdentityNumberError, match=words):
            parse_citizen_id(bad, today=TODAY)


def test_branch_rules_and_kinds():
    with pytest.raises(IdentityNumberError, match="không có phần chi nhánh"):
        parse("personal_tax", "0314409058-002")
    with pytest.raises(IdentityNumberError):
        parse("business_tax", "0314409058-000")
    with pytest.raises(IdentityNumberError):
        parse("business_tax", "0100000000")  # serial all zero
    with pytest.raises(IdentityNumberError, match="loại giấy tờ"):
        parse("passport", "0100233488")
    assert parse("citizen_id", "001090123456", today=TODAY).last4 == "3456"
    assert masked("0314409058-002") == "•••• •••• 8002"


def test_overlong_input_refused_before_work():
    with pytest.raises(IdentityNumberError, match="quá dài"):
        parse_tax_code("0" * 41, allow_branch=True)


nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9).filter(lambda s: s[2:9] != "0000000")


@given(nine_digits)
def test_every_issuable_tax_code_passes_and_every_other_last_digit_fails(first_nine):
    check = tax_check_digit(first_nine)
    for last in range(10):
        code = f"{first_nine}{last}"
        if last == check:
            assert parse_tax_code(code, allow_branch=False) == code
        else:
            with pytest.raises(IdentityNumberError):
                parse_tax_code(code, allow_branch=False)


@given(nine_digits, st.integers(min_value=1, max_value=999))
def test_branch_codes_keep_their_parent(first_nine, branch):
    check = tax_check_digit(first_nine)
    if check is None:
        return
    code = f"{first_nine}{check}-{branch:03d}"
    assert parse_tax_code(code, allow_branch=True) == code
    assert parse_tax_code(code.replace("-", ""), allow_branch=True) == code


@given(
    st.sampled_from(sorted(CITIZEN_ID_PROVINCES)),
    st.integers(min_value=0, max_value=3),
    st.integers(min_value=0, max_value=99),
    st.integers(min_value=0, max_value=999_999),
)
def test_citizen_ids_by_the_scheme(province, century_sex, yy, serial):
    number = f"{province:03d}{century_sex}{yy:02d}{serial:06d}"
    year = (1900 if century_sex < 2 else 2000) + yy
    if year > TODAY.year:
        with pytest.raises(IdentityNumberError):
            parse_citizen_id(number, today=TODAY)
    else:
        assert parse_citizen_id(number, today=TODAY) == number


@given(st.text(max_size=45))
def test_any_text_is_parsed_or_refused_in_vietnamese(raw):
    for kind in ("citizen_id", "personal_tax", "business_tax"):
        try:
            result = parse(kind, raw, today=TODAY)
        except IdentityNumberError as exc:
            assert exc.message and exc.field == "number"
        else:
            assert result.number.replace("-", "").isdigit()
