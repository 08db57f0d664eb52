"""Money recorded once per key even when copies of the same request race (core/idempotent.py): the same bank
notification delivered by several workers at once, a payout form submitted from several tabs at once. Real
threads against the real database, as the checkout's race tests do."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from taybac.core.idempotent import get_or_create_once
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.payments.models import BankTransaction, LedgerEntry, Payment
from taybac.payments.payouts import record_payout
from taybac.payments.providers.base import BankTransfer
from taybac.payments.reconciliation import record_transfer
from taybac.regions.services import create_address
from tests.factories import make_product, record_identity_for

COPIES = 8


def race(call: Callable[[], Any]) -> list[Any]:
    """`call` from COPIES threads released together; each result, or the repr of what it raised."""
    barrier, results = threading.Barrier(COPIES), []

    def run() -> None:
        try:
            barrier.wait()
            results.append(call())
        except Exception as error:  # must show in the assertion, not vanish with the thread
            results.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(COPIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _shop_order():
    variant = make_product(price=350_000, quantity=10).variants.get()
    order = place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, 1)],
        contact=Contact("Lan", "0912345678"),
        payment_method="vietqr",
        delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
    )
    return order.shop_orders.get()


@pytest.mark.django_db(transaction=True)
def test_one_notification_delivered_at_once_by_many_workers_pays_once():
    shop_order = _shop_order()
    transfer = BankTransfer(
        provider="sepay",
        transaction_id="92704",
        account_number="0071000888888",
        amount=shop_order.total,
        direction="in",
        memo=f"CK {shop_order.code}",
        occurred_at=timezone.now(),
    )
    results = race(lambda: record_transfer(transfer=transfer))
    assert all(isinstance(r, tuple) for r in results), results
    assert len({tx.pk for tx, _ in results}) == 1 and sum(created for _, created in results) == 1
    assert (BankTransaction.objects.count(), Payment.objects.count()) == (1, 1)
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.SALE).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_payout_submitted_from_many_tabs_at_once_is_recorded_once():
    shop_order = _shop_order()
    record_identity_for(shop_order.shop.producer)
    LedgerEntry.objects.create(
        shop_id=shop_order.shop_id, shop_order=shop_order, kind=LedgerEntry.Kind.SALE, amount=shop_order.items_total
    )
    results = race(
        lambda: record_payout(shop=shop_order.shop, amount=100_000, reference="FT1", key="tab-key", actor=None).pk
    )
    assert len(set(results)) == 1 and isinstance(results[0], int), results
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAYOUT).count() == 1


@pytest.mark.django_db
def test_a_refused_create_writes_nothing_and_another_conflict_is_not_hidden():
    shop_order = _shop_order()

    def refused() -> LedgerEntry:
        LedgerEntry.objects.create(shop_id=shop_order.shop_id, kind=LedgerEntry.Kind.PAYOUT, amount=-1, key="k1")
        raise ValueError("refused after writing")

    with pytest.raises(ValueError):
        get_or_create_once(LedgerEntry, {"key": "k1"}, refused)
    assert not LedgerEntry.objects.filter(key="k1").exists()  # rolled back with its savepoint
    LedgerEntry.objects.create(shop_id=shop_order.shop_id, kind=LedgerEntry.Kind.PAYOUT, amount=-1, key="taken")

    def clashes_elsewhere() -> LedgerEntry:  # violates another row's key, not the one looked up
        return LedgerEntry.objects.create(
            shop_id=shop_order.shop_id, kind=LedgerEntry.Kind.PAYOUT, amount=-1, key="taken"
        )

    with pytest.raises(IntegrityError):
        get_or_create_once(LedgerEntry.objects.filter(shop_id=shop_order.shop_id), {"key": "k2"}, clashes_elsewhere)
    found, created = get_or_create_once(LedgerEntry, {"key": "taken"}, clashes_elsewhere)
    assert not created and found.key == "taken"
