"""The buyer assistant's one HTTP contract, shared by every channel: a message in, the reply out (docs/assistant.md)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from pydantic import BaseModel, ConfigDict

from taybac.api.errors import ERRORS, ErrorOut, error_payload, refusals
from taybac.assistant.services import CONVERSATION_PATTERN, MAX_KEY, MAX_TEXT, AssistantLimited, handle_message
from taybac.core.client_address import client_network

router = Router(tags=["assistant"])
Intent = Literal[
    "greeting",
    "product_question",
    "search",
    "add_to_order",
    "delivery_details",
    "payment",
    "order_status",
    "complaint",
    "other",
]


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    conversation: str = Field(
        ...,
        min_length=1,
        max_length=MAX_KEY,
        pattern=CONVERSATION_PATTERN,
        description="Your id for the conversation (letters, digits, ASCII punctuation; e.g. a UUID or the "
        "channel's user id). The same id from the same client network continues the conversation.",
    )
    text: str = Field(..., min_length=1, max_length=MAX_TEXT, description="The buyer's message, as typed.")


class ProductRefOut(Schema):
    id: int
    name: str
    url: str = Field(..., description="The product page's absolute path, e.g. `/san-pham/12-mat-ong/`.")


class OrderRefOut(Schema):
    code: str
    status: str = Field(..., description="The order's least advanced shop order status (`placed` … `returned`).")


class AssistantOut(Schema):
    conversation: str
    reply: str = Field(..., description="Vietnamese text to show the buyer; every price and stock is a record's.")
    intent: Intent
    products: list[ProductRefOut] = Field(..., description="The products the reply names, at most 3.")
    order: OrderRefOut | None = Field(..., description="The order the reply is about (order status), else null.")
    handover: bool = Field(
        ..., description="True when a person should take over (complaint, or the assistant is unsure)."
    )


@router.post(
    "/assistant/messages",
    response={200: AssistantOut, **ERRORS, 429: ErrorOut},
    summary="Send a buyer's message to the assistant",
    operation_id="assistant_message",
    openapi_extra=refusals(
        {
            400: "`invalid`: a text with nothing printable in it (field `text`).",
            422: "`validation_error`: a missing field, a `conversation` outside 1–64 printable ASCII characters "
            "without spaces, a `text` empty or over 1000 characters, or an unknown field.",
            429: "`too_many_requests`: over 20 messages a minute or 500 a day, or 30 new conversations a day, from "
            "this client network; the `Retry-After` header says how many seconds to wait.",
        }
    ),
)
def assistant_message(request: HttpRequest, response: HttpResponse, body: MessageIn) -> Any:
    """Anonymous: every channel (the site, Zalo, Messenger, other systems) calls it the same way. Order status
    needs the order's code and the phone it was placed with in the messages; wrong guesses count against the
    same limit as the order look-up page."""
    try:
        answer = handle_message(client=client_network(request), conversation=body.conversation, text=body.text)
    except AssistantLimited as limited:
        response["Retry-After"] = str(limited.retry_after)
        return Status(429, error_payload("too_many_requests", limited.message))
    reply = answer.reply
    return {
        "conversation": answer.conversation,
        "reply": reply.text,
        "intent": reply.intent,
        "products": [{"id": p.pk, "name": p.name, "url": p.get_absolute_url()} for p in reply.products],
        "order": reply.order,
        "handover": reply.handover,
    }
