"""Bank-transfer notifications: `POST /payments/notifications/{provider}` (e.g. sepay), authenticated as that
provider does it; each transfer is stored once and matched to a shop order by the payment code in its memo."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from ninja import Field, Path, Router, Schema

from taybac.api.errors import ErrorOut, error_payload
from taybac.payments.providers import get_provider
from taybac.payments.providers.base import MAX_NOTIFICATION_BYTES
from taybac.payments.reconciliation import record_transfer

router = Router(tags=["payments"])


class ProviderPath(Schema):
    provider: str = Field(..., pattern=r"^[a-z]{2,20}$")


class NotificationOut(Schema):
    success: bool
    outcome: str = Field(..., description="matched, partial, overpaid, late, unmatched or outgoing.")
    replay: bool = Field(..., description="True when this transaction id was already recorded: nothing changed.")


@router.post(
    "/notifications/{provider}",
    response={200: NotificationOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 413: ErrorOut, 422: ErrorOut},
    summary="Receive a bank-transfer notification",
    operation_id="payment_notification",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "description": "The provider's own webhook body (SePay: id, "
                        "gateway, transactionDate, accountNumber, content, "
                        "transferType, transferAmount, referenceCode, …).",
                    }
                }
            },
        }
    },
)
def notification(request: HttpRequest, path: Path[ProviderPath]) -> dict[str, Any] | JsonResponse:
    """Bounded before anything is parsed: the body's size here, its depth, numbers and id length in the provider
    (400 with the field named); a transaction id is stored whole, never cut."""
    provider = get_provider(path.provider)
    too_big = JsonResponse(
        error_payload("too_large", f"A notification is at most {MAX_NOTIFICATION_BYTES} bytes."), status=413
    )
    try:
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_NOTIFICATION_BYTES:
            return too_big
        raw = request.body
    except (ValueError, RequestDataTooBig):
        return too_big
    if len(raw) > MAX_NOTIFICATION_BYTES:
        return too_big
    provider.authenticate(request.headers, raw)
    transaction, created = record_transfer(transfer=provider.parse(raw))
    return {"success": True, "outcome": transaction.outcome, "replay": not created}
