"""POST /webhooks/zalo/: Zalo OA's signature (SHA-256 of app id + raw body + timestamp + OA secret), stale events,
user_send_text answered once through the assistant, the reply delivered by the outbox job over HTTP."""

from __future__ import annotations

import hashlib
import json
import time

import pytest

from taybac.assistant.models import ChannelEvent, Conversation, Message
from taybac.core import outbox
from taybac.core.models import OutboxMessage
from tests.assistant.chat_api_server import chat_api  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
URL = "/webhooks/zalo/"
APP_ID, SECRET = "430000000000000001", "oa-secret-for-tests"
OA, USER = "579745863508352884", "2512345678901234567"


def event(text: str = "Mật ong bạc hà giá bao nhiêu vậy shop", msg_id: str = "msg-1", **extra) -> dict:
    return {
        "app_id": APP_ID,
        "user_id_by_app": "552177279717587730",
        "event_name": "user_send_text",
        "timestamp": str(int(time.time() * 1000)),
        "sender": {"id": USER},
        "recipient": {"id": OA},
        "message": {"text": text, "msg_id": msg_id},
        **extra,
    }


def post(client, payload: dict | bytes, *, mac: str | None = "right", secret: str = SECRET):
    body = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode()
    headers = {}
    if mac == "right":
        stamp = json.loads(body)["timestamp"]
        # Computed here from Zalo's documented recipe, not with the code under test.
        headers["HTTP_X_ZEVENT_SIGNATURE"] = (
            "mac=" + hashlib.sha256(APP_ID.encode() + body + str(stamp).encode() + secret.encode()).hexdigest()
        )
    elif mac is not None:
        headers["HTTP_X_ZEVENT_SIGNATURE"] = mac
    return client.post(URL, body, content_type="application/json", **headers)


def test_a_text_is_answered_and_the_reply_reaches_zalo(client, catalog, chat_api):
    response = post(client, event())
    assert response.status_code == 200, response.content
    assert response.json() == {"ok": True, "outcomes": ["answered"]}
    conversation = Conversation.objects.get(channel="zalo")
    assert (conversation.key, conversation.client) == (USER, f"zalo:{OA}:{USER}")
    assert "350.000 ₫" in conversation.messages.get(role=Message.Role.ASSISTANT).text

    assert outbox.deliver_due() == 1  # the outbox job sends it
    (sent,) = chat_api.received
    assert sent.path == "/v3.0/oa/message/cs" and sent.body["recipient"] == {"user_id": USER}
    assert "350.000 ₫" in sent.body["message"]["text"]


def test_a_retried_event_is_answered_once(client, catalog, chat_api):
    assert post(client, event()).json()["outcomes"] == ["answered"]
    again = post(client, event())  # Zalo retries with the same msg_id
    assert again.status_code == 200 and again.json()["outcomes"] == ["duplicate"]
    assert Message.objects.filter(role=Message.Role.BUYER).count() == 1
    assert OutboxMessage.objects.count() == 1
    assert post(client, event("còn hàng ko", msg_id="msg-2")).json()["outcomes"] == ["answered"]


@pytest.mark.parametrize(
    ("mac", "status", "code"),
    [
        (None, 401, "signature_missing"),
        ("mac=" + "0" * 64, 403, "signature_invalid"),
        ("wrong-secret", 403, "signature_invalid"),
    ],
)
def test_bad_or_absent_signatures_are_refused_and_nothing_is_stored(client, catalog, chat_api, mac, status, code):
    if mac == "wrong-secret":
        response = post(client, event(), secret="not-the-oa-secret")
    else:
        response = post(client, event(), mac=mac)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert not ChannelEvent.objects.exists() and not Conversation.objects.exists()


def test_a_body_changed_after_signing_is_refused(client, catalog, chat_api):
    body = json.dumps(event()).encode()
    stamp = json.loads(body)["timestamp"]
    mac = "mac=" + hashlib.sha256(APP_ID.encode() + body + stamp.encode() + SECRET.encode()).hexdigest()
    tampered = body.replace(b"msg-1", b"msg-9")
    response = client.post(URL, tampered, content_type="application/json", HTTP_X_ZEVENT_SIGNATURE=mac)
    assert response.status_code == 403


def test_stale_and_future_events_are_refused(client, catalog, chat_api):
    old = event(timestamp=str(int((time.time() - 2 * 3600) * 1000)))
    assert post(client, old).json()["error"]["code"] == "stale_event"
    future = event(timestamp=str(int((time.time() + 3600) * 1000)))
    assert post(client, future).status_code == 403
    missing = {k: v for k, v in event().items() if k != "timestamp"}
    response = post(client, missing, mac="mac=00")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_timestamp"
    assert not ChannelEvent.objects.exists()


def test_other_events_are_acknowledged_and_ignored(client, catalog, chat_api):
    for name in ("follow", "user_send_image", "user_seen_message", "user_received_message"):
        response = post(client, event(event_name=name))
        assert response.status_code == 200 and response.json() == {"ok": True, "outcomes": []}
    assert not Conversation.objects.exists()


def test_bounds(client, catalog, chat_api):
    huge = json.dumps(event("mật ong " * 40_000)).encode()
    assert post(client, huge).status_code == 413
    assert post(client, b"not json", mac="mac=00").json()["error"]["code"] == "invalid_json"
    no_sender = event()
    no_sender["sender"] = {"id": "x" * 80}
    assert post(client, no_sender).json()["error"]["code"] == "invalid_event"
    long_text = post(client, event("mật ong bạc hà " * 200, msg_id="long"))
    assert long_text.json()["outcomes"] == ["answered"]  # cut to the assistant's 1,000 characters
    assert len(Message.objects.get(role=Message.Role.BUYER).text) <= 1000


def test_a_buyer_over_the_assistants_limit_gets_no_answer(client, catalog, chat_api, monkeypatch):
    monkeypatch.setattr("taybac.assistant.services.PER_MINUTE", 2)
    outcomes = [post(client, event("chào shop", msg_id=f"m{i}")).json()["outcomes"][0] for i in range(3)]
    assert outcomes == ["answered", "answered", "limited"]
    assert OutboxMessage.objects.count() == 2
    assert ChannelEvent.objects.filter(event_id="m2").exists()  # Zalo's retry of it is not answered later


def test_disabled_channel_is_not_found(client, settings):
    settings.TAYBAC_ZALO_OA_SECRET = ""
    assert client.post(URL, b"{}", content_type="application/json").status_code == 404
