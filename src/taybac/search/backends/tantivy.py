"""tantivy backend (the embedded default on SQLite): the same plan, tiers and filters as the SQL engines, in an
embedded Rust index (backends/tantivy_index.py) instead of SQL.

Matching is the plan's AND of OR-groups, each alternative looked up in name, context and body (a prefix as a
term range, a synonym phrase as a phrase query), so the hits are those of the SQL engines by construction (the
vocabulary rules live in query.py for every engine). Ranking follows the SQL tiers (see `bands`), then
BM25 over the three texts together (the "all" field; the SQL engines weigh the fields inside BM25 too, here the
tiers already do). Equal scores keep tantivy's own order (the SQL engines then order by date and id).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from taybac.core.money import MAX_PRICE_VND
from taybac.search.backends import tantivy_index as ti
from taybac.search.backends.base import FilterSpec, Match, SearchBackend
from taybac.search.query import Alternative, QueryPlan

tantivy: Any = ti.tantivy
Occur: Any = tantivy.Occur if tantivy is not None else None
Q: Any = tantivy.Query if tantivy is not None else None
OCOP_SCORE = 1000.0
TIER_FIELDS: tuple[tuple[str, ...], ...] = ((), ("name",), ("name", "context"))  # tier 0 is the phrase
_SORT_FIELD = {  # sort -> (fast field, tantivy.Order member)
    "price_asc": ("price", "Asc"),
    "price_desc": ("price_desc", "Desc"),
    "newest": ("created", "Desc"),
    "rating": ("rating", "Desc"),
}


def _alternative(a: Alternative, field: str) -> Any:
    words = a.words
    if len(words) > 1:
        return (Q.phrase_prefix_query if a.prefix else Q.phrase_query)(ti.SCHEMA, field, words)
    if a.prefix:  # one word: tantivy turns it into a range over the term dictionary (no expansion limit)
        return Q.phrase_prefix_query(ti.SCHEMA, field, [a.word])
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

    def _base(self, plan: QueryPlan | None, spec: FilterSpec) -> list[tuple[Any, Any]]:
        """The filters, then the match (or everything; always last), as Must clauses; only the match is scored
        (BM25)."""
        clauses = [(Occur.Must, Q.const_score_query(q, 0.0)) for q in filter_queries(spec)]
        clauses.append((Occur.Must, Q.all_query() if plan is None else plan_query(plan, ("all",))))
        return clauses

    def bands(self, plan: QueryPlan, base: list[tuple[Any, Any]]) -> Iterator[Any]:
        """The matches split into disjoint bands in ranking order: each tier (phrase in the name, every word in
        the name, in name or context, anywhere) minus the tier above it (they are nested). Inside a band a valid
        OCOP certificate adds OCOP_SCORE, far above any BM25 score, so certified products come first. A band is
        a plain conjunction, cheap for tantivy; scoring every match against all the tier clauses at once costs
        several times more, and a first page is usually filled by the first band. Built lazily: building a
        query (prefix automata) costs as much as running it."""
        ocop = Q.const_score_query(Q.term_query(ti.SCHEMA, "ocop_valid", "1"), OCOP_SCORE)
        phrase = plan.phrase

        def tier(i: int) -> Any:
            if i == 0:
                words = [a.word for a in phrase or ()]
                return (Q.phrase_prefix_query if phrase and phrase[-1].prefix else Q.phrase_query)(
                    ti.SCHEMA, "name", words
                )
            return plan_query(plan, TIER_FIELDS[i]) if i < len(TIER_FIELDS) else None

        previous = None
        filters = base[:-1]
        for i in range(0 if phrase else 1, len(TIER_FIELDS) + 1):
            current = tier(i)
            # A tier implies the match (name and context are part of "all"), so it replaces it: one posting
            # walk fewer, and the band's BM25 comes from the tier's own fields (the name, for the name tiers).
            clauses = [*(base if current is None else filters), (Occur.Should, ocop)]
            if current is not None:
                clauses.append((Occur.Must, current))
            if previous is not None:
                clauses.append((Occur.MustNot, previous))
            yield Q.boolean_query(clauses)
            previous = current

    def ranked(
        self, plan: QueryPlan, spec: FilterSpec, *, limit: int, offset: int, sort: str = "relevance"
    ) -> tuple[list[int], int]:
        searcher = ti.get_index().searcher()
        if sort != "relevance":
            return self._sorted(searcher, Q.boolean_query(self._base(plan, spec)), limit, offset, sort)
        base = self._base(plan, spec)
        total = int(searcher.search(Q.boolean_query(base), limit=1, count=True).count or 0)
        ids: list[int] = []
        skip, want = offset, limit
        for band in self.bands(plan, base) if offset < total else []:
            if want == 0:
                break
            result = searcher.search(band, limit=skip + want, count=True)  # (faster than without: no block-max)
            if skip and skip >= (result.count or 0):
                skip -= int(result.count or 0)
                continue
            hits = result.hits[skip : skip + want]
            ids += [searcher.doc(address)["pid"][0] for _score, address in hits]
            want -= len(hits)
            skip = 0
        return ids, total

    @staticmethod
    def _sorted(searcher: Any, query: Any, limit: int, offset: int, sort: str) -> tuple[list[int], int]:
        field, order = _SORT_FIELD[sort]
        result = searcher.search(
            query, limit=limit, count=True, offset=offset, order_by_field=field, order=getattr(tantivy.Order, order)
        )
        return [searcher.doc(address)["pid"][0] for _score, address in result.hits], int(result.count or 0)

    def listing(self, spec: FilterSpec, *, limit: int, offset: int, sort: str = "newest") -> tuple[list[int], int]:
        order = "newest" if sort == "relevance" else sort
        return self._sorted(ti.get_index().searcher(), Q.boolean_query(self._base(None, spec)), limit, offset, order)

    def suggest(self, plan: QueryPlan, *, limit: int) -> list[str]:
        from taybac.search.backends import sql_backend

        return sql_backend().suggest(plan, limit=limit)
