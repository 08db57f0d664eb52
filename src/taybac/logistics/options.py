"""Shipping options at checkout: every configured carrier's quotes for each shop order's parcel.

Registered with orders/shipping.py from LogisticsConfig.ready(), so the cart's quote and checkout (web, API,
demo) ask the same carriers the same way. The hub's own network is asked in the calling thread (it reads our
rate table and always answers); third-party carriers are asked in parallel threads under one deadline, and a
carrier that is down, too slow or answers nonsense is left out with a logged warning: the buyer still gets the
hub's options. If even the hub cannot price a parcel, checkout cannot go on and says so in Vietnamese.

Cash on delivery: the courier collects the shop order's whole total (items + delivery, COD fee included), so a
fee that depends on the amount collected is settled by re-quoting with `items + fee` until it stops moving.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait

from taybac.core.errors import DomainError
from taybac.logistics import addressing
from taybac.logistics.carriers import configured
from taybac.logistics.carriers.base import MAX_MONEY, MAX_WEIGHT_G, Address, Carrier, CarrierError, Parcel, Quote
from taybac.orders.shipping import (
    HUB,
    MAX_OPTIONS,
    Destination,
    ShippingOption,
    ShippingUnavailable,
    ShopParcel,
)

log = logging.getLogger(__name__)

DEADLINE_S = 8.0  # all third-party quotes of one cart together; below one HTTP attempt's own 10 s timeout
MAX_WORKERS = 8
SETTLE_ROUNDS = 4  # COD fee on the amount collected: a percentage converges in two or three rounds
MAX_ETA_DAYS = 60


class CarrierOptions:
    """The options provider: `carriers` gives the carriers to ask, the hub's network among them (tests pass
    adapters with a fake transport; the default reads the configured credentials)."""

    def __init__(
        self,
        *,
        carriers: Callable[[], Mapping[str, Carrier]] = configured,
        deadline_s: float = DEADLINE_S,
    ) -> None:
        self.carriers = carriers
        self.deadline_s = deadline_s

    def options(self, *, parcels: Sequence[ShopParcel], destination: Destination) -> dict[int, list[ShippingOption]]:
        carriers = self.carriers()
        hub = carriers.get(HUB)
        if hub is None:
            raise ShippingUnavailable("Mạng lưới giao hàng Tây Bắc Hub chưa sẵn sàng. Vui lòng thử lại sau.")
        to = addressing.address(commune=destination.commune, street=destination.street)
        origins = {p.shop.pk: addressing.origin_for(shop=p.shop) for p in parcels}
        found: dict[int, list[ShippingOption]] = {p.shop.pk: [] for p in parcels}
        others = [c for code, c in carriers.items() if code != HUB]
        pool = ThreadPoolExecutor(max_workers=MAX_WORKERS) if others and parcels else None
        started = time.monotonic()
        asked: dict[Future[list[ShippingOption]], tuple[str, int]] = {}
        if pool is not None:
            for parcel in parcels:
                for carrier in others:
                    try:  # each carrier's own area codes (GHN, VNPost), read here: the threads use no database
                        origin = addressing.for_carrier(origins[parcel.shop.pk], carrier.code)
                        destination_address = addressing.for_carrier(to, carrier.code)
                    except DomainError as exc:
                        log.warning("carrier %s skipped for shop %s: %s", carrier.code, parcel.shop.pk, exc)
                        continue
                    future = pool.submit(_options, carrier, origin, destination_address, parcel)
                    asked[future] = (carrier.code, parcel.shop.pk)
        try:
            for parcel in parcels:
                try:
                    found[parcel.shop.pk] = _options(hub, origins[parcel.shop.pk], to, parcel)
                except DomainError as exc:  # CarrierError included: our own network cannot price this parcel
                    log.warning("hub network could not quote shop %s: %s", parcel.shop.pk, exc)
                    raise ShippingUnavailable(
                        f"Chưa tính được phí giao hàng cho {parcel.shop.name}: {exc.message}", field="shipping"
                    ) from exc
            done, late = wait(asked, timeout=max(0.0, self.deadline_s - (time.monotonic() - started)))
        finally:
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
        for future in done:
            code, shop_id = asked[future]
            try:
                found[shop_id].extend(future.result())
            except Exception as exc:  # down, refused, nonsense, unmapped address: the buyer still has the hub
                log.warning("carrier %s skipped for shop %s: %s", code, shop_id, exc)
        for future in late:
            log.warning("carrier %s skipped for shop %s: no answer within %.1f s", *asked[future], self.deadline_s)
        return {shop_id: _ordered(options) for shop_id, options in found.items()}


def _ordered(options: list[ShippingOption]) -> list[ShippingOption]:
    """The hub's network first, then the cheapest, one option per id, at most MAX_OPTIONS."""
    unique = {o.id: o for o in options}
    ranked = sorted(unique.values(), key=lambda o: (o.carrier != HUB, o.fee, o.eta_days_max, o.id))
    return ranked[:MAX_OPTIONS]


def _parcel(parcel: ShopParcel, collect: int) -> Parcel:
    weight = min(max(parcel.weight_grams, 1), MAX_WEIGHT_G + 1)  # over the limit: Parcel refuses, clearly
    return Parcel(weight_g=weight, value=min(parcel.items_total, MAX_MONEY), cod_amount=min(collect, MAX_MONEY))


def _options(carrier: Carrier, origin: Address, to: Address, parcel: ShopParcel) -> list[ShippingOption]:
    collect = parcel.items_total if parcel.cash_on_delivery else 0
    quotes = carrier.quote(origin=origin, destination=to, parcel=_parcel(parcel, collect))
    options = []
    for quote in quotes[:MAX_OPTIONS]:
        if parcel.cash_on_delivery and quote.cod_fee:
            quote = _settled(carrier, origin, to, parcel, quote)
        options.append(_option(carrier, quote))
    if not options:
        raise CarrierError(f"{carrier.name} không có dịch vụ nào cho tuyến này.", code="carrier_no_service")
    return options


def _settled(carrier: Carrier, origin: Address, to: Address, parcel: ShopParcel, quote: Quote) -> Quote:
    """The quote for collecting `items + its own total`: re-asked until the total stops moving (it only grows,
    so it converges; after SETTLE_ROUNDS the last answer stands)."""
    for _ in range(SETTLE_ROUNDS):
        again = carrier.quote(origin=origin, destination=to, parcel=_parcel(parcel, parcel.items_total + quote.total))
        same = next((q for q in again if q.service == quote.service), None)
        if same is None:
            raise CarrierError(f"{carrier.name} thôi báo giá dịch vụ {quote.service_name}.", code="carrier_bad_answer")
        if same.total == quote.total:
            return same
        quote = same
    return quote


def _named(carrier_name: str, service_name: str) -> str:
    """ "GHN Hàng nhẹ", not "Hàng nhẹ": the buyer (and the order, which records it) sees who delivers."""
    if carrier_name.casefold() in service_name.casefold():
        return service_name
    return f"{carrier_name} {service_name}"[:120]


def _option(carrier: Carrier, quote: Quote) -> ShippingOption:
    """A quote as the buyer's option, after checking it makes sense (a carrier's nonsense is refused here)."""
    amounts = (quote.fee, quote.cod_fee, quote.insurance_fee, quote.surcharge)
    sane = (
        quote.carrier == carrier.code
        and 1 <= len(quote.service) <= 40
        and ":" not in quote.service
        and 1 <= len(quote.service_name) <= 120
        and all(isinstance(a, int) and 0 <= a <= MAX_MONEY for a in amounts)
        and 0 < quote.total <= MAX_MONEY
        and 0 <= quote.eta_days_min <= quote.eta_days_max <= MAX_ETA_DAYS
    )
    if not sane:
        raise CarrierError(f"{carrier.name} báo giá không hợp lệ.", code="carrier_bad_answer")
    return ShippingOption(
        carrier=carrier.code,
        carrier_name=carrier.name,
        service=quote.service,
        name=_named(carrier.name, quote.service_name),
        fee=quote.total,
        cod_fee=quote.cod_fee,
        eta_days_min=quote.eta_days_min,
        eta_days_max=quote.eta_days_max,
    )
