"""Official records: OCOP e-certificates with their issuing decision, and geographical indications (GI).

Who may: an officer (Sở Công Thương) of the product's province, or an operator (staff) anywhere; nobody else,
not even the product's seller — a seller may still type their own certificate in the product form, and the
public page then says it was declared by the seller, not recorded by an officer. GIs themselves (the register)
are recorded by operators only. A product is linked to a GI only when its producer's commune lies in the GI's
area (its communes, or its provinces when it lists no commune).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from taybac.accounts.models import Role, User
from taybac.accounts.selectors import NotAllowed
from taybac.catalog import hooks
from taybac.catalog.models import GeographicalIndication, OcopCertificate, Product
from taybac.catalog.services import CatalogError
from taybac.core import audit
from taybac.regions.models import Commune, Province

MAX_AREA_ITEMS = 200  # communes or provinces in one GI's area


def is_operator(*, user: User) -> bool:
    return bool(user.is_authenticated and (user.is_staff or user.role == Role.OPERATOR))


def may_certify(*, user: User, province_id: int) -> bool:
    """Operators everywhere; an officer in their own province."""
    if is_operator(user=user):
        return True
    return bool(user.is_authenticated and user.role == Role.OFFICER and user.officer_province_id == province_id)


def require_may_certify(*, user: User, product: Product) -> None:
    if not may_certify(user=user, province_id=product.shop.province_id):
        raise NotAllowed("Chỉ cán bộ Sở Công Thương của tỉnh có sản phẩm, hoặc bộ phận vận hành sàn, được ghi nhận.")


def _text(value: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise CatalogError(f"Vui lòng nhập {label}.", field=field)
    if len(value) > max_length:
        raise CatalogError(f"{label.capitalize()} quá dài (tối đa {max_length} ký tự).", field=field)
    return value


def _document_url(value: str) -> str:
    value = _text(value, field="document_url", label="đường dẫn bản quét", max_length=300, required=False)
    if value and not value.startswith("https://"):
        raise CatalogError("Đường dẫn bản quét phải bắt đầu bằng https://", field="document_url")
    return value


@transaction.atomic
def record_ocop_decision(
    *,
    actor: User,
    product: Product,
    stars: int,
    number: str,
    issued_on: datetime.date,
    expires_on: datetime.date,
    decision_number: str,
    decision_date: datetime.date,
    decision_body: str,
    document_url: str = "",
) -> OcopCertificate:
    """Record (or correct) a product's OCOP certificate from its issuing decision, marked as recorded by `actor`."""
    require_may_certify(user=actor, product=product)
    if isinstance(stars, bool) or not isinstance(stars, int) or not 3 <= stars <= 5:
        raise CatalogError("Số sao OCOP phải từ 3 đến 5.", field="stars")
    if expires_on <= issued_on:
        raise CatalogError("Ngày hết hạn phải sau ngày cấp.", field="expires_on")
    if decision_date > issued_on:
        raise CatalogError("Ngày quyết định không thể sau ngày cấp chứng nhận.", field="decision_date")
    if decision_date > timezone.localdate():
        raise CatalogError("Ngày quyết định không thể ở tương lai.", field="decision_date")
    body = _text(decision_body, field="decision_body", label="cơ quan ban hành", max_length=160)
    cert, _ = OcopCertificate.objects.update_or_create(
        product=product,
        defaults={
            "stars": stars,
            "issuer": body,
            "number": _text(number, field="number", label="số chứng nhận", max_length=60),
            "issued_on": issued_on,
            "expires_on": expires_on,
            "decision_number": _text(decision_number, field="decision_number", label="số quyết định", max_length=60),
            "decision_date": decision_date,
            "decision_body": body,
            "document_url": _document_url(document_url),
            "recorded_by": actor,
            "recorded_at": timezone.now(),
        },
    )
    audit.record(
        actor=actor,
        on_behalf_of=product.shop.producer.owner,
        action="ocop.recorded",
        target=cert,
        detail={"stars": stars, "decision": cert.decision_number},
    )
    hooks.products_changed([product.pk])
    return cert


def covers(*, gi: GeographicalIndication, commune_id: int, province_id: int) -> bool:
    """The commune lies in the GI's area: one of its communes, or of its provinces when it lists none."""
    if gi.communes.exists():
        return gi.communes.filter(pk=commune_id).exists()
    return gi.provinces.filter(pk=province_id).exists()


@transaction.atomic
def link_geographical_indication(*, actor: User, product: Product, gi: GeographicalIndication | None) -> Product:
    """Link the product to a registered GI (or unlink it with None) after checking the producer's place."""
    require_may_certify(user=actor, product=product)
    shop = product.shop
    if gi is not None and not covers(gi=gi, commune_id=shop.commune_id, province_id=shop.province_id):
        raise CatalogError(
            f"Xã {shop.commune.name} ({shop.province.name}) không thuộc vùng của chỉ dẫn địa lý {gi.name}.",
            field="gi",
        )
    product.gi = gi
    product.save(update_fields=["gi", "updated_at"])
    audit.record(
        actor=actor,
        on_behalf_of=shop.producer.owner,
        action="gi.linked" if gi else "gi.unlinked",
        target=product,
        detail={"gi": gi.pk if gi else None},
    )
    hooks.products_changed([product.pk])
    return product


@transaction.atomic
def register_geographical_indication(
    *,
    actor: User,
    name: str,
    product_type: str,
    number: str = "",
    holder: str = "",
    registered_on: datetime.date | None = None,
    province_codes: Iterable[int],
    commune_codes: Iterable[int] = (),
) -> GeographicalIndication:
    """Add a GI to the register (operators: it is national data, not a province's)."""
    if not is_operator(user=actor):
        raise NotAllowed("Chỉ bộ phận vận hành sàn được thêm chỉ dẫn địa lý.")
    provinces = list(Province.objects.filter(pk__in=list(province_codes)[:MAX_AREA_ITEMS]))
    communes = list(Commune.objects.filter(pk__in=list(commune_codes)[:MAX_AREA_ITEMS]))
    if not provinces:
        raise CatalogError("Chọn ít nhất một tỉnh của vùng chỉ dẫn địa lý.", field="provinces")
    if any(c.province_id not in {p.pk for p in provinces} for c in communes):
        raise CatalogError("Mỗi xã của vùng phải thuộc một tỉnh đã chọn.", field="communes")
    number = _text(number, field="number", label="số đăng bạ", max_length=20, required=False)
    if GeographicalIndication.objects.filter(name=name.strip(), product_type=product_type.strip()).exists():
        raise CatalogError("Chỉ dẫn địa lý này đã có trong danh sách.", field="name")
    if number and GeographicalIndication.objects.filter(number=number).exists():
        raise CatalogError(f"Số đăng bạ {number} đã có.", field="number")
    gi = GeographicalIndication.objects.create(
        name=_text(name, field="name", label="tên chỉ dẫn địa lý", max_length=120),
        product_type=_text(product_type, field="product_type", label="sản phẩm", max_length=120),
        number=number,
        holder=_text(holder, field="holder", label="tổ chức quản lý", max_length=200, required=False),
        registered_on=registered_on,
    )
    gi.provinces.set(provinces)
    gi.communes.set(communes)
    audit.record(actor=actor, action="gi.registered", target=gi)
    return gi
