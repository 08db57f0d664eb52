"""Seller centre: lots and traceability ("Lô hàng & truy xuất") for a producer or a helper acting for one.

The pages parse input and call the traceability services, which check the permission again, write the EPCIS
event, the log leaf and the signed checkpoint in one transaction, and audit "actor on behalf of the owner".

Double taps. Each form carries a one-time token, as checkout does. A new lot needs no token column: when
the producer leaves the lot code empty the code is derived from the token (`<yymmdd>-<4 letters>`), so a
second submit of the same form collides with the first lot on the (variant, code) unique constraint and is
answered with that lot. Packing and inspection pass the token as the events' request key
(`TraceEvent.request_key`, unique): a repeat finds the first submit's events under the log lock, whatever
the number of server processes.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.accounts.models import Producer
from taybac.accounts.selectors import NotAllowed, require_can_manage
from taybac.catalog.models import Shop, Variant
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.regions.selectors import provinces_for_people
from taybac.traceability import services
from taybac.traceability.models import EventIdentifier, Lot, TraceEvent
from taybac.traceability.photos import add_lot_photo
from taybac.web import forms_lots as f
from taybac.web.views_seller import _acting, _shop_of

PAGE_SIZE = 50
INPUT_CANDIDATES = 30
REPLAY_WINDOW = datetime.timedelta(hours=1)
CODE_LETTERS = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: codes are read off labels


def token_code(token: str, day: datetime.date) -> str:
    """The lot code a form token stands for: the same form submitted twice names the same lot."""
    number = int(token[:10], 16)
    return day.strftime("%y%m%d-") + "".join(CODE_LETTERS[(number >> (5 * i)) & 31] for i in range(4))


def _acting_shop(request: AuthenticatedHttpRequest) -> tuple[Producer, Shop] | None:
    try:
        producer, _ = _acting(request)
    except Http404:
        return None
    return producer, _shop_of(producer, request.user)


def _lot_for(request: AuthenticatedHttpRequest, pk: int) -> Lot:
    lot = Lot.objects.select_related("variant__product", "shop__producer__owner").filter(pk=pk).first()
    if lot is None:
        raise Http404("Không tìm thấy lô hàng.")
    try:
        require_can_manage(request.user, lot.shop.producer)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    return lot


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _create_once(
    request: AuthenticatedHttpRequest, form: f.LotDetailsForm, *, variant: Variant, day: datetime.date, create
) -> tuple[Lot, bool] | None:
    """Record a new lot through `create(code)`; (lot, replayed) or None with the refusal on the form."""
    data = form.cleaned_data
    code = data["code"] or token_code(data["token"], day)
    try:
        return create(code), False
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    except (DomainError, IntegrityError) as error:
        if isinstance(error, IntegrityError) or error.field == "code":
            # the same token is the same form; a code the producer typed must also come with the same answers
            same = {} if not data["code"] else {"harvested_on": day, "quantity": data["quantity"]}
            earlier = Lot.objects.filter(
                variant=variant,
                code=code,
                created_by=request.user,
                **same,
                created_at__gte=timezone.now() - REPLAY_WINDOW,
            ).first()
            if earlier is not None:  # the second tap of a double tap: the first one recorded the lot
                return earlier, True
            if not data["code"]:  # a derived code taken by another lot (rare): a fresh token, a fresh code
                form.add_error(None, "Mã lô tự đặt bị trùng. Vui lòng bấm lưu lại.")
                form.renew_token()
                return None
        if isinstance(error, IntegrityError):
            form.add_error(None, "Không ghi được lô hàng. Vui lòng thử lại.")
        else:
            f.attach(form, error)
        return None


def _done(request: HttpRequest, lot: Lot, replayed: bool, what: str) -> HttpResponse:
    if replayed:
        messages.info(request, f"Lô {lot.code} đã được ghi từ lần bấm trước, không ghi thêm.")
    else:
        messages.success(request, f"Đã ghi {what} {lot.code}.")
    return redirect("seller-lots")


@login_required
def lots(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The shop's lots, newest harvest first, with what can be done to each."""
    acting = _acting_shop(request)
    if acting is None:
        return redirect("seller-signup")
    producer, shop = acting
    page = min(max(small_int(request.GET.get("trang"), max_digits=4) or 1, 1), 1000)
    start = (page - 1) * PAGE_SIZE
    rows = list(
        Lot.objects.filter(shop=shop)
        .select_related("variant__product")
        .annotate(event_count=Count("event_links__event", distinct=True))
        .order_by("-harvested_on", "-id")[start : start + PAGE_SIZE + 1]
    )
    return render(
        request,
        "web/centre/lots/list.html",
        {
            "producer": producer,
            "shop": shop,
            "lots": rows[:PAGE_SIZE],
            "page": page,
            "more": len(rows) > PAGE_SIZE,
            "on_behalf": producer.owner_id != request.user.pk,
        },
    )


@login_required
def lot_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Ghi lô mới (thu hoạch)": one screen; the commune is the shop's unless the producer changes it."""
    acting = _acting_shop(request)
    if acting is None:
        return redirect("seller-signup")
    producer, shop = acting
    post = _posted(request)
    province, communes = f.province_and_communes((post or request.GET).get("province"), shop)
    provinces = provinces_for_people()
    initial = {
        "token": f.new_token(),
        "harvested_on": timezone.localdate(),
        "province": province.code,
        "commune": shop.commune_id if province.code == shop.province_id else "",
    }
    if post is not None and "doi_tinh" in post:  # another province: the same answers, that province's communes
        kept = {k: v for k, v in post.items() if k not in ("commune", "csrfmiddlewaretoken", "doi_tinh")}
        form = f.HarvestForm(
            initial={**initial, **kept, "province": province.code}, shop=shop, provinces=provinces, communes=communes
        )
        return render(request, "web/centre/lots/new.html", {"form": form, "producer": producer})
    form = f.HarvestForm(
        post,
        request.FILES if post is not None else None,
        initial=initial,
        shop=shop,
        provinces=provinces,
        communes=communes,
    )
    if post is not None and form.is_valid():
        data = form.cleaned_data
        result = _create_once(
            request,
            form,
            variant=data["variant"],
            day=data["harvested_on"],
            create=lambda code: services.record_harvest(
                actor=request.user,
                variant=data["variant"],
                harvested_on=data["harvested_on"],
                quantity=data["quantity"],
                unit=data["unit"],
                commune_code=data["commune"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                practices=data["practices"],
                certificates=data["certificates"],
                code=code,
            ),
        )
        if result is not None:
            lot, replayed = result
            if not replayed:
                _add_photos(request, lot, data["photos"])
            return _done(request, lot, replayed, "lô")
    return render(
        request, "web/centre/lots/new.html", {"form": form, "producer": producer}, status=400 if form.errors else 200
    )


def _add_photos(request: AuthenticatedHttpRequest, lot: Lot, photos: list[bytes]) -> None:
    """Photos were checked by the form; resizing happens now, after the lot's transaction committed."""
    for number, content in enumerate(photos, start=1):
        try:
            add_lot_photo(actor=request.user, lot=lot, data=content)
        except DomainError as error:
            messages.warning(request, f"Ảnh {number} chưa lưu được: {error.message}")
            return


@login_required
def lot_process(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """ "Chế biến": this lot (and others of the shop) become a new lot of another variant."""
    source = _lot_for(request, pk)
    others = (
        Lot.objects.filter(shop=source.shop)
        .exclude(pk=source.pk)
        .select_related("variant__product")
        .order_by("-harvested_on", "-id")[: INPUT_CANDIDATES - 1]
    )
    form = f.ProcessingForm(
        _posted(request),
        shop=source.shop,
        candidates=[source, *others],
        initial={"token": f.new_token(), "produced_on": timezone.localdate(), f"used_{source.pk}": source.quantity},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = _create_once(
            request,
            form,
            variant=data["variant"],
            day=data["produced_on"],
            create=lambda code: services.record_processing(
                actor=request.user,
                inputs=data["inputs"],
                variant=data["variant"],
                quantity=data["quantity"],
                produced_on=data["produced_on"],
                unit=data["unit"],
                practices=data["practices"],
                certificates=data["certificates"],
                code=code,
            ),
        )
        if result is not None:
            return _done(request, *result, "lô thành phẩm")
    return render(
        request, "web/centre/lots/process.html", {"form": form, "lot": source}, status=400 if form.errors else 200
    )


def _cartons(lot: Lot) -> list[str]:
    """SSCCs of the cartons this lot was packed into, in the order they were packed."""
    uris = (
        EventIdentifier.objects.filter(field="parentID", event__biz_step="packing", event__lot_links__lot=lot)
        .order_by("event__leaf_index")
        .values_list("value", flat=True)
    )
    return [uri.rsplit("/", 1)[-1] for uri in uris]


@login_required
def lot_pack(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """ "Đóng thùng": cartons × units per carton; each carton gets an SSCC, listed on this page."""
    lot = _lot_for(request, pk)
    form = f.PackingForm(_posted(request), initial={"token": f.new_token()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ssccs = services.record_packing(
                actor=request.user,
                lot=lot,
                cartons=data["cartons"],
                per_carton=data["per_carton"],
                request_key=f"web:{data['token']}",
            )
        except DomainError as error:
            f.attach(form, error)
        else:
            messages.success(request, f"Đã đóng {len(ssccs)} thùng, mã thùng (SSCC): {', '.join(ssccs)}.")
            return redirect("seller-lot-pack", pk=lot.pk)
    return render(
        request,
        "web/centre/lots/pack.html",
        {"form": form, "lot": lot, "cartons": _cartons(lot)},
        status=400 if form.errors else 200,
    )


def _inspections(lot: Lot) -> list[dict]:
    events = TraceEvent.objects.filter(lot_links__lot=lot, biz_step="inspecting").order_by("-leaf_index")[:20]
    return [
        {
            "at": event.event_time,
            "passed": event.disposition == "conformant",
            "inspector": event.document.get("taybac:inspector", ""),
            "note": event.document.get("taybac:note", ""),
        }
        for event in events
    ]


@login_required
def lot_inspect(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """ "Kiểm tra": passed or not, by whom, with a note; earlier inspections listed below."""
    lot = _lot_for(request, pk)
    form = f.InspectionForm(_posted(request), initial={"token": f.new_token()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_inspection(
                actor=request.user,
                lot=lot,
                passed=data["passed"],
                inspector=data["inspector"],
                note=data["note"],
                request_key=f"web:{data['token']}",
            )
        except DomainError as error:
            f.attach(form, error)
        else:
            verdict = "đạt" if data["passed"] else "không đạt"
            messages.success(request, f"Đã ghi kết quả kiểm tra lô {lot.code}: {verdict}.")
            return redirect("seller-lots")
    return render(
        request,
        "web/centre/lots/inspect.html",
        {"form": form, "lot": lot, "inspections": _inspections(lot)},
        status=400 if form.errors else 200,
    )
