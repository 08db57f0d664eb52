"""Closing a deleted seller's shops (catalog.services.close_shops_of): only theirs, and search is told."""

from __future__ import annotations

from taybac.catalog.models import Shop
from taybac.catalog.services import close_shops_of
from tests.factories import make_shop


def test_only_the_owners_open_shops_close_and_search_hears_of_it(db, django_capture_on_commit_callbacks):
    mine, theirs = make_shop(name="Mật ong Páo"), make_shop(name="Chè Suối Giàng")
    with django_capture_on_commit_callbacks() as callbacks:
        assert close_shops_of(owner=mine.producer.owner) == [mine.pk]
    assert not Shop.objects.get(pk=mine.pk).is_active and Shop.objects.get(pk=theirs.pk).is_active
    assert any("reindex_shops" in c.__qualname__ for c in callbacks)
    assert close_shops_of(owner=mine.producer.owner) == []  # already closed: nothing to announce
