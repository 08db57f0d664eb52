"""Choosing the search backend: settings.TAYBAC_SEARCH_BACKEND = "auto" (by database vendor),
"sqlite" (FTS5) or "postgresql"."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from taybac.search.backends.base import SearchBackend
from taybac.search.backends.postgres import PostgresBackend
from taybac.search.backends.sqlite import Fts5Backend

BACKENDS: dict[str, type[SearchBackend]] = {"sqlite": Fts5Backend, "postgresql": PostgresBackend}


def get_backend() -> SearchBackend:
    """The configured backend; refuses one whose database is not the one in use (its tables do not exist)."""
    choice = (getattr(settings, "TAYBAC_SEARCH_BACKEND", "auto") or "auto").strip().lower()
    vendor = connection.vendor
    key = vendor if choice == "auto" else choice
    backend = BACKENDS.get(key)
    if backend is None:
        raise ImproperlyConfigured(
            f"TAYBAC_SEARCH_BACKEND={choice!r}: no search backend for it (choose auto, sqlite or postgresql)."
        )
    if backend.vendor != vendor:
        raise ImproperlyConfigured(
            f"TAYBAC_SEARCH_BACKEND={choice!r} needs a {backend.vendor} database, but the database is {vendor}."
        )
    return backend()


__all__ = ["BACKENDS", "SearchBackend", "get_backend"]
