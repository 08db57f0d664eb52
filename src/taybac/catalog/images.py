"""Photos (of products, of lots): verified with Pillow, resized to small WebP renditions for slow connections."""
from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

from taybac.core.errors import DomainError

RENDITION_WIDTHS = (160, 320, 640, 1024)
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel phone photo is fine; anything larger is treated as a bomb
WEBP_QUALITY = 72


class ImageError(DomainError):
    """An upload that is not a usable photo; the message is for the user."""


@dataclass(frozen=True)
class StoredImage:
    path_stem: str
    widths: list[int]
    width: int
    height: int


def _open_checked(data: bytes) -> Image.Image:
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageError("Ảnh quá lớn (tối đa 10 MB).")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in {"JPEG", "PNG", "WEBP", "GIF", "MPO", "HEIF"}:
                raise ImageError("Chỉ nhận ảnh JPEG, PNG hoặc WebP.")
            if probe.width * probe.height > MAX_PIXELS:
                raise ImageError("Ảnh có kích thước điểm ảnh quá lớn.")
            probe.verify()  # structural check; the image must be reopened after verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError("Ảnh có kích thước điểm ảnh quá lớn.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageError("Tệp tải lên không phải là ảnh hợp lệ.") from None
    return image


def check_image(data: bytes) -> None:
    """Refuse what `store_image` would refuse, without writing anything (to check a form before saving)."""
    _open_checked(data).close()


def store_image(*, data: bytes, folder: str) -> StoredImage:
    """Write WebP renditions under `folder/` at the widths that fit the original; never upscale."""
    image = ImageOps.exif_transpose(_open_checked(data))
    image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    stem = f"{folder.strip('/')}/{uuid.uuid4().hex[:12]}"
    widths = [w for w in RENDITION_WIDTHS if w <= image.width] or [image.width]
    for width in widths:
        height = max(1, round(image.height * width / image.width))
        rendition = image.resize((width, height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        rendition.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
        default_storage.save(f"{stem}-{width}.webp", ContentFile(buffer.getvalue()))
    return StoredImage(path_stem=stem, widths=widths, width=image.width, height=image.height)


def store_product_image(*, data: bytes, product_id: int) -> StoredImage:
    return store_image(data=data, folder=f"products/{product_id}")


def delete_renditions(*, path_stem: str, widths: list[int]) -> None:
    for width in widths:
        default_storage.delete(f"{path_stem}-{width}.webp")
