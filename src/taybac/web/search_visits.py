"""The search log's visit token and buyer province (taybac.search.visits says what they are for).

The token lives in its own signed, HttpOnly cookie rather than the session: a first search then costs no session
row (most searchers never sign in or fill a cart, and bots search too). The signature's timestamp ends the visit
after VISIT_HOURS (the cookie is written once, when the visit starts, so searching does not extend it); an order
ends it at once. A client cannot forge a token (the signature), and the token never appears in a URL or form, so
no request can name another visit. The province is the signed-in buyer's default saved address's, else that of
the browser's last web order (kept in its session); never guessed from the IP address.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from taybac.accounts.models import SavedAddress
from taybac.regions.models import Province
from taybac.search.visits import VISIT_HOURS, is_visit_token, mark_visit_ordered, new_visit_token

COOKIE = "tb_visit"
SALT = "taybac.search.visit"
SESSION_PROVINCE = "search_province"  # the province of the browser's last web order
_NEW = "_taybac_new_search_visit"  # request attribute: a token this request started


def _held(request: HttpRequest) -> str:
    token = request.get_signed_cookie(COOKIE, default="", salt=SALT, max_age=VISIT_HOURS * 3600)
    return token if isinstance(token, str) and is_visit_token(token=token) else ""


def visit_token(request: HttpRequest) -> str:
    """This browser's current visit token; a new one when it has none or its visit ended (`keep_visit` saves it)."""
    token = getattr(request, _NEW, "") or _held(request)
    if not token:
        token = new_visit_token()
        setattr(request, _NEW, token)
    return token


def keep_visit(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Set the cookie of a visit this request started (no-op otherwise)."""
    token = getattr(request, _NEW, "")
    if token:
        response.set_signed_cookie(
            COOKIE, token, salt=SALT, max_age=VISIT_HOURS * 3600, httponly=True, samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )  # fmt: skip
    return response


def buyer_province(request: HttpRequest) -> int | None:
    """The province a search is logged with: the signed-in buyer's default address, else their last web order's."""
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
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None  # no session to read (and none is created for it)
    code = request.session.get(SESSION_PROVINCE)
    return code if isinstance(code, int) and not isinstance(code, bool) else None


def order_placed(request: HttpRequest, response: HttpResponse, province: Province | None) -> HttpResponse:
    """After a web checkout: this visit's searches ended in an order; the next search starts a new visit."""
    token = _held(request)
    if token:
        mark_visit_ordered(visit=token)
    response.delete_cookie(COOKIE, samesite="Lax")
    if province is not None:
        request.session[SESSION_PROVINCE] = province.pk
    return response
