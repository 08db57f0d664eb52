"""Bank-transfer notification providers behind one interface (SePay today; Casso or a bank's API later)."""

from __future__ import annotations

from taybac.core.errors import DomainError
from taybac.payments.providers.base import NotificationProvider
from taybac.payments.providers.sepay import SepayProvider

PROVIDERS: dict[str, type[NotificationProvider]] = {"sepay": SepayProvider}


def get_provider(name: str) -> NotificationProvider:
    try:
        return PROVIDERS[name]()
    except KeyError:
        raise DomainError(f"Unknown notification provider '{name}'.", code="not_found") from None
