"""The search page logs the browser's visit and the buyer's province; the web checkout marks that visit's searches
as ending in an order, and only those: the token lives in a signed HttpOnly cookie, never in a parameter."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.test import Client

from taybac.accounts.addresses import AddressInput, add_address
from taybac.accounts.models import Role
from taybac.regions.models import Commune
from taybac.search.models import SearchQueryLog
from taybac.web.search_visits import COOKIE
from tests.factories import make_user
from tests.web.orders.test_order_pages import checkout_form, fill_cart, two_variants  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
HA_NOI, SON_LA = 1, 14


def _search(client: Client, q: str = "mat ong", **params) -> SearchQueryLog:
    assert client.get("/tim-kiem/", {"q": q, **params}).status_code == 200
    return SearchQueryLog.objects.latest("id")


def test_one_visit_per_browser_never_read_from_the_request(two_variants) -> None:
    a, b = Client(), Client()
    first, second = _search(a), _search(a, "che")
    other = _search(b, visit="f" * 32)
    assert first.visit and first.visit == second.visit and other.visit not in ("", first.visit, "f" * 32)
    assert first.buyer_province_id is None  # no address known yet
    assert settings.SESSION_COOKIE_NAME not in a.cookies  # a search alone creates no session row
    assert a.cookies[COOKIE]["httponly"]  # no script can read it


def test_a_forged_or_copied_token_is_not_accepted(two_variants) -> None:
    victim, attacker = Client(), Client()
    theirs = _search(victim)
    attacker.cookies[COOKIE] = theirs.visit  # the bare token, unsigned
    assert _search(attacker).visit != theirs.visit
    attacker.cookies[COOKIE] = victim.cookies[COOKIE].value.replace(theirs.visit, "a" * 32)  # signature broken
    assert _search(attacker).visit not in (theirs.visit, "a" * 32)


def test_the_checkout_marks_its_own_visits_searches_and_starts_a_new_visit(two_variants) -> None:
    buyer, browser = Client(), Client()
    searched = [_search(buyer), _search(buyer, "che shan")]
    not_theirs = _search(browser)
    fill_cart(buyer, *two_variants)
    assert buyer.post("/gio-hang/?tinh=1", checkout_form(buyer)).status_code == 302
    assert set(SearchQueryLog.objects.filter(led_to_order=True).values_list("pk", flat=True)) == {
        s.pk for s in searched
    }
    not_theirs.refresh_from_db()
    assert not not_theirs.led_to_order
    after = _search(buyer)
    assert after.visit not in ("", searched[0].visit) and not after.led_to_order
    assert after.buyer_province_id == HA_NOI  # the province of the order just placed


def test_a_visit_ends_after_24_hours_even_while_searching(two_variants, monkeypatch) -> None:
    client = Client()
    day_ago = time.time() - 24 * 3600 - 60
    with monkeypatch.context() as m:
        m.setattr("django.core.signing.time.time", lambda: day_ago)
        first = _search(client)  # the cookie signed a day ago
    assert _search(client).visit != first.visit
    second = _search(client)
    assert _search(client).visit == second.visit


def test_a_signed_in_buyers_saved_address_gives_the_province(two_variants) -> None:
    user = make_user(role=Role.BUYER)
    commune = Commune.objects.filter(province_id=SON_LA).order_by("code")[0]
    add_address(
        actor=user,
        data=AddressInput(
            name="Lò Văn Minh", phone="0912345678", province_code=SON_LA, commune_code=commune.pk, street="Bản Mòng"
        ),
    )
    client = Client()
    client.force_login(user)
    assert _search(client).buyer_province_id == SON_LA


def test_the_api_search_logs_no_visit(two_variants) -> None:
    response = Client().get("/api/v1/search", {"q": "mat ong"})
    assert response.status_code == 200
    row = SearchQueryLog.objects.latest("id")
    assert row.visit == "" and row.buyer_province_id is None
