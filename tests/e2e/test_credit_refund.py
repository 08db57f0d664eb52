"""On a 360 px phone: an operator finds an unrefunded credit (an over-payment), follows its link and records the
refund's bank reference; the credit's page then shows it refunded, without the form.

Set TAYBAC_SHOTS=/some/folder to keep screenshots of the credits list, a credit's page, the form and the
refunded credit.
"""

from __future__ import annotations

from taybac.accounts.models import Role, User
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.payments.models import Credit
from taybac.regions.services import create_address
from tests.e2e.phone import fits_phone, shot
from tests.factories import make_product, make_shop
from tests.payments.test_reconciliation import KEY, notify


def test_an_operator_records_a_credit_refund_at_360(page360, live_server, settings):
    settings.TAYBAC_SEPAY_API_KEY = KEY
    User.objects.create_superuser(username="vanhanh", password="mat-khau-dai-123", role=Role.OPERATOR)
    variant = make_product(shop=make_shop(name="Hộ Giàng A Páo"), price=350_000, quantity=10).variants.get()
    order = place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, 1)],
        contact=Contact("Lan", "0912345678"),
        payment_method="vietqr",
        delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
    )
    notify(order.code, order.shop_orders.get().total + 30_000)
    credit = Credit.objects.get()
    page = page360
    page.goto(live_server.url + "/quan-tri/login/?next=/quan-tri/payments/credit/")
    page.fill("input[name=username]", "vanhanh")
    page.fill("input[name=password]", "mat-khau-dai-123")
    page.click("input[type=submit]")
    page.wait_for_url("**/quan-tri/payments/credit/")
    assert page.locator("#result_list").evaluate("t => t.getBoundingClientRect().right") <= 360
    shot(page, "admin-credits")
    page.goto(live_server.url + f"/quan-tri/payments/credit/{credit.pk}/change/")
    assert page.locator("form.credit-refund input[name=reference]").count() == 1  # the form under the credit
    fits_phone(page)
    shot(page, "admin-credit")
    page.go_back()
    page.get_by_role("link", name="Ghi nhận đã hoàn tiền thừa").click()
    page.wait_for_url(f"**/payments/credit/{credit.pk}/hoan-tien/")
    assert "30.000" in page.locator("#content").inner_text()
    fits_phone(page)
    page.click("input[type=submit]")  # empty: the browser's own check keeps the form
    assert Credit.objects.get().refunded_at is None
    page.fill("input[name=reference]", "FT26340123")
    shot(page, "admin-credit-refund")
    page.click("input[type=submit]")
    page.wait_for_url(f"**/payments/credit/{credit.pk}/change/")
    assert "Đã ghi nhận hoàn 30.000" in page.locator(".messagelist").inner_text()
    assert page.locator("input[name=reference]").count() == 0
    assert Credit.objects.get().refund_reference == "FT26340123"
    fits_phone(page)
    shot(page, "admin-credit-refunded")
