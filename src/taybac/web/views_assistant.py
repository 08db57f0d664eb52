"""The buyer's chat with the assistant on the site (docs/assistant.md, "Chat widget").

/tro-ly/ is a plain form page: the conversation, a text box, an unticked box for the assistant's memory; a post
answers and returns to the page (PRG). The "Hỏi trợ lý" button on every page links to it; with JavaScript
(web/static/web/assistant*.js, loaded only when the button is tapped) the same form opens in a panel over the
page: /tro-ly/khung/ gives the panel's HTML, the posts answer JSON, and /tro-ly/tin-nhan/ is polled while the
panel is open for what a person of the shop writes.

The conversation (channel "site") is keyed by a random secret kept in the buyer's session, never in a page or an
address, so nobody else can read or continue it.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from taybac.assistant.inbox import is_operator
from taybac.assistant.inbox_selectors import history, site_conversation
from taybac.assistant.models import Channel, Conversation, Message
from taybac.assistant.services import MAX_TEXT, AssistantLimited, forget_conversation, handle_message
from taybac.core.client_address import client_network
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.orders.models import Status

SESSION_KEY = "assistant_conversation"
SESSION_LAST = "assistant_last_answer"  # the last answer's products and order, shown once after the redirect
ROLE_LABELS: dict[str, str] = {Message.Role.BUYER: "Bạn", Message.Role.ASSISTANT: "Trợ lý"}


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _conversation(request: HttpRequest) -> Conversation | None:
    return site_conversation(key=str(request.session.get(SESSION_KEY, "")))


def speaker(message: Message, conversation: Conversation) -> str:
    """Who wrote a message, as the buyer sees it: a staff message is the shop's (or the hub's, by an operator)."""
    if message.role != Message.Role.STAFF:
        return ROLE_LABELS.get(message.role, "Trợ lý")
    author = message.author
    by_operator = author is not None and is_operator(user=author)
    return f"Người bán · {conversation.shop.name}" if conversation.shop and not by_operator else "Tây Bắc Hub"


def _messages_json(conversation: Conversation | None, after: int) -> list[dict[str, Any]]:
    if conversation is None:
        return []
    return [
        {"id": m.pk, "role": m.role, "who": speaker(m, conversation), "text": m.text}
        for m in history(conversation=conversation, after=after)
    ]


def _context(request: HttpRequest) -> dict[str, Any]:
    conversation = _conversation(request)
    shown = history(conversation=conversation) if conversation is not None else []
    return {
        "conversation": conversation,
        "chat": [(m, speaker(m, conversation)) for m in shown] if conversation is not None else [],
        "last": request.session.pop(SESSION_LAST, None),
        "max_text": MAX_TEXT,
        "taken_over": bool(conversation and conversation.taken_over_by_id),
        "remembered": bool(conversation and conversation.memory_consent_at),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def chat(request: HttpRequest) -> HttpResponse:
    """The chat page; a post is the buyer's message."""
    if request.method != "POST":
        return render(request, "web/assistant/chat.html", _context(request))
    key = str(request.session.get(SESSION_KEY, "")) or secrets.token_urlsafe(24)
    try:
        answer = handle_message(
            channel=Channel.SITE,
            client=client_network(request),
            conversation=key,
            text=request.POST.get("text", "")[: MAX_TEXT + 1],
            remember=request.POST.get("nho") == "1",
        )
    except AssistantLimited as limited:
        return _refused(request, limited.message, status=429, retry_after=limited.retry_after)
    except DomainError as error:
        return _refused(request, error.message, status=400)
    request.session[SESSION_KEY] = key
    reply = answer.reply
    last = {
        "products": [{"id": p.pk, "name": p.name, "url": p.get_absolute_url()} for p in reply.products],
        "order": reply.order,
        "status_label": dict(Status.choices).get(reply.order["status"], "") if reply.order else "",
        "handover": reply.handover,
    }
    if _wants_json(request):
        after = small_int(request.POST.get("sau")) or 0
        conversation = _conversation(request)
        return JsonResponse(
            {
                "reply": reply.text,
                "intent": reply.intent,
                **last,
                "messages": _messages_json(conversation, after),
                "taken_over": bool(conversation and conversation.taken_over_by_id),
            }
        )
    request.session[SESSION_LAST] = last
    return redirect("/tro-ly/#gui")


def _refused(request: HttpRequest, text: str, *, status: int, retry_after: int = 0) -> HttpResponse:
    if _wants_json(request):
        response = JsonResponse({"error": text}, status=status)
        if retry_after:
            response["Retry-After"] = str(retry_after)
        return response
    messages.error(request, text)
    return redirect("/tro-ly/#gui")


@require_safe
def panel(request: HttpRequest) -> HttpResponse:
    """The panel the widget opens: the same conversation and form as the page, without the site's frame."""
    return render(request, "web/assistant/panel.html", _context(request))


@require_safe
def new_messages(request: HttpRequest) -> HttpResponse:
    """Messages after `sau` (a message id), polled by the open panel: a person of the shop may have answered."""
    conversation = _conversation(request)
    after = small_int(request.GET.get("sau")) or 0
    return JsonResponse(
        {
            "messages": _messages_json(conversation, after),
            "taken_over": bool(conversation and conversation.taken_over_by_id),
        }
    )


@require_POST
def forget(request: HttpRequest) -> HttpResponse:
    """Xoá và quên: the conversation is deleted at once and the session no longer points to it."""
    conversation = _conversation(request)
    if conversation is not None:
        forget_conversation(conversation=conversation)
    request.session.pop(SESSION_KEY, None)
    request.session.pop(SESSION_LAST, None)
    text = "Đã xoá cuộc trò chuyện. Trợ lý không còn nhớ gì về nó."
    if _wants_json(request):
        return JsonResponse({"ok": True, "message": text})
    messages.success(request, text)
    return redirect("/tro-ly/")
