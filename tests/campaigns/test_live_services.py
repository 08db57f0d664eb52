import threading

import pytest
from django.db import connection
from django.utils import timezone

from taybac.accounts.selectors import NotAllowed
from taybac.campaigns.live_chat import ChatError, hide_message, post_message
from taybac.campaigns.live_embed import BadLiveLink, embed_url_for
from taybac.campaigns.live_models import DraftOrder, LiveSession
from taybac.campaigns.live_orders import confirm_draft, current_price, order_from_page, reject_draft
from taybac.campaigns.live_rtmp import publish_allowed
from taybac.campaigns.live_selectors import state_event
from taybac.campaigns.live_services import (
    LiveError,
    end_session,
    go_live,
    pin_product,
    rotate_stream_key,
    schedule_session,
    unpin_product,
)
from taybac.orders.models import OrderLine
from tests.campaigns.live_world import live_world
from tests.factories import make_product, make_shop, make_user


@pytest.mark.parametrize(
    ("link", "embed"),
    [
        ("https://www.youtube.com/live/dQw4w9WgXcQ?si=x", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://m.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        (
            "https://www.facebook.com/htxmatong/videos/1234567890/",
            "https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2Fhtxmatong%2Fvideos"
            "%2F1234567890%2F&show_text=false",
        ),
        (
            "https://www.tiktok.com/@matong.hagiang/video/7301234567890123456",
            "https://www.tiktok.com/embed/v2/7301234567890123456",
        ),
        ("https://www.tiktok.com/@matong.hagiang/live", ""),
    ],
)
def test_live_links_become_the_providers_embed(link, embed):
    assert embed_url_for(link=link) == embed


@pytest.mark.parametrize(
    "link",
    [
        "http://www.youtube.com/live/dQw4w9WgXcQ",  # not https
        "https://www.youtube.com.evil.example/live/dQw4w9WgXcQ",
        "https://evil.example/?u=https://youtube.com/live/dQw4w9WgXcQ",
        "https://www.youtube.com/live/short",
        "https://user@www.youtube.com/live/dQw4w9WgXcQ",
        "javascript:alert(1)",
        "https://www.facebook.com/login.php",
        "https://www.youtube.com/live/" + "a" * 400,
        "",
    ],
)
def test_other_links_are_refused(link):
    with pytest.raises(BadLiveLink):
        embed_url_for(link=link)


def test_schedule_takes_only_the_shops_own_variants(db):
    world = live_world(live=False)
    other = make_product(shop=make_shop(name="HTX khác"), name="Măng khô").variants.get()
    with pytest.raises(LiveError):
        schedule_session(
            actor=world.owner, shop=world.shop, title="x", scheduled_start=timezone.now(), variant_ids=[other.pk]
        )
    with pytest.raises(NotAllowed):
        schedule_session(
            actor=make_user(), shop=world.shop, title="x", scheduled_start=timezone.now(), variant_ids=[world.honey.pk]
        )
    assert [p.code for p in world.session.products.all()] == ["A1", "A2"]


def test_pins_with_bounded_live_prices_only_while_live(db):
    world = live_world(live=False)
    first = world.session.products.get(code="A1")
    with pytest.raises(LiveError):  # not live yet
        pin_product(actor=world.owner, session=world.session, product_id=first.pk, live_price=300_000)
    session = go_live(actor=world.owner, session=world.session, link="https://youtu.be/dQw4w9WgXcQ")
    owner = world.owner
    for bad in (0, 999, 350_001, 10**12):
        with pytest.raises(LiveError):
            pin_product(actor=owner, session=session, product_id=first.pk, live_price=bad)
    with pytest.raises(NotAllowed):
        pin_product(actor=make_user(), session=session, product_id=first.pk, live_price=300_000)
    pin_product(actor=owner, session=session, product_id=first.pk, live_price=300_000)
    session.refresh_from_db()
    first.refresh_from_db()
    assert current_price(product=first, session=session) == 300_000
    assert state_event(session)["products"][0] == {
        "id": first.pk, "code": "A1", "name": "Mật ong bạc hà – " + first.variant.name, "price": 300_000,
        "usual_price": 350_000, "pinned": True,
    }  # fmt: skip
    unpin_product(actor=owner, session=session, product_id=first.pk)
    first.refresh_from_db()
    assert current_price(product=first, session=session) == 350_000


def test_order_from_the_live_page_pays_the_live_price_and_reserves_stock(db):
    world = live_world()
    first = world.session.products.get(code="A1")
    pin_product(actor=world.owner, session=world.session, product_id=first.pk, live_price=300_000)
    placed = order_from_page(
        buyer=None, session=world.session, product_id=first.pk, quantity=2, name="Lan", phone="0912 345 678",
        payment_method="cod", pickup_point="BD-LIVE", session_key="s1", idempotency_key="k1",
    )  # fmt: skip
    line = OrderLine.objects.get(shop_order__order=placed)
    assert (line.unit_price, line.line_total, line.variant_id) == (300_000, 600_000, world.honey.pk)
    world.honey.refresh_from_db()
    assert world.honey.allocated == 2
    end_session(actor=world.owner, session=world.session)
    world.session.refresh_from_db()
    first.refresh_from_db()
    assert current_price(product=first, session=world.session) == 350_000  # the replay sells at the usual price
    assert world.session.replay_url == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert world.session.products.count() == 2  # the replay keeps its products


def test_chot_don_comment_becomes_a_draft_confirmed_once(db):
    world = live_world()
    first = world.session.products.get(code="A1")
    pin_product(actor=world.owner, session=world.session, product_id=first.pk, live_price=300_000)
    message = post_message(
        session=world.session, user=None, sender_key="session:a", name="Minh", text="chot a1 ba hu 0912 345 678"
    )
    draft = DraftOrder.objects.get(message=message)
    assert (draft.quantity, draft.unit_price, draft.phone) == (3, 300_000, "+84912345678")
    with pytest.raises(NotAllowed):
        confirm_draft(actor=make_user(), draft=draft, pickup_point="BD-LIVE")
    order = confirm_draft(actor=world.owner, draft=draft, pickup_point="BD-LIVE")
    again = confirm_draft(actor=world.owner, draft=draft, pickup_point="BD-LIVE")
    assert again.pk == order.pk
    assert OrderLine.objects.get(shop_order__order=order).unit_price == 300_000
    world.honey.refresh_from_db()
    assert world.honey.allocated == 3
    post_message(session=world.session, user=None, sender_key="session:b", name="Hoa", text="đẹp quá shop ơi")
    assert DraftOrder.objects.count() == 1


def test_reject_a_draft(db):
    world = live_world()
    message = post_message(session=world.session, user=None, sender_key="s:c", name="An", text="chốt A2 x1 0987654321")
    draft = DraftOrder.objects.get(message=message)
    reject_draft(actor=world.owner, draft=draft)
    draft.refresh_from_db()
    assert draft.status == DraftOrder.Status.REJECTED


@pytest.mark.django_db(transaction=True)
def test_confirming_one_draft_twice_at_once_places_one_order():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    world = live_world()
    message = post_message(session=world.session, user=None, sender_key="s:d", name="An", text="chốt A1 x1 0987654321")
    draft = DraftOrder.objects.get(message=message)
    results = []

    def confirm():
        try:
            results.append(confirm_draft(actor=world.owner, draft=draft, pickup_point="BD-LIVE").pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 1 and OrderLine.objects.count() == 1


def test_chat_is_bounded_sanitised_and_rate_limited(db):
    world = live_world()
    message = post_message(
        session=world.session,
        user=None,
        sender_key="s:e",
        name="<b>Lan</b>\u202e",
        text="  xin\u200b  chào\n" + "x" * 500,
    )
    assert message.name == "<b>Lan</b>" and message.text.startswith("xin chào x") and len(message.text) == 300
    with pytest.raises(ChatError) as refused:
        post_message(session=world.session, user=None, sender_key="s:e", name="Lan", text="lần nữa")
    assert refused.value.code == "rate_limited"
    with pytest.raises(ChatError):
        post_message(session=world.session, user=None, sender_key="s:f", name="Lan", text="\u200b \n")
    with pytest.raises(NotAllowed):
        hide_message(actor=make_user(), message=message)
    before = LiveSession.objects.get(pk=world.session.pk).revision
    hide_message(actor=world.owner, message=message)
    session = LiveSession.objects.get(pk=world.session.pk)
    assert session.revision == before + 1 and state_event(session)["hidden"] == [message.pk]


def test_rtmp_publish_needs_the_current_key_from_this_machine(db):
    world = live_world(live=False)
    key = world.session.stream_key
    assert publish_allowed(stream_key=key, remote="127.0.0.1") == world.session
    assert publish_allowed(stream_key=key, remote="203.0.113.9") is None
    rotate_stream_key(actor=world.owner, session=world.session)
    assert publish_allowed(stream_key=key, remote="127.0.0.1") is None
