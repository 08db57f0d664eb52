"""Sellers' identity, write side: the seller, or a helper with a live delegation, records legal name, identity
number and address (Decree 52/2013/NĐ-CP art. 36 as amended by Decree 85/2021/NĐ-CP: the platform collects sellers'
information). Audited without the number; the number is stored encrypted (accounts/identity_crypto.py)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from taybac.accounts import identity_crypto
from taybac.accounts.identity_numbers import BUSINESS_TAX, IdentityNumberError, parse
from taybac.accounts.models import Producer, SellerIdentity, User
from taybac.accounts.selectors import require_can_manage
from taybac.core import audit
from taybac.core.errors import DomainError
from taybac.regions.models import Commune


class IdentityError(DomainError):
    """The identity cannot be recorded as typed; the message is for the seller or helper."""

    code = "invalid_identity"


def _clean_text(value: str, *, field: str, label: str, limit: int) -> str:
    text = " ".join((value or "").split())
    if len(text) < 2:
        raise IdentityError(f"Vui lòng nhập {label}.", field=field)
    if len(text) > limit:
        raise IdentityError(f"{label.capitalize()} quá dài (tối đa {limit} ký tự).", field=field)
    if not text.isprintable():
        raise IdentityError(f"{label.capitalize()} có ký tự không hợp lệ.", field=field)
    return text


@transaction.atomic
def record_identity(
    *,
    producer: Producer,
    actor: User,
    legal_name: str,
    id_kind: str,
    number: str,
    street: str,
    commune_code: int,
    synthetic: bool = False,
) -> SellerIdentity:
    """Record or replace the seller's identity. The number is always typed in full (never prefilled), so a change
    is a deliberate re-entry. A helper needs a live delegation; the audit names who, for whom and which fields,
    never the number."""
    require_can_manage(actor, producer)
    legal_name = _clean_text(legal_name, field="legal_name", label="họ tên theo giấy tờ", limit=120)
    street = _clean_text(street, field="street", label="địa chỉ (số nhà, thôn/bản)", limit=200)
    business = producer.kind != Producer.Kind.HOUSEHOLD
    if business and id_kind != BUSINESS_TAX:
        raise IdentityError("Hợp tác xã và doanh nghiệp ghi mã số thuế của đơn vị.", field="id_kind")
    if not business and id_kind == BUSINESS_TAX:
        raise IdentityError("Hộ sản xuất ghi số CCCD hoặc mã số thuế cá nhân của chủ hộ.", field="id_kind")
    try:
        parsed = parse(id_kind, number)
    except IdentityNumberError as exc:
        raise IdentityError(exc.message, field=exc.field) from exc
    commune = Commune.objects.filter(code=commune_code).first()
    if commune is None:
        raise IdentityError("Không tìm thấy xã/phường.", field="commune")
    digest = identity_crypto.digest(parsed.number)
    if SellerIdentity.objects.filter(number_digest=digest).exclude(producer=producer).exists():
        raise IdentityError(
            "Số này đã được ghi cho một gian hàng khác. Vui lòng kiểm tra lại hoặc liên hệ vận hành sàn.",
            field="number",
        )
    row = SellerIdentity.objects.select_for_update().filter(producer=producer).first()
    before = None if row is None else (row.legal_name, row.id_kind, row.number_digest, row.street, row.commune_id)
    row = row or SellerIdentity(producer=producer)
    row.legal_name, row.id_kind, row.street, row.commune = legal_name, id_kind, street, commune
    row.number_encrypted = identity_crypto.encrypt(parsed.number, producer_id=producer.pk)
    row.number_digest, row.number_last4 = digest, parsed.last4
    row.synthetic, row.recorded_by = synthetic, actor
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:  # the same number saved for another shop at the same moment
        raise IdentityError("Số này đã được ghi cho một gian hàng khác.", field="number") from exc
    names = ("legal_name", "id_kind", "number", "street", "commune")
    after = (legal_name, id_kind, digest, street, commune.pk)
    changed = list(names) if before is None else [n for n, b, a in zip(names, before, after, strict=True) if b != a]
    audit.record(
        actor=actor,
        action="seller_identity.recorded" if before is None else "seller_identity.changed",
        target=producer,
        on_behalf_of=producer.owner,
        detail={"fields": changed, "id_kind": id_kind, "synthetic": synthetic},
    )
    return row
