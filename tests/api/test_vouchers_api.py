"""Vouchers through the API: the quote shows the discount per shop and in total, checkout charges it, a code
that does not apply is a 400 with field `voucher`."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from taybac.accounts.models import Role
from taybac.orders.vouchers import create_voucher
from tests.api.conftest import assert_error
from tests.api.test_cart_quote import quote
from tests.api.test_checkout import cart, checkout  # noqa: F401  (fixture)
from tests.factories import make_user


def hub_voucher(**extra) -> None:
    now = timezone.now()
    fields = {
        "kind": "fixed",
        "value": 30_001,
        "starts_at": now - timedelta(hours=1),
        "ends_at": now + timedelta(days=1),
    }
    create_voucher(actor=make_user(role=Role.OPERATOR), shop=None, code="HOICHO", total_limit=5, **{**fields, **extra})


def test_the_quote_and_the_order_carry_the_same_discount(api_client, cart):
    hub_voucher()
    body = quote(api_client, {"lines": cart["lines"], "province_code": 1, "commune_code": 70, "voucher": "hoicho"})
    assert body.status_code == 200, body.content
    shown = body.json()
    assert shown["voucher"] == {"code": "HOICHO", "funded_by": "hub", "amount": 30_001}
    assert sum(s["discount"] for s in shown["shops"]) == 30_001
    assert all(s["total"] == s["items_total"] + s["shipping_fee"] - s["discount"] for s in shown["shops"])
    order = checkout(api_client, {**cart, "voucher": "HOICHO", "expected_total": shown["total"]})
    assert order.status_code == 201, order.content
    placed = order.json()
    assert placed["total"] == shown["total"]
    assert sorted(so["discount"] for so in placed["shop_orders"]) == sorted(s["discount"] for s in shown["shops"])


def test_a_code_that_does_not_apply_is_a_400_on_field_voucher(api_client, cart):
    hub_voucher(min_subtotal=50_000_000)
    for i, code in enumerate(("NOPE", "HOICHO", "a b")):
        error = assert_error(checkout(api_client, {**cart, "voucher": code}, key=f"k-{i}"), 400, "invalid")
        assert error["field"] == "voucher"
    error = assert_error(quote(api_client, {"lines": cart["lines"], "voucher": "HOICHO"}), 400, "invalid")
    assert "Đơn chưa đủ 50.000.000" in error["message"]
    assert quote(api_client, {"lines": cart["lines"]}).json()["voucher"] is None
