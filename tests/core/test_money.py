import pytest
from hypothesis import given
from hypothesis import strategies as st

from taybac.core.money import MAX_PRICE_VND, MoneyError, apply_percent, format_vnd, parse_vnd


@pytest.mark.parametrize("amount, text", [(0, "0 ₫"), (1_250_000, "1.250.000 ₫"), (999, "999 ₫"), (-5_000, "-5.000 ₫")])
def test_format_vnd(amount, text):
    assert format_vnd(amount) == text


@pytest.mark.parametrize(
    "text, amount",
    [
        ("125.000", 125_000),
        ("125000 đ", 125_000),
        ("125,000₫", 125_000),
        ("1.250.000 VND", 1_250_000),
        (" 45000 ", 45_000),
    ],
)
def test_parse_vnd_accepts_what_sellers_type(text, amount):
    assert parse_vnd(text) == amount


@pytest.mark.parametrize("text", ["", "abc", "12.5k", "-3000", "0", "1e6", str(MAX_PRICE_VND + 1)])
def test_parse_vnd_rejects_nonsense(text):
    with pytest.raises(MoneyError):
        parse_vnd(text)


def test_format_rejects_floats():
    with pytest.raises(MoneyError):
        format_vnd(1.5)


@given(st.integers(min_value=1, max_value=MAX_PRICE_VND))
def test_format_then_parse_round_trips(amount):
    assert parse_vnd(format_vnd(amount)) == amount


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=10_000))
def test_apply_percent_rounds_half_up_and_stays_within_bounds(amount, bp):
    result = apply_percent(amount, bp)
    exact = amount * bp / 10_000
    assert abs(result - exact) <= 0.5
    assert 0 <= result <= amount
