"""Jobs that keep the tantivy index file in step (the one writer: the job runner, docs/search.md)."""

from __future__ import annotations

from taybac.core.jobs import crontab, db_periodic_task, db_task


@db_task()
def sync_search_index(product_ids: list[int] | None) -> None:
    """Rewrite these products' documents in the tantivy index (all of them when None)."""
    from taybac.search.backends import tantivy_index

    tantivy_index.write(product_ids)


@db_periodic_task(crontab(minute="41", hour="3"))
def rewrite_search_index() -> None:
    """Every night: the whole tantivy index from the database, repairing any lost update."""
    from taybac.search.backends import tantivy_index, tantivy_wanted

    if tantivy_wanted():
        tantivy_index.write(None)
