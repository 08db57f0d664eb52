"""Retention: personal data is deleted, or de-identified, when its period ends (Law 91/2025/QH15: data is kept
no longer than its purpose needs). One nightly job (compliance/tasks.py) runs `apply_retention`; each step is a
bulk DELETE or UPDATE, so the rows are really gone, not hidden. The periods are in docs/compliance.md
("Retention"); jobs that already prune their own data (the outbox's sent messages, idle assistant
conversations) keep doing so and are listed there too.

Orders, payments and tax records are accounting documents, kept 10 years (Law on Accounting 88/2015/QH13
art. 41); the period is counted from the end of the year they belong to, so an order of 2015 is kept to the end
of 2025. After it, the order's contact (name, phone, e-mail, street) and the bank transfers' memo and raw
notification are erased; the amounts, dates and products stay for statistics.

This module decides the periods; each domain deletes or de-identifies its own tables through its own function
(docs/architecture.md). Django's expired sessions are pruned here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from taybac.accounts.otp import KEEP_EVENTS
from taybac.accounts.services import delete_sign_in_records
from taybac.compliance.models import DataRequest
from taybac.core.outbox import prune_failed
from taybac.orders import lookup
from taybac.orders.services import DEIDENTIFIED as DEIDENTIFIED  # the marker an erased order carries
from taybac.orders.services import deidentify_orders_before
from taybac.payments.reconciliation import erase_transfer_details
from taybac.search.visits import clear_visits

ACCOUNTING_YEARS = 10
ORDER_BATCH = 2000  # orders de-identified per run; the next night takes the rest


@dataclass(frozen=True)
class Swept:
    """How many rows each step deleted or de-identified (for the job's log and the tests)."""

    sign_in: int
    search_visits: int
    failed_messages: int
    sessions: int
    lookups: int
    pending_deletions: int
    orders: int
    bank_memos: int


def sign_in_keep() -> timedelta:
    """Sign-in codes and events are kept a day, or the longest configured sign-in limit window if longer."""
    windows = [
        timedelta(minutes=getattr(settings, name)[1])
        for name in (
            "TAYBAC_OTP_LIMIT_PHONE",
            "TAYBAC_OTP_LIMIT_ADDRESS",
            "TAYBAC_OTP_LIMIT_GLOBAL",
            "TAYBAC_OTP_WRONG_LIMIT_ADDRESS",
        )
    ]
    return max([KEEP_EVENTS, *windows])


def accounting_cutoff(*, today: datetime.date) -> datetime.datetime:
    """Records made before this moment have passed their 10 years (counted from the end of their year)."""
    return datetime.datetime(today.year - ACCOUNTING_YEARS, 1, 1, tzinfo=datetime.UTC)


def prune_sign_in(*, now: datetime.datetime) -> int:
    return delete_sign_in_records(before=now - sign_in_keep())


def clear_search_visits(*, now: datetime.datetime) -> int:
    """The visit token goes; the folded query, province and counts stay for the statistics."""
    return clear_visits(before=now - timedelta(days=settings.TAYBAC_RETAIN_SEARCH_VISIT_DAYS))


def prune_failed_messages(*, now: datetime.datetime) -> int:
    """Failed messages (sent ones are pruned after 30 days by core.tasks.prune_sent_messages)."""
    return prune_failed(before=now - timedelta(days=settings.TAYBAC_RETAIN_FAILED_MESSAGE_DAYS))


def prune_sessions(*, now: datetime.datetime) -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=now).delete()
    return deleted


def prune_lookups(*, now: datetime.datetime) -> int:
    return lookup.prune_lookup_failures(before=now - lookup.KEEP)


def deidentify_old_orders(*, now: datetime.datetime) -> tuple[int, int]:
    """Orders and bank transfers past the accounting period lose who they were for; returns (orders, memos)."""
    cutoff = accounting_cutoff(today=now.date())
    with transaction.atomic():
        orders = deidentify_orders_before(cutoff=cutoff, limit=ORDER_BATCH)
        memos = erase_transfer_details(before=cutoff)
    return orders, memos


def expire_pending_deletions(*, now: datetime.datetime) -> int:
    """Deletion requests never confirmed within a day are closed (their code expired long before)."""
    stale = DataRequest.objects.filter(
        kind=DataRequest.Kind.DELETE, status=DataRequest.Status.PENDING, created_at__lt=now - timedelta(days=1)
    )
    return stale.update(status=DataRequest.Status.REFUSED, note="Hết hạn: chưa nhập mã xác nhận.", completed_at=now)


def apply_retention(*, now: datetime.datetime | None = None) -> Swept:
    """Every step, in order; each is idempotent, so a missed night is caught up by the next."""
    now = now or timezone.now()
    orders, memos = deidentify_old_orders(now=now)
    return Swept(
        sign_in=prune_sign_in(now=now),
        search_visits=clear_search_visits(now=now),
        failed_messages=prune_failed_messages(now=now),
        sessions=prune_sessions(now=now),
        lookups=prune_lookups(now=now),
        pending_deletions=expire_pending_deletions(now=now),
        orders=orders,
        bank_memos=memos,
    )
