"""Shipments on the seller centre and at the post office: book the parcel with the buyer's carrier (a confirmation
page first), the shipment page with its labels and cancellation, the labels themselves (a 100 × 150 mm PDF, the
carrier's own label, a phone page for 58/80 mm thermal printers), and the post office's "Nhận gửi hàng" list.

Every action is a plain POST form (no JavaScript); each calls one service of taybac.fulfilment.shipments.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.accounts.selectors import NotAllowed, can_manage
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.fulfilment import shipments as actions
from taybac.fulfilment.selectors import staff_points
from taybac.logistics import shipping_labels
from taybac.logistics.carriers import configured
from taybac.logistics.carriers.base import CarrierError
from taybac.logistics.models import Shipment, ShipmentStatus
from taybac.logistics.shipments import BOOKABLE, live_shipment, parcel_for, quote_for
from taybac.orders.codes import display
from taybac.orders.models import ShopOrder
from taybac.traceability.models import Lot, OrderLineLot
from taybac.web.views_pickup import NOT_STAFF
from taybac.web.views_seller_orders import LOTS_PER_VARIANT, _posted_lots

WIDTHS = {"58": 48, "80": 72}  # paper width → printable width in mm of the usual Bluetooth thermal printers


def _managed_order(request: AuthenticatedHttpRequest, pk: int) -> ShopOrder:
    key = small_int(pk)  # a 30-digit id in the URL overflows database integers
    shop_order = (
        ShopOrder.objects.select_related("shop__producer__owner", "order").filter(pk=key).first() if key else None
    )
    if shop_order is None:
        raise Http404("Không tìm thấy đơn.")
    if not can_manage(request.user, shop_order.shop.producer):
        raise PermissionDenied("Bạn không quản lý gian hàng của đơn này.")
    return shop_order


def _shipment(request: AuthenticatedHttpRequest, pk: int, *, post_office: bool = False) -> Shipment:
    """The shipment if the user manages its shop (or, with `post_office`, works where it was dropped)."""
    key = small_int(pk)
    shipment = (
        Shipment.objects.select_related("shop_order__shop__producer__owner", "shop_order__order", "origin_point")
        .filter(pk=key)
        .first()
        if key
        else None
    )
    if shipment is None:
        raise Http404("Không tìm thấy vận đơn.")
    if can_manage(request.user, shipment.shop_order.shop.producer):
        return shipment
    if post_office and shipment.origin_point and shipment.origin_point.staff.filter(pk=request.user.pk).exists():
        return shipment
    raise PermissionDenied("Bạn không xem được vận đơn này.")


def _lot_lines(shop_order: ShopOrder) -> list[tuple]:
    """Each line with the newest lots of its variant and the lot already chosen (lines without lots left out)."""
    lines = list(shop_order.lines.all())
    by_variant: dict[int, list[Lot]] = {}
    for lot in Lot.objects.filter(variant_id__in={line.variant_id for line in lines}).order_by("-harvested_on", "-id"):
        choices = by_variant.setdefault(lot.variant_id, [])
        if len(choices) < LOTS_PER_VARIANT:
            choices.append(lot)
    chosen = dict(OrderLineLot.objects.filter(line__in=lines).values_list("line_id", "lot_id"))
    return [(line, by_variant[line.variant_id], chosen.get(line.pk)) for line in lines if line.variant_id in by_variant]


@login_required
@require_http_methods(["GET", "POST"])
def book(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: what will be booked (carrier, service, today's fee, cash to collect, weight, lots); POST: book it."""
    shop_order = _managed_order(request, pk)
    existing = live_shipment(shop_order=shop_order)
    if existing is not None:
        return redirect("seller-shipment", pk=existing.pk)
    if request.method == "POST":
        try:
            shipment = actions.book_for_seller(actor=request.user, shop_order=shop_order, lots=_posted_lots(request))
        except NotAllowed as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("seller-shipment-new", pk=shop_order.pk)
        messages.success(request, f"Đã tạo vận đơn {shipment.tracking_code}. In nhãn và dán lên kiện hàng.")
        return redirect("seller-shipment", pk=shipment.pk)
    bookable = shop_order.status in BOOKABLE
    quote, problem, parcel = None, "", None
    if bookable:
        try:
            parcel = parcel_for(shop_order=shop_order)
            quote = quote_for(shop_order=shop_order)
        except DomainError as error:
            problem = error.message
    return render(
        request,
        "web/shipping/book.html",
        {
            "so": shop_order,
            "bookable": bookable,
            "quote": quote,
            "parcel": parcel,
            "problem": problem,
            "carrier": shipping_labels.CARRIER_NAMES.get(shop_order.shipping_carrier, shop_order.shipping_carrier),
            "lot_lines": _lot_lines(shop_order) if bookable else [],
        },
        status=200 if bookable else 409,
    )


@login_required
@require_GET
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    shipment = _shipment(request, pk)
    return render(
        request,
        "web/shipping/shipment.html",
        {
            "shipment": shipment,
            "so": shipment.shop_order,
            "carrier": shipping_labels.CARRIER_NAMES.get(shipment.carrier, shipment.carrier),
            "events": list(shipment.events.all()),
            "can_cancel": shipment.status == ShipmentStatus.CREATED,
            "third_party": shipment.carrier != "hub",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation (what cancelling does); POST: cancel at the carrier, then here."""
    shipment = _shipment(request, pk)
    if request.method == "POST":
        try:
            actions.cancel_for_seller(actor=request.user, shipment=shipment)
        except NotAllowed as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("seller-shipment", pk=shipment.pk)
        messages.success(request, f"Đã hủy vận đơn {shipment.tracking_code}. Đơn vẫn ở “Đã đóng gói”.")
        return redirect("seller-orders")
    return render(
        request,
        "web/shipping/cancel.html",
        {
            "shipment": shipment,
            "so": shipment.shop_order,
            "allowed": shipment.status == ShipmentStatus.CREATED,
            "carrier": shipping_labels.CARRIER_NAMES.get(shipment.carrier, shipment.carrier),
        },
        status=200 if shipment.status == ShipmentStatus.CREATED else 409,
    )


@login_required
@require_GET
def label_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The label for a phone and a 58 or 80 mm Bluetooth thermal printer (`?kho=58|80`), barcode and QR inline."""
    shipment = _shipment(request, pk, post_office=True)
    paper = request.GET.get("kho", "80")
    paper = paper if paper in WIDTHS else "80"
    data = shipping_labels.label_data(shipment)
    seller = can_manage(request.user, shipment.shop_order.shop.producer)
    return render(
        request,
        "web/shipping/label.html",
        {
            "shipment": shipment,
            "back": ("← Vận đơn", f"/ban-hang/van-don/{shipment.pk}/")
            if seller
            else ("← Nhận gửi hàng", "/buu-dien/nhan-gui/"),
            "label": data,
            "paper": paper,
            "width_mm": WIDTHS[paper],
            "papers": sorted(WIDTHS),
            "barcode": shipping_labels.barcode_svg(data.tracking_code),
            "qr": shipping_labels.qr_svg(data.tracking_url),
        },
    )


@login_required
@require_GET
def label_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Our 100 × 150 mm PDF label, for any carrier."""
    shipment = _shipment(request, pk, post_office=True)
    body = shipping_labels.pdf(shipping_labels.label_data(shipment))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="nhan-{shipment.tracking_code}.pdf"'
    return response


@login_required
@require_GET
def carrier_label(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The carrier's own label (GHTK's PDF, GHN's print page); our PDF when the carrier has none or is down."""
    shipment = _shipment(request, pk)
    carrier = configured().get(shipment.carrier)
    try:
        if carrier is None or shipment.carrier == "hub":
            raise CarrierError("Hãng này không có nhãn riêng.")
        label = carrier.label(tracking_code=shipment.tracking_code)
    except CarrierError as error:
        messages.warning(request, f"{error.message} Dùng nhãn PDF của Tây Bắc Hub.")
        return redirect("shipment-label-pdf", pk=shipment.pk)
    if label.url:
        return HttpResponseRedirect(label.url)
    response = HttpResponse(label.content, content_type=label.content_type or "application/pdf")
    response["Content-Disposition"] = f'inline; filename="nhan-{shipment.tracking_code}.pdf"'
    return response


@login_required
@require_GET
def drops(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The post office's "Nhận gửi hàng": hub-network parcels of its commune's shops waiting to be dropped off."""
    points = staff_points(request.user)
    if not points:
        raise PermissionDenied(NOT_STAFF)
    orders = list(actions.drop_candidates(points=points))
    sections = [
        {"point": point, "orders": [so for so in orders if so.shop.commune_id == point.address.commune_id]}
        for point in points
    ]
    return render(request, "web/shipping/drops.html", {"sections": sections})


@login_required
@require_POST
def drop(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record that the seller handed this parcel in at the counter (`diem` = the post office's id)."""
    key, point_key = small_int(pk), small_int(request.POST.get("diem", ""))
    shop_order = ShopOrder.objects.select_related("shop", "order").filter(pk=key).first() if key else None
    if shop_order is None:
        raise Http404("Không tìm thấy đơn.")
    point = next((p for p in actions.drop_points(actor=request.user, shop_order=shop_order) if p.pk == point_key), None)
    if point is None:
        raise PermissionDenied("Bưu điện của bạn không nhận gửi đơn của gian hàng này.")
    try:
        shipment = actions.record_post_office_drop(actor=request.user, shop_order=shop_order, point=point)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("pickup-drops")
    messages.success(request, f"Đã nhận gửi đơn {display(shop_order.code)}, mã vận đơn {shipment.tracking_code}.")
    return redirect("shipment-label", pk=shipment.pk)
