"""The reviews API: a product's visible reviews with its rating, and a buyer reviewing a delivered line."""

from __future__ import annotations

import json

from django.test import Client

from taybac.reviews.services import reply_to_review, set_hidden, write_review
from tests.api.conftest import jpeg_bytes
from tests.factories import make_user
from tests.reviews.purchases import delivered_line, placed


def post(client: Client, body: object):
    return client.post("/api/v1/reviews", json.dumps(body), content_type="application/json")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_list_gives_reviews_photos_reply_and_the_rating(buyer, line):
    review = write_review(actor=buyer, line_id=line.pk, stars=4, text="Ngon", photos=[jpeg_bytes()])
    reply_to_review(actor=line.variant.product.shop.producer.owner, review=review, text="Cảm ơn")
    hidden = write_review(actor=buyer, line_id=delivered_line(buyer, product=line.variant.product).pk, stars=1)
    set_hidden(actor=make_user(is_staff=True), review=hidden, hidden=True)
    body = Client().get(f"/api/v1/products/{line.variant.product_id}/reviews").json()
    assert body["count"] == 1 and body["page"] == 1
    item = body["items"][0]
    assert (item["stars"], item["text"], item["author_name"]) == (4, "Ngon", "N. T. Hà")
    assert item["reply"]["text"] == "Cảm ơn"
    assert item["photos"][0]["src"].startswith("http://testserver/media/reviews/")
    assert body["rating"] == {
        "count": 1,
        "average": 4.0,
        "sold": 4,
        "distribution": {"5": 0, "4": 1, "3": 0, "2": 0, "1": 0},
    }
    assert Client().get(f"/api/v1/products/{line.variant.product_id}/reviews", {"stars": 5}).json()["count"] == 0


def test_list_refuses_bad_parameters_and_unknown_products(db):
    assert Client().get("/api/v1/products/999999/reviews").status_code == 404
    answer = Client().get("/api/v1/products/1/reviews", {"stars": 7})
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "validation_error"


def test_the_buyer_creates_a_review(buyer, line):
    answer = post(signed_in(buyer), {"order_line_id": line.pk, "stars": 5, "text": "Rất ngon"})
    assert answer.status_code == 201, answer.content
    assert answer.json()["stars"] == 5 and answer.json()["photos"] == [] and answer.json()["reply"] is None
    again = post(signed_in(buyer), {"order_line_id": line.pk, "stars": 1})
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"


def test_create_refuses_with_precise_errors(buyer, line):
    assert post(Client(), {"order_line_id": line.pk, "stars": 5}).status_code == 401
    stranger = post(signed_in(make_user()), {"order_line_id": line.pk, "stars": 5})
    assert stranger.status_code == 404 and stranger.json()["error"]["code"] == "not_found"
    waiting = placed(buyer).lines.get()
    early = post(signed_in(buyer), {"order_line_id": waiting.pk, "stars": 5})
    assert early.status_code == 400 and early.json()["error"]["code"] == "not_delivered"
    for body in ({"order_line_id": line.pk, "stars": 0}, {"order_line_id": line.pk, "stars": 5, "text": "x" * 1001}):
        assert post(signed_in(buyer), body).status_code == 422
    assert post(signed_in(buyer), {"order_line_id": line.pk, "stars": 5, "extra": 1}).status_code == 422
