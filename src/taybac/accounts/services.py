"""Account writes: sign-in by phone, producer sign-up, delegation to helpers, and erasing a person's account data
(deletion and retention, Law 91/2025/QH15, decided in taybac.compliance and carried out here)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from taybac.accounts.models import Delegation, OneTimeCode, Producer, Role, SavedAddress, SignInEvent, User
from taybac.accounts.otp import check_code
from taybac.core import audit
from taybac.core.errors import DomainError
from taybac.regions.models import Commune


class AccountError(DomainError):
    """A request about accounts that cannot be done; the message is for the user."""


def sign_in_with_code(*, phone: str, code: str, network: str) -> User:
    """Check the one-time code typed from `network` and return the phone's user, creating a buyer on first
    sign-in."""
    check_code(phone=phone, code=code, network=network)
    with transaction.atomic():
        user, created = User.objects.get_or_create(phone=phone, defaults={"username": phone})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            audit.record(actor=user, action="account.created", target=user)
    return user


@transaction.atomic
def register_producer(*, user: User, name: str, kind: str, commune_code: int, full_name: str = "") -> Producer:
    """Turn a signed-in user into a producer with a shop-to-be in their commune."""
    name = (name or "").strip()
    if not name:
        raise AccountError("Vui lòng nhập tên cơ sở hoặc tên hộ.")
    if len(name) > 120:
        raise AccountError("Tên quá dài (tối đa 120 ký tự).")
    if kind not in Producer.Kind.values:
        raise AccountError("Loại nhà sản xuất không hợp lệ.")
    if hasattr(user, "producer"):
        raise AccountError("Tài khoản này đã đăng ký bán hàng.")
    commune = Commune.objects.filter(code=commune_code).first()
    if commune is None:
        raise AccountError("Không tìm thấy xã/phường.")
    producer = Producer.objects.create(
        owner=user, kind=kind, name=name, province_id=commune.province_id, commune=commune
    )
    if user.role == Role.BUYER:
        user.role = Role.PRODUCER
    if full_name.strip():
        user.full_name = full_name.strip()[:120]
    user.save(update_fields=["role", "full_name"])
    audit.record(actor=user, action="producer.registered", target=producer)
    return producer


@transaction.atomic
def grant_delegation(*, producer: Producer, delegate: User, granted_by: User, note: str = "") -> Delegation:
    """The producer (only) consents to let `delegate` manage the shop."""
    if granted_by.pk != producer.owner_id:
        raise AccountError("Chỉ chủ gian hàng mới được ủy quyền.")
    if delegate.pk == producer.owner_id:
        raise AccountError("Không thể tự ủy quyền cho chính mình.")
    if delegate.role not in (Role.HELPER, Role.PRODUCER):
        raise AccountError("Chỉ có thể ủy quyền cho tổ công nghệ số hoặc hợp tác xã.")
    existing = Delegation.objects.filter(producer=producer, delegate=delegate, revoked_at__isnull=True).first()
    if existing:
        return existing
    delegation = Delegation.objects.create(producer=producer, delegate=delegate, note=note[:200])
    audit.record(
        actor=granted_by,
        action="delegation.granted",
        target=delegation,
        detail={"delegate": delegate.pk, "producer": producer.pk},
    )
    return delegation


@transaction.atomic
def revoke_delegation(*, delegation: Delegation, revoked_by: User) -> None:
    if revoked_by.pk != delegation.producer.owner_id:
        raise AccountError("Chỉ chủ gian hàng mới được thu hồi ủy quyền.")
    if delegation.revoked_at is None:
        delegation.revoked_at = timezone.now()
        delegation.save(update_fields=["revoked_at"])
        audit.record(actor=revoked_by, action="delegation.revoked", target=delegation)


@transaction.atomic
def erase_personal_data(*, user: User) -> None:
    """Make the account stop identifying its person; the row stays because orders, payments and tax records point
    to it. Saved addresses, the sign-in codes and events of its phone go; delegations it holds are revoked; name,
    phone, e-mail and username are blanked and it can no longer sign in (the unusable password also ends every
    session, whose auth hash no longer matches)."""
    if user.phone:
        OneTimeCode.objects.filter(phone=user.phone).delete()
        SignInEvent.objects.filter(phone=user.phone).delete()
    SavedAddress.objects.filter(user=user).delete()
    Delegation.objects.filter(delegate=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    user.username = f"xoa-{user.pk}"
    user.phone = None
    user.email = user.full_name = user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()


def revoke_delegations_granted_by(*, owner: User) -> int:
    """Revoke the live delegations over the owner's producer (its shop is closing with their account); how many."""
    return Delegation.objects.filter(producer__owner=owner, revoked_at__isnull=True).update(revoked_at=timezone.now())


def delete_sign_in_records(*, before: datetime) -> int:
    """Delete sign-in codes and events made before `before` (retention); how many rows."""
    codes, _ = OneTimeCode.objects.filter(created_at__lt=before).delete()
    events, _ = SignInEvent.objects.filter(created_at__lt=before).delete()
    return codes + events
