"""Demo brand pages: each shop's story, a photo for the shops of GI products, the GI register and the OCOP
decisions recorded by the province's officer (or the operator), so /gian-hang/…/ and /chung-nhan/ocop/…/ are full.

The GIs are real northern geographical indications, seeded by name and product only: their registration
numbers and holders are left blank because they were not checked against the IP Office's register here, and
their area is the whole (2025) province of the demo producers that sell them, wider than the registered area.
Everything runs through catalog.brand and catalog.certificates, as the pages do; safe to run again.
"""

from __future__ import annotations

import zlib
from collections import Counter

from taybac.accounts.models import Role, User
from taybac.catalog.brand import add_shop_photo, update_brand
from taybac.catalog.certificates import (
    link_geographical_indication,
    record_ocop_decision,
    register_geographical_indication,
)
from taybac.catalog.models import GeographicalIndication, OcopCertificate, Product, Shop
from taybac.demo.photos import product_card
from taybac.demo.plan import ProducerPlan

# The demo plan's free text → (GI name, product). Only GIs known to be registered; "Cam sành Hàm Yên" and
# "Nhãn Sông Mã" stay free text (the seller's claim) until someone checks them.
GIS: dict[str, tuple[str, str]] = {
    "Chè Shan tuyết Mộc Châu": ("Mộc Châu", "Chè Shan tuyết"),
    "Mật ong bạc hà Mèo Vạc": ("Mèo Vạc", "Mật ong bạc hà"),
    "Cam sành Hà Giang": ("Hà Giang", "Cam sành"),
    "Gạo Điện Biên": ("Điện Biên", "Gạo"),
    "Xoài tròn Yên Châu": ("Yên Châu", "Xoài tròn"),
    "Quế Văn Yên": ("Văn Yên", "Quế"),
}


def _story(plan: ProducerPlan, shop: Shop) -> str:
    source = plan.source
    names = ", ".join(p.name for p in plan.products[:4])
    return (
        f"{source.about}\n\n"
        f"Từ {source.place} ({shop.commune.name}, {shop.province.name}), {source.person} và gia đình, bà con "
        f"trong bản gửi đến người mua: {names}.\n\n"
        "Mỗi lô hàng ghi ngày thu hoạch và nơi sản xuất; quét mã QR trên bao bì để xem câu chuyện của lô."
    )


def _register(operator: User, plans: list[ProducerPlan], created: Counter) -> dict[str, GeographicalIndication]:
    provinces: dict[str, set[int]] = {}
    for plan in plans:
        for product in plan.products:
            if product.geographical_indication in GIS:
                provinces.setdefault(product.geographical_indication, set()).add(plan.source.province)
    found = {}
    for text, codes in provinces.items():
        name, product_type = GIS[text]
        gi = GeographicalIndication.objects.filter(name=name, product_type=product_type).first()
        if gi is None:
            gi = register_geographical_indication(
                actor=operator, name=name, product_type=product_type, province_codes=sorted(codes)
            )
            created["geographical indications"] += 1
        found[text] = gi
    return found


def _certifier(province_id: int, operator: User) -> User:
    return User.objects.filter(role=Role.OFFICER, officer_province_id=province_id).first() or operator


def ensure_demo_brands(plans: list[ProducerPlan], created: Counter) -> None:
    operator = User.objects.filter(role=Role.OPERATOR, is_staff=True).order_by("pk").first()
    if operator is None:
        return
    indications = _register(operator, plans, created)
    for plan in plans:
        shop = Shop.objects.select_related("producer__owner", "commune", "province").get(
            producer__owner__phone=plan.phone
        )
        owner = shop.producer.owner
        if not shop.story_html:
            update_brand(actor=owner, shop=shop, story=_story(plan, shop), latitude=None, longitude=None)
            created["brand stories"] += 1
        gi_texts = {p.geographical_indication for p in plan.products} & set(indications)
        if gi_texts and not shop.photos.exists():
            first = next(p for p in plan.products if p.geographical_indication in gi_texts)
            seed = zlib.crc32(f"brand/{plan.source.key}".encode())
            add_shop_photo(
                actor=owner, shop=shop, data=product_card(name=shop.name, category=first.category, seed=seed)
            )
            created["brand photos"] += 1
        for product in Product.objects.filter(shop=shop, gi__isnull=True, geographical_indication__in=gi_texts):
            gi = indications[product.geographical_indication]
            link_geographical_indication(actor=_certifier(shop.province_id, operator), product=product, gi=gi)
    phones = [plan.phone for plan in plans]
    pending = OcopCertificate.objects.filter(recorded_by__isnull=True, product__shop__producer__owner__phone__in=phones)
    for cert in pending.select_related("product__shop__producer__owner"):
        record_ocop_decision(
            actor=_certifier(cert.product.shop.province_id, operator),
            product=cert.product,
            stars=cert.stars,
            number=cert.number,
            issued_on=cert.issued_on,
            expires_on=cert.expires_on,
            decision_number=cert.number,
            decision_date=cert.issued_on,
            decision_body=cert.issuer,
        )
        created["OCOP decisions"] += 1
