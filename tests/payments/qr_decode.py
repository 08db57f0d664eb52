"""Reading QR codes from images with ZXing (zxing-cpp), independently of segno which draws them."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image


def decode_qr(png: bytes) -> str:
    """The text of the one QR code in a PNG image; fails the test if there is not exactly one."""
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(results) == 1, f"expected one QR code in the image, found {len(results)}"
    return results[0].text
