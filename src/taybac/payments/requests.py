"""What a buyer needs to pay by bank transfer: the hub's account, the amount due, the memo, and the same as a
dynamic VietQR payload for banking apps to scan — for a whole checkout (one transfer, the Order's code; the
hub collects as the marketplace's agent and splits it, payments/reconciliation.py) or for one shop order
(its own code; what pages showed before, still honoured)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from taybac.orders.codes import display
from taybac.orders.models import Order, PaymentMethod, ShopOrder, Status
from taybac.payments.banks import bank_by_bin
from taybac.payments.vietqr import build_payload


@dataclass(frozen=True)
class TransferRequest:
    bank_bin: str
    bank_name: str
    account_number: str
    account_name: str
    amount: int
    memo: str
    memo_display: str
    vietqr: str


def transfer_request(shop_order: ShopOrder, *, paid: int = 0) -> TransferRequest | None:
    """None when nothing is due by transfer (cash on delivery, already paid, cancelled)."""
    if shop_order.order.payment_method != PaymentMethod.VIETQR or shop_order.status != Status.AWAITING_PAYMENT:
        return None
    amount = shop_order.total - paid
    return _request(amount=amount, code=shop_order.code) if amount > 0 else None


def checkout_transfer(order: Order, *, owed: int) -> TransferRequest | None:
    """One transfer for the whole checkout: `owed` is what its shop orders awaiting payment still need (the
    caller sums them); None for a cash order or when nothing is owed."""
    if order.payment_method != PaymentMethod.VIETQR or owed <= 0:
        return None
    return _request(amount=owed, code=order.code)


def _request(*, amount: int, code: str) -> TransferRequest:
    bank = bank_by_bin(settings.TAYBAC_HUB_BANK_BIN)
    if bank is None:
        raise ImproperlyConfigured(f"TAYBAC_HUB_BANK_BIN {settings.TAYBAC_HUB_BANK_BIN} is not a NAPAS bank BIN.")
    return TransferRequest(
        bank_bin=bank.bin,
        bank_name=bank.short_name,
        account_number=settings.TAYBAC_HUB_BANK_ACCOUNT,
        account_name=settings.TAYBAC_HUB_ACCOUNT_NAME,
        amount=amount,
        memo=code,
        memo_display=display(code),
        vietqr=build_payload(
            bin=settings.TAYBAC_HUB_BANK_BIN, account=settings.TAYBAC_HUB_BANK_ACCOUNT, amount=amount, purpose=code
        ),
    )
