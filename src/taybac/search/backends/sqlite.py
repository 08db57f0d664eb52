"""SQLite FTS5 backend (the embedded default).

The FTS5 table `search_fts` (migration 0002) indexes the folded text of search_searchentry; its
unicode61 tokenizer cannot fold đ to d by itself, which is why text is folded before it is stored.
"""
from __future__ import annotations

from taybac.search.backends.base import Match, SearchBackend, Sql, entry_table
from taybac.search.query import QueryPlan

# bm25 column weights (name, context, body): ordering inside a ranking tier.
BM25_WEIGHTS = (10.0, 4.0, 1.0)


def fts5_expression(plan: QueryPlan, *, name_only: bool = False) -> str:
    """`"mat" AND ("tuyet" OR "tuyen") AND "on"*`. Words are [0-9a-z] only, quoting is belt and braces."""
    groups = []
    for group in plan.groups:
        alts = [f'"{a.word}"' + ("*" if a.prefix else "") for a in group.alternatives]
        groups.append(alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")")
    expression = " AND ".join(groups)
    return f"name : ({expression})" if name_only else expression


class Fts5Backend(SearchBackend):
    name = "sqlite-fts5"
    vendor = "sqlite"

    def _match(self, plan: QueryPlan, *, name_only: bool = False) -> Match:
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        return Match(
            from_=Sql(f"search_fts JOIN {entry_table()} e ON e.product_id = search_fts.rowid"),
            where=Sql("search_fts MATCH %s", (fts5_expression(plan, name_only=name_only),)),
            score=Sql(f"bm25(search_fts, {weights})"),
        )

    def after_rebuild(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")

    @staticmethod
    def integrity_check() -> None:
        """Raise if the FTS index disagrees with its content table (used by tests and operators)."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
