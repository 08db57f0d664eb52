"""Brand pages and official records (docs/selling-events.md, "Brand pages and certificates").

Public: the brand section of /gian-hang/<slug>/ (`brand_context`, used by views_store.shop), the OCOP
e-certificate /chung-nhan/ocop/<id>/ with a QR of its own address, and a GI's page /chi-dan-dia-ly/<id>/.
Seller centre: the story, the place and the photos (/ban-hang/thuong-hieu/…). Officers and operators:
/can-bo/chung-nhan/, recording OCOP decisions and linking products to GIs. No page needs JavaScript.
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.accounts.selectors import NotAllowed, can_manage
from taybac.catalog import brand, certificates
from taybac.catalog.brand_selectors import (
    brand_page,
    geographical_indication,
    gi_products,
    indications_covering,
    ocop_certificate,
    products_to_certify,
)
from taybac.catalog.images import MAX_UPLOAD_BYTES
from taybac.catalog.models import Product, Shop, ShopPhoto, WebpPhoto
from taybac.catalog.sanitize import description_to_text
from taybac.core.errors import DomainError
from taybac.regions.models import Province
from taybac.traceability.models import Lot
from taybac.web import forms_brands as fb
from taybac.web.forms_seller import ConfirmForm, attach
from taybac.web.views_seller import _acting, _shop_of

LATEST_LOTS = 6
OG_IMAGE_WIDTH = 640
LOTS_FOR_CERTIFICATES = 50


def share_links(url: str) -> dict[str, str]:
    """Facebook's sharer and the address Zalo's share plugin opens (its `d` is base64 of {"url": …}): plain
    links, so no Facebook or Zalo script is ever loaded by this hub's pages."""
    payload = base64.b64encode(json.dumps({"url": url}).encode()).decode()
    zalo = "https://button-share.zalo.me/share_external?" + urlencode(
        {"layout": 1, "color": "blue", "customize": "false", "d": payload, "shareType": 0}
    )
    return {"facebook": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}), "zalo": zalo}


def map_link(shop: Shop) -> str:
    """OpenStreetMap at the shop's point, or a search for its commune: a link, never map tiles on the page."""
    if shop.latitude is not None and shop.longitude is not None:
        lat, lon = shop.latitude, shop.longitude
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=14/{lat}/{lon}"
    place = f"{shop.commune.name}, {shop.province.name}, Việt Nam"
    return "https://www.openstreetmap.org/search?query=" + quote(place)


def _lots(shop: Shop) -> tuple[list[Lot], list[str]]:
    """The shop's latest lots (their trace stories) and the certificates its recent lots carry (VietGAP, …)."""
    recent = list(
        Lot.objects.filter(shop=shop)
        .select_related("variant__product", "commune")
        .order_by("-harvested_on", "-id")[:LOTS_FOR_CERTIFICATES]
    )
    found: dict[str, None] = {}
    for lot in recent:
        for name in lot.certificates if isinstance(lot.certificates, list) else []:
            found.setdefault(str(name)[:80], None)
    return recent[:LATEST_LOTS], list(found)


def _preview(photo: WebpPhoto) -> str:
    """The rendition for link previews: Facebook asks for at least 600 px wide, 640 keeps the file small."""
    fitting = [w for w in photo.widths if w <= OG_IMAGE_WIDTH]
    return photo.url(max(fitting) if fitting else photo.widths[0])


def brand_context(request: HttpRequest, shop: Shop) -> dict[str, Any]:
    """What the brand page shows: the catalogue's part, the trace stories, the map link, share links and the
    Open Graph preview (absolute URLs under PUBLIC_URL)."""
    page = brand_page(shop, today=timezone.localdate())
    lots, lot_certificates = _lots(shop)
    url = f"{settings.PUBLIC_URL}{request.path}"
    image = page.photos[0] if page.photos else next((p.photos.all()[0] for p in page.products if p.photos.all()), None)
    story_text = description_to_text(shop.story_html) or shop.description
    return {
        "shop": shop,
        "brand": page,
        "products": page.products,
        "lots": lots,
        "lot_certificates": lot_certificates,
        "map_url": map_link(shop),
        "share": share_links(url),
        "og": {
            "title": f"{shop.name} – {shop.commune.name}, {shop.province.name}",
            "description": " ".join(story_text.split())[:200],
            "image": f"{settings.PUBLIC_URL}{_preview(image)}" if image else "",
            "url": url,
        },
        "today": timezone.localdate(),
    }


def _qr_svg(url: str) -> str:
    """An inline SVG QR of `url` (error correction M, quiet zone 4) that prints sharp at any size."""
    return segno.make(url, error="m", micro=False, boost_error=False).svg_inline(scale=4, border=4, title=url)


@require_safe
def ocop_page(request: HttpRequest, pk: int) -> HttpResponse:
    cert = ocop_certificate(pk)
    if cert is None or not cert.product.shop.is_active:
        raise Http404("Không tìm thấy chứng nhận.")
    url = f"{settings.PUBLIC_URL}{cert.get_absolute_url()}"
    return render(
        request,
        "web/brand/ocop_certificate.html",
        {"cert": cert, "valid": cert.is_valid(timezone.localdate()), "qr": _qr_svg(url), "url": url},
    )


@require_safe
def gi_page(request: HttpRequest, pk: int) -> HttpResponse:
    gi = geographical_indication(pk)
    if gi is None:
        raise Http404("Không tìm thấy chỉ dẫn địa lý.")
    return render(request, "web/brand/gi.html", {"gi": gi, "products": gi_products(gi)})


# --- seller centre: story, place, photos ---


@login_required
@require_http_methods(["GET", "POST"])
def seller_brand(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        producer, _ = _acting(request)
    except Http404:
        return redirect("seller-signup")
    shop = _shop_of(producer, request.user)
    initial = {"story": description_to_text(shop.story_html), "latitude": shop.latitude, "longitude": shop.longitude}
    form = fb.BrandForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            brand.update_brand(
                actor=request.user,
                shop=shop,
                story=data["story"],
                latitude=data["latitude"],
                longitude=data["longitude"],
            )
        except NotAllowed as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            attach(form, error)
        else:
            messages.success(request, "Đã lưu trang thương hiệu.")
            return redirect("seller-brand")
    return render(
        request,
        "web/brand/seller_brand.html",
        {
            "form": form,
            "shop": shop,
            "photos": list(shop.photos.all()),
            "max_photos": brand.MAX_SHOP_PHOTOS,
            "on_behalf": producer.owner_id != request.user.pk,
            "producer": producer,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def seller_brand_photos(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        producer, _ = _acting(request)
    except Http404:
        return redirect("seller-signup")
    shop = _shop_of(producer, request.user)
    uploads = request.FILES.getlist("photos")[: brand.MAX_SHOP_PHOTOS + 1]
    error = None if uploads else "Chưa chọn ảnh nào."
    for upload in uploads:
        try:
            brand.add_shop_photo(actor=request.user, shop=shop, data=upload.read(MAX_UPLOAD_BYTES + 1))
        except NotAllowed as refusal:
            raise PermissionDenied(refusal.message) from None
        except DomainError as refusal:
            error = f"{upload.name}: {refusal.message}"
            break
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"Đã thêm {len(uploads)} ảnh.")
    return redirect("seller-brand")


@login_required
@require_http_methods(["GET", "POST"])
def seller_brand_photo_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    photo = ShopPhoto.objects.select_related("shop__producer__owner").filter(pk=pk).first()
    if photo is None:
        raise Http404("Không tìm thấy ảnh.")
    if not can_manage(request.user, photo.shop.producer):
        raise PermissionDenied("Bạn không có quyền quản lý gian hàng này.")
    if request.method == "GET" or not ConfirmForm(request.POST).is_valid():
        return render(request, "web/brand/seller_photo_remove.html", {"photo": photo})
    try:
        brand.remove_shop_photo(actor=request.user, photo=photo)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    messages.success(request, "Đã xoá ảnh.")
    return redirect("seller-brand")


# --- officers and operators: OCOP decisions and GI links ---


def _require_certifier(request: AuthenticatedHttpRequest) -> None:
    user = request.user
    if not (certificates.is_operator(user=user) or user.role == "officer"):
        raise PermissionDenied("Trang này dành cho cán bộ Sở Công Thương và bộ phận vận hành sàn.")


def _province_filter(request: HttpRequest) -> int | None:
    raw = request.GET.get("tinh", "")
    return int(raw) if raw.isdigit() and len(raw) <= 3 else None


@login_required
@require_safe
def officer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_certifier(request)
    province = _province_filter(request)
    query = request.GET.get("q", "")[:80]
    return render(
        request,
        "web/brand/officer_list.html",
        {
            "products": list(products_to_certify(request.user, province_code=province, query=query)),
            "provinces": Province.objects.filter(in_region=True) if certificates.is_operator(user=request.user) else [],
            "province": province,
            "q": query,
        },
    )


def _certifiable(request: AuthenticatedHttpRequest, pk: int) -> Product:
    _require_certifier(request)
    found = (
        Product.objects.select_related("shop__province", "shop__commune", "shop__producer__owner", "gi", "ocop")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("Không tìm thấy sản phẩm.")
    try:
        certificates.require_may_certify(user=request.user, product=found)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    return found


def _ocop_initial(product: Product) -> dict[str, Any]:
    cert = getattr(product, "ocop", None)
    if cert is None:
        return {"decision_body": f"UBND tỉnh {product.shop.province.name}"}
    fields = ("stars", "number", "decision_number", "decision_date", "decision_body", "issued_on", "expires_on")
    initial = {name: getattr(cert, name) for name in fields}
    initial["document_url"] = cert.document_url
    initial["decision_number"] = initial["decision_number"] or cert.number
    initial["decision_body"] = initial["decision_body"] or cert.issuer
    return initial


def _officer_render(request: HttpRequest, product: Product, ocop_form: Any, gi_form: Any) -> HttpResponse:
    bad = bool(ocop_form.errors or gi_form.errors)
    return render(
        request,
        "web/brand/officer_product.html",
        {
            "product": product,
            "cert": getattr(product, "ocop", None),
            "ocop_form": ocop_form,
            "gi_form": gi_form,
            "covering": indications_covering(product),
        },
        status=400 if bad else 200,
    )


@login_required
@require_safe
def officer_product(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    product = _certifiable(request, pk)
    return _officer_render(
        request, product, fb.OcopDecisionForm(initial=_ocop_initial(product)), fb.GiLinkForm(initial={"gi": product.gi})
    )


@login_required
@require_POST
def officer_ocop(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    product = _certifiable(request, pk)
    form = fb.OcopDecisionForm(request.POST)
    if form.is_valid():
        try:
            cert = certificates.record_ocop_decision(actor=request.user, product=product, **form.cleaned_data)
        except DomainError as error:
            attach(form, error)
        else:
            messages.success(request, "Đã ghi nhận chứng nhận OCOP.")
            return redirect(cert.get_absolute_url())
    return _officer_render(request, product, form, fb.GiLinkForm(initial={"gi": product.gi}))


@login_required
@require_POST
def officer_gi(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    product = _certifiable(request, pk)
    form = fb.GiLinkForm(request.POST)
    if form.is_valid():
        try:
            certificates.link_geographical_indication(actor=request.user, product=product, gi=form.cleaned_data["gi"])
        except DomainError as error:
            attach(form, error)
        else:
            messages.success(request, "Đã cập nhật chỉ dẫn địa lý của sản phẩm.")
            return redirect("officer-product", pk=product.pk)
    return _officer_render(request, product, fb.OcopDecisionForm(initial=_ocop_initial(product)), form)
