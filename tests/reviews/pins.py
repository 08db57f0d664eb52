"""Requests for the API query-count pins (tests/api/test_query_counts.py): a reviewed product and a buyer with
delivered lines, made on first use and kept on the pins' world so the measured call only does its own work."""

from __future__ import annotations

import json
from types import SimpleNamespace

from django.http import HttpResponse
from django.test import Client

from taybac.reviews.services import write_review
from tests.factories import make_user
from tests.reviews.purchases import delivered_line


def _reviewer(world: SimpleNamespace) -> SimpleNamespace:
    """A signed-in buyer with three delivered lines of the world's honey, one of them reviewed with a photo."""
    if not hasattr(world, "reviewer"):
        from tests.api.conftest import jpeg_bytes

        buyer = make_user(full_name="Nguyễn Thu Hà")
        lines = [delivered_line(buyer, product=world.catalog.honey, quantity=1) for _ in range(3)]
        write_review(actor=buyer, line_id=lines[0].pk, stars=5, text="Mật thơm.", photos=[jpeg_bytes()])
        client = Client()
        client.force_login(buyer)
        world.reviewer = SimpleNamespace(client=client, free=[line.pk for line in lines[1:]])
    return world.reviewer


def list_reviews(world: SimpleNamespace, n: int) -> HttpResponse:
    _reviewer(world)
    return world.client.get(f"/api/v1/products/{world.catalog.honey.pk}/reviews")


def create_review(world: SimpleNamespace, n: int) -> HttpResponse:
    reviewer = _reviewer(world)
    body = {"order_line_id": reviewer.free[n], "stars": 4, "text": "Đóng gói kỹ."}
    return reviewer.client.post("/api/v1/reviews", json.dumps(body), content_type="application/json")
