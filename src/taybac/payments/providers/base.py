"""What every notification provider turns its webhook into, and the errors it may raise."""
from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from taybac.core.errors import DomainError


class NotificationAuthError(DomainError):
    code = "unauthenticated"


class NotificationFormatError(DomainError):
    code = "invalid_notification"


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
