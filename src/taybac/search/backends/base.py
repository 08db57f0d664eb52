"""What every search backend shares: filters, ranking order, paging and suggestions in portable SQL.

A backend only says how its full-text engine matches a plan, ranks it into tiers and scores it
(`_match`); the rest of each statement is the same SQL on SQLite and PostgreSQL. Aliases used
throughout: `p` the product, `s` its shop, `e` the search entry (when joined).
"""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db import connection, models

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
    """A backend's match of a plan.

    `from_` is the engine's source, `key` the SQL expression of the product id in it, `entry` whether
    `from_` already exposes the search entry as `e`. `where` restricts to matches. `tier` ranks first:
    0 when every word is in the name, 1 when every word is in the name, category, shop or place, 2 when
    the description is needed — an explicit tier because BM25 saturates term frequency, so column
    weights alone cannot guarantee that a name match outranks a description repeating the word.
    `score` orders inside a tier (lower is better).
    """

    from_: Sql
    key: str
    entry: bool
    where: Sql
    tier: Sql
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


def table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def filter_sql(spec: FilterSpec) -> Sql:
    """Conditions on `p` and `s`: always active product of an active shop, plus the chosen filters.

    They are checked at query time against the catalogue itself, so a price change or an expired
    OCOP certificate counts at once even though neither is part of the indexed text.
    """
    conds: list[str] = ["p.is_active = %s", "s.is_active = %s"]
    params: list[Any] = [True, True]
    if spec.province_code is not None:
        conds.append("s.province_id = %s")
        params.append(spec.province_code)
    if spec.category_slug is not None:
        conds.append(f"p.category_id IN (SELECT c.id FROM {table(Category)} c WHERE c.slug = %s)")
        params.append(spec.category_slug)
    if spec.ocop_min_stars is not None:
        conds.append(
            f"EXISTS (SELECT 1 FROM {table(OcopCertificate)} o WHERE o.product_id = p.id "
            "AND o.stars >= %s AND o.expires_on >= %s)"
        )
        params += [spec.ocop_min_stars, connection.ops.adapt_datefield_value(spec.today)]
    if spec.price_min is not None or spec.price_max is not None:
        cheapest = f"(SELECT MIN(v.price) FROM {table(Variant)} v WHERE v.product_id = p.id AND v.is_active = %s)"
        low = 0 if spec.price_min is None else spec.price_min
        if spec.price_max is None:
            conds.append(f"{cheapest} >= %s")
            params += [True, low]
        else:
            conds.append(f"{cheapest} BETWEEN %s AND %s")  # one subquery per row, not two
            params += [True, low, spec.price_max]
    if spec.season_bit is not None:
        conds.append("(p.season_mask & %s) <> 0")
        params.append(spec.season_bit)
    return Sql(" AND ".join(conds), tuple(params))


SORTS = ("relevance", "price_asc", "price_desc", "newest", "rating")
_TIE = "r.tier, r.ocop, r.score, r.created DESC, r.id DESC"
# ORDER BY of each sort over the derived table r (see sort_columns). Relevance: tier (name > category/shop/place >
# description), then a valid OCOP certificate, then the engine's score, newest, id, so the order is total.
SORT_ORDER = {
    "relevance": _TIE,
    "price_asc": f"(r.price IS NULL), r.price, {_TIE}",
    "price_desc": f"(r.price IS NULL), r.price DESC, {_TIE}",
    "newest": "r.created DESC, r.id DESC",
    "rating": f"r.rating DESC, r.rating_count DESC, {_TIE}",
}


def sort_columns(sort: str, today: Any, *, ocop: bool = True) -> Sql:
    """The derived table's extra columns: OCOP validity for ranked results, price or rating when the sort needs
    them (each is a subquery or expression per matching row, so only what the order uses)."""
    cols: list[str] = []
    params: list[Any] = []
    if ocop:
        cols.append(
            f", CASE WHEN EXISTS (SELECT 1 FROM {table(OcopCertificate)} o WHERE o.product_id = p.id "
            "AND o.expires_on >= %s) THEN 0 ELSE 1 END AS ocop"
        )
        params.append(connection.ops.adapt_datefield_value(today or datetime.date.today()))
    if sort.startswith("price"):
        cols.append(
            f", (SELECT MIN(v.price) FROM {table(Variant)} v WHERE v.product_id = p.id AND v.is_active = %s) AS price"
        )
        params.append(True)
    if sort == "rating":
        cols.append(
            ", CASE WHEN p.rating_count > 0 THEN p.rating_total * 1.0 / p.rating_count ELSE 0 END AS rating"
            ", p.rating_count AS rating_count"
        )
    return Sql("".join(cols), tuple(params))


class SearchBackend(ABC):
    """A full-text engine behind the shared SQL. Implementations are stateless."""

    name: ClassVar[str]
    vendor: ClassVar[str]

    @abstractmethod
    def _match(self, plan: QueryPlan, *, name_only: bool = False) -> Match:
        """The engine's match of the plan; `name_only` restricts it to product names (suggestions)."""

    def after_rebuild(self) -> None:  # noqa: B027 - an optional hook: doing nothing is the right default
        """Housekeeping once the whole index was rewritten (e.g. merge index segments)."""

    def _joined(self, match: Match, *, with_entry: bool = False) -> Sql:
        entry = f" JOIN {table(SearchEntry)} e ON e.product_id = {match.key}" if with_entry and not match.entry else ""
        return Sql(
            f"{match.from_.sql}{entry} JOIN {table(Product)} p ON p.id = {match.key} "
            f"JOIN {table(Shop)} s ON s.id = p.shop_id",
            match.from_.params,
        )

    def ranked(
        self, plan: QueryPlan, spec: FilterSpec, *, limit: int, offset: int, sort: str = "relevance"
    ) -> tuple[list[int], int]:
        """One page of matching product ids in the chosen order, and the number of matches.

        Scores are computed in a derived table: FTS5 refuses bm25() once a window function reorders rows.
        """
        filters, today = filter_sql(spec), spec.today
        match = self._match(plan)
        source = self._joined(match)
        tier = match.tier
        where = f"{match.where.sql} AND {filters.sql}"
        where_params = (*source.params, *match.where.params, *filters.params)
        extra = sort_columns(sort, today)
        sql = (
            f"SELECT r.id, COUNT(*) OVER () FROM (SELECT p.id AS id, {tier.sql} AS tier, "
            f"{match.score.sql} AS score, p.created_at AS created{extra.sql} FROM {source.sql} WHERE {where}) r "
            f"ORDER BY {SORT_ORDER[sort]} LIMIT %s OFFSET %s"
        )
        params = (*tier.params, *match.score.params, *extra.params, *where_params, limit, offset)
        count_sql = f"SELECT COUNT(*) FROM {source.sql} WHERE {where}"
        return self._page(sql, params, count_sql, where_params, offset)

    def listing(self, spec: FilterSpec, *, limit: int, offset: int, sort: str = "newest") -> tuple[list[int], int]:
        """No words typed: the filtered catalogue, newest first unless another order is asked for."""
        filters, today = filter_sql(spec), spec.today
        source = f"{table(Product)} p JOIN {table(Shop)} s ON s.id = p.shop_id"
        extra = sort_columns(sort, today, ocop=False)
        order = SORT_ORDER["newest" if sort == "relevance" else sort].replace("r.tier, r.ocop, r.score, ", "")
        sql = (
            f"SELECT r.id, COUNT(*) OVER () FROM (SELECT p.id AS id, 0 AS tier, 0 AS score, "
            f"p.created_at AS created{extra.sql} FROM {source} WHERE {filters.sql}) r "
            f"ORDER BY {order} LIMIT %s OFFSET %s"
        )
        count_sql = f"SELECT COUNT(*) FROM {source} WHERE {filters.sql}"
        return self._page(sql, (*extra.params, *filters.params, limit, offset), count_sql, filters.params, offset)

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
        source = self._joined(match, with_entry=True)
        starts = " ".join(plan.words) + "%"
        sql = (
            f"SELECT MIN(p.name), MIN(CASE WHEN e.name LIKE %s THEN 0 ELSE 1 END) AS starts, "
            f"COUNT(*) AS n FROM {source.sql} "
            f"WHERE {match.where.sql} AND p.is_active = %s AND s.is_active = %s "
            "GROUP BY e.name ORDER BY starts, n DESC, LENGTH(e.name), e.name LIMIT %s"
        )
        params = (starts, *source.params, *match.where.params, True, True, limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]
