"""Brand pages: a shop's story, its place on the map and its photos, written by the producer or a helper acting
for them (checked and audited like every seller-centre edit, catalog.services).

Bounds: the story is at most MAX_STORY_CHARS of simple formatting (the tags of catalog.sanitize; anything else is
refused with a message, not silently dropped, so the seller knows why a link or a script vanished); at most
MAX_SHOP_PHOTOS photos, each checked and resized by catalog.images; coordinates must fall inside Viet Nam's box.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.db import transaction

from taybac.accounts.models import User
from taybac.accounts.selectors import require_can_manage
from taybac.catalog import hooks
from taybac.catalog.images import delete_renditions, store_image
from taybac.catalog.models import Shop, ShopPhoto
from taybac.catalog.sanitize import ALLOWED_TAGS, sanitize_description
from taybac.catalog.services import CatalogError
from taybac.core import audit

MAX_STORY_CHARS = 5000
MAX_SHOP_PHOTOS = 6
# Viet Nam's mainland and islands fit in this box; a point outside it is a typo (swapped or missing digits).
LATITUDE_RANGE = (Decimal("8.0"), Decimal("23.5"))
LONGITUDE_RANGE = (Decimal("102.0"), Decimal("117.5"))
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
_BLOCK_TAGS = {"p", "ul", "ol", "h3", "h4", "blockquote"}


def _authorize(actor: User, shop: Shop) -> User:
    """Raise unless the actor may manage the shop's producer; return the owner to audit 'on behalf of'."""
    require_can_manage(actor, shop.producer)
    return shop.producer.owner


def _story(raw: str) -> str:
    text = (raw or "").strip()
    if len(text) > MAX_STORY_CHARS:
        raise CatalogError(f"Câu chuyện quá dài (tối đa {MAX_STORY_CHARS} ký tự).", field="story")
    refused = sorted({t.lower() for t in _TAG.findall(text)} - ALLOWED_TAGS)
    if refused:
        raise CatalogError(
            f"Câu chuyện có thẻ HTML không được phép (<{refused[0]}>). Chỉ dùng chữ thường, "
            "hoặc định dạng đơn giản: đoạn, in đậm, in nghiêng, danh sách.",
            field="story",
        )
    if not _BLOCK_TAGS & {t.lower() for t in _TAG.findall(text)}:
        # Plain paragraphs, perhaps with <b> or <i> inside: blank lines still separate paragraphs.
        paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
        text = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return sanitize_description(text)


def _coordinate(raw: str | Decimal | None, *, field: str) -> Decimal | None:
    """A latitude or longitude typed by a person ("21,1234" or "21.1234"), bounded to Viet Nam; blank is None."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    label, (low, high) = ("Vĩ độ", LATITUDE_RANGE) if field == "latitude" else ("Kinh độ", LONGITUDE_RANGE)
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise CatalogError(f"{label} phải là số, ví dụ 21.1234.", field=field) from None
    if not value.is_finite() or not low <= value <= high:
        raise CatalogError(f"{label} phải trong khoảng {low} đến {high} (lãnh thổ Việt Nam).", field=field)
    return value.quantize(Decimal("0.00001"))


@transaction.atomic
def update_brand(
    *, actor: User, shop: Shop, story: str, latitude: Decimal | str | None, longitude: Decimal | str | None
) -> Shop:
    """Save the story and the place; both coordinates or neither (a point needs both)."""
    owner = _authorize(actor, shop)
    lat = _coordinate(latitude, field="latitude")
    lon = _coordinate(longitude, field="longitude")
    if (lat is None) != (lon is None):
        raise CatalogError(
            "Nhập cả vĩ độ và kinh độ, hoặc để trống cả hai.", field="latitude" if lat is None else "longitude"
        )
    shop.story_html = _story(story)
    shop.latitude, shop.longitude = lat, lon
    shop.save(update_fields=["story_html", "latitude", "longitude"])
    audit.record(actor=actor, on_behalf_of=owner, action="brand.updated", target=shop)
    hooks.shops_changed([shop.pk])
    return shop


def add_shop_photo(*, actor: User, shop: Shop, data: bytes, alt: str = "") -> ShopPhoto:
    """Resize outside the transaction (slow), then record the photo inside one (as catalog.services.add_photo)."""
    owner = _authorize(actor, shop)
    if shop.photos.count() >= MAX_SHOP_PHOTOS:
        raise CatalogError(f"Trang thương hiệu tối đa {MAX_SHOP_PHOTOS} ảnh: hãy xoá bớt ảnh cũ.", field="photo")
    stored = store_image(data=data, folder=f"shops/{shop.pk}")
    try:
        with transaction.atomic():
            locked = Shop.objects.select_for_update().get(pk=shop.pk)  # two uploads at once stay within the bound
            count = locked.photos.count()
            if count >= MAX_SHOP_PHOTOS:
                raise CatalogError(f"Trang thương hiệu tối đa {MAX_SHOP_PHOTOS} ảnh.", field="photo")
            photo = ShopPhoto.objects.create(
                shop=shop,
                path_stem=stored.path_stem,
                widths=stored.widths,
                width=stored.width,
                height=stored.height,
                alt=(alt or shop.name)[:160],
                position=count,
            )
            audit.record(actor=actor, on_behalf_of=owner, action="brand.photo_added", target=photo)
    except Exception:
        delete_renditions(path_stem=stored.path_stem, widths=stored.widths)
        raise
    return photo


@transaction.atomic
def remove_shop_photo(*, actor: User, photo: ShopPhoto) -> None:
    owner = _authorize(actor, photo.shop)
    audit.record(actor=actor, on_behalf_of=owner, action="brand.photo_removed", target=photo)
    stem, widths = photo.path_stem, list(photo.widths)
    photo.delete()
    transaction.on_commit(lambda: delete_renditions(path_stem=stem, widths=widths))
