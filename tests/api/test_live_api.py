from taybac.campaigns.live_services import end_session, pin_product
from tests.api.conftest import assert_error
from tests.campaigns.live_world import live_world


def test_live_sessions_list_and_detail(api_client, db, django_assert_max_num_queries):
    world = live_world()
    first = world.session.products.get(code="A1")
    pin_product(actor=world.owner, session=world.session, product_id=first.pk, live_price=300_000)
    with django_assert_max_num_queries(3):  # count, sessions, their products
        body = api_client.get("/api/v1/live-sessions").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["status"] == "live" and item["shop"] == world.shop.slug
    assert item["url"].endswith(f"/truc-tiep/{world.session.pk}/")
    assert item["events_url"].endswith(f"/live/{world.session.pk}/")
    assert item["embed_url"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert item["products"][0] == {
        "code": "A1",
        "variant_id": world.honey.pk,
        "product": "Mật ong bạc hà",
        "variant": world.honey.name,
        "price": 300_000,
        "usual_price": 350_000,
        "pinned": True,
    }
    assert "stream_key" not in str(body) and world.session.stream_key not in str(body)
    assert api_client.get(f"/api/v1/live-sessions/{world.session.pk}").json() == item
    assert api_client.get("/api/v1/live-sessions", {"status": "ended"}).json()["count"] == 0
    end_session(actor=world.owner, session=world.session)
    ended = api_client.get("/api/v1/live-sessions", {"status": "ended"}).json()["items"][0]
    assert ended["products"][0]["price"] == 350_000 and not ended["products"][0]["pinned"]


def test_live_session_errors(api_client, db):
    assert_error(api_client.get("/api/v1/live-sessions/999"), 404, "not_found")
    assert_error(api_client.get("/api/v1/live-sessions", {"status": "later"}), 422, "validation_error")
    assert_error(api_client.get("/api/v1/live-sessions/0"), 422, "validation_error")
