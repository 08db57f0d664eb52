"""The demand file parser: weekly and monthly steps detected per series, and a refusal naming the line at fault
for every kind of bad row (gaps, duplicate dates, negative or non-numeric values, too-short series)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taybac.insights.forecasting.io import (
    MAX_HORIZON,
    MAX_SERIES_ID,
    ForecastInputError,
    Series,
    format_forecasts,
    parse_demand,
    parse_horizon,
)

MONDAY = datetime.date(2024, 1, 1)


def weekly(series_id: str, values: list[float], start: datetime.date = MONDAY) -> str:
    return "".join(f"{series_id},{start + datetime.timedelta(weeks=k)},{v}\n" for k, v in enumerate(values))


def refusal(text: str) -> str:
    with pytest.raises(ForecastInputError) as caught:
        parse_demand(text)
    return caught.value.message


def test_weekly_and_monthly_series_are_told_apart() -> None:
    months = "".join(f"plum,2023-{m:02d}-15,{m}\n" for m in range(1, 13))
    series = parse_demand("series_id,date,quantity\n" + weekly("tea", [1, 2, 3, 4, 5, 6, 7]) + months)
    by_id = {s.series_id: s for s in series}
    assert by_id["tea"].frequency == "W" and by_id["tea"].season == 52
    assert by_id["plum"].frequency == "M" and by_id["plum"].season == 12
    assert by_id["tea"].values == (1, 2, 3, 4, 5, 6, 7)


def test_rows_may_come_in_any_order_with_a_bom_and_spaces() -> None:
    rows = weekly("tea", [1, 2, 3, 4, 5, 6]).splitlines()
    text = "\ufeffseries_id, date ,Quantity\n" + "\n".join(reversed(rows)) + "\n\n"
    (series,) = parse_demand(text)
    assert series.values == (1, 2, 3, 4, 5, 6)
    assert series.dates[0] == MONDAY


def test_future_dates_keep_the_series_step() -> None:
    week = Series("a", "W", (MONDAY,), (1.0,))
    assert week.future_dates(2) == [datetime.date(2024, 1, 8), datetime.date(2024, 1, 15)]
    day_30 = Series("b", "M", (datetime.date(2024, 12, 30),), (1.0,))  # not a month end: day 30 kept, clamped
    assert day_30.future_dates(3) == [
        datetime.date(2025, 1, 30),
        datetime.date(2025, 2, 28),
        datetime.date(2025, 3, 30),
    ]
    ends = (datetime.date(2024, 2, 29), datetime.date(2024, 3, 31), datetime.date(2024, 4, 30))
    month_end = Series("c", "M", ends, (1.0, 2.0, 3.0))
    assert month_end.future_dates(2) == [datetime.date(2024, 5, 31), datetime.date(2024, 6, 30)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (weekly("tea", [1, 2, 3]) + weekly("tea", [4, 5, 6], MONDAY + datetime.timedelta(weeks=4)), "Dòng 5"),
        (
            weekly("tea", [1, 2, 3, 4, 5, 6]) + f"tea,{MONDAY},9\n",
            "Dòng 8: chuỗi 'tea' trùng ngày 2024-01-01 với dòng 2",
        ),
        (
            weekly("tea", [1, 2, 3, 4, 5, 6]) + f"tea,{MONDAY + datetime.timedelta(weeks=6)},-1\n",
            "Dòng 8: số lượng '-1' âm",
        ),
        ("tea,2024-01-01,nhiều\n", "Dòng 2: số lượng 'nhiều' không phải số"),
        ("tea,2024-01-01,nan\n", "Dòng 2: số lượng 'nan' không phải số hữu hạn"),
        ("tea,01/01/2024,1\n", "Dòng 2: ngày '01/01/2024' không đúng dạng YYYY-MM-DD"),
        ("tea,2024-01-01\n", "Dòng 2: cần 3 cột, có 2"),
        (weekly("tea", [1, 2, 3]), "Dòng 2: chuỗi 'tea' chỉ có 3 kỳ, cần ít nhất 6"),
        ("".join(f"x,2024-01-{d:02d},1\n" for d in range(1, 8)), "không theo tuần"),
        (f"{'x' * (MAX_SERIES_ID + 1)},2024-01-01,1\n", "Dòng 2: series_id"),
        ("", "không có dòng dữ liệu"),
    ],
)
def test_bad_rows_are_refused_with_their_line(body: str, expected: str) -> None:
    assert expected in refusal("series_id,date,quantity\n" + body)


def test_a_gap_names_the_missing_step() -> None:
    body = weekly("tea", [1, 2, 3]) + weekly("tea", [4, 5, 6], MONDAY + datetime.timedelta(weeks=4))
    message = refusal("series_id,date,quantity\n" + body)
    assert "thiếu kỳ hoặc lệch ngày giữa 2024-01-15 và 2024-01-29" in message
    assert "(gap in a weekly series)" in message


def test_header_and_empty_file() -> None:
    assert "Dòng 1: tiêu đề phải là series_id,date,quantity" in refusal("id,day,qty\n")
    assert "Tệp trống" in refusal("")


def test_every_problem_is_listed_not_only_the_first() -> None:
    message = refusal("series_id,date,quantity\n" + "a,2024-01-01,-1\nb,x,1\nc,2024-01-01,y\n")
    assert [line.split(":")[0] for line in message.splitlines()] == ["Dòng 2", "Dòng 3", "Dòng 4"]


def test_horizon_bounds() -> None:
    assert parse_horizon(MAX_HORIZON) == MAX_HORIZON
    for bad in (0, MAX_HORIZON + 1):
        with pytest.raises(ForecastInputError):
            parse_horizon(bad)


def test_forecasts_file_format() -> None:
    text = format_forecasts([("tea", MONDAY, 1.23456)])
    assert text == "series_id,date,forecast\ntea,2024-01-01,1.235\n"


quantities = st.lists(st.floats(min_value=0, max_value=1e9, allow_nan=False), min_size=6, max_size=40)


@settings(max_examples=60, deadline=None)
@given(values=quantities, start=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2090, 1, 1)))
def test_any_regular_weekly_series_reads_back(values: list[float], start: datetime.date) -> None:
    (series,) = parse_demand("series_id,date,quantity\n" + weekly("s", [repr(v) for v in values], start))  # type: ignore[list-item]
    assert series.frequency == "W"
    assert series.values == tuple(values)
    assert series.future_dates(1) == [start + datetime.timedelta(weeks=len(values))]


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_arbitrary_text_is_read_or_refused_cleanly(text: str) -> None:
    try:
        series = parse_demand("series_id,date,quantity\n" + text)
    except ForecastInputError as exc:
        assert exc.message and all(line.strip() for line in exc.errors)
    else:
        assert all(len(s.values) >= 6 and all(v >= 0 for v in s.values) for s in series)


@settings(max_examples=60, deadline=None)
@given(values=quantities, drop=st.integers(min_value=1, max_value=38))
def test_a_removed_inner_row_is_always_reported_as_a_gap(values: list[float], drop: int) -> None:
    rows = weekly("s", values).splitlines()
    drop = min(drop, len(rows) - 2)
    del rows[drop]
    message = refusal("series_id,date,quantity\n" + "\n".join(rows) + "\n")
    assert f"Dòng {drop + 2}:" in message or "chỉ có" in message
