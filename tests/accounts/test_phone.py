import pytest
from hypothesis import given
from hypothesis import strategies as st

from taybac.accounts.phone import PhoneError, display_phone, normalize_phone


@pytest.mark.parametrize(
    "raw, e164",
    [
        ("0912345678", "+84912345678"),
        ("0381234567", "+84381234567"),
        ("+84 86 123 4567", "+84861234567"),
        ("0912 345 678", "+84912345678"),
        ("0701234567", "+84701234567"),
    ],
)
def test_valid_mobiles_become_e164(raw, e164):
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize("raw", ["", "0123456789", "01231234567", "abc", "+1 650 253 0000", "091234"])
def test_invalid_numbers_are_refused(raw):
    with pytest.raises(PhoneError):
        normalize_phone(raw)


def test_landline_refused_for_sms_but_accepted_when_allowed():
    with pytest.raises(PhoneError):
        normalize_phone("+84 24 3825 1234")
    assert normalize_phone("+84 24 3825 1234", mobile_only=False) == "+842438251234"


def test_display_phone():
    assert display_phone("+84912345678") == "0912 345 678"


@given(st.text(max_size=30))
def test_normalize_never_crashes_on_junk(raw):
    try:
        result = normalize_phone(raw)
    except PhoneError:
        return
    assert result.startswith("+84")
