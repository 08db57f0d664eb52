"""Keeping the index in step: withdrawals, renames, shops, the vocabulary, rebuilds and the command."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from taybac.catalog.models import Category, Product, Shop
from taybac.catalog.services import update_product
from taybac.search.indexing import build_document, rebuild_index, reindex_products, reindex_shops
from taybac.search.models import SearchEntry, SearchTerm
from tests.factories import committed, make_product, make_shop
from tests.search.conftest import ids


def _update(product: Product, **changes) -> Product:
    fields = {
        "name": product.name,
        "category": product.category,
        "description": product.description_html,
        "season_months": product.season_months,
        "next_harvest": product.next_harvest,
        "preorder_allowed": product.preorder_allowed,
        "geographical_indication": product.geographical_indication,
        "is_active": product.is_active,
    }
    fields.update(changes)
    with committed():
        return update_product(actor=product.shop.producer.owner, product=product, **fields)


def _vocabulary() -> dict[str, int]:
    return dict(SearchTerm.objects.values_list("term", "doc_count"))


def test_document_is_folded_and_split_by_weight(catalogue):
    name, context, body = build_document(
        Product.objects.select_related("shop__province", "shop__commune", "category").get(pk=catalogue.honey.pk),
        ["Hà Giang"],
    )
    assert name == "mat ong bac ha"
    assert context.startswith("mat ong ho vang seo chu ") and "tuyen quang" in context and "ha giang" in context
    assert body == "ong lay mat tu hoa bac ha tren cao nguyen da"


def test_inactive_product_disappears_and_comes_back(catalogue):
    honey = catalogue.honey
    _update(honey, is_active=False)
    assert ids("mat ong bac ha") == [] and not SearchEntry.objects.filter(pk=honey.pk).exists()
    assert honey.pk not in ids("")
    _update(honey, is_active=True)
    assert ids("mat ong bac ha") == [honey.pk]


def test_inactive_shop_hides_its_products(catalogue):
    Shop.objects.filter(pk=catalogue.son_la_shop.pk).update(is_active=False)
    # Hidden at once by the query-time check, before any reindex...
    assert ids("mat ong") == [catalogue.honey.pk] and catalogue.jackfruit.pk not in ids("")
    reindex_shops([catalogue.son_la_shop.pk])
    # ...and gone from the index (and its words from the vocabulary) once reindexed.
    assert not SearchEntry.objects.filter(product__shop=catalogue.son_la_shop).exists()
    assert "nhan" not in _vocabulary() and "mit" not in _vocabulary()


def test_rename_replaces_old_words(catalogue):
    _update(catalogue.jackfruit, name="Xoài sấy dẻo")
    assert ids("mit say") == [] and ids("xoai say") == [catalogue.jackfruit.pk]
    vocabulary = _vocabulary()
    assert "mit" not in vocabulary and "gion" not in vocabulary and vocabulary["xoai"] == 1


def test_vocabulary_counts_documents_not_occurrences(catalogue):
    vocabulary = _vocabulary()
    assert vocabulary["mat"] == 2  # two honey products (the word also appears twice in one of them)
    assert vocabulary["tuyet"] == 1
    _update(catalogue.son_la_honey, is_active=False)
    assert _vocabulary()["mat"] == 1


def test_typo_target_goes_when_its_last_product_goes(catalogue):
    assert ids("shan tuyyet") == [catalogue.shan_tuyet.pk]
    _update(catalogue.shan_tuyet, is_active=False)
    assert "tuyet" not in _vocabulary() and ids("tuyyet") == []


def test_unchanged_product_writes_nothing(catalogue, django_assert_num_queries):
    with django_assert_num_queries(3):  # product (with shop, place, category), aliases, current entry
        reindex_products([catalogue.honey.pk])


def test_deleted_and_unknown_ids_are_dropped_quietly(catalogue):
    reindex_products([987654321])
    SearchEntry.objects.filter(pk=catalogue.sugar.pk).delete()
    reindex_products([catalogue.sugar.pk, catalogue.sugar.pk])
    assert ids("duong phen") == [catalogue.sugar.pk]


def _rename(product: Product, name: str) -> None:
    """The catalogue write alone, its after-commit hooks left to the caller's transaction."""
    update_product(
        actor=product.shop.producer.owner,
        product=product,
        name=name,
        category=product.category,
        description=product.description_html,
        season_months=product.season_months,
        next_harvest=product.next_harvest,
        preorder_allowed=product.preorder_allowed,
        geographical_indication=product.geographical_indication,
        is_active=product.is_active,
    )


def test_index_changes_only_once_the_catalogue_write_commits(catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as after_commit:
        _rename(catalogue.honey, "Rượu ngô")
        assert ids("ruou ngo") == [] and "ruou" not in _vocabulary()
    assert len(after_commit) == 1
    after_commit[0]()  # what the commit runs
    assert ids("ruou ngo") == [catalogue.honey.pk] and "ruou" in _vocabulary()


def test_a_rolled_back_catalogue_write_announces_nothing(catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as after_commit:
        with pytest.raises(RuntimeError), transaction.atomic():
            _rename(catalogue.honey, "Rượu ngô")
            raise RuntimeError("abort")
    assert after_commit == []
    assert ids("ruou ngo") == [] and ids("mat ong bac ha") == [catalogue.honey.pk]
    assert "ruou" not in _vocabulary()


@pytest.mark.django_db(transaction=True)
def test_committed_writes_reach_the_index_and_a_failing_hook_does_not_undo_them(caplog, monkeypatch):
    """Real commits, no test transaction: the hooks SearchConfig.ready() registered run after each one."""
    from taybac.catalog import hooks

    product = make_product(shop=make_shop(name="Hộ Lý A Sử"), name="Mật ong cũ")
    assert ids("mat ong cu") == [product.pk]
    _rename(product, "Mật ong mới")
    assert ids("mat ong moi") == [product.pk] and ids("mat ong cu") == []

    def broken(product_ids: list[int]) -> None:
        raise RuntimeError("index server down")

    monkeypatch.setattr(hooks, "_product_hooks", [broken])
    _rename(Product.objects.get(pk=product.pk), "Mật ong rừng")
    assert Product.objects.get(pk=product.pk).name == "Mật ong rừng"  # the seller's change stands
    assert "index server down" in caplog.text
    assert ids("mat ong moi") == [product.pk]  # stale until reindexed or rebuilt
    rebuild_index()
    assert ids("mat ong rung") == [product.pk]


def test_rebuild_matches_incremental_index(catalogue):
    _update(catalogue.jackfruit, name="Xoài sấy dẻo", description="<p>Xoài Yên Châu &amp; muối ớt</p>")
    _update(catalogue.sugar, is_active=False)
    entries = set(SearchEntry.objects.values_list("product_id", "name", "context", "body"))
    vocabulary = _vocabulary()
    assert rebuild_index(batch_size=2) == 4
    assert set(SearchEntry.objects.values_list("product_id", "name", "context", "body")) == entries
    assert _vocabulary() == vocabulary
    assert ids("xoai muoi ot") == [catalogue.jackfruit.pk]


def test_rebuild_picks_up_rows_written_behind_the_services_back(catalogue):
    Product.objects.filter(pk=catalogue.honey.pk).update(name="Mật ong Mèo Vạc")  # e.g. a bulk import
    assert ids("meo vac") == []
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "Indexed 5 products" in out.getvalue()
    assert ids("meo vac") == [catalogue.honey.pk]


def test_category_rename_needs_reindex_of_its_products(catalogue):
    Category.objects.filter(slug="gia-vi").update(name="Gia vị và đường")
    reindex_products(Product.objects.filter(category__slug="gia-vi").values_list("pk", flat=True))
    assert ids("gia vi va duong") == [catalogue.sugar.pk]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 integrity check is SQLite only")
def test_fts5_index_agrees_with_its_content_after_many_changes(catalogue):
    from taybac.search.backends.sqlite import Fts5Backend

    for i in range(5):
        _update(catalogue.honey, name=f"Mật ong lần {i}", is_active=bool(i % 2))
    rebuild_index()
    make_product(shop=catalogue.tea_shop, name="Chè búp khô")
    Fts5Backend.integrity_check()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_concurrent_reindex_of_one_product_takes_turns():
    import threading

    from django.db import connections

    product = make_product(shop=make_shop(name="Hộ Tráng A Tủa"), name="Mật ong cũ")
    Product.objects.filter(pk=product.pk).update(name="Mật ong mới")
    first_indexed, errors = threading.Event(), []

    def writer(wait_for: threading.Event | None) -> None:
        try:
            if wait_for:
                wait_for.wait(5)
            with transaction.atomic():
                reindex_products([product.pk])
                if not wait_for:
                    first_indexed.set()
                    threading.Event().wait(0.5)  # hold the transaction open while the other writer starts
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(None,)), threading.Thread(target=writer, args=(first_indexed,))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert errors == []
    assert ids("mat ong moi") == [product.pk] and ids("mat ong cu") == []
