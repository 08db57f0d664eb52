"""Messenger Platform webhooks (developers.facebook.com/docs/messenger-platform/webhook-reference).

- Verification: `GET ?hub.mode=subscribe&hub.verify_token=<ours>&hub.challenge=<n>` is answered with the challenge.
- Events: `POST` with `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed by the app secret>`,
  compared in constant time; body `{"object": "page", "entry": [{"id", "time", "messaging": [{"sender": {"id"},
  "recipient": {"id"}, "timestamp", "message": {"mid", "text"}}]}]}`. Echoes of the Page's own messages
  (`message.is_echo`), deliveries, reads, postbacks and attachments without text are ignored.

Meta may batch events; a request holding more than MAX_EVENTS messaging events is refused whole (413). The
signature covers no timestamp, so events older than MAX_AGE are ignored: a captured request replayed after its
ids were pruned (inbound.KEEP_EVENTS) is not answered again.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any

from taybac.assistant.channels import config
from taybac.assistant.channels.errors import WebhookRefused
from taybac.assistant.channels.inbound import Incoming, well_formed
from taybac.assistant.models import Channel
from taybac.core.jsonparse import loads_bounded

SIGNATURE_HEADER = "X-Hub-Signature-256"
MAX_EVENTS = 100
MAX_AGE = timedelta(days=2)
MAX_CHALLENGE = 256


def signature(*, body: bytes, secret: str) -> str:
    """The header value Meta sends for this body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verification_answer(*, mode: str | None, token: str | None, challenge: str | None) -> str | None:
    """The challenge to echo when Meta verifies the callback URL with our verify token; else None."""
    expected = config.messenger_verify_token()
    if mode != "subscribe" or not token or not expected or not challenge or len(challenge) > MAX_CHALLENGE:
        return None
    if not hmac.compare_digest(token.encode(), expected.encode()):
        return None
    return challenge if challenge.isascii() and challenge.isalnum() else None


def verify(*, body: bytes, header: str | None) -> None:
    """Raise WebhookRefused unless the body carries the app's signature."""
    if not header:
        raise WebhookRefused(401, "signature_missing", f"Thiếu chữ ký {SIGNATURE_HEADER}.")
    expected = signature(body=body, secret=config.messenger_app_secret())
    if not hmac.compare_digest(expected.encode(), header.strip().encode()):
        raise WebhookRefused(403, "signature_invalid", f"Chữ ký {SIGNATURE_HEADER} không đúng.")


def _events(payload: Any) -> list[dict[str, Any]]:
    if not isinstance(payload, dict) or payload.get("object") != "page":
        return []
    entries = payload.get("entry")
    if not isinstance(entries, list):
        raise WebhookRefused(400, "invalid_event", "Thiếu danh sách entry.")
    events: list[dict[str, Any]] = []
    for entry in entries[: MAX_EVENTS + 1]:
        messaging = entry.get("messaging") if isinstance(entry, dict) else None
        if isinstance(messaging, list):
            events.extend(e for e in messaging[: MAX_EVENTS + 1] if isinstance(e, dict))
        if len(events) > MAX_EVENTS or len(entries) > MAX_EVENTS:
            raise WebhookRefused(413, "too_many_events", f"Quá nhiều sự kiện trong một lần gửi (tối đa {MAX_EVENTS}).")
    return events


def text_messages(*, body: bytes, now: datetime) -> list[Incoming]:
    """The buyers' texts of a verified request, oldest first as Meta sent them."""
    try:
        payload = loads_bounded(body)
    except ValueError as exc:
        raise WebhookRefused(400, "invalid_json", "Nội dung không phải JSON.") from exc
    found = []
    for event in _events(payload):
        message = event.get("message")
        if not isinstance(message, dict) or message.get("is_echo") or "text" not in message:
            continue  # deliveries, reads, postbacks, attachments, the Page's own messages
        stamp = event.get("timestamp")
        if not isinstance(stamp, int) or isinstance(stamp, bool) or not 0 <= stamp < 10**13:
            continue
        if now - datetime.fromtimestamp(stamp / 1000, tz=now.tzinfo) > MAX_AGE:
            continue
        sender, recipient = event.get("sender"), event.get("recipient")
        psid = sender.get("id") if isinstance(sender, dict) else None
        page = recipient.get("id") if isinstance(recipient, dict) else None
        mid, text = message.get("mid"), message.get("text")
        if not well_formed(event_id=mid, scope=page, sender=psid, text=text):
            raise WebhookRefused(400, "invalid_event", "Tin nhắn thiếu sender.id, recipient.id, mid hoặc text.")
        found.append(
            Incoming(channel=Channel.MESSENGER, event_id=str(mid), scope=str(page), sender=str(psid), text=str(text))
        )
    return found
