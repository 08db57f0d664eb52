"""Demo lots with their trace events, so a new user finds trace pages and QR labels after `taybac demo`.

Two stories, recorded through the real traceability services (so every event is a signed log leaf):
honey from Mèo Vạc (harvest with GPS and a photo, inspection, packing) and tea from Hoàng Su Phì (fresh
leaves harvested, processed into black tea, inspected and packed). Idempotent: a story whose first lot code
already exists is skipped, so loading twice records nothing new. Dates are relative to the loading day.
"""

from __future__ import annotations

import datetime
import zlib
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from taybac.catalog.models import Variant
from taybac.demo.photos import product_card
from taybac.demo.plan import ProducerPlan
from taybac.traceability.models import Lot
from taybac.traceability.photos import add_lot_photo
from taybac.traceability.services import record_harvest, record_inspection, record_packing, record_processing


@dataclass(frozen=True)
class _Variant:
    producer: str  # demo producer key
    sku: str


HONEY = _Variant("meo-vac-ong", "MAT-ONG-BAC-HA-1")
TEA_LEAVES = _Variant("hoang-su-phi-che", "SHAN-TUYET-1")
BLACK_TEA = _Variant("hoang-su-phi-che", "HONG-TRA-1")


def _variant(phones: dict[str, str], ref: _Variant) -> Variant | None:
    return (
        Variant.objects.select_related("product", "shop__producer__owner")
        .filter(shop__producer__owner__phone=phones.get(ref.producer), sku=ref.sku)
        .first()
    )


def _honey(phones: dict[str, str], today: datetime.date) -> tuple[Lot, str] | None:
    variant = _variant(phones, HONEY)
    if variant is None or Lot.objects.filter(variant=variant, code="MV-BH-01").exists():
        return None
    owner = variant.shop.producer.owner
    with transaction.atomic():
        lot = record_harvest(
            actor=owner,
            variant=variant,
            harvested_on=today - datetime.timedelta(days=40),
            quantity=96,
            code="MV-BH-01",
            latitude="23.15861",
            longitude="105.40694",
            practices="Ong nội nuôi đõ gỗ trên cao nguyên đá; quay mật khi đã vít nắp, không cho ong ăn đường.",
        )
        record_inspection(
            actor=owner,
            lot=lot,
            passed=True,
            inspector="Tổ kiểm soát chất lượng HTX (dữ liệu mẫu)",
            note="Độ ẩm 19,5%, không phát hiện đường lạ.",
        )
        record_packing(actor=owner, lot=lot, cartons=4, per_carton=24)
    return lot, "mat-ong"


def _tea(phones: dict[str, str], today: datetime.date) -> tuple[Lot, str] | None:
    leaves_variant, black_variant = _variant(phones, TEA_LEAVES), _variant(phones, BLACK_TEA)
    if leaves_variant is None or black_variant is None:
        return None
    if Lot.objects.filter(variant=leaves_variant, code="HSP-BUP-01").exists():
        return None
    owner = leaves_variant.shop.producer.owner
    with transaction.atomic():
        leaves = record_harvest(
            actor=owner,
            variant=leaves_variant,
            harvested_on=today - datetime.timedelta(days=21),
            quantity=300,
            unit="kg",
            code="HSP-BUP-01",
            latitude="22.74658",
            longitude="104.67952",
            certificates=["VietGAP (dữ liệu mẫu)"],
            practices="Búp chè Shan tuyết cổ thụ hái tay một tôm hai lá; không phun thuốc, không bón phân hoá học.",
        )
        black = record_processing(
            actor=owner,
            inputs=[(leaves, 240)],
            variant=black_variant,
            quantity=480,
            produced_on=today - datetime.timedelta(days=18),
            code="HSP-HT-01",
            practices="Làm héo, vò, lên men tự nhiên rồi sấy bằng than củi.",
        )
        record_inspection(actor=owner, lot=black, passed=True, inspector="Tổ kiểm soát nội bộ HTX (dữ liệu mẫu)")
        record_packing(actor=owner, lot=black, cartons=4, per_carton=120)
    return leaves, "che"


def ensure_demo_lots(plans: list[ProducerPlan], created: Counter) -> None:
    """Record the demo lots that are missing; their photos are resized after the events committed."""
    phones = {plan.source.key: plan.phone for plan in plans}
    today = timezone.localdate()
    for story in (_honey, _tea):
        before = Lot.objects.count()
        recorded = story(phones, today)
        if recorded is None:
            continue
        lot, category = recorded
        created["lots"] += Lot.objects.count() - before
        seed = zlib.crc32(f"lot/{lot.variant.sku}/{lot.code}".encode())
        add_lot_photo(
            actor=lot.shop.producer.owner,
            lot=lot,
            data=product_card(name=lot.variant.product.name, category=category, seed=seed),
        )
