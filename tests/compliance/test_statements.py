"""Withholding statements: a seller opens their own month and year, never another seller's rows."""

import pytest
from django.test import Client
from django.utils import timezone

from taybac.accounts.models import Producer
from tests.payments.test_withholding import order_of, pay, shop_for


@pytest.fixture
def two_sellers(db, settings):
    honey = shop_for(Producer.Kind.HOUSEHOLD)
    pay(order_of(honey, [("Mật ong", "mat-ong", 350_000, 1)]), settings)
    other = shop_for(Producer.Kind.ENTERPRISE)  # a different producer, not withheld
    third = order_of(honey, [("Homestay", "du-lich-cong-dong", 777_777, 1)])
    return honey, other, pay(third, settings)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_seller_sees_their_month_and_year(two_sellers):
    honey, _, _ = two_sellers
    month = timezone.localdate().strftime("%Y-%m")
    client = signed_in(honey.producer.owner)
    index = client.get("/ban-hang/thue/").content.decode()
    assert f"/ban-hang/thue/{month}/" in index and f"/ban-hang/thue/{month[:4]}/" in index
    page = client.get(f"/ban-hang/thue/{month}/").content.decode()
    # goods 350,000 → 3.500 ₫ + 1.750 ₫; service 777,777 → 38.889 ₫ (38,888.85) + 15.556 ₫ (15,555.54)
    for amount in ("3.500", "1.750", "38.889", "15.556", "1.127.777"):
        assert amount in page, amount
    year = client.get(f"/ban-hang/thue/{month[:4]}/").content.decode()
    assert "năm " + month[:4] in year and "1.127.777" in year
    assert client.get("/ban-hang/thue/2026-13/").status_code == 404


def test_another_seller_sees_only_their_own_rows(two_sellers):
    honey, other, _ = two_sellers
    month = timezone.localdate().strftime("%Y-%m")
    page = signed_in(other.producer.owner).get(f"/ban-hang/thue/{month}/").content.decode()
    assert "Không có khoản khấu trừ nào" in page and "1.127.777" not in page and honey.name not in page
    assert "tự khai" in signed_in(other.producer.owner).get("/ban-hang/thue/").content.decode()


def test_people_without_a_shop_are_sent_to_sign_up(db):
    from tests.factories import make_user

    response = signed_in(make_user()).get("/ban-hang/thue/")
    assert response.status_code == 302 and "/ban-hang/dang-ky/" in response["Location"]
    assert Client().get("/ban-hang/thue/").status_code == 302  # anonymous: sign in
