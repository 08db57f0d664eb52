"""The order look-up's parsing and its bound: any text is answered (never an error), only the right pair finds the
order, and wrong pairs are counted per network. The signed link's key check takes any text too."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taybac.orders.lookup import FAILURES_PER_NETWORK, LookupLimited, find_order_code
from taybac.orders.models import LookupFailure
from taybac.web.order_links import key_opens, order_key
from tests.fulfilment.parcels import placed_order

pytestmark = pytest.mark.django_db
NET = "203.0.113.9"


@pytest.fixture
def order():
    return placed_order(None, payment_method="cod", phone="0912345678").order


def test_the_right_pair_in_any_usual_spelling(order):
    spaced = f"{order.code[:2]}-{order.code[2:6]} {order.code[6:]}".lower()
    for phone in ("0912345678", "+84 912 345 678", "84912345678", "0912.345.678"):
        assert find_order_code(code=spaced, phone=phone, network=NET) == order.code
    assert not LookupFailure.objects.exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=st.text(max_size=30), phone=st.text(max_size=30))
def test_any_text_is_answered_and_finds_nothing_but_the_order(order, code, phone):
    LookupFailure.objects.all().delete()
    found = find_order_code(code=code, phone=phone, network=NET)
    assert found is None or found == order.code
    assert LookupFailure.objects.count() == (0 if found else 1)


def test_wrong_pairs_are_bounded_per_network(order):
    for _ in range(FAILURES_PER_NETWORK):
        assert find_order_code(code=order.code, phone="0987654321", network=NET) is None
    with pytest.raises(LookupLimited) as limited:
        find_order_code(code=order.code, phone="0912345678", network=NET)
    assert 0 < limited.value.retry_after <= 600
    assert find_order_code(code=order.code, phone="0912345678", network="198.51.100.1") == order.code


@settings(max_examples=100, deadline=None)
@given(key=st.text(max_size=120))
def test_only_a_key_signed_for_the_code_opens_it(key):
    assert key_opens(order_key("TBACDE3479"), "tbacde3479")
    assert not key_opens(order_key("TBACDE3479"), "TBACDE3478")
    assert not key_opens(key, "TBACDE3479") or key == order_key("TBACDE3479")
