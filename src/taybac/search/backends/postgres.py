"""PostgreSQL backend: a weighted tsvector over the folded text ('simple' config, no stemming).

Migration 0002 adds `document` to search_searchentry as a stored generated column
(name A, context B, body C) with a GIN index; `@@` uses the index, tiers are the same query
restricted to weights A and A+B, `ts_rank` orders within a tier.
"""

from __future__ import annotations

from django.db import connection

from taybac.search.backends.base import Match, SearchBackend, Sql, table
from taybac.search.models import SearchEntry
from taybac.search.query import QueryPlan


def tsquery_text(plan: QueryPlan, *, weights: str = "") -> str:
    """`'mat' & ( 'tuyet' | 'tuyen' ) & 'on':*` — with weights "A" (`'mat':A`, `'on':*A`) to look
    in the name only, "AB" in the name and context."""
    groups = []
    for group in plan.groups:
        alts = []
        for a in group.alternatives:
            label = ("*" if a.prefix else "") + weights
            alts.append(f"'{a.word}'" + (f":{label}" if label else ""))
        groups.append(alts[0] if len(alts) == 1 else "( " + " | ".join(alts) + " )")
    return " & ".join(groups)


def tsquery_phrase(plan: QueryPlan) -> str | None:
    """`'mat':A <-> 'ong':A <-> 'ha':*A` — the typed words adjacent, in order, in the name."""
    phrase = plan.phrase
    if phrase is None:
        return None
    return " <-> ".join(f"'{a.word}':" + ("*" if a.prefix else "") + "A" for a in phrase)


class PostgresBackend(SearchBackend):
    name = "postgresql"
    vendor = "postgresql"

    def _match(self, plan: QueryPlan, *, name_only: bool = False) -> Match:
        subset = "e.document @@ to_tsquery('simple', %s)"
        phrase = tsquery_phrase(plan)
        phrase_tier = Sql(f"WHEN {subset} THEN 0 ", (phrase,)) if phrase else Sql("")
        return Match(
            from_=Sql(
                f"{table(SearchEntry)} e CROSS JOIN to_tsquery('simple', %s) q",
                (tsquery_text(plan, weights="A" if name_only else ""),),
            ),
            key="e.product_id",
            entry=True,
            where=Sql("e.document @@ q"),
            tier=Sql(
                f"CASE {phrase_tier.sql}WHEN {subset} THEN 1 WHEN {subset} THEN 2 ELSE 3 END",
                (*phrase_tier.params, tsquery_text(plan, weights="A"), tsquery_text(plan, weights="AB")),
            ),
            score=Sql("-ts_rank(e.document, q)"),
        )

    def after_rebuild(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table(SearchEntry)}")
