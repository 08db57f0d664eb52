"""The query log's visit fields: the search service records a known province and a well-formed visit token only,
and `mark_visit_ordered` marks that visit's searches of the last 24 hours and nothing else."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from taybac.search.models import SearchQueryLog
from taybac.search.services import search_products
from taybac.search.visits import is_visit_token, mark_visit_ordered, new_visit_token

pytestmark = pytest.mark.django_db
HA_NOI = 1


def _log(query: str = "mat ong", **kwargs) -> SearchQueryLog:
    search_products(query=query, **kwargs)
    return SearchQueryLog.objects.latest("id")


def test_the_log_keeps_a_known_province_and_a_well_formed_visit(catalogue) -> None:
    visit = new_visit_token()
    row = _log(buyer_province=HA_NOI, visit=visit)
    assert (row.buyer_province_id, row.visit, row.led_to_order) == (HA_NOI, visit, False)
    assert row.result_count == 2  # both honeys


def test_an_unknown_province_or_a_malformed_visit_is_not_logged(catalogue) -> None:
    provinces = [None, 0, -1, 999, True, "1"]
    visits = ["", "abc", "G" * 32, "a" * 33, new_visit_token().upper(), None]
    for province, visit in zip(provinces, visits, strict=True):
        row = _log(buyer_province=province, visit=visit)
        assert row.buyer_province_id is None and row.visit == "", (province, visit)


def test_tokens_are_random_128_bits() -> None:
    tokens = {new_visit_token() for _ in range(50)}
    assert len(tokens) == 50 and all(is_visit_token(token=t) for t in tokens)


def _row(visit: str, hours_ago: float, query: str = "mat ong") -> SearchQueryLog:
    row = SearchQueryLog.objects.create(query=query, result_count=1, backend="sql", visit=visit)
    SearchQueryLog.objects.filter(pk=row.pk).update(created_at=timezone.now() - datetime.timedelta(hours=hours_ago))
    return row


def test_marking_touches_only_that_visits_searches_of_the_last_24_hours() -> None:
    mine, other = new_visit_token(), new_visit_token()
    recent, older, stale = _row(mine, 1), _row(mine, 23), _row(mine, 25)
    theirs, anonymous = _row(other, 1), _row("", 1)
    assert mark_visit_ordered(visit=mine) == 2
    marked = set(SearchQueryLog.objects.filter(led_to_order=True).values_list("pk", flat=True))
    assert marked == {recent.pk, older.pk}
    assert not ({stale.pk, theirs.pk, anonymous.pk} & marked)
    assert mark_visit_ordered(visit=mine) == 0  # already marked


@pytest.mark.parametrize("visit", ["", "%", "_" * 32, "a" * 31, "*"])
def test_a_malformed_token_marks_nothing(visit) -> None:
    _row("", 1)
    _row(new_visit_token(), 1)
    assert mark_visit_ordered(visit=visit) == 0
    assert not SearchQueryLog.objects.filter(led_to_order=True).exists()
