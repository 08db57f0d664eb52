"""SQLite FTS5 backend (the embedded default).

The FTS5 table `search_fts` (migration 0002) indexes the folded text of search_searchentry, rowid =
product id; its unicode61 tokenizer cannot fold đ to d by itself, which is why text is folded before
it is stored. Tiers come from column-filtered matches of the same expression, evaluated once per
query by the engine instead of once per row.
"""

from __future__ import annotations

from django.db import connection

from taybac.search.backends.base import Match, SearchBackend, Sql
from taybac.search.query import QueryPlan

# bm25 column weights (name, context, body): ordering inside a ranking tier.
BM25_WEIGHTS = (10.0, 4.0, 1.0)


def fts5_expression(plan: QueryPlan, *, columns: str = "") -> str:
    """`"mat" AND ("tuyet" OR "tuyen") AND "on"*`, optionally restricted to columns (`name`,
    `{name context}`). Words are [0-9a-z] only; quoting them is belt and braces."""
    groups = []
    for group in plan.groups:
        alts = [f'"{a.word}"' + ("*" if a.prefix else "") for a in group.alternatives]
        groups.append(alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")")
    expression = " AND ".join(groups)
    return f"{columns} : ({expression})" if columns else expression


def fts5_phrase(plan: QueryPlan) -> str | None:
    """`name : ("mat" + "ong" + "bac" + "ha"*)`: the typed words adjacent, in order, in the name."""
    phrase = plan.phrase
    if phrase is None:
        return None
    return "name : (" + " + ".join(f'"{a.word}"' + ("*" if a.prefix else "") for a in phrase) + ")"


class Fts5Backend(SearchBackend):
    name = "sqlite-fts5"
    vendor = "sqlite"

    def _match(self, plan: QueryPlan, *, name_only: bool = False) -> Match:
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        subset = "search_fts.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"
        phrase = fts5_phrase(plan)
        phrase_tier = Sql(f"WHEN {subset} THEN 0 ", (phrase,)) if phrase else Sql("")
        return Match(
            from_=Sql("search_fts"),
            key="search_fts.rowid",
            entry=False,
            where=Sql("search_fts MATCH %s", (fts5_expression(plan, columns="name" if name_only else ""),)),
            tier=Sql(
                f"CASE {phrase_tier.sql}WHEN {subset} THEN 1 WHEN {subset} THEN 2 ELSE 3 END",
                (
                    *phrase_tier.params,
                    fts5_expression(plan, columns="name"),
                    fts5_expression(plan, columns="{name context}"),
                ),
            ),
            score=Sql(f"bm25(search_fts, {weights})"),
        )

    def after_rebuild(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")

    @staticmethod
    def integrity_check() -> None:
        """Raise if the FTS index disagrees with its content table (used by tests and operators)."""
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
