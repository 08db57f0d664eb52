"""Pickup-run pages: a post office's staff (/buu-dien/chuyen-lay-hang/) or a cooperative's people
(/ban-hang/chuyen-lay-hang/) plan the day's collection route and drive it from the run sheet on a phone.

The sheet lists, per vehicle, the producers in visiting order with a tel: link, parcels and kilograms, the
estimated arrival and two map links (a geo: URI, which a phone opens in its own map app, and Google Maps
directions as the fallback) — no map tiles and no JavaScript. "Đã lấy" is a plain POST form, idempotent in the
service, so a double tap or a resubmitted form records nothing twice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.accounts.models import Producer, Role
from taybac.accounts.phone import display_phone
from taybac.accounts.selectors import NotAllowed, managed_producers
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.fulfilment.selectors import staff_points
from taybac.fulfilment.shipments import collect_at_stop
from taybac.logistics import pickup_runs as service
from taybac.logistics.models_planning import PickupRun, PickupStop
from taybac.logistics.pickup_runs_selectors import AREA_RADIUS_KM, day_run, distance_km, run_start
from taybac.logistics.routing import AVERAGE_SPEED_KMH, SERVICE_SECONDS
from taybac.regions.models import PickupPoint

OFFICE, COOP = "office", "coop"
NOT_STAFF = "Tài khoản này chưa làm việc tại bưu điện nào: nhờ bộ phận vận hành thêm số điện thoại của bạn."
NOT_COOP = "Chỉ hợp tác xã (hoặc người được hợp tác xã ủy quyền) mới lập chuyến lấy hàng cho thành viên."


class PlanForm(forms.Form):
    ngay = forms.DateField(label="Ngày", widget=forms.DateInput(attrs={"type": "date"}))
    so_xe = forms.IntegerField(label="Số xe", min_value=1, max_value=service.MAX_VEHICLES, initial=1)
    tai_trong = forms.IntegerField(
        label="Mỗi xe chở được (kg)", min_value=1, max_value=service.MAX_CAPACITY_KG, initial=300
    )
    gio_di = forms.RegexField(
        label="Giờ xuất phát", regex=r"^([01]?\d|2[0-3]):[0-5]\d$", max_length=5, initial="07:30",
        error_messages={"invalid": "Nhập giờ dạng 07:30."},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    so_gio = forms.IntegerField(label="Tối đa (giờ)", min_value=1, max_value=service.MAX_DURATION_MIN // 60, initial=8)


@dataclass(frozen=True)
class Owner:
    """Whose run the page shows: one post office or one cooperative, and the others the user could switch to."""

    kind: str
    point: PickupPoint | None
    cooperative: Producer | None
    choices: list[tuple[int, str]]

    @property
    def pk(self) -> int:
        return (self.point or self.cooperative).pk  # type: ignore[union-attr]

    @property
    def name(self) -> str:
        return self.point.name if self.point else self.cooperative.name  # type: ignore[union-attr]

    @property
    def param(self) -> str:
        return "diem" if self.kind == OFFICE else "htx"

    @property
    def home(self) -> str:
        return "/buu-dien/chuyen-lay-hang/" if self.kind == OFFICE else "/ban-hang/chuyen-lay-hang/"


def _chosen(request: AuthenticatedHttpRequest, param: str) -> int | None:
    return small_int(request.POST.get(param) or request.GET.get(param) or "")


def _is_operator(request: AuthenticatedHttpRequest) -> bool:
    return request.user.is_superuser or request.user.role == Role.OPERATOR


def _office(request: AuthenticatedHttpRequest) -> Owner:
    """The staff member's post office (?diem= among theirs); operators name any post office."""
    points = [p for p in staff_points(request.user) if p.kind == PickupPoint.Kind.POST_OFFICE]
    chosen = _chosen(request, "diem")
    if chosen is not None and _is_operator(request) and all(p.pk != chosen for p in points):
        extra = PickupPoint.objects.select_related("address").filter(pk=chosen, kind=PickupPoint.Kind.POST_OFFICE)
        points += list(extra)
    if not points:
        raise PermissionDenied(NOT_STAFF)
    point = next((p for p in points if p.pk == chosen), None)
    if point is None and chosen is not None:
        raise PermissionDenied(NOT_STAFF)
    return Owner(OFFICE, point or points[0], None, [(p.pk, p.name) for p in points])


def _cooperative(request: AuthenticatedHttpRequest) -> Owner:
    """A cooperative the user owns or helps (?htx= among them); operators name any cooperative."""
    coops = list(managed_producers(request.user).filter(kind=Producer.Kind.COOPERATIVE))
    chosen = _chosen(request, "htx")
    if chosen is not None and _is_operator(request) and all(c.pk != chosen for c in coops):
        coops += list(Producer.objects.filter(pk=chosen, kind=Producer.Kind.COOPERATIVE))
    if not coops:
        raise PermissionDenied(NOT_COOP)
    coop = next((c for c in coops if c.pk == chosen), None)
    if coop is None and chosen is not None:
        raise PermissionDenied(NOT_COOP)
    return Owner(COOP, None, coop or coops[0], [(c.pk, c.name) for c in coops])


@dataclass(frozen=True)
class SheetStop:
    stop: PickupStop
    phone: str  # E.164 for tel:
    phone_display: str
    kg: str
    arrival: str
    geo_url: str
    maps_url: str


@dataclass(frozen=True)
class SheetRoute:
    vehicle: int
    stops: list[SheetStop]
    kg: str
    parcels: int
    km: str
    back: str  # estimated return to the depot


def _kg(grams: int) -> str:
    return f"{grams / 1000:.1f}".replace(".", ",")


def _km(km: float) -> str:
    return f"{km:.1f}".replace(".", ",")


def _clock(start: str, minutes: int) -> str:
    hours, mins = map(int, start.split(":"))
    total = hours * 60 + mins + minutes
    return f"{total // 60 % 24:02d}:{total % 60:02d}"


def _sheet(run: PickupRun) -> list[SheetRoute]:
    """The run's stops by vehicle, with what the driver needs at each. Route km and return time are recomputed
    from the stored points with the planner's own measures (great-circle, 30 km/h, 5 min per stop)."""
    start = run_start(run=run)
    depot = (float(run.depot_latitude), float(run.depot_longitude))
    routes: dict[int, list[PickupStop]] = {}
    for stop in run.stops.all():
        routes.setdefault(stop.vehicle, []).append(stop)
    sheet = []
    for vehicle, stops in sorted(routes.items()):
        points = [(float(s.latitude), float(s.longitude)) for s in stops]
        legs = [distance_km(a=a, b=b) for a, b in zip([depot, *points], [*points, depot], strict=True)]
        last = stops[-1].arrival_min or 0
        back = last + SERVICE_SECONDS / 60 + legs[-1] / AVERAGE_SPEED_KMH * 60
        rows = []
        for stop, (lat, lon) in zip(stops, points, strict=True):
            phone = stop.shop.producer.owner.phone or ""
            where = f"{lat:.6f},{lon:.6f}"
            rows.append(
                SheetStop(
                    stop=stop,
                    phone=phone,
                    phone_display=display_phone(phone) if phone else "",
                    kg=_kg(stop.demand_g),
                    arrival=_clock(start, stop.arrival_min or 0),
                    geo_url=f"geo:{where}?q={where}",
                    maps_url="https://www.google.com/maps/dir/?" + urlencode({"api": 1, "destination": where}),
                )
            )
        sheet.append(
            SheetRoute(
                vehicle=vehicle,
                stops=rows,
                kg=_kg(sum(s.demand_g for s in stops)),
                parcels=sum(s.parcels for s in stops),
                km=_km(sum(legs)),
                back=_clock(start, round(back)),
            )
        )
    return sheet


def _day(request: AuthenticatedHttpRequest) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("ngay", "")[:10])
    except ValueError:
        return timezone.localdate()


def _page(request: AuthenticatedHttpRequest, owner: Owner, form: PlanForm | None = None) -> HttpResponse:
    day = form.cleaned_data["ngay"] if form is not None and form.is_bound and form.is_valid() else _day(request)
    run = day_run(day=day, post_office=owner.point, cooperative=owner.cooperative)
    if form is None:
        initial = {"ngay": day}
        if run is not None:
            hours = (run.max_duration_min or service.DEFAULT_DURATION_MIN) // 60
            initial |= {"so_xe": run.vehicles, "tai_trong": run.capacity_kg, "so_gio": hours}
            initial["gio_di"] = run_start(run=run)
        form = PlanForm(initial=initial)
    sheet = _sheet(run) if run is not None else []
    stops = [row for route in sheet for row in route.stops]
    context = {
        "owner": owner,
        "form": form,
        "day": day,
        "run": run,
        "sheet": sheet,
        "km": _km(run.distance_m / 1000) if run else "",
        "kg": _kg(sum(r.stop.demand_g for r in stops)),
        "parcels": sum(r.stop.parcels for r in stops),
        "collected": sum(1 for r in stops if r.stop.collected_at),
        "pin_count": sum(1 for r in stops if r.stop.source == PickupStop.Source.PIN),
        "today": day == timezone.localdate(),
        "future": day > timezone.localdate(),
        "start": run_start(run=run) if run else "",
        "radius": f"{AREA_RADIUS_KM:g}",
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "web/pickup_runs/sheet.html", context, status=status)


def _plan(request: AuthenticatedHttpRequest, owner: Owner) -> HttpResponse:
    form = PlanForm(request.POST)
    if not form.is_valid():
        return _page(request, owner, form)
    data = form.cleaned_data
    try:
        run = service.plan_pickup_run(
            actor=request.user,
            day=data["ngay"],
            post_office=owner.point,
            cooperative=owner.cooperative,
            vehicles=data["so_xe"],
            capacity_kg=data["tai_trong"],
            start=data["gio_di"],
            max_duration_min=data["so_gio"] * 60,
        )
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    except DomainError as error:
        form.add_error(None, error.message)
        return _page(request, owner, form)
    stops = run.stops.count()
    messages.success(request, f"Đã lập chuyến: {stops} điểm lấy hàng, {_km(run.distance_m / 1000)} km.")
    query = urlencode({owner.param: owner.pk, "ngay": run.day.isoformat()})
    return redirect(f"{owner.home}?{query}")


def _collected(request: AuthenticatedHttpRequest, owner_of: str, pk: int) -> HttpResponse:
    key = small_int(pk)
    stop = PickupStop.objects.select_related("run", "shop").filter(pk=key).first() if key is not None else None
    if stop is None or (stop.run.post_office_id is None) == (owner_of == OFFICE):
        raise Http404("Không tìm thấy điểm lấy hàng.")
    try:
        collect_at_stop(actor=request.user, stop=stop)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã lấy hàng ở {stop.shop.name}.")
    run = stop.run
    param, pk_value, home = (
        ("diem", run.post_office_id, "/buu-dien/chuyen-lay-hang/")
        if owner_of == OFFICE
        else ("htx", run.cooperative_id, "/ban-hang/chuyen-lay-hang/")
    )
    query = urlencode({param: pk_value, "ngay": run.day.isoformat()})
    return redirect(f"{home}?{query}#diem-{stop.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def office(request: AuthenticatedHttpRequest) -> HttpResponse:
    owner = _office(request)
    return _plan(request, owner) if request.method == "POST" else _page(request, owner)


@login_required
@require_http_methods(["GET", "POST"])
def cooperative(request: AuthenticatedHttpRequest) -> HttpResponse:
    owner = _cooperative(request)
    return _plan(request, owner) if request.method == "POST" else _page(request, owner)


@login_required
@require_POST
def office_collected(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _collected(request, OFFICE, pk)


@login_required
@require_POST
def cooperative_collected(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _collected(request, COOP, pk)
