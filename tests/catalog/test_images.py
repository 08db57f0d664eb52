import io

import pytest
from PIL import Image

from taybac.catalog.images import MAX_PIXELS, ImageError, store_product_image


def jpeg_bytes(width: int = 1200, height: int = 900) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 120, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_photo_resized_to_webp_renditions(settings, tmp_path):
    stored = store_product_image(data=jpeg_bytes(), product_id=7)
    assert stored.widths == [160, 320, 640, 1024]
    for width in stored.widths:
        with Image.open(settings.MEDIA_ROOT / f"{stored.path_stem}-{width}.webp") as im:
            assert im.format == "WEBP" and im.width == width


def test_small_photo_is_not_upscaled():
    stored = store_product_image(data=jpeg_bytes(200, 100), product_id=7)
    assert stored.widths == [160]


@pytest.mark.parametrize("data", [b"", b"not an image", b"%PDF-1.4 fake", jpeg_bytes()[:200]])
def test_non_images_refused(data):
    with pytest.raises(ImageError):
        store_product_image(data=data, product_id=7)


def test_decompression_bomb_refused():
    side = int(MAX_PIXELS ** 0.5) + 100  # a tiny PNG file that decodes to > MAX_PIXELS pixels
    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, "PNG")
    assert len(buffer.getvalue()) < 2_000_000
    with pytest.raises(ImageError, match="quá lớn"):
        store_product_image(data=buffer.getvalue(), product_id=7)
