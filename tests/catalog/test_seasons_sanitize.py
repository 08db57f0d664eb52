import pytest
from hypothesis import given
from hypothesis import strategies as st

from taybac.catalog.sanitize import description_to_text, sanitize_description
from taybac.catalog.seasons import SeasonError, describe_months, mask_from_months, months_from_mask


@given(st.sets(st.integers(min_value=1, max_value=12)))
def test_mask_round_trip(months):
    assert months_from_mask(mask_from_months(months)) == sorted(months)


@pytest.mark.parametrize("bad", [[0], [13], [-1]])
def test_month_out_of_range(bad):
    with pytest.raises(SeasonError):
        mask_from_months(bad)


def test_describe_months():
    assert describe_months([5, 6, 7]) == "tháng 5–7"
    assert describe_months([1, 11, 12]) == "tháng 11–1"
    assert describe_months([12, 1, 2, 3]) == "tháng 12–3"
    assert describe_months([1, 2, 5]) == "tháng 1, 2, 5"
    assert describe_months(list(range(1, 13))) == "quanh năm"
    assert describe_months([]) == ""


def test_sanitize_keeps_formatting_drops_scripts_and_attributes():
    dirty = '<p onclick="x()">Mật <strong>ong</strong><script>alert(1)</script><a href="javascript:1">x</a></p>'
    clean = sanitize_description(dirty)
    assert "<script" not in clean and "onclick" not in clean and "javascript" not in clean
    assert "<strong>ong</strong>" in clean


def test_plain_text_becomes_paragraphs_and_is_escaped():
    clean = sanitize_description("Dòng 1\nDòng 2\n\nĐoạn 2 & <b")
    assert clean.startswith("<p>Dòng 1<br>Dòng 2</p>")
    assert description_to_text(clean) == "Dòng 1\nDòng 2\n\nĐoạn 2 & <b"


def test_list_items_do_not_run_together():
    assert (
        description_to_text(sanitize_description("<ul><li>Ong nội</li><li>Quay mật</li></ul>")) == "Ong nội\n\nQuay mật"
    )


@given(
    st.lists(
        st.text(alphabet="abc đêm &\"'", min_size=1, max_size=8).map(str.strip).filter(bool), min_size=1, max_size=4
    )
)
def test_plain_text_round_trips_through_the_editor(paragraphs):
    text = "\n\n".join(paragraphs)
    assert description_to_text(sanitize_description(text)) == text
