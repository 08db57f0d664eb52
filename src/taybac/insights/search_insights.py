"""What buyers search for (docs/insights.md, "What buyers search for"): searches with no or few results by week
and buyer province, rising terms, and the share of visits with searches that end in an order.

Reads only the query log (taybac.search.models.SearchQueryLog), one GROUP BY per figure. Counted: first pages
of searches with words (a listing without words or page 2 of the same search is not a new search). Privacy: a
term is shown only when at least K_VISITS distinct visits searched it in the figure's cell (week × province, or
the whole window), so no one's single search is ever exposed; searches without a visit token (the API's, logs
from before visits) cannot be counted that way and never name a term, though they count in the totals.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Value, When

from taybac.catalog.models import Product, Shop
from taybac.core.text import fold_words
from taybac.insights.indicators import local_zone
from taybac.regions.models import Province
from taybac.search.models import SearchQueryLog

K_VISITS = 3  # k-anonymity: distinct visits needed before a term is shown
FEW_RESULTS = 3  # "few results": at most 3 products, less than one screen of cards on a phone to choose from
WEEKS = 12  # weeks shown in the weekly tables
RISE_WEEKS = 4  # rising terms: the last 4 complete weeks against the 4 before them
MIN_RECENT = 5  # … searched at least 5 times in the last 4 weeks
RISE_FACTOR = 1.5  # … and at least 1.5 times as often as before (a term new in the window: before = 0)
MAX_TERMS = 40


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _instant(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=local_zone())


def weeks_before(*, today: datetime.date, weeks: int) -> list[datetime.date]:
    """The Mondays of the `weeks` complete weeks before `today`'s week, oldest first."""
    this = week_start(today)
    return [this - datetime.timedelta(weeks=n) for n in range(weeks, 0, -1)]


def _searches(*, province: int | None) -> QuerySet[SearchQueryLog]:
    logs = SearchQueryLog.objects.filter(page=1).exclude(query="").order_by()
    return logs.filter(buyer_province_id=province) if province is not None else logs


def _week_index(mondays: Sequence[datetime.date]) -> Case:
    """The week a search falls in, as an index into `mondays` (a CASE the database evaluates natively; TruncWeek
    calls Python once per row on SQLite — see indicators.monthly_orders)."""
    return Case(
        *[When(created_at__gte=_instant(m), then=Value(i)) for i, m in reversed(list(enumerate(mondays)))],
        output_field=IntegerField(),
    )


def _window(logs: QuerySet[SearchQueryLog], mondays: Sequence[datetime.date]) -> QuerySet[SearchQueryLog]:
    end = mondays[-1] + datetime.timedelta(weeks=1)
    return logs.filter(created_at__gte=_instant(mondays[0]), created_at__lt=_instant(end))


VISITED = ~Q(visit="")


@dataclass(frozen=True)
class WeekCounts:
    week: datetime.date
    searches: int
    zero: int  # searches that found nothing
    few: int  # 1..FEW_RESULTS results


def unmet_weekly(*, province: int | None, today: datetime.date, weeks: int = WEEKS) -> list[WeekCounts]:
    """Searches per week and how many found nothing or few products (counts only, every week shown)."""
    mondays = weeks_before(today=today, weeks=weeks)
    rows = (
        _window(_searches(province=province), mondays)
        .annotate(week=_week_index(mondays))
        .values("week")
        .annotate(
            n=Count("id"),
            zero=Count("id", filter=Q(result_count=0)),
            few=Count("id", filter=Q(result_count__gt=0, result_count__lte=FEW_RESULTS)),
        )
    )
    found = {r["week"]: r for r in rows}
    return [
        WeekCounts(m, r["n"], r["zero"], r["few"]) if (r := found.get(i)) else WeekCounts(m, 0, 0, 0)
        for i, m in enumerate(mondays)
    ]


@dataclass(frozen=True)
class TermRow:
    query: str
    searches: int
    visits: int
    results: int  # the most products any of these searches found
    week: datetime.date | None = None  # None: the whole window

    @property
    def zero(self) -> bool:
        return self.results == 0


def unmet_terms(
    *, province: int | None, today: datetime.date, weeks: int = WEEKS, by_week: bool = False
) -> list[TermRow]:
    """Terms whose searches found at most FEW_RESULTS products, searched by ≥ K_VISITS visits (per week when
    `by_week`, newest week first; else over the whole window), most searched first."""
    mondays = weeks_before(today=today, weeks=weeks)
    logs = _window(_searches(province=province), mondays).filter(result_count__lte=FEW_RESULTS)
    group = ("week", "query") if by_week else ("query",)
    if by_week:
        logs = logs.annotate(week=_week_index(mondays))
    rows = (
        logs.values(*group)
        .annotate(n=Count("id"), visits=Count("visit", distinct=True, filter=VISITED), results=Max("result_count"))
        .filter(visits__gte=K_VISITS)
        .order_by(*(["-week"] if by_week else []), "-n", "query")
    )
    return [
        TermRow(r["query"], r["n"], r["visits"], r["results"], mondays[r["week"]] if by_week else None)
        for r in rows[: MAX_TERMS * (weeks if by_week else 1)]
    ]


@dataclass(frozen=True)
class RisingRow:
    query: str
    recent: int  # searches in the last RISE_WEEKS complete weeks
    before: int  # in the RISE_WEEKS before those
    visits: int
    last_year: tuple[int, int] | None  # the same two windows a year earlier, when the log reaches back that far

    @property
    def ratio(self) -> float | None:
        return self.recent / self.before if self.before else None

    @property
    def seasonal(self) -> bool | None:
        """True when the term also rose in the same weeks last year (likely the season), None when unknown."""
        if self.last_year is None:
            return None
        return _rises(*self.last_year)


def _rises(recent: int, before: int) -> bool:
    return recent >= MIN_RECENT and recent >= RISE_FACTOR * before


def _two_windows(
    logs: QuerySet[SearchQueryLog], mid: datetime.date, *, queries: Iterable[str] | None = None
) -> QuerySet:
    start, end = mid - datetime.timedelta(weeks=RISE_WEEKS), mid + datetime.timedelta(weeks=RISE_WEEKS)
    logs = logs.filter(created_at__gte=_instant(start), created_at__lt=_instant(end))
    if queries is not None:
        logs = logs.filter(query__in=list(queries))
    recent = Q(created_at__gte=_instant(mid))
    return logs.values("query").annotate(
        recent=Count("id", filter=recent),
        before=Count("id", filter=~recent),
        visits=Count("visit", distinct=True, filter=recent & VISITED),
    )


def rising_terms(*, province: int | None, today: datetime.date) -> list[RisingRow]:
    """Terms searched at least MIN_RECENT times by ≥ K_VISITS visits in the last RISE_WEEKS weeks and at least
    RISE_FACTOR times as often as in the RISE_WEEKS before, most searched first; with last year's same weeks
    (52 weeks earlier) when the log reaches back to them."""
    mid = week_start(today) - datetime.timedelta(weeks=RISE_WEEKS)
    logs = _searches(province=province)
    rows = [
        r
        for r in _two_windows(logs, mid).filter(recent__gte=MIN_RECENT, visits__gte=K_VISITS)
        if _rises(r["recent"], r["before"])
    ]
    rows.sort(key=lambda r: (-r["recent"], r["query"]))  # most searched first, as the bars show
    rows = rows[:MAX_TERMS]
    year_mid = mid - datetime.timedelta(weeks=52)
    known = logs.filter(created_at__lt=_instant(year_mid)).exists()  # the log reaches last year's windows
    last = (
        {
            r["query"]: (r["recent"], r["before"])
            for r in _two_windows(logs, year_mid, queries=[r["query"] for r in rows])
        }
        if known and rows
        else {}
    )
    return [
        RisingRow(r["query"], r["recent"], r["before"], r["visits"], last.get(r["query"], (0, 0)) if known else None)
        for r in rows
    ]


@dataclass(frozen=True)
class ShareRow:
    label: str  # the week's Monday (dd/mm) or the province's name
    key: str  # ISO date or province code, for CSV
    visits: int  # visits that searched
    ordered: int  # of them, visits that placed an order within 24 h

    @property
    def share(self) -> float | None:
        return 100 * self.ordered / self.visits if self.visits else None


SEARCHED = Count("visit", distinct=True, filter=VISITED)
ORDERED = Count("visit", distinct=True, filter=VISITED & Q(led_to_order=True))


def order_share_by_week(*, province: int | None, today: datetime.date, weeks: int = WEEKS) -> list[ShareRow]:
    """Per week: visits with searches, and how many of them ended in an order."""
    mondays = weeks_before(today=today, weeks=weeks)
    logs = _window(SearchQueryLog.objects.order_by(), mondays)
    logs = logs.filter(buyer_province_id=province) if province is not None else logs
    rows = logs.annotate(week=_week_index(mondays)).values("week").annotate(visits=SEARCHED, ordered=ORDERED)
    found = {r["week"]: r for r in rows}
    return [
        ShareRow(
            m.strftime("%d/%m"), m.isoformat(), found.get(i, {}).get("visits", 0), found.get(i, {}).get("ordered", 0)
        )
        for i, m in enumerate(mondays)
    ]


def order_share_by_province(*, today: datetime.date, weeks: int = WEEKS) -> list[ShareRow]:
    """Per buyer province (the region's nine first, then the rest), over the window; provinces with fewer than
    K_VISITS visits are left out (a share of one or two visits would be about people, not a place)."""
    mondays = weeks_before(today=today, weeks=weeks)
    rows = (
        _window(SearchQueryLog.objects.filter(buyer_province__isnull=False).order_by(), mondays)
        .values("buyer_province")
        .annotate(visits=SEARCHED, ordered=ORDERED)
        .filter(visits__gte=K_VISITS)
    )
    names = {p.pk: p for p in Province.objects.filter(pk__in=[r["buyer_province"] for r in rows])}
    found = [(names[r["buyer_province"]], r) for r in rows if r["buyer_province"] in names]
    found.sort(key=lambda pr: (not pr[0].in_region, -pr[1]["visits"], pr[0].name))
    return [ShareRow(p.name, str(p.pk), r["visits"], r["ordered"]) for p, r in found]


@dataclass(frozen=True)
class Demand:
    """A term buyers look for that matches what a shop sells or where it is."""

    query: str
    searches: int
    visits: int
    reason: str  # plain Vietnamese: why it is shown


def _names_words(names: Iterable[str]) -> list[list[str]]:
    return [words for n in names if n and (words := fold_words(n))]


def matches(query: str, names: Sequence[Sequence[str]]) -> bool:
    """A term matches a name when every word of the term is in it ("ong bac ha" ~ "Mật ong bạc hà"), or when both
    start with the same word and share another ("mat ong rung" ~ "Mật ong bạc hà"): a Vietnamese noun phrase
    starts with its head, so "ruou ngo bac ha" (the town Bắc Hà) does not match mint honey ("bạc hà" folds the
    same)."""
    words = query.split()
    if not words:
        return False
    for name in names:
        shared = set(words) & set(name)
        if shared == set(words) or (words[0] == name[0] and len(shared) >= 2):
            return True
    return False


def demand_for_shop(*, shop: Shop, today: datetime.date, weeks: int = 8) -> list[Demand]:
    """What buyers looked for in the last `weeks` weeks that this shop could answer: unmet or rising terms matching
    its products' or categories' names, and terms buyers in its own province found nothing for."""
    names = _names_words(
        n for pair in Product.objects.filter(shop=shop).values_list("name", "category__name") for n in pair
    )
    shown: dict[str, Demand] = {}
    for row in unmet_terms(province=None, today=today, weeks=weeks):
        if matches(row.query, names):
            what = "không tìm thấy sản phẩm nào" if row.zero else f"chỉ thấy {row.results} sản phẩm"
            shown[row.query] = Demand(row.query, row.searches, row.visits, f"Người mua {what}")
    for rise in rising_terms(province=None, today=today):
        if rise.query not in shown and matches(rise.query, names):
            why = f"Đang tăng: {rise.recent} lượt trong 4 tuần qua, trước đó {rise.before}"
            shown[rise.query] = Demand(rise.query, rise.recent, rise.visits, why)
    if shop.province_id is not None:
        for row in unmet_terms(province=shop.province_id, today=today, weeks=weeks):
            if row.zero and row.query not in shown:
                why = "Người mua trong tỉnh của bạn không tìm thấy sản phẩm nào"
                shown[row.query] = Demand(row.query, row.searches, row.visits, why)
    return sorted(shown.values(), key=lambda d: (-d.searches, d.query))[:MAX_TERMS]
