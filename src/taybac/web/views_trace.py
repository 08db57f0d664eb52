"""GS1 Digital Link resolver for lots: the trace page a QR code opens, its JSON, the QR code, printable labels.

`/01/{gtin14}/10/{lot}` tells the lot's story (HTML, or JSON for `Accept: application/json`); `/01/{gtin14}`
is the product page (views_store). Shorter GTINs (8, 12 or 13 digits) and lower-case lot codes are sent,
permanently, to the one canonical URL, so every spelling of a code ends at the page its QR code names.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.accounts.selectors import can_manage
from taybac.catalog.models import Variant
from taybac.traceability import labels, qr
from taybac.traceability.labels import MAX_SHEETS, SHEETS, Sheet
from taybac.traceability.models import EventLot, Lot
from taybac.traceability.selectors import find_lot, lot_story
from taybac.traceability.story import story_json

NOT_FOUND = "Không tìm thấy lô hàng này. Hãy kiểm tra lại mã trên bao bì."
QR_MAX_AGE = 24 * 3600


def _wants_json(request: HttpRequest) -> bool:
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def _redirect_to_upper(request: HttpRequest, gtin: str, code: str, suffix: str = "") -> HttpResponse:
    """A lot code typed or scanned in lower case: send to the canonical (upper-case) URL if that lot exists."""
    if code != code.upper() and Lot.objects.filter(variant__gtin=gtin, code=code.upper()).exists():
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return HttpResponsePermanentRedirect(f"/01/{gtin}/10/{code.upper()}{suffix}{query}")
    raise Http404(NOT_FOUND)


def _lot_or_404(request: HttpRequest, gtin: str, code: str, suffix: str) -> Lot | HttpResponse:
    lot = find_lot(gtin, code)
    return lot if lot is not None else _redirect_to_upper(request, gtin, code, suffix)


@require_safe
def lot_page(request: HttpRequest, gtin: str, code: str) -> HttpResponse:
    """The lot's story; the same URL answers JSON to `Accept: application/json`."""
    as_json = _wants_json(request)
    story = lot_story(gtin, code)
    if story is None:
        try:
            return _redirect_to_upper(request, gtin, code)
        except Http404:
            if not as_json:
                raise
            return JsonResponse({"error": {"code": "not_found", "message": NOT_FOUND}}, status=404)
    response: HttpResponse
    if as_json:
        response = JsonResponse(
            story_json(story, base_url=settings.PUBLIC_URL), json_dumps_params={"ensure_ascii": False}
        )
    else:
        response = render(
            request,
            "web/trace/lot.html",
            {"story": story, "lot": story.lot, "v": story.verification, "public_url": settings.PUBLIC_URL},
        )
    patch_vary_headers(response, ["Accept"])
    return response


def _qr_response(body: bytes, content_type: str, lot: Lot, ext: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="qr-{lot.variant.gtin}-{lot.code}.{ext}"'
    patch_cache_control(response, public=True, max_age=QR_MAX_AGE)
    return response


@require_safe
def lot_qr_svg(request: HttpRequest, gtin: str, code: str) -> HttpResponse:
    lot = _lot_or_404(request, gtin, code, "/qr.svg")
    if not isinstance(lot, Lot):
        return lot
    return _qr_response(qr.svg(lot, size=qr.bounded_size(request.GET.get("size"))), "image/svg+xml", lot, "svg")


@require_safe
def lot_qr_png(request: HttpRequest, gtin: str, code: str) -> HttpResponse:
    lot = _lot_or_404(request, gtin, code, "/qr.png")
    if not isinstance(lot, Lot):
        return lot
    return _qr_response(qr.png(lot, size=qr.bounded_size(request.GET.get("size"))), "image/png", lot, "png")


@require_safe
def gtin_padded(request: HttpRequest, gtin: str, rest: str = "") -> HttpResponse:
    """GTIN-8/12/13 in a Digital Link: 301 to the GTIN-14 form (zeros in front), if we know that GTIN."""
    gtin14 = gtin.zfill(14)
    if not Variant.objects.filter(gtin=gtin14).exists():
        raise Http404("Không tìm thấy sản phẩm có mã GTIN này.")
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return HttpResponsePermanentRedirect(f"/01/{gtin14}{rest or ''}{query}")


# --- Printable label sheets --------------------------------------------------------------------------


def _bounded(raw: str | None, default: int, low: int, high: int) -> int:
    try:
        value = int(raw) if raw else default
    except ValueError:
        value = default
    return max(low, min(high, value))


@dataclass(frozen=True)
class LabelRequest:
    """The lot whose labels are asked for, by whom it may be printed, and the sheet, start and count asked."""

    lot: Lot
    sheet: Sheet
    start: int
    count: int
    processed: bool


def _label_request(request: AuthenticatedHttpRequest, gtin: str, code: str, suffix: str) -> LabelRequest | HttpResponse:
    """`?kho=24|10|cuon` sheet, `?so=` labels, `?bat-dau=` first free position; only the lot's seller."""
    lot = _lot_or_404(request, gtin, code, suffix)
    if not isinstance(lot, Lot):
        return lot
    if not can_manage(request.user, lot.shop.producer):
        raise PermissionDenied("Chỉ người bán của lô này (hoặc người được ủy quyền) mới in được nhãn.")
    sheet = SHEETS.get(request.GET.get("kho", ""), SHEETS["24"])
    start = _bounded(request.GET.get("bat-dau"), 1, 1, sheet.per_sheet)
    default = sheet.per_sheet - start + 1 if not sheet.roll else 10
    count = _bounded(request.GET.get("so"), default, 1, MAX_SHEETS * max(sheet.per_sheet, 10) - start + 1)
    processed = EventLot.objects.filter(lot=lot, role=EventLot.Role.OUTPUT).exists()
    return LabelRequest(lot, sheet, start, count, processed)


@login_required
@require_safe
def lot_labels(request: AuthenticatedHttpRequest, gtin: str, code: str) -> HttpResponse:
    """Sticker labels for the lot, to print from the browser (a print button works on a phone), or as a PDF."""
    asked = _label_request(request, gtin, code, "/nhan-in")
    if not isinstance(asked, LabelRequest):
        return asked
    lot, sheet = asked.lot, asked.sheet
    return render(
        request,
        "web/trace/labels.html",
        {
            "lot": lot,
            "product": lot.variant.product,
            "producer": lot.shop.producer,
            "sheet": sheet,
            "processed": asked.processed,
            "sheets": SHEETS.values(),
            "pages": labels.cells(sheet, start=asked.start, count=asked.count),
            "count": asked.count,
            "start": asked.start,
            "qr_symbol": qr.svg_symbol(lot),
            "url": qr.lot_url(lot),
            "max_count": MAX_SHEETS * max(sheet.per_sheet, 10),
            "pdf_query": urlencode({"kho": sheet.key, "so": asked.count, "bat-dau": asked.start}),
        },
    )


@login_required
@require_safe
def lot_labels_pdf(request: AuthenticatedHttpRequest, gtin: str, code: str) -> HttpResponse:
    """The same labels as a PDF at the sheet's exact size (A4, or one 50 × 30 mm label per page)."""
    asked = _label_request(request, gtin, code, "/nhan-in.pdf")
    if not isinstance(asked, LabelRequest):
        return asked
    lot = asked.lot
    body = labels.pdf(
        lot,
        asked.sheet,
        start=asked.start,
        count=asked.count,
        text=labels.label_text(lot, processed=asked.processed),
        url=qr.lot_url(lot),
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="nhan-{lot.variant.gtin}-{lot.code}-{asked.sheet.key}.pdf"'
    patch_cache_control(response, private=True, no_store=True)
    return response
