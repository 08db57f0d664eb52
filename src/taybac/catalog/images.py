"""Photos (of products, of lots): checked with Pillow, resized to small WebP renditions for slow connections.

Memory is what an upload can attack: a 5 KB PNG may declare 40 million pixels. So an upload is judged by its
header before a pixel is decoded (format, pixel count, proportions); a JPEG is decoded already scaled down by the
codec (Pillow's draft: 1/2, 1/4 or 1/8 of each side), other formats are reduced right after decoding and the
full-size bitmap is released before encoding; only the first frame is ever decoded. At most
TAYBAC_IMAGE_WORKERS photos are decoded at once in a process, on as many dedicated threads: an upload that
finds them all busy for IMAGE_WAIT_SECONDS is told the server is busy instead of queueing without bound.
Renditions carry no metadata (no EXIF: no GPS position, no phone model); the EXIF orientation is applied to the
pixels first.
Limits and their reasons: docs/seller-centre.md, "Ảnh".
"""

from __future__ import annotations

import io
import struct
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

from taybac.core.errors import DomainError

RENDITION_WIDTHS = (160, 320, 400, 640, 1024)  # 400: a 163 px card on a 2× phone (web/templatetags/photos.py)
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# JPEG is decoded scaled down, so its limit only bounds header-level work: 25 MP keeps every phone's default
# output (12–12.5 MP pixel-binned, 24 MP on recent iPhones) and refuses the 48–200 MP "full resolution" modes.
MAX_PIXELS = 25_000_000
# PNG and WebP have no scaled decoding: the whole bitmap is held, and copied on the way (measured peak: about
# 9 bytes a pixel for PNG, 17 for WebP). A real photo saved as PNG reaches the 10 MB upload limit near 5 MP and
# cameras write JPEG; 8 MP still takes a 4K screenshot (3840 × 2160).
MAX_PIXELS_FULL_DECODE = 8_000_000
MAX_ASPECT = 10  # a strip ten times longer than wide is not a product photo (and would overflow WebP's 16,383 px)
FORMATS = {"JPEG": MAX_PIXELS, "MPO": MAX_PIXELS, "PNG": MAX_PIXELS_FULL_DECODE, "WEBP": MAX_PIXELS_FULL_DECODE}
SCALED_DECODE = {"JPEG", "MPO"}  # MPO: a JPEG with extra frames (depth, preview) some phones write
IMAGE_WAIT_SECONDS = 5.0
REDUCING_GAP = 2.0  # box-reduce to within 2× of the target, then Lanczos: Pillow's thumbnail default
WEBP_QUALITY = 72
_ORIENTATION = 0x0112
_SWAPS_SIDES = {5, 6, 7, 8}  # EXIF orientations that turn the picture a quarter
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")

# Pillow's own guard for any Image.open in the process: a warning above this, an error above twice this.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


T = TypeVar("T")


class ImageError(DomainError):
    """An upload that is not a usable photo; the message is for the user."""


@dataclass(frozen=True)
class StoredImage:
    path_stem: str
    widths: list[int]
    width: int
    height: int


@dataclass(frozen=True)
class Header:
    """What an upload declares before any pixel is decoded."""

    format: str
    width: int
    height: int


def _too_large(limit: int) -> ImageError:
    return ImageError(f"Ảnh quá lớn: tối đa {limit // 1_000_000} megapixel.", code="image_too_large")


def read_header(data: bytes) -> Header:
    """Refuse by size, format and declared dimensions; Image.open reads the header only."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageError(f"Ảnh quá lớn: tối đa {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.", code="image_too_large")
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        raise ImageError(
            "Chưa nhận ảnh HEIC: hãy chọn ảnh JPEG (iPhone: Cài đặt › Camera › Định dạng › Tương thích nhất).",
            code="image_format",
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            header = Header(format=probe.format or "", width=probe.width, height=probe.height)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):  # over Pillow's guard: name our limit
        full_decode = data[:4] == b"\x89PNG" or data[8:12] == b"WEBP"
        raise _too_large(MAX_PIXELS_FULL_DECODE if full_decode else MAX_PIXELS) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageError("Tệp tải lên không phải là ảnh hợp lệ.", code="image_invalid") from None
    limit = FORMATS.get(header.format)
    if limit is None:
        raise ImageError("Chỉ nhận ảnh JPEG, PNG hoặc WebP.", code="image_format")
    if header.width * header.height > limit:
        raise _too_large(limit)
    if max(header.width, header.height) > MAX_ASPECT * min(header.width, header.height):
        raise ImageError(
            f"Ảnh quá dài hoặc quá hẹp (cạnh dài tối đa gấp {MAX_ASPECT} lần cạnh ngắn).", code="image_shape"
        )
    return header


_pool_lock = threading.Lock()
_pool: tuple[int, threading.BoundedSemaphore, ThreadPoolExecutor] | None = None


def _image_workers() -> tuple[threading.BoundedSemaphore, ThreadPoolExecutor]:
    """The process's image threads, rebuilt if TAYBAC_IMAGE_WORKERS changes (tests override it).

    Decoding on a few dedicated threads, not on each request's thread, also bounds the C heap: the allocator
    keeps an arena per thread that decoded a bitmap, so ten request threads decoding in turn would keep ten.
    """
    global _pool
    workers = max(1, int(getattr(settings, "TAYBAC_IMAGE_WORKERS", 2)))
    with _pool_lock:
        if _pool is None or _pool[0] != workers:
            if _pool is not None:
                _pool[2].shutdown(wait=False)
            _pool = (
                workers,
                threading.BoundedSemaphore(workers),
                ThreadPoolExecutor(max_workers=workers, thread_name_prefix="taybac-image"),
            )
        return _pool[1], _pool[2]


def _run(work: Callable[..., T], *args: Any) -> T:
    """Run `work` on an image thread, or refuse as busy when none frees up within IMAGE_WAIT_SECONDS."""
    slots, pool = _image_workers()
    if not slots.acquire(timeout=IMAGE_WAIT_SECONDS):
        raise ImageError("Máy chủ đang bận xử lý ảnh khác, vui lòng thử lại sau ít phút.", code="busy")
    try:
        return pool.submit(work, *args).result()
    finally:
        slots.release()


def _decode(data: bytes, header: Header) -> tuple[Image.Image, int, int]:
    """The largest rendition, upright, RGB(A), without metadata; and the upright size of the original.

    Runs on an image thread (`_run`): this is where pixels are decoded.
    """
    try:
        with Image.open(io.BytesIO(data)) as image:
            top = RENDITION_WIDTHS[-1]
            if header.format in SCALED_DECODE:  # decode at the smallest 1/n still covering `top` on both sides
                image.draft("RGB", (min(top, image.width), min(top, image.height)))
            image.load()  # the first frame only
            turned = image.getexif().get(_ORIENTATION, 1) in _SWAPS_SIDES
            width, height = (header.height, header.width) if turned else (header.width, header.height)
            top_width = min(top, width)
            size = (top_width, max(1, round(height * top_width / width)))
            frame: Image.Image = image
            if image.mode not in ("RGB", "RGBA"):  # palette, 1-bit, 16-bit, CMYK: Lanczos needs real colour
                frame = image.convert("RGBA" if image.has_transparency_data else "RGB")
                image.close()  # the decoded bitmap goes now, not when the converted one does
            small = frame.resize(size[::-1] if turned else size, Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)
            frame.close()
        upright = ImageOps.exif_transpose(small)  # resize kept the EXIF in .info: orientation read from it
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large(MAX_PIXELS) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error):
        raise ImageError("Tệp tải lên không phải là ảnh hợp lệ.", code="image_invalid") from None
    upright.info.clear()  # nothing of the original's metadata reaches a rendition
    return upright, width, height


def check_image(data: bytes) -> None:
    """Refuse what `store_image` would refuse, without writing anything (to check a form before saving)."""
    header = read_header(data)
    _run(lambda: _decode(data, header)[0].close())


def _render(data: bytes, header: Header) -> tuple[dict[int, bytes], int, int]:
    """The encoded WebP renditions by width, and the upright size of the original."""
    top, width, height = _decode(data, header)
    encoded = {}
    for w in [w for w in RENDITION_WIDTHS if w <= width] or [width]:
        rendition = (
            top if w == top.width else top.resize((w, max(1, round(height * w / width))), Image.Resampling.LANCZOS)
        )
        buffer = io.BytesIO()
        rendition.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
        encoded[w] = buffer.getvalue()
    top.close()
    return encoded, width, height


def store_image(*, data: bytes, folder: str) -> StoredImage:
    """Write WebP renditions under `folder/` at the widths that fit the original; never upscale."""
    encoded, width, height = _run(_render, data, read_header(data))
    stem = f"{folder.strip('/')}/{uuid.uuid4().hex[:12]}"
    for w, content in encoded.items():
        default_storage.save(f"{stem}-{w}.webp", ContentFile(content))
    return StoredImage(path_stem=stem, widths=list(encoded), width=width, height=height)


def store_product_image(*, data: bytes, product_id: int) -> StoredImage:
    return store_image(data=data, folder=f"products/{product_id}")


def delete_renditions(*, path_stem: str, widths: list[int]) -> None:
    for width in widths:
        default_storage.delete(f"{path_stem}-{width}.webp")
