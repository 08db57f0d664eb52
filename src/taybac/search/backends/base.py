"""What every search backend shares: filters, ranking tiers, paging and suggestions in portable SQL.

A backend only says how its full-text engine matches a plan and scores a match (`_match`); the rest
of each statement is the same SQL on SQLite and PostgreSQL. Aliases used throughout: `e` the search
entry, `p` the product, `s` its shop.
"""
from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db import connection

from taybac.catalog.models import Category, OcopCertificate, Product, Shop, Variant
from taybac.search.models import SearchEntry
from taybac.search.query import QueryPlan


@dataclass(frozen=True)
class Sql:
    """A fragment of SQL and its parameters, in order."""

    sql: str
    params: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Match:
    """How a backend's engine joins in, restricts and scores: FROM must expose the entry as `e`;
    a lower score is a better match."""

    from_: Sql
    where: Sql
    score: Sql


@dataclass(frozen=True)
class FilterSpec:
    """Validated filters in database terms (see services.SearchFilters for the public shape)."""

    province_code: int | None = None
    category_slug: str | None = None
    ocop_min_stars: int | None = None
    price_min: int | None = None
    price_max: int | None = None
    season_bit: int | None = None
    today: datetime.date = field(default_factory=datetime.date.today)


def table(model: type) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def filter_sql(spec: FilterSpec) -> Sql:
    """Conditions on `p` and `s`: always active product of an active shop, plus the chosen filters.

    They are checked at query time against the catalogue itself, so a price change or an expired
    OCOP certificate counts at once even though neither is part of the indexed text.
    """
    conds, params = ["p.is_active = %s", "s.is_active = %s"], [True, True]
    if spec.province_code is not None:
        conds.append("s.province_id = %s")
        params.append(spec.province_code)
    if spec.category_slug is not None:
        conds.append(f"p.category_id IN (SELECT c.id FROM {table(Category)} c "
                     "WHERE c.slug = %s)")
        params.append(spec.category_slug)
    if spec.ocop_min_stars is not None:
        conds.append(f"EXISTS (SELECT 1 FROM {table(OcopCertificate)} o WHERE o.product_id = p.id "
                     "AND o.stars >= %s AND o.expires_on >= %s)")
        params += [spec.ocop_min_stars, connection.ops.adapt_datefield_value(spec.today)]
    if spec.price_min is not None or spec.price_max is not None:
        cheapest = (f"(SELECT MIN(v.price) FROM {table(Variant)} v "
                    "WHERE v.product_id = p.id AND v.is_active = %s)")
        if spec.price_min is not None:
            conds.append(f"{cheapest} >= %s")
            params += [True, spec.price_min]
        if spec.price_max is not None:
            conds.append(f"{cheapest} <= %s")
            params += [True, spec.price_max]
    if spec.season_bit is not None:
        conds.append("(p.season_mask & %s) <> 0")
        params.append(spec.season_bit)
    return Sql(" AND ".join(conds), tuple(params))


def _group_in(column: str, plan: QueryPlan) -> Sql:
    """All groups of the plan occur as whole words (or word prefixes) in `column`."""
    parts, params = [], []
    for group in plan.groups:
        alts = []
        for alt in group.alternatives:
            if alt.prefix:
                alts.append(f"(' ' || {column}) LIKE %s")
                params.append(f"% {alt.word}%")
            else:
                alts.append(f"(' ' || {column} || ' ') LIKE %s")
                params.append(f"% {alt.word} %")
        parts.append("(" + " OR ".join(alts) + ")")
    return Sql(" AND ".join(parts), tuple(params))


def tier_sql(plan: QueryPlan) -> Sql:
    """0: every word is in the name; 1: in the name, category, shop or place; 2: needs the description.

    An explicit tier, not column weights alone: BM25 saturates term frequency, so weights cannot
    guarantee that a name match outranks a description that repeats the word.
    """
    in_name = _group_in("e.name", plan)
    in_context = _group_in("e.name || ' ' || e.context", plan)
    return Sql(f"CASE WHEN {in_name.sql} THEN 0 WHEN {in_context.sql} THEN 1 ELSE 2 END",
               in_name.params + in_context.params)


class SearchBackend(ABC):
    """A full-text engine behind the shared SQL. Implementations are stateless."""

    name: ClassVar[str]
    vendor: ClassVar[str]

    @abstractmethod
    def _match(self, plan: QueryPlan, *, name_only: bool = False) -> Match:
        """FROM (exposing `e`), WHERE and score fragments of the engine's match of the plan."""

    def after_rebuild(self) -> None:
        """Housekeeping once the whole index was rewritten (e.g. merge index segments)."""

    def _joined(self, match: Match) -> Sql:
        return Sql(f"{match.from_.sql} JOIN {table(Product)} p ON p.id = e.product_id "
                   f"JOIN {table(Shop)} s ON s.id = p.shop_id", match.from_.params)

    def ranked(self, plan: QueryPlan, filters: Sql, *, limit: int, offset: int) -> tuple[list[int], int]:
        """One page of matching product ids, best first, and the number of matches.

        Scores are computed in a derived table: FTS5 refuses bm25() once a window function reorders rows.
        """
        match = self._match(plan)
        source = self._joined(match)
        tier = tier_sql(plan)
        where = f"{match.where.sql} AND {filters.sql}"
        where_params = (*source.params, *match.where.params, *filters.params)
        sql = (f"SELECT r.id, COUNT(*) OVER () FROM (SELECT p.id AS id, {tier.sql} AS tier, "
               f"{match.score.sql} AS score, p.created_at AS created FROM {source.sql} WHERE {where}) r "
               "ORDER BY r.tier, r.score, r.created DESC, r.id DESC LIMIT %s OFFSET %s")
        params = (*tier.params, *match.score.params, *where_params, limit, offset)
        count_sql = f"SELECT COUNT(*) FROM {source.sql} WHERE {where}"
        return self._page(sql, params, count_sql, where_params, offset)

    def listing(self, filters: Sql, *, limit: int, offset: int) -> tuple[list[int], int]:
        """No words typed: the filtered catalogue, newest first (the same on every backend)."""
        source = f"{table(Product)} p JOIN {table(Shop)} s ON s.id = p.shop_id"
        sql = (f"SELECT p.id, COUNT(*) OVER () FROM {source} WHERE {filters.sql} "
               "ORDER BY p.created_at DESC, p.id DESC LIMIT %s OFFSET %s")
        count_sql = f"SELECT COUNT(*) FROM {source} WHERE {filters.sql}"
        return self._page(sql, (*filters.params, limit, offset), count_sql, filters.params, offset)

    @staticmethod
    def _page(sql: str, params: tuple, count_sql: str, count_params: tuple, offset: int) -> tuple[list[int], int]:
        """The window count rides along with the page; only a page past the end needs its own count."""
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            if rows:
                return [row[0] for row in rows], int(rows[0][1])
            if offset == 0:
                return [], 0
            cursor.execute(count_sql, count_params)
            return [], int(cursor.fetchone()[0])

    def suggest(self, plan: QueryPlan, *, limit: int) -> list[str]:
        """Distinct product names matching the plan in the name, those starting with the typed words first."""
        match = self._match(plan, name_only=True)
        source = self._joined(match)
        starts = " ".join(plan.words) + "%"
        sql = (f"SELECT MIN(p.name), MIN(CASE WHEN e.name LIKE %s THEN 0 ELSE 1 END) AS starts, "
               f"COUNT(*) AS n FROM {source.sql} "
               f"WHERE {match.where.sql} AND p.is_active = %s AND s.is_active = %s "
               "GROUP BY e.name ORDER BY starts, n DESC, LENGTH(e.name), e.name LIMIT %s")
        params = (starts, *source.params, *match.where.params, True, True, limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]


def entry_table() -> str:
    return table(SearchEntry)
