"""What buyers search for, on known log rows: zero- and few-result searches by week and province, rising terms
with last year's same weeks, the share of visits that ordered, a shop's matching terms, and the k-anonymity rule
(a term needs K_VISITS distinct visits in its cell; searches without a visit never name a term)."""

from __future__ import annotations

import datetime
import itertools

import pytest

from taybac.insights import search_insights as si
from taybac.insights.indicators import local_zone
from taybac.search.models import SearchQueryLog
from tests.factories import make_product, make_shop

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 10)  # a Wednesday: the current week (from Monday 8 June) is never counted
THIS_MONDAY = datetime.date(2026, 6, 8)
HA_NOI, LAO_CAI, SON_LA = 1, 15, 14
_tokens = itertools.count(1)


def visit() -> str:
    return f"{next(_tokens):032x}"


def log(query: str, *, weeks_back: int, visits: list[str], results: int = 0, province: int | None = HA_NOI,
        ordered: bool = False, page: int = 1, day: int = 2) -> None:  # fmt: skip
    """One search per visit token, `weeks_back` complete weeks before this week (1 = last week)."""
    moment = datetime.datetime.combine(
        THIS_MONDAY - datetime.timedelta(weeks=weeks_back, days=-day), datetime.time(10), tzinfo=local_zone()
    )
    for token in visits:
        row = SearchQueryLog.objects.create(
            query=query, result_count=results, backend="sql", page=page, visit=token,
            buyer_province_id=province, led_to_order=ordered,
        )  # fmt: skip
        SearchQueryLog.objects.filter(pk=row.pk).update(created_at=moment)


def fresh(n: int) -> list[str]:
    return [visit() for _ in range(n)]


def test_weekly_zero_and_few_counts_include_every_search() -> None:
    log("sau rieng", weeks_back=1, visits=fresh(2))  # zero
    log("sau rieng", weeks_back=1, visits=["", ""])  # no visit: counted in totals all the same
    log("mit say", weeks_back=1, visits=fresh(1), results=3)  # few (≤ 3)
    log("mat ong", weeks_back=1, visits=fresh(3), results=4)  # enough
    log("sau rieng", weeks_back=1, visits=fresh(1), page=2)  # page 2: not a new search
    log("", weeks_back=1, visits=fresh(1))  # a listing without words
    log("sau rieng", weeks_back=0, visits=fresh(1))  # this week: not complete
    log("sau rieng", weeks_back=3, visits=fresh(1), province=SON_LA)
    weeks = si.unmet_weekly(province=None, today=TODAY)
    assert len(weeks) == si.WEEKS and weeks[-1].week == datetime.date(2026, 6, 1)
    assert (weeks[-1].searches, weeks[-1].zero, weeks[-1].few) == (8, 4, 1)
    assert (weeks[-3].searches, weeks[-3].zero) == (1, 1) and weeks[-2].searches == 0
    assert [w.searches for w in si.unmet_weekly(province=SON_LA, today=TODAY)][-3:] == [1, 0, 0]


def test_a_term_needs_three_distinct_visits() -> None:
    three = fresh(3)
    log("sau rieng", weeks_back=1, visits=[*three, three[0], three[1]])  # 5 searches, 3 visits: shown
    log("vai thieu", weeks_back=1, visits=[*(two := fresh(2)), *two])  # 4 searches, 2 visits: hidden
    log("ca phe", weeks_back=1, visits=["", "", "", ""])  # no visits: never named
    log("mat ong", weeks_back=1, visits=fresh(5), results=12)  # found plenty: not unmet
    log("mit say", weeks_back=2, visits=fresh(3), results=2)
    rows = si.unmet_terms(province=None, today=TODAY)
    assert [(r.query, r.searches, r.visits, r.results, r.zero) for r in rows] == [
        ("sau rieng", 5, 3, 0, True),
        ("mit say", 3, 3, 2, False),
    ]


def test_by_week_each_cell_needs_three_visits() -> None:
    log("sau rieng", weeks_back=1, visits=fresh(2))
    log("sau rieng", weeks_back=2, visits=fresh(1))  # 3 visits in the window, but 2 + 1 in the weeks
    log("mang cut", weeks_back=2, visits=fresh(3))
    assert [r.query for r in si.unmet_terms(province=None, today=TODAY)] == ["mang cut", "sau rieng"]
    by_week = si.unmet_terms(province=None, today=TODAY, by_week=True)
    assert [(r.week, r.query, r.searches) for r in by_week] == [(datetime.date(2026, 5, 25), "mang cut", 3)]


def test_officer_province_sees_only_its_buyers_searches() -> None:
    log("sau rieng", weeks_back=1, visits=fresh(3), province=LAO_CAI)
    log("vai thieu", weeks_back=1, visits=fresh(3), province=SON_LA)
    log("mang cut", weeks_back=1, visits=fresh(3), province=None)
    assert [r.query for r in si.unmet_terms(province=LAO_CAI, today=TODAY)] == ["sau rieng"]
    assert {r.query for r in si.unmet_terms(province=None, today=TODAY)} == {"sau rieng", "vai thieu", "mang cut"}


def test_rising_terms_need_volume_growth_and_visits() -> None:
    log("xoai", weeks_back=2, visits=fresh(6), results=5)  # recent 6 against 2: rising
    log("xoai", weeks_back=6, visits=fresh(2), results=5)
    log("mat ong", weeks_back=1, visits=fresh(6), results=5)  # 6 against 5: steady
    log("mat ong", weeks_back=5, visits=fresh(5), results=5)
    log("man hau", weeks_back=1, visits=fresh(4), results=5)  # new, but only 4: below MIN_RECENT
    log("sau rieng", weeks_back=1, visits=[*(two := fresh(2)), *two, two[0]])  # 5 searches by 2 visits: hidden
    log("tra shan", weeks_back=4, visits=fresh(7), results=5)  # new in the window (before = 0)
    log("tra shan", weeks_back=9, visits=fresh(7), results=5)  # outside both windows: ignored
    rows = si.rising_terms(province=None, today=TODAY)
    assert [(r.query, r.recent, r.before, r.visits) for r in rows] == [("tra shan", 7, 0, 7), ("xoai", 6, 2, 6)]
    assert all(r.last_year is None and r.seasonal is None for r in rows)  # the log does not reach back a year


def test_rising_terms_compare_with_last_years_same_weeks() -> None:
    log("xoai", weeks_back=2, visits=fresh(6))
    log("man", weeks_back=2, visits=fresh(6))
    log("xoai", weeks_back=54, visits=fresh(8))  # a year earlier, recent window: 8 against 1
    log("xoai", weeks_back=58, visits=fresh(1))
    log("man", weeks_back=58, visits=fresh(4))  # a year earlier: 0 against 4
    rows = {r.query: r for r in si.rising_terms(province=None, today=TODAY)}
    assert rows["xoai"].last_year == (8, 1) and rows["xoai"].seasonal is True
    assert rows["man"].last_year == (0, 4) and rows["man"].seasonal is False


def test_share_of_visits_with_searches_that_ordered() -> None:
    buyer, browser = visit(), visit()
    log("mat ong", weeks_back=1, visits=[buyer, buyer], results=5, ordered=True)  # one visit, two searches
    log("che", weeks_back=1, visits=[browser, *fresh(2)], results=5)
    log("che", weeks_back=1, visits=[""], results=5)  # no visit: not a visit
    log("che", weeks_back=2, visits=fresh(2), results=5, province=SON_LA, ordered=True)
    log("che", weeks_back=2, visits=fresh(2), results=5, province=SON_LA)
    weeks = si.order_share_by_week(province=None, today=TODAY)
    assert (weeks[-1].visits, weeks[-1].ordered, weeks[-1].share) == (4, 1, 25.0)
    assert (weeks[-2].visits, weeks[-2].ordered, weeks[-2].share) == (4, 2, 50.0)
    assert weeks[0].share is None
    assert [w.visits for w in si.order_share_by_week(province=SON_LA, today=TODAY)][-2:] == [4, 0]
    log("che", weeks_back=1, visits=fresh(2), province=LAO_CAI)  # two visits: too few to show a province
    by_province = si.order_share_by_province(today=TODAY)
    assert [(r.label, r.visits, r.ordered) for r in by_province] == [("Sơn La", 4, 2), ("Thành phố Hà Nội", 4, 1)]


def test_a_shop_sees_terms_matching_its_products_and_its_provinces_unmet_ones() -> None:
    shop = make_shop(name="Hộ Giàng A Páo", province_code=LAO_CAI)
    make_product(shop=shop, name="Mật ong bạc hà", category_slug="mat-ong")
    log("mat ong rung", weeks_back=1, visits=fresh(3), results=1)  # shares "mat ong": few results
    log("ong bac ha", weeks_back=1, visits=fresh(4), results=0)  # every word in the product's name
    log("sau rieng", weeks_back=2, visits=fresh(3), province=LAO_CAI)  # zero, by buyers of the shop's province
    log("vai thieu", weeks_back=2, visits=fresh(5), province=SON_LA)  # zero elsewhere, unrelated: not shown
    log("mat", weeks_back=1, visits=fresh(2), results=0)  # matches but only 2 visits: hidden
    rows = si.demand_for_shop(shop=shop, today=TODAY)
    assert [(d.query, d.searches) for d in rows] == [("ong bac ha", 4), ("mat ong rung", 3), ("sau rieng", 3)]
    assert rows[0].reason == "Người mua không tìm thấy sản phẩm nào"
    assert rows[1].reason == "Người mua chỉ thấy 1 sản phẩm" and "tỉnh của bạn" in rows[2].reason


def test_matching_words() -> None:
    names = [["mat", "ong", "bac", "ha"], ["che", "shan", "tuyet", "co", "thu"]]
    assert si.matches("mat ong", names) and si.matches("ong bac ha", names) and si.matches("che shan ha giang", names)
    assert not si.matches("ruou ngo bac ha", names)  # another head word: Bắc Hà's corn liquor, not mint honey
    assert not si.matches("ha giang", names) and not si.matches("", names) and not si.matches("xoai", names)
