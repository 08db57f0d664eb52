"""Visits in the query log: which searches one browser made, and whether that visit went on to order.

A visit token is 32 random hex digits the web layer keeps in a signed HttpOnly cookie (taybac.web.search_visits)
and replaces after an order or after VISIT_HOURS: it is not the session key, names no account and no order, and
is never read from a request parameter, so one visit cannot mark another's searches. After the web checkout
places an order, `mark_visit_ordered` sets `led_to_order` on that visit's searches of the last VISIT_HOURS.
"""

from __future__ import annotations

import datetime
import re
import secrets

from django.utils import timezone

from taybac.regions.models import Province
from taybac.search.models import SearchQueryLog

VISIT_HOURS = 24  # a visit's life, and how far back an order counts its searches
_TOKEN = re.compile(r"[0-9a-f]{32}")


def new_visit_token() -> str:
    """A fresh token: 128 random bits, unguessable, unrelated to anything else the hub stores."""
    return secrets.token_hex(16)


def is_visit_token(*, token: object) -> bool:
    return isinstance(token, str) and _TOKEN.fullmatch(token) is not None


def known_province(*, code: object) -> int | None:
    """The code when it is a province the hub knows (a stale session value is dropped, not a 500)."""
    if isinstance(code, bool) or not isinstance(code, int) or not 0 < code < 1000:
        return None
    return code if Province.objects.filter(pk=code).exists() else None


def mark_visit_ordered(*, visit: str, ordered_at: datetime.datetime | None = None) -> int:
    """Mark the visit's searches of the VISIT_HOURS before `ordered_at` (now) as ending in an order; how many.

    An invalid or empty token marks nothing (the API's searches have none)."""
    if not is_visit_token(token=visit):
        return 0
    until = ordered_at or timezone.now()
    return SearchQueryLog.objects.filter(
        visit=visit,
        created_at__gte=until - datetime.timedelta(hours=VISIT_HOURS),
        created_at__lte=until,
        led_to_order=False,
    ).update(led_to_order=True)


def clear_visits(*, before: datetime.datetime) -> int:
    """Blank the visit token of searches made before `before` (retention); the folded query, province and counts
    stay for the statistics. How many searches."""
    return SearchQueryLog.objects.filter(created_at__lt=before).exclude(visit="").update(visit="")
