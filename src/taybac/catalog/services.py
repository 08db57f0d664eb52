"""Catalogue writes. Every function checks that the actor may manage the shop, runs in one
transaction, audits "actor on behalf of owner", and announces changed products (catalog/hooks.py: search
reindexes them after commit)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from taybac.accounts.models import Producer, User
from taybac.accounts.selectors import require_can_manage
from taybac.catalog import gtin as gtin_service
from taybac.catalog import hooks
from taybac.catalog.images import delete_renditions, store_product_image
from taybac.catalog.kinds import SERVICE_CATEGORIES, check_harvest_fields, kind_for_category
from taybac.catalog.models import Category, OcopCertificate, Product, ProductPhoto, Shop, TaxKind, Variant
from taybac.catalog.sanitize import sanitize_description
from taybac.catalog.seasons import mask_from_months
from taybac.core import audit
from taybac.core.errors import DomainError
from taybac.core.money import check_price
from taybac.core.text import slugify_vi

MAX_STOCK = 1_000_000
MAX_WEIGHT_GRAMS = 100_000
MAX_PHOTOS = 8


class CatalogError(DomainError):
    """A catalogue change that cannot be made; the message is for the user."""


def _authorize(actor: User, producer: Producer) -> User:
    """Raise unless the actor may manage the producer; return the owner to audit 'on behalf of'."""
    require_can_manage(actor, producer)
    return producer.owner


def _text(value: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise CatalogError(f"Vui lòng nhập {label}.", field=field)
    if len(value) > max_length:
        raise CatalogError(f"{label.capitalize()} quá dài (tối đa {max_length} ký tự).", field=field)
    return value


def _int_in(value: Any, *, field: str, label: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CatalogError(f"{label.capitalize()} phải là số nguyên.", field=field)
    if not low <= value <= high:
        raise CatalogError(f"{label.capitalize()} phải từ {low} đến {high}.", field=field)
    return value


@transaction.atomic
def create_shop(*, actor: User, producer: Producer, name: str = "", description: str = "") -> Shop:
    owner = _authorize(actor, producer)
    if Shop.objects.filter(producer=producer).exists():
        raise CatalogError("Nhà sản xuất này đã có gian hàng.")
    name = _text(name or producer.name, field="name", label="tên gian hàng", max_length=120)
    base = slugify_vi(name, 60)
    slug, n = base, 1
    while Shop.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    shop = Shop.objects.create(
        producer=producer,
        name=name,
        slug=slug,
        description=_text(description, field="description", label="giới thiệu", max_length=2000, required=False),
        province_id=producer.province_id,
        commune_id=producer.commune_id,
    )
    audit.record(actor=actor, on_behalf_of=owner, action="shop.created", target=shop)
    return shop


@transaction.atomic
def close_shops_of(*, owner: User) -> list[int]:
    """Close the owner's open shops because their account is being deleted; search drops the shops' products once
    the transaction commits. Returns the closed shops' ids."""
    shop_ids = list(Shop.objects.filter(producer__owner=owner, is_active=True).values_list("pk", flat=True))
    if shop_ids:
        Shop.objects.filter(pk__in=shop_ids).update(is_active=False)
        hooks.shops_changed(shop_ids)
    return shop_ids


def _variant_fields(*, name: str, unit: str, weight_grams: int, price: int, quantity: int) -> dict[str, Any]:
    try:
        check_price(price)
    except DomainError as exc:
        raise CatalogError(exc.message, field="price") from None
    return {
        "name": _text(name, field="variant_name", label="tên phân loại", max_length=80),
        "unit": _text(unit, field="unit", label="đơn vị", max_length=20),
        "weight_grams": _int_in(
            weight_grams, field="weight_grams", label="khối lượng (gam)", low=1, high=MAX_WEIGHT_GRAMS
        ),
        "price": price,
        "quantity": _int_in(quantity, field="quantity", label="số lượng", low=0, high=MAX_STOCK),
    }


def _create_variant(*, product: Product, fields: dict[str, Any], sku: str = "", gtin: str = "") -> Variant:
    try:
        code = gtin_service.normalize_gtin(gtin) if gtin.strip() else gtin_service.allocate_gtin()
    except DomainError as error:
        raise CatalogError(error.message, field="gtin") from None
    if Variant.objects.filter(gtin=code).exists():
        raise CatalogError("Mã GTIN này đã được dùng cho sản phẩm khác.", field="gtin")
    sku = _text(sku, field="sku", label="mã SKU", max_length=40, required=False) or f"SP{product.pk}-{code[-6:]}"
    try:
        with transaction.atomic():
            return Variant.objects.create(product=product, shop_id=product.shop_id, sku=sku, gtin=code, **fields)
    except IntegrityError:
        raise CatalogError("Mã SKU đã tồn tại trong gian hàng.", field="sku") from None


def _product_fields(
    *,
    name: str,
    category: Category,
    kind: str,
    description: str,
    season_months: Iterable[int],
    next_harvest: datetime.date | None,
    preorder_allowed: bool,
    geographical_indication: str,
) -> dict[str, Any]:
    season_months = list(season_months)
    try:
        check_harvest_fields(
            kind=kind, season_months=season_months, next_harvest=next_harvest, preorder_allowed=preorder_allowed
        )
    except DomainError as error:
        raise CatalogError(error.message, field=error.field) from None
    if preorder_allowed and next_harvest is None:
        raise CatalogError("Cho đặt trước thì cần ngày thu hoạch tới.", field="next_harvest")
    name = _text(name, field="name", label="tên sản phẩm", max_length=120)
    return {
        "name": name,
        "slug": slugify_vi(name, 60),
        "category": category,
        "kind": kind,
        "description_html": sanitize_description(description),
        "season_mask": mask_from_months(season_months),
        "next_harvest": next_harvest,
        "preorder_allowed": bool(preorder_allowed),
        "geographical_indication": _text(
            geographical_indication,
            field="geographical_indication",
            label="chỉ dẫn địa lý",
            max_length=120,
            required=False,
        ),
    }


@transaction.atomic
def create_product(
    *,
    actor: User,
    shop: Shop,
    name: str,
    category: Category,
    price: int,
    quantity: int,
    weight_grams: int,
    unit: str = "gói",
    variant_name: str = "",
    description: str = "",
    season_months: Iterable[int] = (),
    next_harvest: datetime.date | None = None,
    preorder_allowed: bool = False,
    geographical_indication: str = "",
    sku: str = "",
    gtin: str = "",
) -> Product:
    """A product with its first variant: the few fields a producer fills on one phone screen. Its kind follows
    the category (a community-tourism product is a service)."""
    owner = _authorize(actor, shop.producer)
    if not isinstance(category, Category):
        raise CatalogError("Vui lòng chọn ngành hàng.", field="category")
    fields = _product_fields(
        name=name,
        category=category,
        kind=kind_for_category(category=category),
        description=description,
        season_months=season_months,
        next_harvest=next_harvest,
        preorder_allowed=preorder_allowed,
        geographical_indication=geographical_indication,
    )
    product = Product.objects.create(shop=shop, **fields)
    variant_fields = _variant_fields(
        name=variant_name or f"{unit} {weight_grams} g",
        unit=unit,
        weight_grams=weight_grams,
        price=price,
        quantity=quantity,
    )
    _create_variant(product=product, fields=variant_fields, sku=sku, gtin=gtin)
    audit.record(actor=actor, on_behalf_of=owner, action="product.created", target=product)
    hooks.products_changed([product.pk])
    return product


@transaction.atomic
def update_product(
    *,
    actor: User,
    product: Product,
    name: str,
    category: Category,
    description: str,
    season_months: Iterable[int],
    next_harvest: datetime.date | None,
    preorder_allowed: bool,
    geographical_indication: str,
    is_active: bool = True,
) -> Product:
    """Save the product's details. Its kind stays (an operator may have set it) unless the category changes,
    when it follows the new category."""
    owner = _authorize(actor, product.shop.producer)
    if not isinstance(category, Category):
        raise CatalogError("Vui lòng chọn ngành hàng.", field="category")
    fields = _product_fields(
        name=name,
        category=category,
        kind=product.kind if category.pk == product.category_id else kind_for_category(category=category),
        description=description,
        season_months=season_months,
        next_harvest=next_harvest,
        preorder_allowed=preorder_allowed,
        geographical_indication=geographical_indication,
    )
    for key, value in fields.items():
        setattr(product, key, value)
    product.is_active = bool(is_active)
    product.save()
    audit.record(actor=actor, on_behalf_of=owner, action="product.updated", target=product)
    hooks.products_changed([product.pk])
    return product


@dataclass(frozen=True)
class OcopInput:
    """An OCOP certificate as the product form gives it; `set_ocop_certificate` checks it."""

    stars: int
    issuer: str
    number: str
    issued_on: datetime.date
    expires_on: datetime.date


@transaction.atomic
def save_product(
    *,
    actor: User,
    product: Product,
    name: str,
    category: Category,
    description: str,
    season_months: Iterable[int],
    next_harvest: datetime.date | None,
    preorder_allowed: bool,
    geographical_indication: str,
    is_active: bool = True,
    ocop: OcopInput | None = None,
) -> Product:
    """The product form: its details and, when given, its OCOP certificate, saved together or not at all.

    The certificate goes first so that a refused one leaves even the `product` object untouched; a refusal
    names the form's `ocop_…` field. Without `ocop` the current certificate is kept.
    """
    if ocop is not None:
        try:
            set_ocop_certificate(
                actor=actor,
                product=product,
                stars=ocop.stars,
                issuer=ocop.issuer,
                number=ocop.number,
                issued_on=ocop.issued_on,
                expires_on=ocop.expires_on,
            )
        except CatalogError as error:
            raise CatalogError(error.message, field=f"ocop_{error.field}" if error.field else None) from None
    return update_product(
        actor=actor,
        product=product,
        name=name,
        category=category,
        description=description,
        season_months=season_months,
        next_harvest=next_harvest,
        preorder_allowed=preorder_allowed,
        geographical_indication=geographical_indication,
        is_active=is_active,
    )


@transaction.atomic
def add_variant(
    *,
    actor: User,
    product: Product,
    name: str,
    unit: str,
    weight_grams: int,
    price: int,
    quantity: int,
    sku: str = "",
    gtin: str = "",
) -> Variant:
    owner = _authorize(actor, product.shop.producer)
    fields = _variant_fields(name=name, unit=unit, weight_grams=weight_grams, price=price, quantity=quantity)
    variant = _create_variant(product=product, fields=fields, sku=sku, gtin=gtin)
    audit.record(actor=actor, on_behalf_of=owner, action="variant.created", target=variant)
    hooks.products_changed([product.pk])
    return variant


@transaction.atomic
def update_variant(
    *, actor: User, variant: Variant, name: str, unit: str, weight_grams: int, price: int, quantity: int
) -> Variant:
    """Change a variant's price and stock; stock may not drop below what open orders reserved."""
    owner = _authorize(actor, variant.shop.producer)
    fields = _variant_fields(name=name, unit=unit, weight_grams=weight_grams, price=price, quantity=quantity)
    locked = Variant.objects.select_for_update().get(pk=variant.pk)
    if fields["quantity"] < locked.allocated:
        raise CatalogError(
            f"Đang có {locked.allocated} đơn vị được giữ cho đơn hàng; số lượng không thể nhỏ hơn.", field="quantity"
        )
    before = {"price": locked.price, "quantity": locked.quantity}
    Variant.objects.filter(pk=variant.pk).update(**fields)
    variant.refresh_from_db()
    audit.record(
        actor=actor,
        on_behalf_of=owner,
        action="variant.updated",
        target=variant,
        detail={"before": before, "after": {"price": variant.price, "quantity": variant.quantity}},
    )
    hooks.products_changed([variant.product_id])
    return variant


@transaction.atomic
def set_stock(*, actor: User, variant: Variant, quantity: int) -> Variant:
    """The producer's quick stock update (one number on the phone)."""
    return update_variant(
        actor=actor,
        variant=variant,
        name=variant.name,
        unit=variant.unit,
        weight_grams=variant.weight_grams,
        price=variant.price,
        quantity=quantity,
    )


@transaction.atomic
def set_harvest_quota(*, actor: User, variant: Variant, quota: int) -> Variant:
    """How many units of the next harvest the producer sells ahead as pre-orders (never below those sold)."""
    owner = _authorize(actor, variant.shop.producer)
    if variant.product.kind != Product.Kind.GOODS:
        raise CatalogError("Dịch vụ không bán trước theo vụ thu hoạch.", field="harvest_quota")
    quota = _int_in(quota, field="harvest_quota", label="suất đặt trước", low=0, high=MAX_STOCK)
    locked = Variant.objects.select_for_update().get(pk=variant.pk)
    if quota < locked.harvest_allocated:
        raise CatalogError(
            f"Đã có {locked.harvest_allocated} suất được đặt; không thể giảm dưới mức đó.", field="harvest_quota"
        )
    Variant.objects.filter(pk=variant.pk).update(harvest_quota=quota)
    variant.refresh_from_db()
    audit.record(
        actor=actor,
        on_behalf_of=owner,
        action="variant.quota",
        target=variant,
        detail={"before": locked.harvest_quota, "after": quota},
    )
    return variant


def add_photo(*, actor: User, product: Product, data: bytes, alt: str = "") -> ProductPhoto:
    """Resize outside the transaction (slow), then record the photo inside one."""
    owner = _authorize(actor, product.shop.producer)
    if product.photos.count() >= MAX_PHOTOS:
        raise CatalogError(f"Mỗi sản phẩm tối đa {MAX_PHOTOS} ảnh.", field="photo")
    stored = store_product_image(data=data, product_id=product.pk)
    try:
        with transaction.atomic():
            photo = ProductPhoto.objects.create(
                product=product,
                path_stem=stored.path_stem,
                widths=stored.widths,
                width=stored.width,
                height=stored.height,
                alt=(alt or product.name)[:160],
                position=product.photos.count(),
            )
            audit.record(actor=actor, on_behalf_of=owner, action="photo.added", target=photo)
    except Exception:
        delete_renditions(path_stem=stored.path_stem, widths=stored.widths)
        raise
    return photo


@transaction.atomic
def remove_photo(*, actor: User, photo: ProductPhoto) -> None:
    owner = _authorize(actor, photo.product.shop.producer)
    audit.record(actor=actor, on_behalf_of=owner, action="photo.removed", target=photo)
    stem, widths = photo.path_stem, list(photo.widths)
    photo.delete()
    transaction.on_commit(lambda: delete_renditions(path_stem=stem, widths=widths))


@transaction.atomic
def set_ocop_certificate(
    *,
    actor: User,
    product: Product,
    stars: int,
    issuer: str,
    number: str,
    issued_on: datetime.date,
    expires_on: datetime.date,
) -> OcopCertificate:
    owner = _authorize(actor, product.shop.producer)
    stars = _int_in(stars, field="stars", label="số sao OCOP", low=3, high=5)
    if expires_on <= issued_on:
        raise CatalogError("Ngày hết hạn phải sau ngày cấp.", field="expires_on")
    fields = {
        "stars": stars,
        "issuer": _text(issuer, field="issuer", label="cơ quan cấp", max_length=160),
        "number": _text(number, field="number", label="số chứng nhận", max_length=60),
        "issued_on": issued_on,
        "expires_on": expires_on,
    }
    current = OcopCertificate.objects.filter(product=product).first()
    if current is None or any(getattr(current, k) != v for k, v in fields.items()):
        # The seller's own version: an officer's record of the decision (catalog.certificates) no longer holds.
        fields.update(recorded_by=None, recorded_at=None)
    cert, _ = OcopCertificate.objects.update_or_create(product=product, defaults=fields)
    audit.record(actor=actor, on_behalf_of=owner, action="ocop.set", target=cert, detail={"stars": stars})
    hooks.products_changed([product.pk])
    return cert


def load_categories() -> int:
    """Create or update the region's categories; safe to run repeatedly."""
    from taybac.catalog.data import CATEGORIES

    for position, (slug, name, name_en) in enumerate(CATEGORIES):
        Category.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "name_en": name_en, "position": position},
            # An operator may change a category's tax kind later; reloading keeps their choice.
            create_defaults={
                "name": name,
                "name_en": name_en,
                "position": position,
                "tax_kind": TaxKind.SERVICE if slug in SERVICE_CATEGORIES else TaxKind.GOODS,
            },
        )
    return len(CATEGORIES)
