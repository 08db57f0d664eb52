"""GET|POST /webhooks/messenger/: the hub.challenge handshake, X-Hub-Signature-256 (HMAC-SHA256 of the raw body
with the app secret), page message events answered once, echoes/deliveries/reads ignored, bounds."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest

from taybac.assistant.models import ChannelEvent, Conversation, Message
from taybac.core import outbox
from taybac.core.models import OutboxMessage
from tests.assistant.chat_api_server import chat_api  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
URL = "/webhooks/messenger/"
SECRET = "app-secret-for-tests"
PAGE, PSID = "109876543210987", "6543210987654321"


def messaging(text: str = "mật ong bạc hà giá bao nhiêu", mid: str = "m_1", **message) -> dict:
    return {
        "sender": {"id": PSID},
        "recipient": {"id": PAGE},
        "timestamp": int(time.time() * 1000),
        "message": {"mid": mid, "text": text, **message},
    }


def page(*events: dict) -> dict:
    return {"object": "page", "entry": [{"id": PAGE, "time": int(time.time() * 1000), "messaging": list(events)}]}


def post(client, payload: dict | bytes, *, secret: str | None = SECRET, header: str | None = None):
    body = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode()
    headers = {}
    if header is not None:
        headers["HTTP_X_HUB_SIGNATURE_256"] = header
    elif secret is not None:
        digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        headers["HTTP_X_HUB_SIGNATURE_256"] = f"sha256={digest}"
    return client.post(URL, body, content_type="application/json", **headers)


def test_the_verification_handshake(client, chat_api):
    ok = client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"})
    assert ok.status_code == 200 and ok.content == b"1158201444" and ok["Content-Type"].startswith("text/plain")
    wrong = client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"})
    assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "verification_refused"
    assert client.get(URL, {"hub.verify_token": "verify-me", "hub.challenge": "1"}).status_code == 403
    script = client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "<b>"})
    assert script.status_code == 403  # only the plain challenge Meta sends is echoed


def test_a_text_is_answered_once_and_the_reply_reaches_the_send_api(client, catalog, chat_api):
    response = post(client, page(messaging()))
    assert response.status_code == 200 and response.json() == {"ok": True, "outcomes": ["answered"]}
    assert post(client, page(messaging())).json()["outcomes"] == ["duplicate"]  # Meta's retry
    conversation = Conversation.objects.get(channel="messenger")
    assert (conversation.key, conversation.client) == (PSID, f"messenger:{PAGE}:{PSID}")
    assert conversation.messages.filter(role=Message.Role.BUYER).count() == 1

    assert outbox.deliver_due() == 1
    (sent,) = chat_api.received
    assert sent.path == "/v23.0/me/messages?access_token=page-token"
    assert sent.body["recipient"] == {"id": PSID} and sent.body["messaging_type"] == "RESPONSE"
    assert "350.000 ₫" in sent.body["message"]["text"]


def test_a_batch_with_echoes_deliveries_and_reads_answers_only_the_texts(client, catalog, chat_api):
    now = int(time.time() * 1000)
    batch = page(
        messaging("chào shop", mid="m_a"),
        {**messaging("Cảm ơn bạn", mid="m_echo", is_echo=True), "sender": {"id": PAGE}, "recipient": {"id": PSID}},
        {"sender": {"id": PSID}, "recipient": {"id": PAGE}, "delivery": {"mids": ["m_x"], "watermark": now}},
        {"sender": {"id": PSID}, "recipient": {"id": PAGE}, "timestamp": now, "read": {"watermark": now}},
        {**messaging(mid="m_img"), "message": {"mid": "m_img", "attachments": [{"type": "image"}]}},
        messaging("còn hàng ko", mid="m_b"),
    )
    assert post(client, batch).json()["outcomes"] == ["answered", "answered"]
    assert set(ChannelEvent.objects.values_list("event_id", flat=True)) == {"m_a", "m_b"}
    assert OutboxMessage.objects.count() == 2


def test_signatures(client, catalog, chat_api):
    missing = post(client, page(messaging()), secret=None)
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "signature_missing"
    wrong = post(client, page(messaging()), secret="another-app")
    assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "signature_invalid"
    sha1 = post(client, page(messaging()), header="sha1=" + "0" * 40)
    assert sha1.status_code == 403
    body = json.dumps(page(messaging())).encode()
    digest = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    tampered = body.replace(b"m_1", b"m_2")
    response = client.post(URL, tampered, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=f"sha256={digest}")
    assert response.status_code == 403
    assert not ChannelEvent.objects.exists() and not Conversation.objects.exists()


def test_bounds_and_old_events(client, catalog, chat_api):
    too_many = page(*(messaging(mid=f"m{i}") for i in range(101)))
    response = post(client, too_many)
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_many_events"
    assert post(client, b"x" * (300 * 1024)).status_code == 413
    old = messaging(mid="m_old")
    old["timestamp"] -= 3 * 24 * 3600 * 1000  # older than the ids are kept: a replay is not answered
    assert post(client, page(old)).json()["outcomes"] == []
    assert post(client, {"object": "instagram", "entry": []}).json()["outcomes"] == []
    assert post(client, b"[1,", secret=SECRET).json()["error"]["code"] == "invalid_json"
    assert not ChannelEvent.objects.exists()


def test_disabled_channel_is_not_found(client, settings):
    settings.TAYBAC_MESSENGER_APP_SECRET = ""
    assert client.get(URL, {"hub.mode": "subscribe"}).status_code == 404
    assert client.post(URL, b"{}", content_type="application/json").status_code == 404
