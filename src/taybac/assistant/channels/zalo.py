"""Zalo OA webhook events (developers.zalo.me, Official Account API → Webhook).

Zalo signs each event in the header `X-ZEvent-Signature: mac=<hex>`, where hex is the plain SHA-256 (not an HMAC) of
app id + the raw body + the event's `timestamp` field (milliseconds, as written in the body) + the OA secret key
(the key of the OA linked to the app, not the app secret). The raw bytes are hashed, never a re-serialised body.
Events older than MAX_AGE (or from more than MAX_SKEW ahead) are refused, so a captured request cannot be replayed
once its id has been pruned. Only `user_send_text` is answered; every other event is acknowledged and ignored.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any, cast

from taybac.assistant.channels import config
from taybac.assistant.channels.errors import WebhookRefused
from taybac.assistant.channels.inbound import Incoming, well_formed
from taybac.assistant.models import Channel
from taybac.core.jsonparse import loads_bounded

SIGNATURE_HEADER = "X-ZEvent-Signature"
MAX_AGE = timedelta(hours=1)
MAX_SKEW = timedelta(minutes=5)
TEXT_EVENT = "user_send_text"


def signature(*, app_id: str, body: bytes, timestamp: str, secret: str) -> str:
    """The header value Zalo sends for this body."""
    return "mac=" + hashlib.sha256(app_id.encode() + body + timestamp.encode() + secret.encode()).hexdigest()


def verified_event(*, body: bytes, header: str | None, now: datetime) -> dict[str, Any]:
    """The event of a request whose signature and timestamp are right; else WebhookRefused."""
    if not header:
        raise WebhookRefused(401, "signature_missing", f"Thiếu chữ ký {SIGNATURE_HEADER}.")
    try:
        event = loads_bounded(body)
    except ValueError as exc:
        raise WebhookRefused(400, "invalid_json", "Nội dung không phải JSON.") from exc
    stamp = event.get("timestamp") if isinstance(event, dict) else None
    stamp = str(stamp) if isinstance(stamp, str | int) and not isinstance(stamp, bool) else ""
    if not stamp.isascii() or not stamp.isdigit() or len(stamp) > 13:
        raise WebhookRefused(400, "invalid_timestamp", "Sự kiện thiếu trường timestamp (mili giây).")
    expected = signature(app_id=config.zalo_app_id(), body=body, timestamp=stamp, secret=config.zalo_oa_secret())
    if not hmac.compare_digest(expected.encode(), header.strip().encode()):
        raise WebhookRefused(403, "signature_invalid", f"Chữ ký {SIGNATURE_HEADER} không đúng.")
    sent = datetime.fromtimestamp(int(stamp) / 1000, tz=now.tzinfo)
    if now - sent > MAX_AGE or sent - now > MAX_SKEW:
        raise WebhookRefused(403, "stale_event", "Sự kiện quá cũ hoặc có thời điểm trong tương lai.")
    return cast(dict[str, Any], event)


def text_message(event: dict[str, Any]) -> Incoming | None:
    """The buyer's text of a `user_send_text` event; None for any other event."""
    if event.get("event_name") != TEXT_EVENT:
        return None
    sender, recipient, message = (event.get(k) for k in ("sender", "recipient", "message"))
    sender_id = sender.get("id") if isinstance(sender, dict) else None
    oa_id = recipient.get("id") if isinstance(recipient, dict) else None
    msg_id = message.get("msg_id") if isinstance(message, dict) else None
    text = message.get("text") if isinstance(message, dict) else None
    if not well_formed(event_id=msg_id, scope=oa_id, sender=sender_id, text=text):
        raise WebhookRefused(
            400, "invalid_event", "Sự kiện user_send_text thiếu sender.id, recipient.id, msg_id hoặc text."
        )
    return Incoming(channel=Channel.ZALO, event_id=str(msg_id), scope=str(oa_id), sender=str(sender_id), text=str(text))
