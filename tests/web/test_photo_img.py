"""`{% photo_img %}`: every stored rendition in srcset, the slot's real width in sizes (web/templatetags/photos.py)."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from taybac.catalog.images import RENDITION_WIDTHS
from taybac.catalog.models import ProductPhoto


def render(photo: ProductPhoto, args: str) -> str:
    return Template("{% load photos %}{% photo_img photo " + args + " %}").render(Context({"photo": photo}))


def test_a_card_offers_the_400w_rendition_for_its_slot():
    assert 400 in RENDITION_WIDTHS
    photo = ProductPhoto(path_stem="products/7/ab", widths=[160, 320, 400, 640, 1024], width=1600, height=1200)
    img = render(photo, '"card"')
    assert 'sizes="(min-width: 700px) 180px, calc(50vw - 17px)"' in img
    assert "/media/products/7/ab-400.webp 400w" in img and 'src="/media/products/7/ab-320.webp"' in img
    assert 'width="320" height="240"' in img and 'loading="lazy"' in img


def test_photos_stored_before_the_400w_rendition_list_what_they_have():
    photo = ProductPhoto(path_stem="products/3/old", widths=[160, 320, 640], width=700, height=525, alt="Hũ <mật>")
    img = render(photo, '"gallery" eager=True')
    assert "400w" not in img and "/media/products/3/old-640.webp 640w" in img
    assert 'sizes="(min-width: 700px) 480px, calc(100vw - 24px)"' in img and "loading" not in img
    assert 'alt="Hũ &lt;mật&gt;"' in img and 'width="700" height="525"' in img


def test_an_unknown_slot_fails_loudly():
    with pytest.raises(KeyError):
        render(ProductPhoto(path_stem="p", widths=[160], width=10, height=10), '"banner"')
