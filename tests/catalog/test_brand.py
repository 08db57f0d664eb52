"""Brand story, place and photos (catalog.brand): who may write them, and every bound with its Vietnamese message."""

from decimal import Decimal

import pytest

from taybac.accounts.selectors import NotAllowed
from taybac.accounts.services import grant_delegation
from taybac.catalog import brand
from taybac.catalog.services import CatalogError
from taybac.core.errors import DomainError
from taybac.core.models import AuditEntry
from tests.catalog.test_images import jpeg_bytes
from tests.factories import make_shop, make_user


def test_owner_writes_story_and_place_sanitised(shop):
    owner = shop.producer.owner
    brand.update_brand(
        actor=owner,
        shop=shop,
        story="Ba đời trồng chè.\n\nCây <b>trăm tuổi</b>.",
        latitude="22,3456",
        longitude="103.9",
    )
    shop.refresh_from_db()
    assert shop.story_html == "<p>Ba đời trồng chè.</p><p>Cây <b>trăm tuổi</b>.</p>"
    assert (shop.latitude, shop.longitude) == (Decimal("22.34560"), Decimal("103.90000"))
    assert AuditEntry.objects.filter(action="brand.updated", target_id=str(shop.pk), actor=owner).exists()


def test_helper_with_consent_writes_on_behalf_and_others_are_refused(shop):
    owner, helper = shop.producer.owner, make_user(role="helper")
    with pytest.raises(NotAllowed):
        brand.update_brand(actor=helper, shop=shop, story="x", latitude=None, longitude=None)
    grant_delegation(producer=shop.producer, delegate=helper, granted_by=owner)
    brand.update_brand(actor=helper, shop=shop, story="Chè ngon", latitude=None, longitude=None)
    entry = AuditEntry.objects.get(action="brand.updated")
    assert (entry.actor_id, entry.on_behalf_of_id) == (helper.pk, owner.pk)
    with pytest.raises(NotAllowed):
        brand.update_brand(
            actor=make_shop(name="Hộ khác").producer.owner, shop=shop, story="", latitude=None, longitude=None
        )


@pytest.mark.parametrize(
    "story, lat, lon, field, words",
    [
        ("<script>alert(1)</script>", None, None, "story", "<script>"),
        ('<a href="http://x">mua</a>', None, None, "story", "<a>"),
        ("x" * (brand.MAX_STORY_CHARS + 1), None, None, "story", "quá dài"),
        ("", "21.1", None, "longitude", "cả vĩ độ và kinh độ"),
        ("", "48.85", "2.35", "latitude", "lãnh thổ Việt Nam"),
        ("", "21.1", "abc", "longitude", "phải là số"),
        ("", "NaN", "104", "latitude", "lãnh thổ Việt Nam"),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_nothing_changes(shop, story, lat, lon, field, words):
    with pytest.raises(CatalogError) as refused:
        brand.update_brand(actor=shop.producer.owner, shop=shop, story=story, latitude=lat, longitude=lon)
    assert refused.value.field == field and words in refused.value.message
    shop.refresh_from_db()
    assert shop.story_html == "" and shop.latitude is None


def test_photos_are_resized_bounded_in_number_and_removed(shop, monkeypatch):
    monkeypatch.setattr(brand, "MAX_SHOP_PHOTOS", 2)
    owner = shop.producer.owner
    first = brand.add_shop_photo(actor=owner, shop=shop, data=jpeg_bytes(1200, 900))
    brand.add_shop_photo(actor=owner, shop=shop, data=jpeg_bytes())
    assert first.widths[-1] == 1024 and first.src.endswith(".webp")
    with pytest.raises(CatalogError, match="tối đa 2 ảnh"):
        brand.add_shop_photo(actor=owner, shop=shop, data=jpeg_bytes())
    with pytest.raises(NotAllowed):
        brand.remove_shop_photo(actor=make_user(), photo=first)
    brand.remove_shop_photo(actor=owner, photo=first)
    assert shop.photos.count() == 1
    with pytest.raises(DomainError, match="không phải là ảnh"):
        brand.add_shop_photo(actor=owner, shop=shop, data=b"<html>not a photo</html>")
    assert AuditEntry.objects.filter(action__startswith="brand.photo_").count() == 3
