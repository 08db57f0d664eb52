"""The search log's visit token and buyer province, kept in the buyer's session (taybac.search.visits).

The token lives only in the server-side session (never in a URL or form), so no request can name another
visit; it is replaced after an order or after VISIT_HOURS. The province is the signed-in buyer's default
saved address's, else the province the cart was last priced to; never guessed from the IP address.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone

from taybac.accounts.models import SavedAddress
from taybac.regions.models import Province
from taybac.search.visits import VISIT_HOURS, is_visit_token, mark_visit_ordered, new_visit_token

SESSION_VISIT = "search_visit"  # {"token": hex, "since": ISO moment}
SESSION_PROVINCE = "search_province"  # the cart's province code


def visit_token(request: HttpRequest) -> str:
    """This browser's current visit token, started (or replaced, when older than VISIT_HOURS) as needed."""
    held = request.session.get(SESSION_VISIT)
    now = timezone.now()
    if isinstance(held, dict) and is_visit_token(token=held.get("token")):
        try:
            since = datetime.datetime.fromisoformat(str(held.get("since")))
        except ValueError:
            since = None
        if since is not None and since.tzinfo is not None and now - since < datetime.timedelta(hours=VISIT_HOURS):
            return str(held["token"])
    token = new_visit_token()
    request.session[SESSION_VISIT] = {"token": token, "since": now.isoformat()}
    return token


def buyer_province(request: HttpRequest) -> int | None:
    """The province a search is logged with: the signed-in buyer's default address, else the cart's."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        code = (
            SavedAddress.objects.filter(user=user)
            .order_by("-is_default", "-created_at")
            .values_list("commune__province_id", flat=True)
            .first()
        )
        if code is not None:
            return code
    code = request.session.get(SESSION_PROVINCE)
    return code if isinstance(code, int) and not isinstance(code, bool) else None


def remember_cart_province(request: HttpRequest, province: Province | None) -> None:
    """The province the buyer priced the cart to, for the searches that follow."""
    if province is not None and request.session.get(SESSION_PROVINCE) != province.pk:
        request.session[SESSION_PROVINCE] = province.pk


def order_placed(request: HttpRequest) -> None:
    """After a web checkout: this visit's searches ended in an order; the next search starts a new visit."""
    held = request.session.pop(SESSION_VISIT, None)
    if isinstance(held, dict):
        mark_visit_ordered(visit=str(held.get("token", "")))
