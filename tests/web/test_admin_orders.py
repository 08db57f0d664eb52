"""Operators find orders and money in the admin (/quan-tri/): search by code or phone as typed, filters, Vietnamese
labels, and money rows no generic form can add, change or delete (docs/payments.md, "Admin")."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from taybac.accounts.models import Role, User
from taybac.orders.admin import search_terms
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.codes import display
from taybac.orders.lifecycle import advance
from taybac.orders.models import Order, Status
from taybac.payments.models import LedgerEntry, Payment
from taybac.payments.reconciliation import record_cash_on_delivery
from taybac.regions.models import Commune
from taybac.regions.services import create_address
from tests.factories import make_product, make_shop


@pytest.fixture
def operator(db) -> Client:
    user = User.objects.create(username="vanhanh", role=Role.OPERATOR, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def orders(db) -> tuple[Order, Order]:
    """A transfer order delivered to Hà Nội and a cash order delivered to Lào Cai, the second one paid."""
    variant = make_product(shop=make_shop(name="Hộ Giàng A Páo"), price=350_000, quantity=10).variants.get()
    ta_phin = Commune.objects.get(province_id=15, name="Xã Tả Phìn")
    hanoi = place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, 1)],
        contact=Contact("Lan", "0912345678"),
        payment_method="vietqr",
        delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
    )
    laocai = place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, 2)],
        contact=Contact("Páo", "0987654321"),
        payment_method="cod",
        delivery_address=create_address(province_code=15, commune_code=ta_phin.code, street="Bản Tả Phìn"),
    )
    shop_order = laocai.shop_orders.get()
    for to in (Status.PACKED, Status.SHIPPED):
        advance(shop_order=shop_order, to=to, actor=None)
    record_cash_on_delivery(shop_order=shop_order, amount=shop_order.total, actor=None)
    return hanoi, laocai


def test_search_terms_as_stored():
    assert search_terms("0912 345 678") == "+84912345678"
    assert search_terms(" tb-acde-3479 ") == "TBACDE3479"
    assert search_terms("Giàng A Páo") == "Giàng A Páo"
    assert search_terms("12345") == "12345"  # too short for a number: searched as typed


def test_order_list_search_by_phone_or_code_and_labels(operator, orders):
    hanoi, laocai = orders
    page = operator.get("/quan-tri/orders/order/", {"q": "0912 345 678"})
    assert page.status_code == 200 and [o.pk for o in page.context["cl"].result_list] == [hanoi.pk]
    html = page.content.decode()
    assert "Mã đơn" in html and "Điện thoại" in html and "Quản trị Tây Bắc Hub" in html
    by_code = operator.get("/quan-tri/orders/order/", {"q": display(laocai.code).lower()})
    assert [o.pk for o in by_code.context["cl"].result_list] == [laocai.pk]
    shop_code = laocai.shop_orders.get().code
    assert [o.pk for o in operator.get("/quan-tri/orders/order/", {"q": shop_code}).context["cl"].result_list] == [
        laocai.pk
    ]


def test_filters_by_method_status_province_and_date(operator, orders):
    hanoi, laocai = orders
    cod = operator.get("/quan-tri/orders/order/", {"payment_method__exact": "cod"})
    assert [o.pk for o in cod.context["cl"].result_list] == [laocai.pk]
    assert [o.pk for o in operator.get("/quan-tri/orders/order/", {"tinh": "1"}).context["cl"].result_list] == [
        hanoi.pk
    ]
    assert [o.pk for o in operator.get("/quan-tri/orders/order/", {"tinh": "15"}).context["cl"].result_list] == [
        laocai.pk
    ]
    assert operator.get("/quan-tri/orders/order/", {"tinh": "14"}).context["cl"].result_count == 0
    assert operator.get("/quan-tri/orders/order/", {"tinh": "x"}).status_code == 200  # ignored, not a 500
    waiting = operator.get("/quan-tri/orders/shoporder/", {"status__exact": "awaiting_payment"})
    assert [s.order_id for s in waiting.context["cl"].result_list] == [hanoi.pk]
    today = operator.get("/quan-tri/orders/shoporder/", {"created_at__year": timezone.localdate().year})
    assert today.status_code == 200 and today.context["cl"].result_count == 2
    delivered = operator.get("/quan-tri/orders/shoporder/", {"order__payment_method__exact": "cod", "tinh": "15"})
    assert [s.order_id for s in delivered.context["cl"].result_list] == [laocai.pk]


def test_money_is_read_only_and_shown_in_dong(operator, orders):
    _, laocai = orders
    shop_order = laocai.shop_orders.get()
    detail = operator.get(f"/quan-tri/orders/shoporder/{shop_order.pk}/change/")
    html = detail.content.decode()
    assert detail.status_code == 200 and "700.000\u00a0₫" in html and 'name="total"' not in html
    assert "Ghi hoàn tiền cho đơn này" in html and "Mật ong bạc hà · " in html and "350.000\u00a0₫" in html
    before = shop_order.total
    refused = operator.post(f"/quan-tri/orders/shoporder/{shop_order.pk}/change/", {"total": 1})
    assert refused.status_code == 403
    shop_order.refresh_from_db()
    assert shop_order.total == before
    for url in (
        "/quan-tri/payments/payment/add/",
        "/quan-tri/payments/ledgerentry/add/",
        "/quan-tri/orders/order/add/",
    ):
        assert operator.get(url).status_code == 403, url
    assert operator.post(f"/quan-tri/orders/order/{laocai.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Order.objects.filter(pk=laocai.pk).exists()


def test_every_money_list_answers(operator, orders):
    for url in (
        "/quan-tri/orders/order/",
        "/quan-tri/orders/shoporder/",
        "/quan-tri/orders/returnrequest/",
        "/quan-tri/payments/payment/",
        "/quan-tri/payments/refund/",
        "/quan-tri/payments/ledgerentry/",
        "/quan-tri/payments/credit/",
        "/quan-tri/payments/banktransaction/",
        f"/quan-tri/orders/order/{orders[0].pk}/change/",
    ):
        assert operator.get(url).status_code == 200, url
    index = operator.get("/quan-tri/").content.decode()
    assert "Khoản thanh toán" in index and "Đơn của gian hàng" in index and "Quản trị Tây Bắc Hub" in index
    payments = operator.get("/quan-tri/payments/payment/", {"q": "0987 654 321"})
    listed = payments.content.decode()
    assert "Danh sách khoản thanh toán" in listed and "1 khoản thanh toán" in listed
    assert "Payment" not in listed  # breadcrumbs and count name the model as the admin does
    paid = orders[1].shop_orders.get().total  # items and delivery
    assert [p.amount for p in payments.context["cl"].result_list] == [paid]
    assert f"{paid:,}\u00a0₫".replace(",", ".") in payments.content.decode()
    payment = Payment.objects.get()
    assert operator.get(f"/quan-tri/payments/payment/{payment.pk}/change/").status_code == 200  # view only
    assert operator.post(f"/quan-tri/payments/payment/{payment.pk}/change/", {"amount": 1}).status_code == 403
    assert operator.post(f"/quan-tri/payments/payment/{payment.pk}/delete/", {"post": "yes"}).status_code == 403
    ledger = LedgerEntry.objects.get(kind=LedgerEntry.Kind.SALE)
    assert operator.post(f"/quan-tri/payments/ledgerentry/{ledger.pk}/change/", {"amount": 1}).status_code == 403
    payment.refresh_from_db()
    ledger.refresh_from_db()
    assert payment.amount == paid and ledger.amount == 700_000  # the shop is owed the goods, not the delivery


def test_catalogue_lists_in_vietnamese(operator, orders):
    page = operator.get("/quan-tri/catalog/product/", {"is_active__exact": "1"}).content.decode()
    assert "Sản phẩm" in page and "Gian hàng" in page and "Đang bán" in page and ">Có<" in page
    assert "Bởi ngành hàng" in page and "Bởi tỉnh" in page  # filter titles, not the fields' English names
    shops = operator.get("/quan-tri/catalog/shop/").content.decode()
    assert "Hộ Giàng A Páo" in shops and "Đang mở" in shops
