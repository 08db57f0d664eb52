"""Sending a reply to Zalo OA or Messenger: called by the outbox's job (core/outbox.py), never inside a request's
transaction, so a slow or failing chat API holds no lock and loses no message.

- Zalo OA: `POST {TAYBAC_ZALO_API_URL}/v3.0/oa/message/cs` ("tin tư vấn", the customer-service message), header
  `access_token`, body `{"recipient": {"user_id"}, "message": {"text"}}`; Zalo answers HTTP 200 with
  `{"error": 0, ...}` on success and a non-zero `error` otherwise (developers.zalo.me, Official Account API v3).
- Messenger: `POST {TAYBAC_MESSENGER_API_URL}/me/messages?access_token=<page token>` with `{"recipient": {"id"},
  "messaging_type": "RESPONSE", "message": {"text"}}`; errors are HTTP 4xx/5xx with `{"error": {"code", ...}}`
  (developers.facebook.com/docs/messenger-platform/reference/send-api).

Each send tries up to ATTEMPTS times at once on timeouts, connection errors and 5xx, then raises so the outbox
retries later with its backoff. A refusal that no retry can fix raises `PermanentSendError` (the message fails).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from taybac.assistant.channels import config
from taybac.core.jsonparse import loads_bounded
from taybac.core.senders import PermanentSendError

TIMEOUT_S = 10.0  # well inside the outbox's 5-minute lease, even with the retries
ATTEMPTS = 2
BACKOFF_S = 1.0
MAX_ANSWER = 64 * 1024
MAX_REPLY = 2000  # both APIs take at most 2,000 characters of text per message
# Messenger error codes that say "later": API too busy, rate limits (Graph API error reference).
MESSENGER_TRANSIENT = {1, 2, 4, 17, 32, 613}


class ChannelSendError(Exception):
    """The chat API did not take the message this time; the outbox tries again later."""


@dataclass(frozen=True)
class _Answer:
    status: int
    body: Any


def reply_text(text: str) -> str:
    """The text cut to what the APIs take, marked with an ellipsis when cut."""
    text = text.strip()
    return text if len(text) <= MAX_REPLY else text[: MAX_REPLY - 1].rstrip() + "…"


def _post(url: str, payload: dict[str, Any], headers: dict[str, str]) -> _Answer:
    data = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json", **headers}
    )
    last = ""
    for attempt in range(ATTEMPTS):
        if attempt:
            time.sleep(BACKOFF_S)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:
                status, raw = answer.status, answer.read(MAX_ANSWER)
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read(MAX_ANSWER)
        except OSError as exc:  # URLError, timeouts, refused connections
            last = f"unreachable: {getattr(exc, 'reason', exc)}"
            continue
        if status >= 500:
            last = f"HTTP {status}"
            continue
        try:
            body = loads_bounded(raw) if raw else None
        except ValueError:
            body = None
        return _Answer(status, body)
    raise ChannelSendError(last)


def send_zalo(*, recipient: str, body: str) -> None:
    """One customer-service text message from the OA to a Zalo user id."""
    token = config.zalo_access_token()
    if not token:
        raise ChannelSendError("TAYBAC_ZALO_OA_ACCESS_TOKEN is not set")
    answer = _post(
        f"{config.zalo_api_url()}/v3.0/oa/message/cs",
        {"recipient": {"user_id": recipient}, "message": {"text": reply_text(body)}},
        {"access_token": token},
    )
    error = answer.body.get("error") if isinstance(answer.body, dict) else None
    if answer.status == 200 and error == 0:
        return
    message = answer.body.get("message", "") if isinstance(answer.body, dict) else ""
    if 400 <= answer.status < 500 and answer.status != 429:
        raise PermanentSendError(f"Zalo refused: HTTP {answer.status} {str(message)[:200]}")
    # Zalo reports refusals as HTTP 200 with a code (an expired token among them): retried, so a token renewed
    # within the outbox's retry window (about two hours) still delivers the reply.
    raise ChannelSendError(f"Zalo error {error!r}: {str(message)[:200]}")


def send_messenger(*, recipient: str, body: str) -> None:
    """One RESPONSE message from the Page to a Messenger user's page-scoped id (PSID)."""
    token = config.messenger_page_token()
    if not token:
        raise ChannelSendError("TAYBAC_MESSENGER_PAGE_TOKEN is not set")
    answer = _post(
        f"{config.messenger_api_url()}/me/messages?{urllib.parse.urlencode({'access_token': token})}",
        {"recipient": {"id": recipient}, "messaging_type": "RESPONSE", "message": {"text": reply_text(body)}},
        {},
    )
    if answer.status == 200:
        return
    error = answer.body.get("error") if isinstance(answer.body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    what = (
        f"HTTP {answer.status}, code {code!r}: {str(error.get('message', ''))[:200] if isinstance(error, dict) else ''}"
    )
    if answer.status == 429 or code in MESSENGER_TRANSIENT:
        raise ChannelSendError(f"Messenger busy ({what})")
    # Outside the 24-hour window, a user who blocked the Page, a bad token: retrying changes nothing.
    raise PermanentSendError(f"Messenger refused ({what})")
