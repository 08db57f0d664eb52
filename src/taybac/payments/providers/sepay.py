"""SePay webhooks (developer.sepay.vn): JSON body, `Authorization: Apikey <key>`, reply {"success": true}."""

from __future__ import annotations

import datetime
import hmac
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from taybac.core.jsonparse import JsonBoundsError, loads_bounded
from taybac.payments.providers.base import (
    BankTransfer,
    NotificationAuthError,
    NotificationFormatError,
    check_amount,
    check_transaction_id,
)

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def _field(data: dict[str, Any], name: str, kind: type, *, required: bool = True) -> Any:
    value = data.get(name)
    if value is None:
        if required:
            raise NotificationFormatError(f"Missing field '{name}'.", field=name)
        return None
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise NotificationFormatError(f"Field '{name}' must be an integer.", field=name)
        return value
    if not isinstance(value, kind):
        raise NotificationFormatError(f"Field '{name}' must be a {kind.__name__}.", field=name)
    return value


class SepayProvider:
    name = "sepay"

    def authenticate(self, headers: Mapping[str, str], raw_body: bytes) -> None:
        """Refuse unless the configured key is set and sent as `Apikey <key>` (never open by default)."""
        expected = getattr(settings, "TAYBAC_SEPAY_API_KEY", "") or ""
        sent = headers.get("Authorization", "") or ""
        scheme, _, key = sent.partition(" ")
        if (
            not expected
            or scheme.lower() != "apikey"
            or not hmac.compare_digest(key.strip().encode(), expected.encode())
        ):
            raise NotificationAuthError("Missing or wrong API key.")

    def parse(self, raw_body: bytes) -> BankTransfer:
        try:
            data = loads_bounded(raw_body)  # depth and digits bounded before anything is built
        except JsonBoundsError as error:
            raise NotificationFormatError(f"Body is not acceptable JSON: {error}") from None
        if not isinstance(data, dict):
            raise NotificationFormatError("Body must be a JSON object.")
        tx_id = data.get("id")
        if isinstance(tx_id, bool) or not isinstance(tx_id, (int, str)):
            raise NotificationFormatError("Missing field 'id'.", field="id")
        tx_id = check_transaction_id(str(tx_id))
        amount = check_amount(_field(data, "transferAmount", int), field="transferAmount")
        direction = _field(data, "transferType", str)
        if direction not in ("in", "out"):
            raise NotificationFormatError("Field 'transferType' must be 'in' or 'out'.", field="transferType")
        try:
            when = datetime.datetime.strptime(_field(data, "transactionDate", str), "%Y-%m-%d %H:%M:%S")
        except ValueError:
            raise NotificationFormatError(
                "Field 'transactionDate' must be 'YYYY-MM-DD HH:MM:SS'.", field="transactionDate"
            ) from None
        return BankTransfer(
            provider=self.name,
            transaction_id=tx_id,
            amount=amount,
            direction=direction,
            account_number=str(_field(data, "accountNumber", str, required=False) or "")[:32],
            memo=str(_field(data, "content", str, required=False) or "")[:500],
            occurred_at=when.replace(tzinfo=VIETNAM),
            bank=str(_field(data, "gateway", str, required=False) or "")[:60],
            reference=str(_field(data, "referenceCode", str, required=False) or "")[:100],
            raw=data,
        )
