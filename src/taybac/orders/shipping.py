"""Shipping options per shop order, from whichever carriers the hub can use, behind one provider interface.

Orders (layer 4) may not import logistics (layer 5), which knows the carriers. So logistics registers its
provider here from its AppConfig.ready() (as search registers with catalog/hooks.py), and the cart's quote and
checkout both ask `provider()`: every interface (web, API, demo, the assistant later) gets the same options
without passing anything, and the fee a buyer is shown is the fee the order charges.

`ZoneWeightRates` is the zone/weight table the hub's seeded rate table copies; consolidation still derives its
line-haul/last-mile split from it (logistics/consolidation.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from taybac.core.errors import DomainError

if TYPE_CHECKING:
    from taybac.catalog.models import Shop, Variant
    from taybac.regions.models import Commune

MAX_OPTIONS = 8  # per shop order: a phone screen lists a handful, never a carrier's whole catalogue
HUB = "hub"


class ShippingUnavailable(DomainError):
    """No carrier could price a shop order (the hub's own network included): nothing can be ordered now."""

    code = "shipping_unavailable"


class StaleShippingChoice(DomainError):
    """The buyer's chosen option is no longer offered (a carrier stopped answering or changed its services)."""

    code = "conflict"


@dataclass(frozen=True)
class ShippingOption:
    """One way to deliver one shop order. `fee` is everything the buyer pays for delivery, the COD fee
    (`cod_fee`) included; the estimated delivery is `eta_days_min`–`eta_days_max` days."""

    carrier: str
    carrier_name: str
    service: str
    name: str
    fee: int
    cod_fee: int
    eta_days_min: int
    eta_days_max: int

    @property
    def id(self) -> str:
        return f"{self.carrier}:{self.service}"

    @property
    def eta(self) -> str:
        """ "2–4 ngày" or "1 ngày", for pages and messages."""
        if self.eta_days_min == self.eta_days_max:
            return f"{self.eta_days_min} ngày"
        return f"{self.eta_days_min}–{self.eta_days_max} ngày"


@dataclass(frozen=True)
class ShopParcel:
    """One shop order's parcel: weight, declared value (items total) and the cash the courier collects
    (0 unless the buyer pays on delivery)."""

    shop: Shop
    weight_grams: int
    items_total: int
    cash_on_delivery: bool


@dataclass(frozen=True)
class Destination:
    """Where parcels go: the delivery address's commune, or the pickup point's commune (with its street)."""

    commune: Commune
    street: str = ""


def shop_parcels(*, variants: Iterable[Variant], wanted: Mapping[int, int], cash_on_delivery: bool) -> list[ShopParcel]:
    """One parcel per shop (variants with their shop loaded), in shop id order: the shop orders checkout makes."""
    by_shop: dict[int, list[Variant]] = defaultdict(list)
    for variant in variants:
        by_shop[variant.shop_id].append(variant)
    return [
        ShopParcel(
            shop=shop_variants[0].shop,
            weight_grams=sum(v.weight_grams * wanted[v.pk] for v in shop_variants),
            items_total=sum(v.price * wanted[v.pk] for v in shop_variants),
            cash_on_delivery=cash_on_delivery,
        )
        for _, shop_variants in sorted(by_shop.items())
    ]


class OptionsProvider(Protocol):
    def options(self, *, parcels: Sequence[ShopParcel], destination: Destination) -> dict[int, list[ShippingOption]]:
        """Options per shop id, the hub's network first, each list non-empty (else ShippingUnavailable)."""
        ...


_registered: list[OptionsProvider] = []


def register_provider(*, provider: OptionsProvider) -> OptionsProvider:
    """Called once from logistics' AppConfig.ready(); the last registration wins (a test may swap it)."""
    _registered[:] = [provider]
    return provider


def provider() -> OptionsProvider:
    if not _registered:  # only when the logistics app is not installed: a configuration error, said plainly
        raise ShippingUnavailable("Chưa có đơn vị vận chuyển nào được cấu hình: chưa thể tính phí giao hàng.")
    return _registered[0]


def default_option(*, options: Sequence[ShippingOption]) -> ShippingOption:
    """The hub network's cheapest option (the hub always answers), else the cheapest there is."""
    hub = [o for o in options if o.carrier == HUB] or list(options)
    return min(hub, key=lambda o: (o.fee, o.eta_days_max, o.id))


def choose(
    *, options: Sequence[ShippingOption], choice: str | None, strict: bool, shop_name: str = ""
) -> ShippingOption:
    """The buyer's choice when it is still offered, else the default; with `strict` (checkout), a choice no
    longer offered is refused rather than silently replaced (the buyer must see the new price first)."""
    if choice:
        for option in options:
            if option.id == choice:
                return option
        if strict:
            where = f" cho {shop_name}" if shop_name else ""
            raise StaleShippingChoice(
                f"Cách giao hàng đã chọn{where} không còn. Vui lòng xem lại phí giao rồi đặt hàng.",
                field="shipping_choices",
            )
    return default_option(options=options)


@dataclass(frozen=True)
class ShopShipping:
    """A shop order's options and the one that applies (the buyer's choice, else the default)."""

    options: list[ShippingOption]
    chosen: ShippingOption


def priced(
    *,
    parcels: Sequence[ShopParcel],
    destination: Destination,
    choices: Mapping[int, str],
    strict: bool,
    shipping: OptionsProvider | None = None,
) -> dict[int, ShopShipping]:
    """Ask the provider once for every shop order's options and apply the buyer's choices (see `choose`).
    Carriers are called here, so checkout calls this before opening its transaction."""
    offered = (shipping or provider()).options(parcels=parcels, destination=destination)
    result = {}
    for parcel in parcels:
        options = offered.get(parcel.shop.pk) or []
        if not options:
            raise ShippingUnavailable(f"Chưa có cách giao hàng nào cho {parcel.shop.name} tới địa chỉ này.")
        chosen = choose(options=options, choice=choices.get(parcel.shop.pk), strict=strict, shop_name=parcel.shop.name)
        result[parcel.shop.pk] = ShopShipping(options=options, chosen=chosen)
    return result


def validate_choices(*, choices: Mapping[int, str] | None) -> dict[int, str]:
    """Bounded, well-formed choices: at most one per shop order of a cart, ids like "hub:standard"."""
    if not choices:
        return {}
    if len(choices) > 50:
        raise DomainError("Quá nhiều lựa chọn cách giao hàng.", field="shipping_choices")
    clean: dict[int, str] = {}
    for shop_id, option_id in choices.items():
        if (
            isinstance(shop_id, bool)
            or not isinstance(shop_id, int)
            or not isinstance(option_id, str)
            or not 3 <= len(option_id) <= 64
            or ":" not in option_id
        ):
            raise DomainError("Lựa chọn cách giao hàng không hợp lệ.", field="shipping_choices")
        clean[shop_id] = option_id
    return clean


@dataclass(frozen=True)
class ZoneWeightRates:
    """First kilogram by zone, then a price per started extra kilogram (integer đồng)."""

    same_province: tuple[int, int] = (18_000, 4_000)
    same_region: tuple[int, int] = (25_000, 6_000)
    nationwide: tuple[int, int] = (35_000, 9_000)

    def fee(self, *, from_province: int, to_province: int, to_in_region: bool, weight_grams: int) -> int:
        if from_province == to_province:
            first, extra = self.same_province
        elif to_in_region:
            first, extra = self.same_region
        else:
            first, extra = self.nationwide
        extra_kg = max(0, -(-(weight_grams - 1000) // 1000))
        return first + extra * extra_kg
