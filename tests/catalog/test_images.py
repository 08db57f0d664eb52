"""Photos: WebP renditions, and the bounds that keep a small upload from taking the server's memory."""

import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from taybac.catalog import images
from taybac.catalog.images import MAX_PIXELS, MAX_PIXELS_FULL_DECODE, ImageError, check_image, store_product_image

GPS_IFD = 0x8825
# Pillow warns about every image over its guard (Image.MAX_IMAGE_PIXELS) before the hub refuses it: expected here.
bomb_warning = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")


def jpeg_bytes(width: int = 1200, height: int = 900) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 120, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def encoded(image: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def png_bomb(side: int = 6300) -> bytes:
    """The attack as reported: a 4.9 KB PNG that declares 6,300 × 6,300 pixels."""
    return encoded(Image.new("1", (side, side)), "PNG")


def declared_jpeg(width: int, height: int) -> bytes:
    """A small JPEG whose header (SOF0) claims another size: what a crafted upload looks like to Image.open."""
    data = bytearray(jpeg_bytes(64, 48))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return bytes(data)


def rendition(settings, stored, width: int) -> Image.Image:
    return Image.open(settings.MEDIA_ROOT / f"{stored.path_stem}-{width}.webp")


def test_photo_resized_to_webp_renditions(settings, tmp_path):
    stored = store_product_image(data=jpeg_bytes(), product_id=7)
    assert stored.widths == [160, 320, 400, 640, 1024]
    for width in stored.widths:
        with rendition(settings, stored, width) as im:
            assert im.format == "WEBP" and im.width == width


def test_small_photo_is_not_upscaled():
    stored = store_product_image(data=jpeg_bytes(200, 100), product_id=7)
    assert stored.widths == [160]


@pytest.mark.parametrize("data", [b"", b"not an image", b"%PDF-1.4 fake", jpeg_bytes()[:200]])
def test_non_images_refused(data):
    with pytest.raises(ImageError):
        store_product_image(data=data, product_id=7)


@pytest.fixture
def no_decoding(monkeypatch):
    """Any pixel decoding fails the test: what is refused must be refused from its header."""

    def decoded(self):
        raise AssertionError(f"{self.format} {self.size} was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decoded)


@bomb_warning
def test_png_bomb_is_refused_before_decoding(no_decoding):
    data = png_bomb()
    assert len(data) < 6_000
    for attempt in (check_image, lambda d: store_product_image(data=d, product_id=7)):
        with pytest.raises(ImageError, match=f"Ảnh quá lớn: tối đa {MAX_PIXELS_FULL_DECODE // 1_000_000} megapixel"):
            attempt(data)


@bomb_warning
@pytest.mark.parametrize(
    "width, height, limit",
    [
        (8160, 6120, MAX_PIXELS),  # a 50 MP "full resolution" photo
        (65000, 65000, MAX_PIXELS),
    ],
)  # over Pillow's own hard guard
def test_oversized_jpeg_header_is_refused_before_decoding(no_decoding, width, height, limit):
    with pytest.raises(ImageError, match=f"tối đa {limit // 1_000_000} megapixel"):
        store_product_image(data=declared_jpeg(width, height), product_id=7)


def test_pillow_guard_is_set_for_the_whole_process(no_decoding):
    assert Image.MAX_IMAGE_PIXELS == MAX_PIXELS
    with pytest.raises(ImageError, match=f"tối đa {MAX_PIXELS_FULL_DECODE // 1_000_000} megapixel"):
        check_image(png_bomb(side=8_000))  # 64 MP: Pillow's own error, answered with the PNG limit


def test_largest_phone_photo_is_accepted_and_decoded_scaled_down(settings, monkeypatch):
    """A 24.5 MP photo (a recent iPhone's default) passes; the codec decodes it at 1/4, never at full size."""
    seen = []
    load = ImageFile.ImageFile.load

    def spy(self):
        seen.append(self.size)
        return load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    stored = store_product_image(data=jpeg_bytes(5712, 4284), product_id=7)
    assert (stored.width, stored.height, stored.widths) == (5712, 4284, [160, 320, 400, 640, 1024])
    assert set(seen) == {(1428, 1071)}  # 1/4 of each side: 1.5 MP held, not 24.5


def test_only_jpeg_png_and_webp_are_taken():
    for data in (
        encoded(Image.new("RGB", (40, 40)), "GIF"),
        encoded(Image.new("RGB", (40, 40)), "TIFF"),
        encoded(Image.new("RGB", (40, 40)), "BMP"),
    ):
        with pytest.raises(ImageError, match="Chỉ nhận ảnh JPEG, PNG hoặc WebP"):
            check_image(data)
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64)
    with pytest.raises(ImageError, match="HEIC"):
        check_image(heic)
    check_image(encoded(Image.new("RGB", (40, 40)), "WEBP"))


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_animations_keep_their_first_frame_only(settings, fmt):
    frames = [Image.new("RGB", (400, 300), colour) for colour in ((200, 30, 30), (30, 30, 200), (30, 200, 30))]
    data = encoded(frames[0], fmt, save_all=True, append_images=frames[1:], lossless=True)
    stored = store_product_image(data=data, product_id=7)
    with rendition(settings, stored, 320) as im:
        r, g, b = im.convert("RGB").getpixel((160, 120))
    assert r > 150 and g < 80 and b < 80


def test_location_and_camera_metadata_are_stripped_and_orientation_applied(settings):
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the phone upright: stored landscape, shown turned a quarter
    exif[0x0110] = "Redmi 13C"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (22.0, 20.0, 10.0), 3: "E", 4: (103.0, 50.0, 30.0)})
    data = encoded(Image.new("RGB", (800, 600), (90, 90, 90)), "JPEG", exif=exif.tobytes())
    assert b"Redmi" in data
    stored = store_product_image(data=data, product_id=7)
    assert (stored.width, stored.height) == (600, 800)
    for width in stored.widths:
        raw = (settings.MEDIA_ROOT / f"{stored.path_stem}-{width}.webp").read_bytes()
        assert b"EXIF" not in raw and b"Redmi" not in raw and b"XMP" not in raw
        with rendition(settings, stored, width) as im:
            assert im.height > im.width and not im.getexif()


def test_long_strips_are_refused():
    with pytest.raises(ImageError, match="quá dài hoặc quá hẹp"):
        check_image(jpeg_bytes(200, 2_100))


def test_busy_when_no_image_worker_frees_up(settings, monkeypatch):
    settings.TAYBAC_IMAGE_WORKERS = 1
    monkeypatch.setattr(images, "IMAGE_WAIT_SECONDS", 0.2)
    slots, _ = images._image_workers()
    assert slots.acquire(timeout=1)  # another upload is being decoded
    try:
        with pytest.raises(ImageError, match="Máy chủ đang bận") as refused:
            store_product_image(data=jpeg_bytes(), product_id=7)
        assert refused.value.code == "busy"
    finally:
        slots.release()
    assert store_product_image(data=jpeg_bytes(), product_id=7).widths


def test_concurrent_uploads_are_bounded_by_the_workers(settings, monkeypatch):
    """With 2 workers, never more than 2 decodes run at once, however many uploads arrive together."""
    settings.TAYBAC_IMAGE_WORKERS = 2
    running, most, lock = [0], [0], threading.Lock()
    decode = images._decode

    def counted(data, header):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            return decode(data, header)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(images, "_decode", counted)
    data = jpeg_bytes(2000, 1500)
    threads = [threading.Thread(target=check_image, args=(data,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 2


@bomb_warning
@pytest.mark.django_db
def test_seller_page_says_the_limit_in_vietnamese(client, product):
    client.force_login(product.shop.producer.owner)
    bomb = SimpleUploadedFile("anh.png", png_bomb(), content_type="image/png")
    response = client.post(f"/ban-hang/san-pham/{product.pk}/anh/", {"photos": [bomb]})
    assert response.status_code == 400
    assert f"anh.png: Ảnh quá lớn: tối đa {MAX_PIXELS_FULL_DECODE // 1_000_000} megapixel." in response.content.decode()
    assert product.photos.count() == 0
    huge = SimpleUploadedFile("to.jpg", jpeg_bytes(64, 48) + bytes(images.MAX_UPLOAD_BYTES), content_type="image/jpeg")
    response = client.post(f"/ban-hang/san-pham/{product.pk}/anh/", {"photos": [huge]})
    assert response.status_code == 400 and "to.jpg: Ảnh quá lớn: tối đa 10 MB." in response.content.decode()


# Run in a fresh interpreter, so ru_maxrss (the peak resident size, C allocations included) starts clean: ten
# threads send the same upload at the same moment through the real image service.
_PEAK = """
import json, resource, sys, threading
import django
django.setup()
from taybac.catalog.images import ImageError, store_image

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

report = {}
for name in sys.argv[1:]:
    data = open(name, "rb").read()
    start = threading.Barrier(10)
    outcomes = []

    def upload():
        start.wait()
        try:
            store_image(data=data, folder="load")
            outcomes.append("stored")
        except ImageError as error:
            outcomes.append(error.code)

    before = peak_mb()
    threads = [threading.Thread(target=upload) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report[name] = {"growth_mb": peak_mb() - before, "outcomes": outcomes}
print(json.dumps(report))
"""
# Stated in docs/seller-centre.md ("Ảnh"): 10 concurrent worst-case uploads add at most this much to the peak
# resident memory of a process with the default 2 image workers (measured: about 1 MB for PNG bombs, 300 MB for
# 8 MP WebP, the costliest allowed decode; the code before these bounds took 190 MB per 40 MP bomb, unbounded).
BOMB_BOUND_MB = 20
WORST_BOUND_MB = 400


def test_peak_memory_of_ten_concurrent_worst_case_uploads(tmp_path):
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_bomb())
    side = int((MAX_PIXELS_FULL_DECODE * 4 / 3) ** 0.5)
    worst = tmp_path / "worst.webp"  # the largest WebP allowed: decoded whole, several copies on the way
    worst.write_bytes(encoded(Image.new("RGBA", (side, side * 3 // 4), (120, 80, 40, 200)), "WEBP", lossless=True))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "taybac.settings",
        "TAYBAC_DATA_DIR": str(tmp_path),
        "TAYBAC_IMAGE_WORKERS": "2",
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    run = subprocess.run(
        [sys.executable, "-c", _PEAK, str(bomb), str(worst)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parent,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    bombs, largest = report[str(bomb)], report[str(worst)]
    assert bombs["outcomes"] == ["image_too_large"] * 10
    assert bombs["growth_mb"] < BOMB_BOUND_MB, report
    assert set(largest["outcomes"]) <= {"stored", "busy"} and largest["outcomes"].count("stored") >= 2, report
    assert largest["growth_mb"] < WORST_BOUND_MB, report
