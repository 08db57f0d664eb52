"""Choosing the search backend: settings.TAYBAC_SEARCH_BACKEND = "auto" (on SQLite: tantivy once its index has
been built, FTS5 until then; PostgreSQL full text on PostgreSQL), "tantivy", "sqlite" (FTS5) or "postgresql"."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from taybac.search.backends import tantivy_index
from taybac.search.backends.base import SearchBackend
from taybac.search.backends.postgres import PostgresBackend
from taybac.search.backends.sqlite import Fts5Backend
from taybac.search.backends.tantivy import TantivyBackend

BACKENDS: dict[str, type[SearchBackend]] = {
    "sqlite": Fts5Backend,
    "postgresql": PostgresBackend,
    "tantivy": TantivyBackend,
}
AUTO = {"sqlite": "tantivy", "postgresql": "postgresql"}


def _choice() -> str:
    return (getattr(settings, "TAYBAC_SEARCH_BACKEND", "auto") or "auto").strip().lower()


def tantivy_wanted() -> bool:
    """Whether the tantivy index file is kept (auto on SQLite, or chosen): updates are queued for it."""
    choice = _choice()
    wanted = choice == "tantivy" or (choice == "auto" and AUTO.get(connection.vendor) == "tantivy")
    return wanted and tantivy_index.available()


def backend_name() -> str:
    """The backend answering searches: auto on SQLite is tantivy once a full build of its index has completed
    (`taybac rebuild_search_index`, the demo, the nightly job), the database's own engine until then, so a
    fresh or lost index directory never hides products."""
    choice = _choice()
    if choice != "auto":
        return choice
    wanted = AUTO.get(connection.vendor, connection.vendor)
    if wanted == "tantivy" and not tantivy_index.is_ready():
        return connection.vendor
    return wanted


def get_backend() -> SearchBackend:
    """The configured backend; refuses one whose database is not the one in use (its tables do not exist)."""
    key = backend_name()
    backend = BACKENDS.get(key)
    if backend is None:
        raise ImproperlyConfigured(
            f"TAYBAC_SEARCH_BACKEND={key!r}: no search backend for it (choose auto, tantivy, sqlite or postgresql)."
        )
    if backend.vendor and backend.vendor != connection.vendor:
        raise ImproperlyConfigured(
            f"TAYBAC_SEARCH_BACKEND={key!r} needs a {backend.vendor} database, but the database is {connection.vendor}."
        )
    return backend()


def sql_backend() -> SearchBackend:
    """The database's own full-text engine (suggestions, and the reference the tantivy index is checked against)."""
    return BACKENDS[connection.vendor]()


__all__ = ["BACKENDS", "SearchBackend", "get_backend", "sql_backend", "tantivy_wanted"]
