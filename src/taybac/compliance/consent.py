"""Consent where consent is the legal basis (Law 91/2025/QH15): marketing messages. A person opts in with an
unticked box and withdraws with one tap; every choice is a new ConsentRecord with its time and the version of
the wording shown, so the hub can prove what was agreed. The outbox asks `consented_recipients` before it stores
a marketing message (core/outbox.py), so no code path can message someone who did not agree.

The assistant's memory of a conversation has its own consent in the assistant app (docs/assistant.md).
"""

from __future__ import annotations

from collections.abc import Collection

from django.db import transaction
from django.db.models import OuterRef, Subquery

from taybac.accounts.models import User
from taybac.compliance.models import ConsentRecord
from taybac.core import audit

Purpose = ConsentRecord.Purpose

# The words a person agrees to, by version. A changed text gets a new version; old records keep theirs.
WORDING = {
    Purpose.MARKETING: (
        "2026-01",
        "Tôi đồng ý nhận tin nhắn SMS/e-mail của Tây Bắc Hub về mùa vụ, hội chợ và khuyến mãi. "
        "Tôi có thể rút lại bất cứ lúc nào tại trang Dữ liệu của tôi.",
    ),
}
MAX_RECIPIENTS = 5000  # one marketing batch at most; bounds the consent query


def wording(*, purpose: str) -> tuple[str, str]:
    """(version, text) shown today for a purpose."""
    return WORDING[Purpose(purpose)]


def has_consent(*, user: User, purpose: str) -> bool:
    """Whether the user's newest choice for the purpose is "yes" (no record: no)."""
    latest = ConsentRecord.objects.filter(user=user, purpose=purpose).order_by("-created_at", "-id").first()
    return bool(latest and latest.granted)


@transaction.atomic
def set_consent(*, user: User, purpose: str, granted: bool) -> ConsentRecord:
    """Record the user's choice with the wording shown now; a repeated same choice is still recorded (time)."""
    version, _ = wording(purpose=purpose)
    record = ConsentRecord.objects.create(user=user, purpose=purpose, granted=granted, wording_version=version)
    audit.record(actor=user, action="consent.given" if granted else "consent.withdrawn", target=record)
    return record


def consented_recipients(*, recipients: Collection[str]) -> set[str]:
    """Of these phone numbers and e-mail addresses, those whose account's newest marketing choice is "yes"."""
    recipients = list(recipients)[:MAX_RECIPIENTS]
    newest = ConsentRecord.objects.filter(user=OuterRef("pk"), purpose=Purpose.MARKETING).order_by("-created_at", "-id")
    users = (
        User.objects.filter(is_active=True)
        .annotate(marketing=Subquery(newest.values("granted")[:1]))
        .filter(marketing=True)
    )
    emails = [r for r in recipients if "@" in r]
    found = {p for p in users.filter(phone__in=recipients).values_list("phone", flat=True) if p}
    return found | set(users.filter(email__in=emails).values_list("email", flat=True))
