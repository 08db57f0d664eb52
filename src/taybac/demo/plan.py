"""A deterministic plan of the demo data: the same seed gives the same people, products, prices and stock.

Only dates move with the day the demo is loaded (OCOP validity and next harvests are relative to it), so
that a demo loaded any year still has valid and expired certificates and upcoming harvests.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from taybac.catalog.kinds import SERVICE_CATEGORIES
from taybac.demo.model import DemoProducer, Specialty
from taybac.demo.people import PRODUCERS
from taybac.demo.specialties_food import FOOD
from taybac.demo.specialties_goods import GOODS

SEED = 20250701  # the day the two-level administrative units took effect
SPECIALTIES: dict[str, Specialty] = {**FOOD, **GOODS}
OCOP_VALID_YEARS = 3
EVERY_NTH_OCOP_EXPIRED = 6
PROVINCE_MERGER = datetime.date(2025, 7, 1)
MINISTRY_MERGER = datetime.date(2025, 3, 1)


@dataclass(frozen=True)
class VariantPlan:
    sku: str
    name: str
    unit: str
    weight_grams: int
    price: int
    quantity: int


@dataclass(frozen=True)
class OcopPlan:
    stars: int
    issuer: str
    number: str
    issued_on: datetime.date
    expires_on: datetime.date


@dataclass(frozen=True)
class ProductPlan:
    name: str
    category: str
    description: str
    geographical_indication: str
    season_months: tuple[int, ...]
    next_harvest: datetime.date | None
    preorder_allowed: bool
    variants: tuple[VariantPlan, ...]
    ocop: OcopPlan | None
    photo: bool


@dataclass(frozen=True)
class ProducerPlan:
    source: DemoProducer
    phone: str
    products: tuple[ProductPlan, ...]


def producer_phone(index: int) -> str:
    """Vinaphone-range numbers (+84912…) that phonenumbers accepts as valid mobiles."""
    return f"+84912{index + 1:06d}"


def helper_phone(index: int) -> str:
    return f"+84915{index + 1:06d}"


def officer_phone(province_code: int) -> str:
    return f"+84916{province_code:06d}"


def _round_price(value: float) -> int:
    step = 1_000 if value < 100_000 else 5_000
    return max(step, round(value / step) * step)


def _stock(rng: random.Random, category: str, unit: str) -> int:
    if category == "du-lich-cong-dong":
        return rng.randint(4, 20)  # places or nights on offer
    if category == "thu-cong-tho-cam":
        return rng.randint(2, 25)  # hand-made, few at a time
    if unit in ("kg", "thùng", "bao", "sọt", "quả", "bó"):
        return rng.randint(40, 600)
    return rng.randint(10, 200)


def _season_starts(months: tuple[int, ...]) -> list[int]:
    """Months that open a season: [11, 12, 1] -> [11]; [6, 10] -> [6, 10]."""
    chosen = set(months)
    return sorted(m for m in chosen if ((m - 2) % 12) + 1 not in chosen)


def next_harvest(months: tuple[int, ...], today: datetime.date) -> datetime.date | None:
    """The 10th of the next month that opens a season, strictly after today."""
    if not months:
        return None
    candidates = []
    for start in _season_starts(months) or range(1, 13):  # all year round: the next 10th
        date = datetime.date(today.year, start, 10)
        if date <= today:
            date = datetime.date(today.year + 1, start, 10)
        candidates.append(date)
    return min(candidates)


def _ocop(
    rng: random.Random, counter: int, stars: int, producer: DemoProducer, province_name: str, today: datetime.date
) -> OcopPlan:
    expired = counter % EVERY_NTH_OCOP_EXPIRED == EVERY_NTH_OCOP_EXPIRED - 1
    days_ago = rng.randint(1130, 1500) if expired else rng.randint(30, 1000)
    issued = today - datetime.timedelta(days=days_ago)
    try:
        expires = issued.replace(year=issued.year + OCOP_VALID_YEARS)
    except ValueError:  # 29 February
        expires = issued.replace(year=issued.year + OCOP_VALID_YEARS, day=28)
    if stars == 5:
        ministry = (
            "Bộ Nông nghiệp và Phát triển nông thôn" if issued < MINISTRY_MERGER else "Bộ Nông nghiệp và Môi trường"
        )
        return OcopPlan(stars, ministry, f"{rng.randint(100, 4999)}/QĐ-BNN-KTHT", issued, expires)
    province = producer.old_province if issued < PROVINCE_MERGER else province_name
    return OcopPlan(stars, f"UBND tỉnh {province}", f"{rng.randint(150, 3200)}/QĐ-UBND", issued, expires)


def _product(
    rng: random.Random,
    producer: DemoProducer,
    ref_index: int,
    province_name: str,
    today: datetime.date,
    ocop_counter: list[int],
) -> ProductPlan:
    ref = producer.products[ref_index]
    spec = SPECIALTIES[ref.specialty]
    fill = {"place": producer.place, "province": province_name}
    factor = rng.uniform(0.88, 1.12)
    variants = tuple(
        VariantPlan(
            sku=f"{ref.specialty.upper().replace('_', '-')}-{k + 1}",
            name=name,
            unit=unit,
            weight_grams=grams,
            price=_round_price(price * factor),
            quantity=_stock(rng, spec.category, unit),
        )
        for k, (name, unit, grams, price) in enumerate(spec.variants)
    )
    months = () if spec.category in SERVICE_CATEGORIES else spec.months  # a tour has no harvest (catalog refuses one)
    harvest = next_harvest(months, today)
    in_season = today.month in months
    ocop = None
    if ref.ocop is not None:
        ocop = _ocop(rng, ocop_counter[0], ref.ocop, producer, province_name, today)
        ocop_counter[0] += 1
    photo = ref_index == 0 or rng.random() < 0.3
    return ProductPlan(
        name=(ref.name or spec.name).format(**fill),
        category=spec.category,
        description=spec.description.format(**fill),
        geographical_indication=ref.gi,
        season_months=months,
        next_harvest=harvest,
        preorder_allowed=bool(spec.preorder and harvest is not None and not in_season),
        variants=variants,
        ocop=ocop,
        photo=photo,
    )


def build_plan(*, today: datetime.date, province_names: dict[int, str]) -> list[ProducerPlan]:
    """Every producer with its products, in a fixed order, from the fixed seed."""
    rng = random.Random(SEED)
    ocop_counter = [0]
    plans = []
    for index, producer in enumerate(PRODUCERS):
        products = tuple(
            _product(rng, producer, j, province_names[producer.province], today, ocop_counter)
            for j in range(len(producer.products))
        )
        skus = [v.sku for p in products for v in p.variants]
        names = [p.name for p in products]
        if len(set(skus)) != len(skus) or len(set(names)) != len(names):
            raise ValueError(f"demo producer {producer.key}: duplicate SKU or product name")
        plans.append(ProducerPlan(source=producer, phone=producer_phone(index), products=products))
    return plans
