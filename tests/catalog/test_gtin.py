import pytest
from hypothesis import given
from hypothesis import strategies as st

from taybac.catalog.gtin import GtinError, allocate_gtin, check_digit, normalize_gtin


@pytest.mark.parametrize("gtin", ["8934563138165", "4006381333931", "96385074", "036000291452", "10614141000415"])
def test_published_gtins_validate(gtin):
    assert normalize_gtin(gtin) == gtin.zfill(14)


@pytest.mark.parametrize("bad", ["8934563138166", "123", "abcdefghijklm", "", "123456789012345"])
def test_bad_gtins_refused(bad):
    with pytest.raises(GtinError):
        normalize_gtin(bad)


@given(st.text(alphabet="0123456789", min_size=13, max_size=13))
def test_check_digit_makes_valid_gtin14_and_detects_single_digit_errors(body):
    gtin = body + str(check_digit(body))
    assert normalize_gtin(gtin) == gtin
    wrong = gtin[:-1] + str((int(gtin[-1]) + 1) % 10)
    with pytest.raises(GtinError):
        normalize_gtin(wrong)


def test_allocation_is_sequential_valid_and_bounded(db):
    first, second = allocate_gtin("8939999"), allocate_gtin("8939999")
    assert first == "0893999900001" + first[-1] and second[:-1] == "0893999900002"
    assert normalize_gtin(first) == first and normalize_gtin(second) == second
    long_prefix = "89300001234"  # 11 digits leave one digit of item reference: 9 GTINs
    for _ in range(9):
        allocate_gtin(long_prefix)
    with pytest.raises(GtinError, match="hết"):
        allocate_gtin(long_prefix)
