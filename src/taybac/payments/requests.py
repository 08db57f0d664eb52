"""What a buyer needs to pay a shop order by bank transfer: the hub's account, the amount due, the memo, and
the same as a dynamic VietQR payload for banking apps to scan."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from taybac.orders.codes import display
from taybac.orders.models import PaymentMethod, ShopOrder, Status
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
    if amount <= 0:
        return None
    bank = bank_by_bin(settings.TAYBAC_HUB_BANK_BIN)
    if bank is None:
        raise ImproperlyConfigured(f"TAYBAC_HUB_BANK_BIN {settings.TAYBAC_HUB_BANK_BIN} is not a NAPAS bank BIN.")
    return TransferRequest(
        bank_bin=bank.bin,
        bank_name=bank.short_name,
        account_number=settings.TAYBAC_HUB_BANK_ACCOUNT,
        account_name=settings.TAYBAC_HUB_ACCOUNT_NAME,
        amount=amount,
        memo=shop_order.code,
        memo_display=display(shop_order.code),
        vietqr=build_payload(
            bin=settings.TAYBAC_HUB_BANK_BIN,
            account=settings.TAYBAC_HUB_BANK_ACCOUNT,
            amount=amount,
            purpose=shop_order.code,
        ),
    )
