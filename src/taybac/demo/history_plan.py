"""The demo's synthetic history as plain values: which orders and searches happened in each past week.

Deterministic: every (product, week) draws from its own random stream seeded by the product's first SKU
and the week, so the same day gives the same history, and a short history (tests) is exactly the last
weeks of the full one. Money follows the real arithmetic: the hub network's rate table prices shipping
(with the COD fee settled as checkout does), and every total is items + shipping.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import itertools
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from taybac.demo.history_demand import POPULATION, poisson, season_factor, weekly_rate
from taybac.logistics.rates import NoRate, Price, Table, price, zone_for
from taybac.orders.codes import ALPHABET, BODY_LENGTH, PREFIX
from taybac.orders.models import PaymentMethod, Status

SEED = "taybac-demo-history-2024"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PEAK_ORDERS_PER_WEEK = 1.6  # a product of median price and popularity, in season, today
SEARCHES_PER_ORDER = 2.0
PICKUP_SHARE = 0.45  # of buyers who live in a province with a hub post office
SECOND_LINE_SHARE = 0.12  # orders that add another product of the same shop (one that is in season)
SHOULDER_MIN = 0.25
PRICE_RISE_PER_YEAR = 0.04  # prices were a little lower in the past
RECENT_DAYS = 10  # delivered orders younger than this are not yet completed (the return window is open)
MAX_WEIGHT_G = 20_000
DAY_WEIGHTS = (1.0, 0.95, 0.95, 1.0, 1.05, 1.2, 1.25)  # Monday … Sunday
HOUR_WEIGHTS = dict(zip(range(6, 24), (1, 2, 3, 4, 5, 6, 7, 5, 4, 4, 4, 5, 6, 7, 8, 8, 6, 3), strict=True))
QUANTITIES = ((1, 70), (2, 21), (3, 7), (5, 2))
# (status, share) by payment method; the rest are delivered. Unpaid transfers expire; COD parcels get refused.
UNDONE = {
    PaymentMethod.VIETQR: ((Status.CANCELLED, 0.04), (Status.RETURNED, 0.01)),
    PaymentMethod.COD: ((Status.CANCELLED, 0.07), (Status.RETURNED, 0.025)),
}
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý", "Hà", "Đinh")
MIDDLE = ("Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Quang", "Thanh", "Hải", "Hồng")
GIVEN = (
    *("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hạnh", "Hùng", "Lan", "Linh", "Mai", "Nam", "Phương"),
    *("Quân", "Sơn", "Tâm", "Thảo", "Trang", "Trung", "Tuấn", "Vân", "Yến", "Khánh", "Hiếu", "Nga", "Long"),
)
# Things buyers look for that the hub does not sell: (query, harvest months or () for all year).
UNSOLD = (
    ("sầu riêng", (5, 6, 7, 8)),
    ("vải thiều", (6, 7)),
    ("măng cụt", (5, 6, 7)),
    ("thanh long", ()),
    ("cà phê", ()),
    ("nước mắm", ()),
    ("yến sào", ()),
    ("bánh chưng", (1, 2)),
    ("cá hồi sa pa", ()),
    ("rượu ngô bắc hà", ()),
)
UNSOLD_PEAK_PER_WEEK = 3.0
UNKNOWN_PROVINCE = 0.33  # searches by visits with no saved or cart address


@dataclass(frozen=True)
class VariantOffer:
    variant_id: int
    name: str
    price: int
    weight_g: int


@dataclass(frozen=True)
class ProductOffer:
    key: str  # the first variant's SKU: stable from one load to the next, unlike ids
    product_id: int
    shop_id: int
    name: str
    category: str
    season_mask: int
    origin_province: int
    origin_commune: int
    popularity: float  # multiplies the demand of a median product
    variants: tuple[VariantOffer, ...]
    searches: tuple[str, ...]  # what buyers type looking for it, most common first


@dataclass(frozen=True)
class Place:
    """A province buyers live in: its communes and the hub's post offices there."""

    province: int
    in_region: bool
    communes: tuple[int, ...]
    pickup_points: tuple[tuple[int, int], ...]  # (pickup point id, its commune)


@dataclass(frozen=True)
class Buyer:
    number: int
    name: str
    phone: str
    province: int
    commune: int
    street: str


@dataclass(frozen=True)
class PlannedLine:
    product_id: int
    variant_id: int
    product_name: str
    variant_name: str
    unit_price: int
    quantity: int
    weight_g: int  # of the whole line


@dataclass(frozen=True)
class PlannedOrder:
    key: str
    code: str
    shop_code: str
    created_at: datetime.datetime
    buyer: Buyer
    pickup_point: int | None
    payment_method: str
    status: str
    shop_id: int
    lines: tuple[PlannedLine, ...]
    items_total: int
    shipping: Price
    delivered_at: datetime.datetime | None  # None for a cancelled order

    @property
    def arrived_at_pickup(self) -> datetime.datetime | None:
        """The parcel reached the post office a few hours before the buyer collected it."""
        if self.pickup_point is None or self.delivered_at is None:
            return None
        return max(self.created_at, self.delivered_at - datetime.timedelta(hours=4))


@dataclass(frozen=True)
class PlannedSearch:
    query: str
    created_at: datetime.datetime
    sort: str
    duration_ms: int
    buyer_province: int | None = None
    visit: str = ""
    led_to_order: bool = False


@dataclass(frozen=True)
class OrderVisit:
    """What the search log may know of an order's visit: the buyer's province and when the order was placed."""

    key: str  # the order's key: the visit token derives from it
    province: int
    created_at: datetime.datetime


def _code(key: str) -> str:
    """An order code in the real format (orders/codes.py), derived from the key instead of drawn."""
    number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
    body = []
    for _ in range(BODY_LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        body.append(ALPHABET[digit])
    return PREFIX + "".join(body)


def history_weeks(*, today: datetime.date, weeks: int) -> list[datetime.date]:
    """The Mondays of the `weeks` complete weeks before the current one, oldest first."""
    this_monday = today - datetime.timedelta(days=today.weekday())
    return [this_monday - datetime.timedelta(weeks=n) for n in range(weeks, 0, -1)]


class Buyers:
    """Buyers by province, in proportion to population; the same (province, index) is the same person."""

    def __init__(self, places: Mapping[int, Place]) -> None:
        self.places = places
        self.provinces = sorted(p for p in POPULATION if p in places)
        self.cum_weights = list(itertools.accumulate(POPULATION[p] for p in self.provinces))
        self.first_number = dict(
            zip(self.provinces, itertools.accumulate((self.pool(p) for p in self.provinces), initial=0))
        )

    @staticmethod
    def pool(province: int) -> int:
        return max(8, POPULATION[province] // 25)

    def draw(self, rng: random.Random) -> Buyer:
        [province] = rng.choices(self.provinces, cum_weights=self.cum_weights)
        number = self.first_number[province] + rng.randrange(self.pool(province))
        person = random.Random(f"{SEED}:buyer:{number}")
        communes = self.places[province].communes
        return Buyer(
            number=number,
            name=f"Khách mẫu – {person.choice(SURNAMES)} {person.choice(MIDDLE)} {person.choice(GIVEN)}",
            phone=f"+84919{number:06d}",
            province=province,
            commune=communes[person.randrange(len(communes))],
            street=f"Số {person.randint(1, 199)}, tổ {person.randint(1, 40)}",
        )


def _moment(rng: random.Random, week: datetime.date) -> datetime.datetime:
    day = week + datetime.timedelta(days=rng.choices(range(7), weights=DAY_WEIGHTS)[0])
    [hour] = rng.choices(list(HOUR_WEIGHTS), weights=list(HOUR_WEIGHTS.values()))
    return datetime.datetime.combine(day, datetime.time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=TZ)


def _past_price(current: int, *, day: datetime.date, today: datetime.date) -> int:
    years = (today - day).days / 365.25
    return max(1000, round(current * (1 - PRICE_RISE_PER_YEAR * years) / 1000) * 1000)


def _line(rng: random.Random, offer: ProductOffer, day: datetime.date, today: datetime.date) -> PlannedLine:
    more = len(offer.variants) - 1
    weights = [0.6] + [0.4 / more] * more if more else [1.0]
    [variant] = rng.choices(offer.variants, weights=weights)
    [quantity] = rng.choices([q for q, _ in QUANTITIES], weights=[w for _, w in QUANTITIES])
    quantity = max(1, min(quantity, MAX_WEIGHT_G // 2 // max(variant.weight_g, 1)))
    return PlannedLine(
        product_id=offer.product_id,
        variant_id=variant.variant_id,
        product_name=offer.name,
        variant_name=variant.name,
        unit_price=_past_price(variant.price, day=day, today=today),
        quantity=quantity,
        weight_g=variant.weight_g * quantity,
    )


def _shipping(
    table: Table, offer: ProductOffer, place: Place, commune: int, remote: bool, items: int, weight: int, cod: bool
) -> Price:
    """The hub network's price, with the COD fee settled on items + shipping as checkout settles it."""
    zone = zone_for(
        from_province=offer.origin_province,
        from_commune=offer.origin_commune,
        to_province=place.province,
        to_commune=commune,
        to_in_region=place.in_region,
    )
    quote = price(table, zone=zone, weight_g=weight, value=items, cod_amount=items if cod else 0, remote=remote)
    for _ in range(3 if cod else 0):
        quote = price(table, zone=zone, weight_g=weight, value=items, cod_amount=items + quote.total, remote=remote)
    return quote


@dataclass(frozen=True)
class World:
    """Everything the plan depends on besides the products: the day, places, prices and remote communes."""

    today: datetime.date
    places: Mapping[int, Place]
    table: Table
    remote_communes: frozenset[int]


def _order(
    rng: random.Random,
    world: World,
    buyers: Buyers,
    offer: ProductOffer,
    shop_offers: Sequence[ProductOffer],
    week: datetime.date,
    key: str,
) -> PlannedOrder | None:
    created = _moment(rng, week)
    day = created.date()
    buyer = buyers.draw(rng)
    place = world.places[buyer.province]
    pickup, commune = None, buyer.commune
    if place.pickup_points and rng.random() < PICKUP_SHARE:
        pickup, commune = place.pickup_points[buyer.number % len(place.pickup_points)]
    lines = [_line(rng, offer, day, world.today)]
    others = [
        o
        for o in shop_offers
        if o.product_id != offer.product_id
        and season_factor(season_mask=o.season_mask, category=o.category, month=day.month) >= SHOULDER_MIN
    ]
    if others and rng.random() < SECOND_LINE_SHARE:
        lines.append(_line(rng, rng.choice(others), day, world.today))
    vietqr_share = 0.55 - 0.125 * (world.today - day).days / 365.25  # cashless grows: 30 % two years ago
    method = PaymentMethod.VIETQR if rng.random() < vietqr_share else PaymentMethod.COD
    items = sum(line.unit_price * line.quantity for line in lines)
    weight = sum(line.weight_g for line in lines)
    try:
        shipping = _shipping(
            world.table, offer, place, commune, commune in world.remote_communes, items, weight, method == "cod"
        )
    except NoRate:  # a parcel the rate table does not take: no such order
        return None
    status = Status.DELIVERED if (world.today - day).days < RECENT_DAYS else Status.COMPLETED
    draw = rng.random()
    for undone, share in UNDONE[method]:
        if draw < share:
            status = undone
            break
        draw -= share
    delivered = None
    if status != Status.CANCELLED:  # within the quoted days, sometimes a day late; never after yesterday evening
        late = datetime.timedelta(days=rng.randint(shipping.eta_days_min, shipping.eta_days_max + 1))
        latest = datetime.datetime.combine(world.today - datetime.timedelta(days=1), datetime.time(17), tzinfo=TZ)
        delivered = max(created + datetime.timedelta(hours=1), min(created + late, latest))
    return PlannedOrder(
        key=key,
        code=_code(key),
        shop_code=_code(key + ":shop"),
        created_at=created,
        buyer=buyer,
        pickup_point=pickup,
        payment_method=method,
        status=status,
        shop_id=offer.shop_id,
        lines=tuple(lines),
        items_total=items,
        shipping=shipping,
        delivered_at=delivered,
    )


def plan_orders(
    *, offers: Sequence[ProductOffer], world: World, weeks: Sequence[datetime.date]
) -> Iterator[PlannedOrder]:
    """Each product's orders, week by week: a Poisson count around its expected demand, times weekly noise."""
    buyers = Buyers(world.places)
    by_shop: dict[int, list[ProductOffer]] = {}
    for offer in offers:
        by_shop.setdefault(offer.shop_id, []).append(offer)
    for offer in offers:
        base = PEAK_ORDERS_PER_WEEK * offer.popularity
        for week in weeks:
            rng = random.Random(f"{SEED}:orders:{offer.key}:{week.isoformat()}")
            mean = weekly_rate(
                base=base, season_mask=offer.season_mask, category=offer.category, week_start=week, today=world.today
            )
            for n in range(poisson(rng, mean * rng.gammavariate(8, 1 / 8))):
                order = _order(rng, world, buyers, offer, by_shop[offer.shop_id], week, f"{offer.key}:{week}:{n}")
                if order is not None:
                    yield order


def _visit(key: str) -> str:
    return hashlib.sha256(f"{SEED}:visit:{key}".encode()).hexdigest()[:32]


def _people(
    searches: Iterator[PlannedSearch], rng: random.Random, ordered: Sequence[OrderVisit], provinces: Sequence[int]
) -> Iterator[PlannedSearch]:
    """Who searched: the first searches of a (product, week) are the visits of that week's orders (a little
    before each order, marked as ending in one); the others are visits that did not order, from a province drawn
    by population, or unknown (no saved or cart address) for a third of them."""
    for i, search in enumerate(searches):
        if i < len(ordered):
            order = ordered[i]
            before = datetime.timedelta(minutes=rng.randint(2, 180))
            yield dataclasses.replace(
                search, created_at=order.created_at - before, buyer_province=order.province,
                visit=_visit(order.key), led_to_order=True,
            )  # fmt: skip
        else:
            province = rng.choices(provinces, weights=[POPULATION[p] for p in provinces])[0] if provinces else None
            yield dataclasses.replace(
                search, buyer_province=None if rng.random() < UNKNOWN_PROVINCE else province,
                visit=_visit(f"{search.query}:{search.created_at.isoformat()}:{rng.random()}"),
            )  # fmt: skip


def plan_searches(
    *,
    offers: Sequence[ProductOffer],
    today: datetime.date,
    weeks: Sequence[datetime.date],
    orders: Mapping[tuple[str, datetime.date], Sequence[OrderVisit]] | None = None,
    provinces: Sequence[int] = (),
) -> Iterator[PlannedSearch]:
    """Searches follow the same seasons as orders (about three per order), plus searches for what is not sold.
    With `orders` ((product key, week) → its orders' visits) and the known `provinces`, each search also says
    its buyer's province, its visit and whether that visit ordered (`_people`)."""
    provinces = [p for p in provinces if p in POPULATION]
    orders = orders or {}
    wanted = [(o.key, o.searches, o.season_mask, o.category, PEAK_ORDERS_PER_WEEK * o.popularity) for o in offers]
    for text, months in UNSOLD:
        mask = sum(1 << m for m in months)
        wanted.append((f"unsold:{text}", (text,), mask, "trai-cay" if months else "", UNSOLD_PEAK_PER_WEEK))
    for key, texts, mask, category, base in wanted:
        weights = [0.55, 0.3, 0.15][: len(texts)]
        for week in weeks:
            yield from _people(
                _week_searches(rng_key=f"{key}:{week.isoformat()}", texts=texts, weights=weights, week=week,
                               mean=weekly_rate(base=base, season_mask=mask, category=category, week_start=week,
                                                today=today)),
                random.Random(f"{SEED}:search-people:{key}:{week.isoformat()}"),
                orders.get((key, week), ()),
                provinces,
            )  # fmt: skip


def _week_searches(
    *, rng_key: str, texts: Sequence[str], weights: Sequence[float], week: datetime.date, mean: float
) -> Iterator[PlannedSearch]:
    """One product's (or unsold term's) searches in one week, from its own random stream."""
    rng = random.Random(f"{SEED}:searches:{rng_key}")
    for _ in range(poisson(rng, mean * SEARCHES_PER_ORDER * rng.gammavariate(8, 1 / 8))):
        [text] = rng.choices(texts, weights=weights)
        draw = rng.random()
        sort = "price_asc" if draw < 0.08 else "newest" if draw < 0.12 else "relevance"
        yield PlannedSearch(query=text, created_at=_moment(rng, week), sort=sort, duration_ms=rng.randint(3, 60))
