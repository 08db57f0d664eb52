"""Query planning: words, typo candidates, prefix ranges, and rendering for each engine."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taybac.search.backends.postgres import tsquery_text
from taybac.search.backends.sqlite import fts5_expression
from taybac.search.models import SearchTerm
from taybac.search.query import (
    MAX_QUERY_WORDS,
    Alternative,
    QueryPlan,
    TermGroup,
    _successor,
    edits1,
    plan_query,
    query_words,
    typo_budget,
    typo_eligible,
)


def osa_distance(a: str, b: str) -> int:
    """Reference optimal-string-alignment distance (edits plus adjacent swaps)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def test_query_words_fold_and_cap():
    assert query_words("  Chè SHAN-tuyết, 500g!") == ["che", "shan", "tuyet", "500g"]
    assert len(query_words(" ".join(["a"] * 30))) == MAX_QUERY_WORDS
    assert query_words("x" * 100) == ["x" * 64]


def test_edits1_examples():
    assert {"tuyet"} <= edits1("tuyyet") & edits1("tuyt") & edits1("tuyte") & edits1("tuyat")
    assert "tuyet" not in edits1("tuyet")
    assert all(len(c) >= 5 for c in edits1("tuyt", min_length=5))
    assert edits1("ab", min_length=3) == {c for c in edits1("ab") if len(c) == 3}


@given(st.text(alphabet="abcdefghij", min_size=4, max_size=8))
def test_edits1_are_exactly_one_edit_away(word):
    candidates = edits1(word)
    assert candidates and all(osa_distance(word, c) == 1 and len(c) >= 2 for c in candidates)


@given(st.text(alphabet="abcdefg", min_size=5, max_size=7), st.text(alphabet="abcdefg", min_size=4, max_size=8))
def test_edits1_finds_every_word_one_edit_away(target, typed):
    if osa_distance(typed, target) == 1:
        assert target in edits1(typed)


def test_typo_eligibility():
    assert not typo_eligible("tuyt") and typo_eligible("tuyyet")
    assert typo_budget("thao") == 0 and typo_budget("thatt") == 1 and typo_budget("shantuyet") == 2
    assert not typo_eligible("mat") and not typo_eligible("500g") and not typo_eligible("abc1e")


@given(
    st.text(alphabet="0123456789abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6),
    st.text(alphabet="0123456789abcdefghijklmnopqrstuvwxyz", max_size=6),
)
def test_successor_bounds_exactly_the_words_with_the_prefix(prefix, other):
    upper = _successor(prefix)
    inside = prefix <= other and (upper is None or other < upper)
    assert inside == other.startswith(prefix)


def test_successor_carries_past_z():
    assert _successor("abz") == "ac" and _successor("zz") is None and _successor("a9") == "aa"


def test_plan_corrects_unknown_words_and_keeps_known_ones(db):
    SearchTerm.objects.bulk_create([SearchTerm(term=t, doc_count=1) for t in ("shan", "tuyet", "tuyen", "che")])
    plan = plan_query(["che", "shan", "tuyyet"])
    assert plan.groups == (
        TermGroup("che", (Alternative("che"),)),
        TermGroup("shan", (Alternative("shan"),)),
        TermGroup("tuyyet", (Alternative("tuyet", prefix=True),)),  # a bounced key, read as typed half-way
    )
    assert plan.corrections == {"tuyyet": ["tuyet"]}
    assert plan_query(["shanb", "che"]).groups[0].alternatives == (Alternative("shan"),)  # one typo
    assert plan_query(["tuyet"]).groups[0].alternatives == (Alternative("tuyet", prefix=True),)
    assert plan_query(["tuye"]).groups[0].alternatives == (Alternative("tuye", prefix=True),)
    assert plan_query(["tuyex", "che"]).groups[0].alternatives == (Alternative("tuyen"), Alternative("tuyet"))
    assert plan_query(["shenb"]).impossible  # 5 letters: one typo, but no indexed word is one typo away
    assert plan_query(["shen"]).groups[0].alternatives == (Alternative("shen", prefix=True),)  # 4: no budget
    assert not plan_query(["bcd"]).impossible  # short words are not looked up; the engine decides
    assert plan_query([]) == QueryPlan(words=(), groups=())


def test_plan_lookups_are_bounded(db, django_assert_num_queries):
    SearchTerm.objects.bulk_create([SearchTerm(term=t, doc_count=1) for t in ("shan", "tuyet", "che")])
    with django_assert_num_queries(0):
        plan_query(["mat", "ong"])
    with django_assert_num_queries(1):
        plan_query(["che", "shan", "tuyet"])
    with django_assert_num_queries(2):
        plan_query(["che", "shanb", "tuyyet", "thu", "coo"])


def test_engine_expressions():
    plan = QueryPlan(
        words=("mat", "tuyex", "on"),
        groups=(
            TermGroup("mat", (Alternative("mat"),)),
            TermGroup("tuyex", (Alternative("tuyen"), Alternative("tuyet"))),
            TermGroup("on", (Alternative("on", prefix=True),)),
        ),
    )
    assert fts5_expression(plan) == '"mat" AND ("tuyen" OR "tuyet") AND "on"*'
    assert fts5_expression(plan, columns="name") == 'name : ("mat" AND ("tuyen" OR "tuyet") AND "on"*)'
    assert fts5_expression(plan, columns="{name context}").startswith('{name context} : ("mat" AND')
    assert tsquery_text(plan) == "'mat' & ( 'tuyen' | 'tuyet' ) & 'on':*"
    assert tsquery_text(plan, weights="A") == "'mat':A & ( 'tuyen':A | 'tuyet':A ) & 'on':*A"
    assert tsquery_text(plan, weights="AB") == "'mat':AB & ( 'tuyen':AB | 'tuyet':AB ) & 'on':*AB"


@pytest.mark.parametrize("text", ["'; DROP TABLE x; --", '" OR 1', "NEAR(a b)", "a:* | !b", "*", "name : x"])
def test_engine_syntax_in_queries_is_just_text(catalogue, text):
    from tests.search.conftest import ids

    assert isinstance(ids(text), list)
