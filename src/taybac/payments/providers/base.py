"""What every notification provider turns its webhook into, and the errors it may raise."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from taybac.core.errors import DomainError

# Bounds a notification must keep before anything is stored (docs/payments.md, "Limits"):
MAX_NOTIFICATION_BYTES = 64 * 1024  # a SePay body is under 1 KB
MAX_TRANSACTION_ID = 255  # kept whole (BankTransaction.transaction_id); a longer id is refused, never cut
# One transfer of at most a million billion đồng: sums of thousands of them still fit a 64-bit column.
MAX_TRANSFER_AMOUNT = 10**15 - 1


class NotificationAuthError(DomainError):
    code = "unauthenticated"


class NotificationFormatError(DomainError):
    code = "invalid_notification"


def check_transaction_id(value: str, *, field: str = "id") -> str:
    """The id as sent, stripped; refused when empty or longer than the column (two ids must never collide)."""
    value = value.strip()
    if not value:
        raise NotificationFormatError(f"Missing field '{field}'.", field=field)
    if len(value) > MAX_TRANSACTION_ID:
        raise NotificationFormatError(f"Field '{field}' is longer than {MAX_TRANSACTION_ID} characters.", field=field)
    return value


def check_amount(value: int, *, field: str) -> int:
    if not 0 <= value <= MAX_TRANSFER_AMOUNT:
        raise NotificationFormatError(f"Field '{field}' must be between 0 and {MAX_TRANSFER_AMOUNT} đồng.", field=field)
    return value


@dataclass(frozen=True)
class BankTransfer:
    provider: str
    transaction_id: str
    account_number: str
    amount: int
    direction: str  # "in" or "out"
    memo: str
    occurred_at: datetime.datetime
    bank: str = ""
    reference: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


class NotificationProvider(Protocol):
    name: str

    def authenticate(self, headers: Mapping[str, str], raw_body: bytes) -> None: ...

    def parse(self, raw_body: bytes) -> BankTransfer: ...
