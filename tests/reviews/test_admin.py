"""Operators moderate in the admin: reported reviews first, hide and show through the service."""

from __future__ import annotations

import pytest
from django.test import Client

from taybac.accounts.models import Role, User
from taybac.catalog.models import Product
from taybac.reviews.models import Review
from taybac.reviews.services import report_review, write_review
from tests.factories import make_user


@pytest.fixture
def operator(db) -> Client:
    user = User.objects.create(username="vanhanh", role=Role.OPERATOR, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def review(buyer, line):
    review = write_review(actor=buyer, line_id=line.pk, stars=1, text="Đồ lừa đảo!!!")
    report_review(actor=make_user(), review=review, reason="offensive")
    return review


def rating(review: Review) -> tuple[int, int]:
    product = Product.objects.get(pk=review.product_id)
    return product.rating_count, product.rating_total


def test_the_list_shows_reports_and_filters_reported(operator, review):
    page = operator.get("/quan-tri/reviews/review/", {"bao_cao": "1"})
    assert page.status_code == 200 and "Đồ lừa đảo" not in page.content.decode()  # the text is on the detail
    assert page.context["cl"].result_count == 1
    assert operator.get("/quan-tri/reviews/review/", {"bao_cao": "0"}).context["cl"].result_count == 0
    detail = operator.get(f"/quan-tri/reviews/review/{review.pk}/change/").content.decode()
    assert "Đồ lừa đảo" in detail and "Ngôn từ xúc phạm" in detail


def test_the_hide_action_and_the_show_action_move_the_rating(operator, review):
    url = "/quan-tri/reviews/review/"
    operator.post(url, {"action": "hide", "_selected_action": [review.pk]})
    assert Review.objects.get(pk=review.pk).is_hidden and rating(review) == (0, 0)
    operator.post(url, {"action": "show", "_selected_action": [review.pk]})
    assert not Review.objects.get(pk=review.pk).is_hidden and rating(review) == (1, 1)


def test_the_change_form_hides_with_a_reason_and_changes_nothing_else(operator, review):
    answer = operator.post(
        f"/quan-tri/reviews/review/{review.pk}/change/",
        {"is_hidden": "on", "hidden_reason": "Xúc phạm", "stars": "5", "text": "sửa", **_inlines(review)},
    )
    assert answer.status_code == 302, answer.content[:500]
    stored = Review.objects.get(pk=review.pk)
    assert (stored.is_hidden, stored.hidden_reason, stored.stars, stored.text) == (True, "Xúc phạm", 1, "Đồ lừa đảo!!!")
    assert rating(review) == (0, 0)


def test_reviews_cannot_be_added_by_hand(operator):
    assert operator.get("/quan-tri/reviews/review/add/").status_code == 403


def _inlines(review: Review) -> dict[str, object]:
    """The management forms of the read-only inlines (no photos, one report), as the change page posts them."""
    form: dict[str, object] = {"photos-TOTAL_FORMS": 0, "photos-INITIAL_FORMS": 0}
    form.update({"reports-TOTAL_FORMS": 1, "reports-INITIAL_FORMS": 1, "reports-MIN_NUM_FORMS": 0})
    form.update({"reports-0-id": review.reports.get().pk, "reports-0-review": review.pk})
    return form
