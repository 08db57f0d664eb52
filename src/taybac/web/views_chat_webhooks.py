"""The assistant's chat webhooks (docs/assistant.md, "Zalo and Messenger"): POST /webhooks/zalo/ and
GET|POST /webhooks/messenger/. Plain views outside the API document: Zalo and Meta post their own formats.

No session counts, only the channel's signature over the raw body (assistant/channels/zalo.py, messenger.py). A
channel whose secrets are not configured answers 404 (empty). Refusals are JSON `{"error": {"code", "message"}}`:
413 `too_large` / `too_many_events`, 401 `signature_missing`, 403 `signature_invalid` / `stale_event`, 400
`invalid_json` / `invalid_timestamp` / `invalid_event`, 429 `rate_limited` past PER_MINUTE requests a minute from
one network. A verified request is 200 even when a message is not answered (a duplicate, a buyer over the
assistant's limits, an event that is not a text): the channel must not retry it.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from taybac.assistant.channels import config, messenger, zalo
from taybac.assistant.channels.errors import WebhookRefused
from taybac.assistant.channels.inbound import Incoming, receive
from taybac.core.client_address import client_network

MAX_BODY = 256 * 1024  # Meta's largest batches of text messages stay well under this
PER_MINUTE = 600  # requests per channel and client network: Zalo and Meta post from a few addresses


def _refused(refusal: WebhookRefused) -> JsonResponse:
    return JsonResponse({"error": {"code": refusal.code, "message": refusal.message}}, status=refusal.status)


def _check_rate(channel: str, request: HttpRequest) -> None:
    """A fixed one-minute window per channel and network in the cache (per process with the default cache)."""
    now = time.time()
    key = f"chat-webhook:{channel}:{client_network(request)}:{int(now // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        count = 1
    if count > PER_MINUTE:
        raise WebhookRefused(429, "rate_limited", "Quá nhiều yêu cầu; thử lại sau một phút.")


def _body(request: HttpRequest) -> bytes:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY or len(body := request.body) > MAX_BODY:
        raise WebhookRefused(413, "too_large", f"Nội dung quá lớn (tối đa {MAX_BODY} byte).")
    return body


def _answer(messages: list[Incoming]) -> JsonResponse:
    outcomes = [receive(incoming=m) for m in messages]
    return JsonResponse({"ok": True, "outcomes": outcomes})


@csrf_exempt
@require_POST
def zalo_webhook(request: HttpRequest) -> HttpResponse:
    if not config.zalo_enabled():
        return HttpResponse(status=404)
    try:
        _check_rate("zalo", request)
        header = request.headers.get(zalo.SIGNATURE_HEADER)
        event = zalo.verified_event(body=_body(request), header=header, now=timezone.now())
        message = zalo.text_message(event)
    except WebhookRefused as refusal:
        return _refused(refusal)
    return _answer([message] if message else [])


@csrf_exempt
@require_http_methods(["GET", "POST"])
def messenger_webhook(request: HttpRequest) -> HttpResponse:
    if not config.messenger_enabled():
        return HttpResponse(status=404)
    try:
        _check_rate("messenger", request)
        if request.method == "GET":
            echo = messenger.verification_answer(
                mode=request.GET.get("hub.mode"),
                token=request.GET.get("hub.verify_token"),
                challenge=request.GET.get("hub.challenge"),
            )
            if echo is None:
                raise WebhookRefused(403, "verification_refused", "hub.mode hoặc hub.verify_token không đúng.")
            return HttpResponse(echo, content_type="text/plain")
        body = _body(request)
        messenger.verify(body=body, header=request.headers.get(messenger.SIGNATURE_HEADER))
        messages = messenger.text_messages(body=body, now=timezone.now())
    except WebhookRefused as refusal:
        return _refused(refusal)
    return _answer(messages)
