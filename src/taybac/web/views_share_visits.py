"""Share-link visits (docs/selling-events.md, "Sharing and campaigns"): a middleware that, when a page is opened
with `?c=<code>` of a known share link, counts one visit for the link today (once per browser session per link and
day) and keeps the code in the session for ATTRIBUTION_DAYS, last link winning; the checkout then attributes the
order (`attribute`). Unknown or malformed codes, HEAD requests and obvious bots are ignored silently."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from taybac.campaigns.share_services import attribute_order, count_visit, known_link
from taybac.orders.models import Order

SESSION_LINK = "share_link"  # {"code": …, "at": ISO time of the visit}
SESSION_SEEN = "share_seen"  # ["<code>:<day>", …], the last MAX_SEEN
MAX_SEEN = 20
BOTS = re.compile(r"bot|crawl|spider|slurp|facebookexternalhit|zalo.*(?:link|preview)|preview|curl|wget|python", re.I)


def is_bot(request: HttpRequest) -> bool:
    agent = request.headers.get("User-Agent", "")
    return not agent or bool(BOTS.search(agent))


def note_visit(request: HttpRequest) -> None:
    code = request.GET.get("c", "")
    if request.method != "GET" or not code or len(code) > 16 or is_bot(request):
        return
    link = known_link(code=code)
    if link is None:
        return
    now = timezone.now()
    key = f"{link.code}:{timezone.localdate(now).isoformat()}"
    seen = list(request.session.get(SESSION_SEEN, []))[-MAX_SEEN:]
    if key not in seen:
        count_visit(link=link)
        request.session[SESSION_SEEN] = [*seen, key][-MAX_SEEN:]
    request.session[SESSION_LINK] = {"code": link.code, "at": now.isoformat()}


def attribute(request: HttpRequest, order: Order) -> None:
    """After the web checkout placed `order`: attribute it to the session's last share link, if recent."""
    kept = request.session.get(SESSION_LINK)
    if not isinstance(kept, dict):
        return
    try:
        visited_at = datetime.fromisoformat(str(kept.get("at", "")))
    except ValueError:
        return
    attribute_order(order=order, code=str(kept.get("code", "")), visited_at=visited_at)


class ShareVisitMiddleware:
    """Runs `note_visit` before the view, for pages opened through a share link."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "c" in request.GET and not request.path.startswith(("/api/", "/static/", "/media/")):
            note_visit(request)
        return self.get_response(request)
