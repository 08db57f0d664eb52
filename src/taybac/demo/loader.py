"""Load the synthetic demo data through the real services (so it is audited and indexed for search).

Idempotent: every record is found by a stable key before it is created — users by phone (or username),
producers by owner, shops by producer, products by their first variant's SKU within the shop, pickup points
by code — so `taybac demo` can run any number of times, and finishes a load that was interrupted.
"""

from __future__ import annotations

import logging
import zlib
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from taybac.accounts.models import Delegation, Producer, Role, User
from taybac.accounts.phone import display_phone
from taybac.accounts.services import grant_delegation, register_producer, revoke_delegation
from taybac.catalog.models import Category, OcopCertificate, Product, Shop, Variant
from taybac.catalog.services import (
    add_photo,
    add_variant,
    create_product,
    create_shop,
    load_categories,
    set_ocop_certificate,
)
from taybac.core import audit
from taybac.core.text import fold
from taybac.demo.assistant import ensure_demo_conversation
from taybac.demo.brands import ensure_demo_brands
from taybac.demo.fairs import ensure_demo_fair
from taybac.demo.history import ensure_demo_history, history_lines
from taybac.demo.identities import ensure_demo_identities
from taybac.demo.live import ensure_demo_live
from taybac.demo.logistics import ensure_demo_consolidation
from taybac.demo.lots import ensure_demo_lots
from taybac.demo.orders import ensure_demo_orders
from taybac.demo.people import HELPERS, OFFICERS, POST_OFFICES
from taybac.demo.photos import product_card
from taybac.demo.pickup_runs import ensure_demo_pickup_run
from taybac.demo.plan import ProducerPlan, ProductPlan, build_plan, helper_phone, officer_phone
from taybac.demo.tax import ensure_demo_withholdings
from taybac.demo.vouchers import ensure_demo_vouchers
from taybac.demo.windows import ensure_demo_window
from taybac.regions.models import Commune, PickupPoint, Province
from taybac.regions.services import create_address, load_regions
from taybac.traceability.models import Lot

logger = logging.getLogger("taybac.demo")

OPERATOR_USERNAME = "vanhanh"
OPERATOR_PASSWORD = "TayBac-demo-2025"  # demo only; printed in the summary. Change it on any shared server.
EXPECTED_COMMUNES = 3321
# One post office with a staff member, to try /buu-dien/ (receiving parcels): (province, commune, person, phone)
POST_CLERK = (15, "Phường Sa Pa", "Lý Thị Mai", "+84917000001")


class DemoDataError(RuntimeError):
    """The demo data does not fit the database (e.g. a commune name missing from the regions package)."""


@dataclass
class _Context:
    categories: dict[str, Category]
    provinces: dict[int, Province]
    helpers: dict[str, User]
    created: Counter


def _plain_province_name(name: str) -> str:
    """'Tỉnh Lào Cai' (vietnam-provinces 2026.x) and 'Lào Cai' (2025.10.1) both give 'Lào Cai'."""
    for prefix in ("Tỉnh ", "Thành phố "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _commune(province_code: int, name: str) -> Commune:
    commune = Commune.objects.filter(province_id=province_code, name_folded=fold(name)).order_by("code").first()
    if commune is None:
        raise DemoDataError(f"Commune {name!r} not found in province {province_code}.")
    return commune


def _user(ctx: _Context, *, phone: str, full_name: str, role: str, **extra) -> User:
    """A phone sign-in user (no usable password), found by phone if it already exists."""
    user = User.objects.filter(phone=phone).first()
    if user is None:
        user = User(username=phone, phone=phone, full_name=full_name, role=role, **extra)
        user.set_unusable_password()
        user.save()
        audit.record(actor=user, action="account.created", target=user, detail={"source": "demo"})
        ctx.created["users"] += 1
    return user


def _ensure_operator(ctx: _Context) -> bool:
    """The hub operator (Django admin). Returns whether the demo password still works."""
    user = User.objects.filter(username=OPERATOR_USERNAME).first()
    if user is None:
        user = User.objects.create_superuser(
            username=OPERATOR_USERNAME, password=OPERATOR_PASSWORD, role=Role.OPERATOR, full_name="Vận hành Tây Bắc Hub"
        )
        audit.record(actor=user, action="account.created", target=user, detail={"source": "demo"})
        ctx.created["users"] += 1
        return True
    return user.check_password(OPERATOR_PASSWORD)


def _ensure_officers(ctx: _Context) -> None:
    for officer in OFFICERS:
        province = ctx.provinces[officer.province]
        _user(
            ctx,
            phone=officer_phone(officer.province),
            full_name=officer.person,
            role=Role.OFFICER,
            officer_province=province,
        )


def _ensure_pickup_points(ctx: _Context) -> None:
    for province_code, commune_name in POST_OFFICES:
        commune = _commune(province_code, commune_name)
        code = f"BD-{commune.code}"
        if PickupPoint.objects.filter(code=code).exists():
            continue
        kind_word = commune.division_type or "xã"
        address = create_address(
            province_code=province_code,
            commune_code=commune.code,
            street=f"Trung tâm {kind_word}, cạnh trụ sở UBND {kind_word}",
        )
        phone_code = ctx.provinces[province_code].phone_code
        PickupPoint.objects.create(
            code=code,
            name="Bưu điện " + commune.name[0].lower() + commune.name[1:],
            kind=PickupPoint.Kind.POST_OFFICE,
            address=address,
            opening_hours="Thứ 2–Thứ 7: 7:00–11:30, 13:30–17:00",
            phone=f"+84{phone_code}38{(commune.code * 7) % 100_000:05d}",
        )
        ctx.created["pickup_points"] += 1


def _ensure_post_clerk(ctx: _Context) -> tuple[PickupPoint, User]:
    province_code, commune_name, person, phone = POST_CLERK
    point = PickupPoint.objects.get(code=f"BD-{_commune(province_code, commune_name).code}")
    clerk = _user(ctx, phone=phone, full_name=person, role=Role.BUYER)
    if not point.staff.filter(pk=clerk.pk).exists():
        point.staff.add(clerk)
        audit.record(
            actor=None, action="pickup_point.staff_added", target=point, detail={"user": clerk.pk, "source": "demo"}
        )
        ctx.created["pickup_staff"] += 1
    return point, clerk


def _ensure_helpers(ctx: _Context) -> None:
    for index, helper in enumerate(HELPERS):
        ctx.helpers[helper.key] = _user(ctx, phone=helper_phone(index), full_name=helper.person, role=Role.HELPER)


def _delegate(ctx: _Context, producer: Producer, delegate: User, note: str, *, revoke: bool = False) -> None:
    """Grant once; a delegation that exists (even revoked) is left as the producer left it."""
    if Delegation.objects.filter(producer=producer, delegate=delegate).exists():
        return
    delegation = grant_delegation(producer=producer, delegate=delegate, granted_by=producer.owner, note=note)
    ctx.created["delegations"] += 1
    if revoke:
        revoke_delegation(delegation=delegation, revoked_by=producer.owner)


def _create_product(ctx: _Context, actor: User, shop: Shop, plan: ProductPlan) -> Product:
    first, *more = plan.variants
    product = create_product(
        actor=actor,
        shop=shop,
        name=plan.name,
        category=ctx.categories[plan.category],
        price=first.price,
        quantity=first.quantity,
        weight_grams=first.weight_grams,
        unit=first.unit,
        variant_name=first.name,
        description=plan.description,
        season_months=plan.season_months,
        next_harvest=plan.next_harvest,
        preorder_allowed=plan.preorder_allowed,
        geographical_indication=plan.geographical_indication,
        sku=first.sku,
    )
    for variant in more:
        add_variant(
            actor=actor,
            product=product,
            name=variant.name,
            unit=variant.unit,
            weight_grams=variant.weight_grams,
            price=variant.price,
            quantity=variant.quantity,
            sku=variant.sku,
        )
    if plan.ocop:
        set_ocop_certificate(
            actor=actor,
            product=product,
            stars=plan.ocop.stars,
            issuer=plan.ocop.issuer,
            number=plan.ocop.number,
            issued_on=plan.ocop.issued_on,
            expires_on=plan.ocop.expires_on,
        )
    ctx.created["products"] += 1
    return product


def _ensure_producer(ctx: _Context, plan: ProducerPlan) -> None:
    source = plan.source
    new_products: list[tuple[Product, ProductPlan]] = []
    with transaction.atomic():
        owner = _user(ctx, phone=plan.phone, full_name=source.person, role=Role.BUYER)
        producer = Producer.objects.filter(owner=owner).first()
        if producer is None:
            commune = _commune(source.province, source.commune)
            producer = register_producer(
                user=owner, name=source.name, kind=source.kind, commune_code=commune.code, full_name=source.person
            )
            ctx.created["producers"] += 1
        actor = owner
        if source.helper:
            actor = ctx.helpers[source.helper]
            _delegate(ctx, producer, actor, "Nhờ tổ công nghệ số đăng sản phẩm và cập nhật tồn kho")
        for helper in HELPERS:
            if source.key in helper.revoked:
                _delegate(ctx, producer, ctx.helpers[helper.key], "Nhờ đăng thử sản phẩm", revoke=True)
        shop = Shop.objects.filter(producer=producer).first()
        if shop is None:
            shop = create_shop(actor=actor, producer=producer, name=source.name, description=source.about)
            ctx.created["shops"] += 1
        existing = set(Variant.objects.filter(shop=shop).values_list("sku", flat=True))
        for product_plan in plan.products:
            if product_plan.variants[0].sku in existing:
                continue
            product = _create_product(ctx, actor, shop, product_plan)
            if product_plan.photo:
                new_products.append((product, product_plan))
    # Resizing photos is slow: done outside the transaction, as add_photo expects.
    for product, product_plan in new_products:
        seed = zlib.crc32(f"{source.key}/{product_plan.variants[0].sku}".encode())
        add_photo(
            actor=actor,
            product=product,
            data=product_card(name=product.name, category=product_plan.category, seed=seed),
            alt=product.name,
        )
        ctx.created["photos"] += 1


def _ensure_cooperative_delegations(ctx: _Context, plans: list[ProducerPlan]) -> None:
    """Households that also let their cooperative manage their shop."""
    owners = {p.source.key: p.phone for p in plans}
    for plan in plans:
        if not plan.source.cooperative:
            continue
        producer = Producer.objects.select_related("owner").get(owner__phone=plan.phone)
        cooperative_owner = User.objects.get(phone=owners[plan.source.cooperative])
        _delegate(ctx, producer, cooperative_owner, "Nhờ hợp tác xã bán hộ trong mùa vụ")


def _ensure_reference_data() -> None:
    if Commune.objects.count() < EXPECTED_COMMUNES:
        load_regions()
    load_categories()


def load_demo_data() -> str:
    """Create whatever part of the demo data is missing and return a short bilingual summary."""
    _ensure_reference_data()
    provinces = {p.code: p for p in Province.objects.filter(in_region=True)}
    ctx = _Context(
        categories={c.slug: c for c in Category.objects.all()}, provinces=provinces, helpers={}, created=Counter()
    )
    plans = build_plan(
        today=timezone.localdate(), province_names={code: _plain_province_name(p.name) for code, p in provinces.items()}
    )
    with transaction.atomic():
        password_ok = _ensure_operator(ctx)
        _ensure_officers(ctx)
        _ensure_pickup_points(ctx)
        point, clerk = _ensure_post_clerk(ctx)
        _ensure_helpers(ctx)
    for plan in plans:
        _ensure_producer(ctx, plan)
    with transaction.atomic():
        _ensure_cooperative_delegations(ctx, plans)
    ensure_demo_lots(plans, ctx.created)
    ensure_demo_brands(plans, ctx.created)
    ensure_demo_orders(point, clerk, ctx.created)
    ensure_demo_consolidation(ctx.created)
    ensure_demo_pickup_run(ctx.created)
    ensure_demo_history(plans, ctx.created)
    ensure_demo_withholdings(ctx.created)  # last month's synthetic sales, withheld (docs/compliance.md)
    ensure_demo_live(plans, ctx.created)
    ensure_demo_window(plans, ctx.created)
    ensure_demo_conversation(plans, ctx.created)
    ensure_demo_fair(plans, OPERATOR_USERNAME, ctx.created)
    ensure_demo_vouchers(plans, OPERATOR_USERNAME, ctx.created)
    ensure_demo_identities(plans, ctx.created)  # after the orders: the seller left blank is one the hub owes
    logger.info("Demo data: created %s", dict(ctx.created) or "nothing (already loaded)")
    return summary(plans=plans, created=ctx.created, password_ok=password_ok)


def summary(*, plans: list[ProducerPlan], created: Counter, password_ok: bool) -> str:
    """Counts and how to sign in, in Vietnamese with English in brackets."""
    producers = Producer.objects.count()
    provinces = Shop.objects.values("province").distinct().count()
    products = Product.objects.count()
    variants = Variant.objects.count()
    ocop = OcopCertificate.objects.count()
    first = plans[0]
    helper = HELPERS[0]
    helper_shops = sum(1 for p in plans if p.source.helper == helper.key)
    officer = next(o for o in OFFICERS if o.province == 14)
    password = OPERATOR_PASSWORD if password_ok else "(mật khẩu đã được đổi / password was changed)"
    done = (
        f"Lần này tạo mới {created['products']} sản phẩm, {created['producers']} nhà sản xuất"
        if created
        else "Dữ liệu mẫu đã có sẵn, không tạo thêm gì (already loaded, nothing duplicated)"
    )
    return "\n".join(
        [
            "Dữ liệu mẫu Tây Bắc Hub — TỔNG HỢP, không phải người hay doanh nghiệp thật (synthetic demo data)",
            f"  {producers} nhà sản xuất (producers) ở {provinces} tỉnh, {products} sản phẩm (products), "
            f"{variants} phân loại (variants), {ocop} chứng nhận OCOP",
            f"  {User.objects.filter(role=Role.HELPER).count()} tổ công nghệ số (helpers), "
            f"{User.objects.filter(role=Role.OFFICER).count()} cán bộ Sở Công Thương (officers), "
            f"{PickupPoint.objects.count()} điểm nhận hàng bưu điện xã (pickup points)",
            *history_lines(),
            f"  {done}.",
            "Đăng nhập bằng số điện thoại (sign in by phone) tại /dang-nhap/; mã xác nhận in trong log máy chủ "
            "(the one-time code appears in the server log):",
            f"  người bán (producer): {display_phone(first.phone)} — {first.source.name}",
            f"  tổ công nghệ số (helper): {display_phone(helper_phone(0))} — {helper.person}, "
            f"quản lý {helper_shops} gian hàng được ủy quyền",
            f"  cán bộ Sở Công Thương Sơn La (officer): {display_phone(officer_phone(officer.province))} — "
            f"{officer.person}",
            *_post_clerk_lines(),
            f"Quản trị (admin): /quan-tri/ — tài khoản (user) {OPERATOR_USERNAME}, mật khẩu (password) {password}",
            *_trace_lines(),
        ]
    )


def _post_clerk_lines() -> list[str]:
    _, _, person, phone = POST_CLERK
    point = PickupPoint.objects.filter(staff__phone=phone).order_by("id").first()
    return (
        [
            f"  nhân viên bưu điện (post-office staff): {display_phone(phone)} — {person}, {point.name}: "
            "/buu-dien/ (nhận và giao kiện hàng / receive and hand over parcels)"
        ]
        if point
        else []
    )


def _trace_lines() -> list[str]:
    """Where to see traceability working: a lot's page (what its QR code opens) and the log's checkpoint."""
    lot = Lot.objects.select_related("variant").order_by("id").first()
    if lot is None:
        return []
    return [
        f"Truy xuất nguồn gốc (traceability): {lot.get_absolute_url()} — {Lot.objects.count()} lô (lots), "
        f"nhật ký công khai (public log) /log/checkpoint, kiểm tra (verify): taybac trace verify"
    ]
