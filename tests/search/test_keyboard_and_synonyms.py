"""Keys typed without an input method (Telex, VNI, a bounced key) and operator-edited synonyms."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from taybac.core.text import fold_words
from taybac.search import synonyms
from taybac.search.keyboard import collapse_repeats, telex, typed_forms, vni
from taybac.search.models import Synonym
from taybac.search.synonyms import build_table, phrases_of
from tests.factories import make_product
from tests.search.conftest import ids


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("maatj", "mat"),
        ("dduwowngf", "duong"),
        ("tuyeets", "tuyet"),
        ("nhw", "nhu"),
        ("thaor", "thao"),
        ("quar", "qua"),
        ("chef", "che"),
        ("hoangf", "hoang"),
    ],
)
def test_telex_keys_are_dropped(typed, folded):
    assert telex(typed) == folded


@pytest.mark.parametrize(("typed", "folded"), [("ma65t", "mat"), ("d9uo7ng2", "duong"), ("kho6", "kho")])
def test_vni_digits_are_dropped(typed, folded):
    assert vni(typed) == folded


def test_sizes_and_plain_words_are_not_keyboard_input():
    assert vni("500g") is None and vni("mat") is None and telex("500g") is None
    assert typed_forms("mat") == [] and typed_forms("ong") == []
    assert collapse_repeats("ongg") == "ong" and collapse_repeats("ong") is None


@given(st.lists(st.sampled_from(["Mật", "ong", "Đường", "phèn", "Shan", "tuyết", "thảo", "quả", "chè"]), min_size=1))
def test_folded_vietnamese_words_decode_to_themselves_or_a_shorter_reading(words):
    """A folded word has no Telex keys after its vowel and no digits: decoding never lengthens it."""
    for word in fold_words(" ".join(words)):
        assert all(len(form) <= len(word) for form in typed_forms(word))


@pytest.mark.parametrize("query", ["maatj ong", "ma65t ong", "mat ongg", "mat onggg", "Maatj Ong"])
def test_keyboard_variants_find_honey(catalogue, query):
    assert set(ids(query)) == {catalogue.honey.pk, catalogue.son_la_honey.pk}


def test_a_real_word_is_never_rewritten(catalogue):
    """ "xoong" (a pot) is in the vocabulary, so it is not read as Telex "xông"/"xong"."""
    pot = make_product(shop=catalogue.tea_shop, name="Xoong gang", category_slug="thu-cong-tho-cam")
    make_product(shop=catalogue.tea_shop, name="Xong hơi lá thuốc", category_slug="duoc-lieu")
    assert ids("xoong") == [pot.pk]


def test_phrases_fold_and_deduplicate():
    assert phrases_of("Trà, chè, tra , ") == [("tra",), ("che",)]
    table = build_table(["trà, chè", "Hoàng Su Phì, hoang su fi"])
    assert table[("tra",)] == (("che",),) and table[("hoang", "su", "fi")] == (("hoang", "su", "phi"),)


def test_seeded_synonyms_apply_at_query_time(catalogue):
    assert ids("tra shan tuyet") == [catalogue.shan_tuyet.pk]  # trà = chè (seeded by migration 0004)


def test_an_operator_edit_applies_to_the_next_search_without_reindexing(catalogue):
    assert ids("mit kho") == []
    group = Synonym.objects.create(terms="mít sấy, mít khô")
    assert ids("mit kho") == [catalogue.jackfruit.pk]  # the save dropped this process's cached table
    group.is_active = False
    group.save()
    assert ids("mit kho") == []
    group.delete()
    synonyms.invalidate()


@pytest.mark.parametrize(
    ("terms", "message"),
    [("trà", "hai cách gọi"), ("trà, Trà", "hai cách gọi"), ("a b c d e, chè", "tối đa 4 từ")],
)
def test_a_synonym_group_needs_two_short_phrases(db, terms, message):
    with pytest.raises(ValidationError, match=message):
        Synonym(terms=terms).full_clean()


def test_synonyms_are_edited_in_the_admin(admin_client, db):
    response = admin_client.post("/quan-tri/search/synonym/add/", {"terms": "mận, mơ", "is_active": "on", "note": ""})
    assert response.status_code == 302 and Synonym.objects.filter(terms="mận, mơ").exists()
    page = admin_client.get("/quan-tri/search/synonym/")
    assert "man = mo" in page.content.decode()
