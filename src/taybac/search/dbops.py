"""A migration operation that runs raw SQL on one database vendor only.

FTS5 tables exist only in SQLite and tsvector columns only in PostgreSQL; each backend's structure is
created by its own guarded operation so the same migration history applies to both databases.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import migrations


class VendorRunSQL(migrations.RunSQL):
    """`RunSQL` that does nothing unless the connection's vendor matches (e.g. "sqlite", "postgresql")."""

    def __init__(self, vendor: str, sql: Any, reverse_sql: Any = None, **kwargs: Any) -> None:
        self.vendor = vendor
        super().__init__(sql, reverse_sql, **kwargs)

    def deconstruct(self) -> tuple[str, Sequence[Any], dict[str, Any]]:
        name, args, kwargs = super().deconstruct()
        kwargs["vendor"] = self.vendor
        return name, args, kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"Raw SQL operation ({self.vendor} only)"
