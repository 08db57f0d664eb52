"""Recording lots and what happens to them, as a producer (or a helper acting for one) does from a phone.

Each function is one transaction: the lot or change, its EPCIS event, the log leaf and the signed
checkpoint commit together, audited "on behalf of" the producer when a helper records it.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from taybac.accounts.models import User
from taybac.accounts.selectors import require_can_manage
from taybac.catalog.models import Variant
from taybac.core import audit
from taybac.core.errors import DomainError
from taybac.regions.models import Commune
from taybac.traceability import keys, log
from taybac.traceability.epcis import build
from taybac.traceability.models import EventLot, Lot, TraceEvent
from taybac.traceability.store import lot_quantity, replayed, store_events, store_hub_event

LOT_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{0,19}")
MAX_CERTIFICATES = 10
MAX_INPUTS = 20


class TraceError(DomainError):
    """A lot or event the hub refuses; the message is for the producer, in Vietnamese."""


def _owner(actor: User, variant_or_lot: Variant | Lot) -> User:
    producer = variant_or_lot.shop.producer
    require_can_manage(actor, producer)
    return producer.owner


def _now() -> datetime.datetime:
    return timezone.localtime()


def _lot_code(variant: Variant, code: str, day: datetime.date) -> str:
    code = (code or "").strip().upper()
    if code:
        if not LOT_CODE.fullmatch(code):
            raise TraceError(
                "Mã lô chỉ gồm chữ in hoa không dấu, số và dấu gạch ngang (tối đa 20 ký tự).", field="code"
            )
        if Lot.objects.filter(variant=variant, code=code).exists():
            raise TraceError(f"Sản phẩm này đã có lô {code}.", field="code")
        return code
    stem = day.strftime("%y%m%d")
    taken = set(Lot.objects.filter(variant=variant, code__startswith=stem).values_list("code", flat=True))
    return next(f"{stem}-{n}" for n in range(1, len(taken) + 2) if f"{stem}-{n}" not in taken)


def _gps(latitude: Any, longitude: Any) -> tuple[Decimal | None, Decimal | None]:
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    try:
        lat, lon = (
            Decimal(str(latitude)).quantize(Decimal("0.00001")),
            Decimal(str(longitude)).quantize(Decimal("0.00001")),
        )
    except (InvalidOperation, ValueError):
        raise TraceError("Toạ độ GPS không hợp lệ.", field="gps") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise TraceError("Toạ độ GPS không hợp lệ.", field="gps")
    return lat, lon


def _certificates(values: list[str]) -> list[str]:
    cleaned = [v.strip()[:120] for v in values or [] if v and v.strip()]
    if len(cleaned) > MAX_CERTIFICATES:
        raise TraceError(f"Tối đa {MAX_CERTIFICATES} chứng nhận cho một lô.", field="certificates")
    return cleaned


def _check_quantity(quantity: Any, field: str = "quantity") -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= 10_000_000:
        raise TraceError("Số lượng phải là số nguyên từ 1 đến 10.000.000.", field=field)
    return quantity


def _ilmd(lot: Lot) -> dict[str, Any]:
    """Lot master data carried by the event that creates the lot, so the log covers it too."""
    ilmd: dict[str, Any] = {
        "cbvmda:harvestStartDate": lot.harvested_on.isoformat(),
        "cbvmda:countryOfOrigin": "VN",
        "taybac:commune": {"code": lot.commune_id, "name": lot.commune.name, "province": lot.commune.province.name},
    }
    if lot.practices:
        ilmd["taybac:practices"] = lot.practices
    if lot.certificates:
        ilmd["taybac:certificates"] = lot.certificates
    return ilmd


def _earlier(request_key: str | None, lot: Lot) -> list[TraceEvent]:
    """Events a repeated request already recorded for this lot; a key reused for another lot is refused."""
    earlier = replayed(request_key)
    if earlier and not EventLot.objects.filter(event__in=earlier, lot=lot).exists():
        raise TraceError("Biểu mẫu này đã được dùng cho một lô khác; vui lòng mở lại trang.", field="token")
    return earlier


def _new_lot(
    *,
    actor: User,
    variant: Variant,
    harvested_on: datetime.date,
    quantity: int,
    unit: str,
    commune_code: int | None,
    latitude: Any,
    longitude: Any,
    practices: str,
    certificates: list[str],
    code: str,
) -> Lot:
    _check_quantity(quantity)
    if not isinstance(harvested_on, datetime.date) or harvested_on > _now().date():
        raise TraceError("Ngày thu hoạch không được sau hôm nay.", field="harvested_on")
    commune = variant.shop.commune if commune_code is None else Commune.objects.filter(code=commune_code).first()
    if commune is None:
        raise TraceError(f"Không có xã mã {commune_code}.", field="commune")
    lat, lon = _gps(latitude, longitude)
    practices = (practices or "").strip()
    if len(practices) > 1000:
        raise TraceError("Phần cách canh tác quá dài (tối đa 1000 ký tự).", field="practices")
    return Lot.objects.create(
        variant=variant,
        shop=variant.shop,
        code=_lot_code(variant, code, harvested_on),
        harvested_on=harvested_on,
        quantity=quantity,
        unit=(unit or variant.unit).strip()[:20],
        commune=commune,
        latitude=lat,
        longitude=lon,
        practices=practices,
        certificates=_certificates(certificates),
        created_by=actor,
    )


@transaction.atomic
def record_harvest(
    *,
    actor: User,
    variant: Variant,
    harvested_on: datetime.date,
    quantity: int,
    unit: str = "",
    commune_code: int | None = None,
    latitude: Any = None,
    longitude: Any = None,
    practices: str = "",
    certificates: list[str] | None = None,
    code: str = "",
) -> Lot:
    """A new lot from a harvest: an ObjectEvent ADD (CBV commissioning) carrying the lot's master data."""
    log.lock()
    owner = _owner(actor, variant)
    lot = _new_lot(
        actor=actor,
        variant=variant,
        harvested_on=harvested_on,
        quantity=quantity,
        unit=unit,
        commune_code=commune_code,
        latitude=latitude,
        longitude=longitude,
        practices=practices,
        certificates=certificates or [],
        code=code,
    )
    store_hub_event(
        build.event(
            "ObjectEvent",
            when=_now(),
            action="ADD",
            quantityList=[lot_quantity(lot, quantity)],
            biz_step="commissioning",
            disposition="active",
            read_point=build.geo_uri(lot.latitude, lot.longitude),
            biz_location=build.gln_uri(keys.shop_location(lot.shop).gln),
            ilmd=_ilmd(lot),
        ),
        actor=actor,
        lots=[lot],
        on_behalf_of=lot.shop.producer,
    )
    audit.record(actor=actor, on_behalf_of=owner, action="lot.harvested", target=lot)
    return lot


@transaction.atomic
def record_processing(
    *,
    actor: User,
    inputs: list[tuple[Lot, int]],
    variant: Variant,
    quantity: int,
    produced_on: datetime.date,
    unit: str = "",
    practices: str = "",
    certificates: list[str] | None = None,
    code: str = "",
) -> Lot:
    """Several input lots become one output lot (fresh leaves → dried tea): a TransformationEvent."""
    log.lock()
    owner = _owner(actor, variant)
    if not inputs or len(inputs) > MAX_INPUTS:
        raise TraceError(f"Chọn từ 1 đến {MAX_INPUTS} lô nguyên liệu.", field="inputs")
    for lot, used in inputs:
        _owner(actor, lot)
        _check_quantity(used, "inputs")
    lot = _new_lot(
        actor=actor,
        variant=variant,
        harvested_on=produced_on,
        quantity=quantity,
        unit=unit,
        commune_code=None,
        latitude=None,
        longitude=None,
        practices=practices,
        certificates=certificates or [],
        code=code,
    )
    store_hub_event(
        build.event(
            "TransformationEvent",
            when=_now(),
            inputQuantityList=[lot_quantity(source, used) for source, used in inputs],
            outputQuantityList=[lot_quantity(lot, quantity)],
            biz_step="commissioning",
            disposition="active",
            biz_location=build.gln_uri(keys.shop_location(lot.shop).gln),
            ilmd=_ilmd(lot),
        ),
        actor=actor,
        lots=[lot, *(source for source, _ in inputs)],
        on_behalf_of=lot.shop.producer,
    )
    audit.record(
        actor=actor,
        on_behalf_of=owner,
        action="lot.processed",
        target=lot,
        detail={"inputs": [source.pk for source, _ in inputs]},
    )
    return lot


@transaction.atomic
def record_packing(
    *, actor: User, lot: Lot, cartons: int, per_carton: int, request_key: str | None = None
) -> list[str]:
    """Pack units of a lot into cartons: one AggregationEvent per carton, each carton a new SSCC.

    With `request_key` (the form's token), repeating the request returns the first one's cartons.
    """
    log.lock()
    owner = _owner(actor, lot)
    if earlier := _earlier(request_key, lot):
        return [event.document["parentID"].rsplit("/", 1)[-1] for event in earlier]
    if not (isinstance(cartons, int) and 1 <= cartons <= 100):
        raise TraceError("Số thùng phải từ 1 đến 100.", field="cartons")
    _check_quantity(per_carton, "per_carton")
    ssccs = [keys.allocate_sscc() for _ in range(cartons)]
    location = build.gln_uri(keys.shop_location(lot.shop).gln)
    when = _now()
    events = [
        build.event(
            "AggregationEvent",
            when=when,
            action="ADD",
            parentID=build.sscc_uri(sscc),
            childQuantityList=[lot_quantity(lot, per_carton, packs=True)],
            biz_step="packing",
            disposition="in_progress",
            biz_location=location,
        )
        for sscc in ssccs
    ]
    record_time = build.timestamp(timezone.now())
    for event in events:
        event["recordTime"] = record_time
    store_events(
        events,
        source=TraceEvent.Source.HUB,
        recorded_by=actor,
        on_behalf_of=lot.shop.producer,
        lots={build.lot_class(lot.variant.gtin, lot.code): lot},
        request_key=request_key,
    )
    audit.record(actor=actor, on_behalf_of=owner, action="lot.packed", target=lot, detail={"ssccs": ssccs})
    return ssccs


@transaction.atomic
def record_inspection(
    *, actor: User, lot: Lot, passed: bool, inspector: str, note: str = "", request_key: str | None = None
) -> TraceEvent:
    """An inspection (by a cooperative, a lab or an officer): ObjectEvent OBSERVE, conformant or not.

    With `request_key` (the form's token), repeating the request returns the first one's event.
    """
    log.lock()
    owner = _owner(actor, lot)
    if earlier := _earlier(request_key, lot):
        return earlier[0]
    inspector = (inspector or "").strip()
    if not inspector or len(inspector) > 160:
        raise TraceError("Vui lòng ghi đơn vị kiểm tra (tối đa 160 ký tự).", field="inspector")
    extra = {"taybac:inspector": inspector, **({"taybac:note": note.strip()[:500]} if note.strip() else {})}
    event = store_hub_event(
        build.event(
            "ObjectEvent",
            when=_now(),
            action="OBSERVE",
            quantityList=[lot_quantity(lot, lot.quantity)],
            biz_step="inspecting",
            disposition="conformant" if passed else "non_conformant",
            biz_location=build.gln_uri(keys.shop_location(lot.shop).gln),
            **extra,
        ),
        actor=actor,
        lots=[lot],
        request_key=request_key,
        on_behalf_of=lot.shop.producer,
    )
    audit.record(actor=actor, on_behalf_of=owner, action="lot.inspected", target=lot, detail={"passed": passed})
    return event
