from hypothesis import given
from hypothesis import strategies as st

from taybac.orders.codes import ALPHABET, display, new_code
from taybac.payments.memo import find_payment_codes

CODE = "TBACDE3479"


def test_real_world_mangling():
    for memo in [
        "TB-ACDE-3479",
        "tb-acde-3479",
        "TBACDE3479",
        "tb acde 3479",
        "TB.ACDE.3479",
        "MBVCB.3278.TBACDE3479.CT tu 0123456789 toi 0011001932418",
        "Thanh toán đơn TB-ACDE-3479 cho Hộ Giàng",
        "CHUYEN TIEN TBACDE3479FT24123",
    ]:
        assert find_payment_codes(memo) == [CODE], memo


def test_two_codes_in_order_and_no_false_hits():
    assert find_payment_codes("TBACDE3479 va TB-KMNP-7777") == [CODE, "TBKMNP7777"]
    assert find_payment_codes("TB-ACDE-347") == []  # too short
    assert find_payment_codes("TB-0CDE-3479") == []  # 0 is not in the alphabet
    assert find_payment_codes("") == [] and find_payment_codes(None) == []


@given(st.data())
def test_any_mangling_of_a_generated_code_is_found(data):
    code = new_code()
    shown = display(code) if data.draw(st.booleans()) else code
    seps = st.sampled_from(["", " ", "-", ".", "_", "/"])
    mangled = "".join(ch + data.draw(seps) for ch in shown)
    mangled = "".join(ch.lower() if data.draw(st.booleans()) else ch for ch in mangled)
    before = data.draw(st.sampled_from(["", "CK ", "Thanh toán ", "MBVCB.1.", "zz "]))
    after = data.draw(st.sampled_from(["", " cam on", ".CT tu 123", " đơn hàng"]))
    assert code in find_payment_codes(before + mangled + after)
    assert set(code[2:]) <= set(ALPHABET)
