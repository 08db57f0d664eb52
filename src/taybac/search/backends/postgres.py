"""PostgreSQL backend: a weighted tsvector over the folded text ('simple' config, no stemming).

Migration 0002 adds `document` to search_searchentry as a stored generated column
(name A, context B, body C) with a GIN index; `@@` uses the index, `ts_rank` orders within a tier.
"""
from __future__ import annotations

from taybac.search.backends.base import Match, SearchBackend, Sql, entry_table
from taybac.search.query import QueryPlan


def tsquery_text(plan: QueryPlan, *, name_only: bool = False) -> str:
    """`'mat' & ( 'tuyet' | 'tuyen' ) & 'on':*` — with `:A`/`:*A` to look in the name only."""
    weight = "A" if name_only else ""
    groups = []
    for group in plan.groups:
        alts = []
        for a in group.alternatives:
            label = ("*" if a.prefix else "") + weight
            alts.append(f"'{a.word}'" + (f":{label}" if label else ""))
        groups.append(alts[0] if len(alts) == 1 else "( " + " | ".join(alts) + " )")
    return " & ".join(groups)


class PostgresBackend(SearchBackend):
    name = "postgresql"
    vendor = "postgresql"

    def _match(self, plan: QueryPlan, *, name_only: bool = False) -> Match:
        return Match(
            from_=Sql(f"{entry_table()} e CROSS JOIN to_tsquery('simple', %s) q",
                      (tsquery_text(plan, name_only=name_only),)),
            where=Sql("e.document @@ q"),
            score=Sql("-ts_rank(e.document, q)"),
        )

    def after_rebuild(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {entry_table()}")
