"""Concurrent checkouts with one voucher never pass its limits: in total (many buyers) and per buyer (one phone
tapping on several devices). Real threads, each on its own database connection (SQLite here, PostgreSQL in CI)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from taybac.accounts.models import Role
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.models import Voucher, VoucherRedemption
from taybac.orders.vouchers import VoucherError, create_voucher
from taybac.regions.services import create_address
from tests.factories import make_product, make_user


def race(count: int, phone_of, variant_id: int, address) -> list[str]:
    results: list[str] = []
    barrier = threading.Barrier(count)

    def buy(i: int) -> None:
        try:
            barrier.wait()
            place_order(
                buyer=None,
                lines=[LineRequest(variant_id, 1)],
                contact=Contact(f"Người mua {i}", phone_of(i)),
                payment_method="vietqr",
                delivery_address=address,
                voucher="HOICHO10",
            )
            results.append("ok")
        except VoucherError as error:
            results.append(error.message)
        except Exception as error:  # anything else (a lock timeout, a connection limit) must show
            results.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(results)


def make_voucher(total_limit: int, per_buyer_limit: int) -> None:
    now = timezone.now()
    create_voucher(
        actor=make_user(role=Role.OPERATOR),
        shop=None,
        code="HOICHO10",
        kind="fixed",
        value=10_000,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=1),
        total_limit=total_limit,
        per_buyer_limit=per_buyer_limit,
    )


@pytest.mark.django_db(transaction=True)
def test_twenty_buyers_racing_for_five_uses_get_exactly_five():
    address = create_address(province_code=1, commune_code=70, street="12 Hàng Bạc")
    variant = make_product(quantity=100).variants.get()
    make_voucher(total_limit=5, per_buyer_limit=1)
    results = race(20, lambda i: f"09120000{i:02d}", variant.pk, address)
    assert results == ["Mã giảm giá đã hết lượt dùng."] * 15 + ["ok"] * 5
    assert Voucher.objects.get().used == 5 == VoucherRedemption.objects.count()


@pytest.mark.django_db(transaction=True)
def test_one_phone_on_eight_devices_gets_its_two_uses_only():
    address = create_address(province_code=1, commune_code=70, street="12 Hàng Bạc")
    variant = make_product(quantity=100).variants.get()
    make_voucher(total_limit=100, per_buyer_limit=2)
    results = race(8, lambda i: "0912 345 678" if i % 2 else "+84912345678", variant.pk, address)
    assert results == ["Bạn đã dùng hết lượt của mã giảm giá này."] * 6 + ["ok"] * 2
    assert VoucherRedemption.objects.filter(buyer_phone="+84912345678").count() == 2
    variant.refresh_from_db()
    assert variant.allocated == 2  # the refused checkouts kept no stock
