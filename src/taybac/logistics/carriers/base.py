"""One interface for every carrier: the hub's own network, GHN, GHTK, Vietnam Post (docs/logistics.md).

Checkout, the seller centre and the post office talk to `Carrier` only, so a carrier is added or swapped without
touching them. Money is integer đồng, weights grams. Addresses are the 2025 two-level record (province, commune)
plus the pre-2025 district/ward codes the third-party carriers still route by (`legacy_*`: filled by the
address mapping, a later piece of work).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from taybac.core.errors import DomainError

MAX_WEIGHT_G = 50_000
MAX_MONEY = 1_000_000_000


class TrackingStatus(StrEnum):
    """Our statuses; every carrier's own status maps onto one of these (or is ignored when it says nothing new)."""

    CREATED = "created"
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    AT_POST_OFFICE = "at_post_office"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    FAILED = "failed"
    RETURNED = "returned"
    CANCELLED = "cancelled"


class CarrierError(DomainError):
    """The carrier is down, refused the request or answered something we cannot read. `message` is Vietnamese."""

    code = "carrier_error"


@dataclass(frozen=True)
class Address:
    """Where a parcel leaves from or goes to. `commune_code`/`province_code` are 2025 codes (the record)."""

    province_code: int
    commune_code: int
    name: str = ""
    phone: str = ""
    street: str = ""
    legacy_province_code: str = ""
    legacy_district_code: str = ""
    legacy_ward_code: str = ""
    province_name: str = ""
    district_name: str = ""
    ward_name: str = ""
    # The sender's commune spans several old districts and the sender has not said which: the old units above are
    # a guess, which third-party carriers must not be given (they price and route by them).
    legacy_unsettled: bool = False


@dataclass(frozen=True)
class Parcel:
    """What is shipped: weight in grams, declared value and cash to collect on delivery, in đồng."""

    weight_g: int
    value: int = 0
    cod_amount: int = 0

    def __post_init__(self) -> None:
        if not 0 < self.weight_g <= MAX_WEIGHT_G:
            raise DomainError(f"Khối lượng kiện hàng phải từ 1 đến {MAX_WEIGHT_G} g.", field="weight_g")
        for name in ("value", "cod_amount"):
            if not 0 <= getattr(self, name) <= MAX_MONEY:
                raise DomainError("Giá trị hàng và tiền thu hộ không được âm hoặc quá lớn.", field=name)


@dataclass(frozen=True)
class Quote:
    """One service a carrier offers for a parcel; `total` is what the sender pays."""

    carrier: str
    service: str
    service_name: str
    fee: int
    cod_fee: int = 0
    insurance_fee: int = 0
    surcharge: int = 0
    eta_days_min: int = 1
    eta_days_max: int = 3

    @property
    def total(self) -> int:
        return self.fee + self.cod_fee + self.insurance_fee + self.surcharge


@dataclass(frozen=True)
class ShipmentRequest:
    """A shipment to book: our reference (the shop order's code) is sent as the carrier's client order code."""

    reference: str
    service: str
    origin: Address
    destination: Address
    parcel: Parcel
    content: str = ""
    note: str = ""


@dataclass(frozen=True)
class Shipment:
    """A booked shipment: the carrier's tracking code and the fee it will charge."""

    carrier: str
    tracking_code: str
    fee: int
    expected_delivery: datetime.datetime | None = None
    sort_code: str = ""


@dataclass(frozen=True)
class Label:
    """A printable label: either the PDF itself or a URL the carrier prints it at."""

    tracking_code: str
    content: bytes = b""
    content_type: str = "application/pdf"
    url: str = ""


@dataclass(frozen=True)
class TrackingEvent:
    """One status change of a shipment, in our statuses, keeping the carrier's own words for people."""

    tracking_code: str
    status: TrackingStatus
    at: datetime.datetime
    carrier_status: str = ""
    description: str = ""
    reference: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)


class Carrier(Protocol):
    """What every carrier adapter does. Methods raise `CarrierError` (or `DomainError` for bad input)."""

    code: str
    name: str

    def quote(self, *, origin: Address, destination: Address, parcel: Parcel) -> list[Quote]: ...

    def create_shipment(self, *, request: ShipmentRequest) -> Shipment: ...

    def cancel(self, *, tracking_code: str) -> None: ...

    def label(self, *, tracking_code: str) -> Label: ...

    def track(self, *, tracking_code: str) -> list[TrackingEvent]: ...

    def parse_webhook(self, *, headers: Mapping[str, str], body: bytes) -> list[TrackingEvent]: ...
