"""Who may manage which producer: the owner, or a delegate with an active delegation."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from taybac.accounts.models import Producer, SavedAddress, User
from taybac.core.errors import DomainError


class NotAllowed(DomainError):
    """The user may not act for this producer."""

    code = "forbidden"


def managed_producers(user: User) -> QuerySet[Producer]:
    """Producers the user owns or manages through an active delegation."""
    if not user.is_authenticated:
        return Producer.objects.none()
    return (
        Producer.objects.filter(Q(owner=user) | Q(delegations__delegate=user, delegations__revoked_at__isnull=True))
        .select_related("province", "commune")
        .distinct()
        .order_by("name")
    )


def can_manage(user: User, producer: Producer) -> bool:
    return managed_producers(user).filter(pk=producer.pk).exists()


def require_can_manage(user: User, producer: Producer) -> None:
    if not can_manage(user, producer):
        raise NotAllowed("Bạn không có quyền quản lý gian hàng này.")


def saved_addresses_of(user: User) -> list[SavedAddress]:
    """A buyer's saved addresses, the default first, with commune and province (one query); none for a guest.

    The checkout lists them so one tap fills name, phone, province, commune and street."""
    if not user.is_authenticated:
        return []
    return list(SavedAddress.objects.filter(user=user).select_related("commune__province"))
