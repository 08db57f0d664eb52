"""How much the demo's synthetic history sells each week: base × season × trend × Tết × noise.

Plain arithmetic on dates and numbers (no queries), so the seasons are tested directly. The figures are
made up but shaped like the region's real trade: a crop sells in its harvest months (the product's
season_mask, which the demo plan takes from the real calendars), fresh fruit hardly at all outside them,
gifts (tea, honey, smoked meat, herbs) peak in the weeks before Tết and everything stops while carriers
rest, and the hub grows over the two years.
"""

from __future__ import annotations

import datetime
import math
import random

# Lunar New Year's day (mùng 1 Tết), from the Vietnamese lunar calendar.
TET = {
    2023: datetime.date(2023, 1, 22),
    2024: datetime.date(2024, 2, 10),
    2025: datetime.date(2025, 1, 29),
    2026: datetime.date(2026, 2, 17),
    2027: datetime.date(2027, 2, 6),
    2028: datetime.date(2028, 1, 26),
    2029: datetime.date(2029, 2, 13),
    2030: datetime.date(2030, 2, 3),
    2031: datetime.date(2031, 1, 23),
}

# Population of the 34 provinces after the 2025 merger, thousands, rounded (the 2024 figures the National
# Assembly's merger resolution used). Buyers are drawn in proportion to them.
POPULATION = {
    1: 8718, 4: 573, 8: 1865, 11: 673, 12: 512, 14: 1300, 15: 1778, 19: 1799, 20: 882, 22: 1430,
    24: 3620, 25: 4022, 31: 4665, 33: 3568, 37: 4412, 38: 4324, 40: 3831, 42: 1623, 44: 1870, 46: 1433,
    48: 3065, 51: 2161, 52: 3583, 56: 2243, 66: 3347, 68: 3872, 75: 4491, 79: 14002, 80: 3254, 82: 4370,
    86: 4257, 91: 4952, 92: 4199, 96: 2606,
}  # fmt: skip

# Categories bought as Tết gifts, and how much more of them sells in the five weeks before it.
GIFT_BOOST = {"che": 2.4, "mat-ong": 2.2, "thit-kho": 2.6, "duoc-lieu": 2.0, "gao-ngu-coc": 1.8, "gia-vi": 1.5}
OTHER_TET_BOOST = 1.3
FRESH_CATEGORIES = frozenset({"trai-cay"})  # eaten fresh: sold only around the harvest
# Season factor of a month: in season, next to a season month, and otherwise (fresh / storable goods).
IN_SEASON = {True: 2.5, False: 1.0}  # fresh fruit is what sells most, while it lasts
SHOULDER = {True: 0.25, False: 0.7}
OFF_SEASON = {True: 0.0, False: 0.45}
YEAR_ROUND = 0.8  # products with no season (crafts, dried goods): steady, a little below a crop's peak
GROWTH_PER_YEAR = 0.3  # the hub's sales a year ago were 70 % of today's, two years ago 40 %
TREND_FLOOR = 0.25
TET_HOLIDAY = 0.15  # a few orders still placed while the post rests


def season_factor(*, season_mask: int, category: str, month: int) -> float:
    """How much of a product's peak demand falls in `month` (1–12)."""
    if not season_mask & 0b1_1111_1111_1110:
        return YEAR_ROUND
    if season_mask & (1 << month):
        return IN_SEASON[category in FRESH_CATEGORIES]
    fresh = category in FRESH_CATEGORIES
    before, after = (month - 2) % 12 + 1, month % 12 + 1
    if season_mask & ((1 << before) | (1 << after)):
        return SHOULDER[fresh]
    return OFF_SEASON[fresh]


def tet_factor(*, category: str, day: datetime.date) -> float:
    """Gift buying in the five weeks before Tết; carriers stop from a week before until a week after it."""
    for year in (day.year, day.year + 1):
        tet = TET.get(year)
        if tet is None:
            continue
        days_to = (tet - day).days
        if 8 <= days_to <= 35:
            return GIFT_BOOST.get(category, OTHER_TET_BOOST)
        if -7 <= days_to <= 7:
            return TET_HOLIDAY
    return 1.0


def trend_factor(*, day: datetime.date, today: datetime.date) -> float:
    """Linear growth of the hub towards today's level (1.0)."""
    years_before = (today - day).days / 365.25
    return max(TREND_FLOOR, 1.0 - GROWTH_PER_YEAR * years_before)


def weekly_rate(
    *, base: float, season_mask: int, category: str, week_start: datetime.date, today: datetime.date
) -> float:
    """Expected orders of a product in the week starting `week_start`: the mean of its seven days' factors."""
    total = 0.0
    for offset in range(7):
        day = week_start + datetime.timedelta(days=offset)
        total += (
            season_factor(season_mask=season_mask, category=category, month=day.month)
            * tet_factor(category=category, day=day)
            * trend_factor(day=day, today=today)
        )
    return base * total / 7


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method for small means, a rounded normal above 30)."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count
