"""Live selling sessions (docs/selling-events.md, "Livestream selling"): what apps list and open, with the page
URL and `events_url`, the server-sent-events stream of the session's chat and pinned products."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from taybac.api.errors import ERRORS, NotFound, refusals
from taybac.api.params import PageParams, paginate
from taybac.campaigns.live_models import LiveSession
from taybac.campaigns.live_selectors import events_url, public_sessions, shown_products

router = Router(tags=["live"])
Status = Literal["scheduled", "live", "ended"]


class LiveProductOut(Schema):
    code: str = Field(..., description='The code buyers type in a "chốt đơn" comment, e.g. "A2".')
    variant_id: int
    product: str
    variant: str
    price: int = Field(..., description="What a buyer pays now, integer đồng (the live price while pinned).")
    usual_price: int
    pinned: bool


class LiveSessionOut(Schema):
    id: int
    title: str
    status: Status
    shop: str = Field(..., description="The shop's slug.")
    scheduled_start: datetime
    source: Literal["embed", "rtmp"]
    url: str = Field(..., description="The live page.")
    events_url: str = Field(..., description="Server-sent events: `chat` (id = message id) and `state`.")
    embed_url: str
    replay_url: str
    products: list[LiveProductOut]


class LiveSessionPage(Schema):
    items: list[LiveSessionOut]
    count: int = Field(..., ge=0)
    page: int
    page_size: int


class LiveFilters(Schema):
    status: Status | None = Field(None, description="Only sessions in this state.")


class LiveId(Schema):
    id: int = Field(..., ge=1, le=2_147_483_647, description="Live session id.")


def _present(session: LiveSession) -> dict[str, Any]:
    return {
        "id": session.pk,
        "title": session.title,
        "status": session.status,
        "shop": session.shop.slug,
        "scheduled_start": session.scheduled_start,
        "source": session.source,
        "url": f"{settings.PUBLIC_URL.rstrip('/')}/truc-tiep/{session.pk}/",
        "events_url": events_url(session.pk),
        "embed_url": session.embed_url,
        "replay_url": session.replay_url,
        "products": [
            {
                "code": p.code,
                "variant_id": p.variant_id,
                "product": p.product_name,
                "variant": p.variant_name,
                "price": p.price,
                "usual_price": p.usual_price,
                "pinned": p.pinned,
            }
            for p in shown_products(session)
        ],
    }


@router.get(
    "/live-sessions",
    response={200: LiveSessionPage, **ERRORS},
    summary="List live selling sessions",
    operation_id="list_live_sessions",
)
def list_live_sessions(
    request: HttpRequest, filters: Query[LiveFilters], pagination: Query[PageParams]
) -> dict[str, Any]:
    sessions = public_sessions()
    if filters.status:
        sessions = sessions.filter(status=filters.status)
    page = paginate(sessions, pagination)
    return page.envelope([_present(s) for s in page.items])


@router.get(
    "/live-sessions/{id}",
    response={200: LiveSessionOut, **ERRORS},
    summary="Get a live selling session",
    operation_id="get_live_session",
    openapi_extra=refusals({404: "`not_found`: no public live session with this id."}),
)
def get_live_session(request: HttpRequest, path: Path[LiveId]) -> dict[str, Any]:
    session = public_sessions().filter(pk=path.id).first()
    if session is None:
        raise NotFound(f"No live session {path.id}.")
    return _present(session)
