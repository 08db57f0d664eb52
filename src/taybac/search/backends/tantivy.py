"""tantivy backend (the embedded default on SQLite): the same plan, tiers and filters as the SQL engines, in an
embedded Rust index (backends/tantivy_index.py) instead of SQL.

Matching is the plan's AND of OR-groups, each alternative looked up in name, context and body (a prefix as a
term range, a synonym phrase as a phrase query), so the hits are those of the SQL engines by construction (the
vocabulary rules live in query.py for every engine). Ranking mirrors the SQL tiers with constant scores added
to BM25: phrase in the name 8000, every word in the name 4000, in name or context 2000, a valid OCOP
certificate 1000; BM25 over the three texts together (the "all" field) stays far below 1000, so tiers never
mix (the SQL engines weigh the fields inside BM25 too; here the tiers already do).
Equal scores keep tantivy's own order (the SQL engines then order by date and id).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import tantivy

from taybac.core.money import MAX_PRICE_VND
from taybac.search.backends import tantivy_index as ti
from taybac.search.backends.base import FilterSpec, Match, SearchBackend
from taybac.search.query import Alternative, QueryPlan

Occur, Q = tantivy.Occur, tantivy.Query
TIER_SCORES = (8000.0, 4000.0, 2000.0)  # phrase in name, all in name, all in name or context
OCOP_SCORE = 1000.0
_SORT_FIELD = {
    "price_asc": ("price", tantivy.Order.Asc),
    "price_desc": ("price_desc", tantivy.Order.Desc),
    "newest": ("created", tantivy.Order.Desc),
    "rating": ("rating", tantivy.Order.Desc),
}


def _alternative(a: Alternative, field: str) -> Any:
    words = a.words
    if len(words) > 1:
        return (Q.phrase_prefix_query if a.prefix else Q.phrase_query)(ti.SCHEMA, field, words)
    if a.prefix:
        return Q.regex_query(ti.SCHEMA, field, re.escape(a.word) + ".*")
    return Q.term_query(ti.SCHEMA, field, a.word)


def _any(queries: list[Any]) -> Any:
    return queries[0] if len(queries) == 1 else Q.boolean_query([(Occur.Should, q) for q in queries])


def _all(queries: list[Any]) -> Any:
    return queries[0] if len(queries) == 1 else Q.boolean_query([(Occur.Must, q) for q in queries])


def plan_query(plan: QueryPlan, fields: tuple[str, ...]) -> Any:
    """Every group matches in one of `fields` (each alternative in each field)."""
    return _all([_any([_alternative(a, f) for a in g.alternatives for f in fields]) for g in plan.groups])


def filter_queries(spec: FilterSpec) -> list[Any]:
    out: list[Any] = []
    if spec.province_code is not None:
        out.append(ti.equals("province", spec.province_code))
    if spec.category_slug is not None:
        out.append(Q.term_query(ti.SCHEMA, "category", spec.category_slug))
    if spec.ocop_min_stars is not None:
        out.append(Q.range_query(ti.SCHEMA, "ocop_stars", tantivy.FieldType.Unsigned, spec.ocop_min_stars, 5))
        out.append(_valid_ocop(spec))
    if spec.price_min is not None or spec.price_max is not None:
        low = spec.price_min or 0
        high = MAX_PRICE_VND if spec.price_max is None else spec.price_max
        out.append(Q.range_query(ti.SCHEMA, "price", tantivy.FieldType.Unsigned, low, high))
    if spec.season_bit is not None:
        out.append(ti.equals("month", spec.season_bit.bit_length() - 1))
    return out


def _valid_ocop(spec: FilterSpec) -> Any:
    return Q.range_query(ti.SCHEMA, "ocop_until", tantivy.FieldType.Unsigned, spec.today.toordinal(), 2**40)


class TantivyBackend(SearchBackend):
    name = "tantivy"
    vendor: ClassVar[str] = ""  # any database: the index is a file beside it

    def _match(self, plan: QueryPlan, *, name_only: bool = False) -> Match:
        raise NotImplementedError("tantivy answers without SQL; suggestions use the database's engine")

    def query(self, plan: QueryPlan | None, spec: FilterSpec, *, sort: str) -> Any:
        """The whole tantivy query: match (or everything), filters, and for relevance the tier scores."""
        clauses: list[tuple[Any, Any]] = [(Occur.Must, Q.const_score_query(q, 0.0)) for q in filter_queries(spec)]
        if plan is None:
            clauses.append((Occur.Must, Q.all_query()))
            return Q.boolean_query(clauses)
        scored = sort == "relevance"
        clauses.append((Occur.Must, plan_query(plan, ("all",))))
        if scored:
            phrase = plan.phrase
            if phrase is not None:
                words = [a.word for a in phrase]
                q = (Q.phrase_prefix_query if phrase[-1].prefix else Q.phrase_query)(ti.SCHEMA, "name", words)
                clauses.append((Occur.Should, Q.const_score_query(q, TIER_SCORES[0])))
            clauses.append((Occur.Should, Q.const_score_query(plan_query(plan, ("name",)), TIER_SCORES[1])))
            clauses.append((Occur.Should, Q.const_score_query(plan_query(plan, ("name", "context")), TIER_SCORES[2])))
            clauses.append((Occur.Should, Q.const_score_query(_valid_ocop(spec), OCOP_SCORE)))
        return Q.boolean_query(clauses)

    def _search(self, query: Any, *, limit: int, offset: int, sort: str) -> tuple[list[int], int]:
        index = ti.get_index()
        searcher = index.searcher()
        options: dict[str, Any] = {}
        if sort in _SORT_FIELD:
            options = {"order_by_field": _SORT_FIELD[sort][0], "order": _SORT_FIELD[sort][1]}
        result = searcher.search(query, limit=limit, count=True, offset=offset, **options)
        ids = [searcher.doc(address)["pid"][0] for _score, address in result.hits]
        return ids, int(result.count or 0)

    def ranked(
        self, plan: QueryPlan, spec: FilterSpec, *, limit: int, offset: int, sort: str = "relevance"
    ) -> tuple[list[int], int]:
        return self._search(self.query(plan, spec, sort=sort), limit=limit, offset=offset, sort=sort)

    def listing(self, spec: FilterSpec, *, limit: int, offset: int, sort: str = "newest") -> tuple[list[int], int]:
        order = "newest" if sort == "relevance" else sort
        return self._search(self.query(None, spec, sort=order), limit=limit, offset=offset, sort=order)

    def suggest(self, plan: QueryPlan, *, limit: int) -> list[str]:
        from taybac.search.backends import sql_backend

        return sql_backend().suggest(plan, limit=limit)
