"""The producer inbox (/ban-hang/tin-nhan/) and the operators' inbox (/van-hanh/tin-nhan/): conversations with
the assistant, the handed-over ones first; a person takes one over, answers, hands it back (docs/assistant.md,
"Producer inbox"). Thin: each post calls one service of assistant.inbox, which checks who may again.

A seller sees only the conversations about the shop they act for (web.views_seller.acting_shop); another shop's
conversation is a 404, as if it did not exist. Operators see every conversation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.assistant import inbox
from taybac.assistant.inbox_selectors import conversation_for_inbox, history, operator_inbox, shop_inbox
from taybac.assistant.models import Channel, Conversation
from taybac.core.errors import DomainError
from taybac.web.views_assistant import speaker
from taybac.web.views_seller import acting_shop

SELLER = "/ban-hang/tin-nhan/"
OPERATOR = "/van-hanh/tin-nhan/"


def _operator(request: AuthenticatedHttpRequest) -> None:
    if not inbox.is_operator(user=request.user):
        raise PermissionDenied("Chỉ bộ phận vận hành sàn xem được hộp thư này.")


def _scoped(request: AuthenticatedHttpRequest, pk: int, *, operator: bool) -> Conversation | HttpResponse:
    """The conversation if this page may show it: any for an operator, the acting shop's for a seller."""
    if operator:
        _operator(request)
        conversation = conversation_for_inbox(pk=pk)
    else:
        acting = acting_shop(request)
        if isinstance(acting, HttpResponse):
            return acting
        found = conversation_for_inbox(pk=pk)
        conversation = found if found is not None and found.shop_id == acting[1].pk else None
    if conversation is None:
        raise Http404("Không có cuộc trò chuyện này.")
    return conversation


def _page(request: AuthenticatedHttpRequest, context: dict[str, Any], *, operator: bool, template: str) -> HttpResponse:
    base = "web/base.html" if operator else "web/centre/base.html"
    return render(request, template, {**context, "base": base, "root": OPERATOR if operator else SELLER})


@login_required
@require_safe
def seller_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    acting = acting_shop(request)
    if isinstance(acting, HttpResponse):
        return acting
    shop = acting[1]
    context = {"shop": shop, "conversations": shop_inbox(shop=shop)}
    return _page(request, context, operator=False, template="web/assistant/inbox.html")


@login_required
@require_safe
def operator_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _operator(request)
    channel = request.GET.get("kenh", "")[:16]
    context = {
        "conversations": operator_inbox(channel=channel),
        "channels": Channel.choices,
        "channel": channel,
    }
    return _page(request, context, operator=True, template="web/assistant/inbox.html")


def _detail(request: AuthenticatedHttpRequest, pk: int, *, operator: bool) -> HttpResponse:
    conversation = _scoped(request, pk, operator=operator)
    if isinstance(conversation, HttpResponse):
        return conversation
    chat = [(m, speaker(m, conversation)) for m in history(conversation=conversation)]
    context = {
        "conversation": conversation,
        "chat": chat,
        "max_reply": inbox.MAX_REPLY,
        "mine": conversation.taken_over_by_id == request.user.pk,
        "api": conversation.channel == Channel.API,
    }
    return _page(request, context, operator=operator, template="web/assistant/inbox_conversation.html")


@login_required
@require_safe
def seller_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk, operator=False)


@login_required
@require_safe
def operator_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk, operator=True)


def _act(
    request: AuthenticatedHttpRequest, pk: int, *, operator: bool, action: Callable[[Conversation], str]
) -> HttpResponse:
    conversation = _scoped(request, pk, operator=operator)
    if isinstance(conversation, HttpResponse):
        return conversation
    try:
        done = action(conversation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(f"{OPERATOR if operator else SELLER}{conversation.pk}/#tra-loi")


def _take_over(request: AuthenticatedHttpRequest) -> Callable[[Conversation], str]:
    def act(conversation: Conversation) -> str:
        inbox.take_over(actor=request.user, conversation=conversation)
        return "Bạn đã tiếp nhận: trợ lý ngừng trả lời cuộc trò chuyện này cho đến khi bạn trả lại."

    return act


def _reply(request: AuthenticatedHttpRequest) -> Callable[[Conversation], str]:
    def act(conversation: Conversation) -> str:
        text = request.POST.get("text", "")[: inbox.MAX_REPLY * 4]
        inbox.reply(actor=request.user, conversation=conversation, text=text)
        return "Đã gửi câu trả lời."

    return act


def _hand_back(request: AuthenticatedHttpRequest) -> Callable[[Conversation], str]:
    def act(conversation: Conversation) -> str:
        inbox.hand_back(actor=request.user, conversation=conversation)
        return "Đã trả lại cho trợ lý."

    return act


@login_required
@require_POST
def seller_take_over(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, operator=False, action=_take_over(request))


@login_required
@require_POST
def seller_reply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, operator=False, action=_reply(request))


@login_required
@require_POST
def seller_hand_back(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, operator=False, action=_hand_back(request))


@login_required
@require_POST
def operator_take_over(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, operator=True, action=_take_over(request))


@login_required
@require_POST
def operator_reply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, operator=True, action=_reply(request))


@login_required
@require_POST
def operator_hand_back(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, operator=True, action=_hand_back(request))
