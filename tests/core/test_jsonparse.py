"""The bounded JSON parser: json.loads on everything within bounds, a JsonBoundsError (never RecursionError,
never a huge int) beyond them."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taybac.core.jsonparse import MAX_DEPTH, JsonBoundsError, loads_bounded, nesting_depth

storable_text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=20)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20) + 1, max_value=10**20 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | storable_text
)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(storable_text, inner, max_size=4),
    max_leaves=30,
)


def depth_of(value) -> int:
    if isinstance(value, list):
        return 1 + max(map(depth_of, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth_of, value.values()), default=0)
    return 0


@given(documents, st.booleans(), st.sampled_from(["utf-8", "utf-16", "utf-32"]))
def test_equals_json_loads_within_bounds(document, ascii_only, encoding):
    text = json.dumps(document, ensure_ascii=ascii_only)
    assert nesting_depth(text) == depth_of(document)
    assert loads_bounded(text) == json.loads(text)
    assert loads_bounded(text.encode(encoding)) == json.loads(text.encode(encoding))


@given(st.integers(min_value=MAX_DEPTH + 1, max_value=5_000), st.sampled_from(["[", '{"a":']), storable_text)
def test_refuses_deep_nesting_before_parsing(depth, opener, text):
    closer = "]" if opener == "[" else "}"
    deep = opener * depth + json.dumps(text) + closer * depth
    with pytest.raises(JsonBoundsError, match="nested deeper"):
        loads_bounded(deep)


@given(storable_text)
def test_brackets_inside_strings_do_not_count(text):
    inside = json.dumps("[{" * 50 + text + '\\"[')
    assert loads_bounded(f"[{inside}]") == json.loads(f"[{inside}]")


@given(st.integers(min_value=21, max_value=6_000), st.booleans())
def test_refuses_long_integers(digits, negative):
    number = ("-" if negative else "") + "9" * digits
    with pytest.raises(JsonBoundsError, match="more than 20 digits"):
        loads_bounded(f'{{"amount": {number}}}')


@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b"[NaN]",
        b"[Infinity]",
        b"[1e400]",
        b"[" + b"1" * 50 + b".5]",
        b'["\\u0000"]',
        b'{"\\ud800": 1}',
        b"\xff\xfe\xff",
        b"",
        b"[" * 5000,
    ],
)
def test_refusals_are_value_errors_with_a_message(raw):
    with pytest.raises(JsonBoundsError) as refused:
        loads_bounded(raw)
    assert isinstance(refused.value, ValueError) and str(refused.value)


def test_plain_json_loads_fails_where_the_bounded_one_refuses():
    """Why the helper exists: json.loads raises RecursionError (not a ValueError) on deep input."""
    with pytest.raises(RecursionError):
        json.loads("[" * 100_000 + "]" * 100_000)
