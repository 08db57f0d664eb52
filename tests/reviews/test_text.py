"""What a review shows is bounded and plain, whatever is typed: properties of the text rules."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from taybac.core.errors import DomainError
from taybac.reviews.services import _clean, shown_name
from taybac.web.templatetags.reviews import sold, star_row

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@given(st.text(max_size=1200))
def test_clean_text_is_bounded_plain_and_stable(raw):
    try:
        text = _clean(raw, limit=1000, field="text")
    except DomainError:
        return
    assert len(text) <= 1000 and not CONTROL.search(text) and "\n\n\n" not in text
    assert text == text.strip() and _clean(text, limit=1000, field="text") == text


@given(st.text(max_size=80), st.text(max_size=80))
def test_the_shown_name_never_has_a_digit(full_name, contact_name):
    name = shown_name(full_name=full_name, contact_name=contact_name)
    assert name and len(name) <= 60 and not re.search(r"\d", name)


@given(st.integers(min_value=0, max_value=10**9))
def test_sold_counts_are_short(count):
    text = sold(count)
    assert len(text) <= 6 and (text == str(count) if count < 1000 else text.endswith(("k", "tr")))


def test_sold_and_stars_examples():
    assert [sold(n) for n in (0, 999, 1000, 1250, 9999, 12_345, 1_520_000)] == [
        "0",
        "999",
        "1k",
        "1,2k",
        "10k",
        "12k",
        "1,5tr",
    ]
    assert [star_row(n) for n in (None, 0, 3.6, 5, 9)] == ["☆☆☆☆☆", "☆☆☆☆☆", "★★★★☆", "★★★★★", "★★★★★"]
