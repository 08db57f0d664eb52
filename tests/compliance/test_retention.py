"""Retention (compliance/retention.py): each step really deletes or de-identifies, and only what is past its
period."""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from taybac.accounts.models import OneTimeCode, SignInEvent
from taybac.compliance import retention
from taybac.compliance.tasks import apply_personal_data_retention
from taybac.core.models import OutboxMessage
from taybac.orders.models import LookupFailure, Order
from taybac.payments.models import BankTransaction
from taybac.regions.models import Address
from taybac.search.models import SearchQueryLog
from tests.reviews.purchases import placed

NOW = timezone.now()
LONG_AGO = NOW - timedelta(days=400)


def test_old_sign_in_codes_and_events_are_deleted_recent_ones_kept(db):
    for when in (LONG_AGO, NOW):
        code = OneTimeCode.objects.create(phone="+84912345678", code_hash="x", expires_at=when)
        OneTimeCode.objects.filter(pk=code.pk).update(created_at=when)
        SignInEvent.objects.create(kind="sent", network="203.0.113.1", phone="+84912345678", created_at=when)
    swept = retention.apply_retention(now=NOW)
    assert swept.sign_in == 2
    assert list(OneTimeCode.objects.values_list("created_at", flat=True)) == [NOW]
    assert list(SignInEvent.objects.values_list("created_at", flat=True)) == [NOW]


def test_search_visit_tokens_go_after_their_period_and_the_query_stays(db, settings):
    settings.TAYBAC_RETAIN_SEARCH_VISIT_DAYS = 180
    old = SearchQueryLog.objects.create(query="mat ong", result_count=3, backend="fts", visit="a" * 32)
    new = SearchQueryLog.objects.create(query="che", result_count=3, backend="fts", visit="b" * 32)
    SearchQueryLog.objects.filter(pk=old.pk).update(created_at=NOW - timedelta(days=181))
    assert retention.apply_retention(now=NOW).search_visits == 1
    assert SearchQueryLog.objects.get(pk=old.pk).visit == "" and SearchQueryLog.objects.get(pk=old.pk).query
    assert SearchQueryLog.objects.get(pk=new.pk).visit == "b" * 32


def test_failed_messages_expired_sessions_and_lookups_are_deleted(db, settings):
    settings.TAYBAC_RETAIN_FAILED_MESSAGE_DAYS = 90
    failed = OutboxMessage.objects.create(channel="sms", recipient="+84912345678", body="x", status="failed")
    OutboxMessage.objects.filter(pk=failed.pk).update(created_at=NOW - timedelta(days=91))
    fresh = OutboxMessage.objects.create(channel="sms", recipient="+84912345678", body="y", status="failed")
    pending = OutboxMessage.objects.create(channel="sms", recipient="+84912345678", body="z")
    OutboxMessage.objects.filter(pk=pending.pk).update(created_at=NOW - timedelta(days=91))
    expired, live = SessionStore(), SessionStore()
    for store in (expired, live):
        store["k"] = 1
        store.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=NOW - timedelta(minutes=1))
    LookupFailure.objects.create(network="203.0.113.1", created_at=NOW - timedelta(days=2))
    swept = retention.apply_retention(now=NOW)
    assert (swept.failed_messages, swept.sessions, swept.lookups) == (1, 1, 1)
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {fresh.pk, pending.pk}
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert not LookupFailure.objects.exists()


def test_orders_past_the_accounting_period_lose_their_contact_and_keep_their_money(db):
    old_order, recent_order = placed(None).order, placed(None, phone="0912345679").order
    today = datetime.date(2026, 12, 6)
    # 2015's records are kept to the end of 2025; 2016's to the end of 2026.
    Order.objects.filter(pk=old_order.pk).update(created_at=datetime.datetime(2015, 12, 31, 23, tzinfo=datetime.UTC))
    Order.objects.filter(pk=recent_order.pk).update(created_at=datetime.datetime(2016, 1, 1, 1, tzinfo=datetime.UTC))
    transfer = BankTransaction.objects.create(
        provider="test",
        transaction_id="T1",
        direction="in",
        amount=1000,
        memo="NGUYEN VAN A chuyen",
        raw={"payer": "NGUYEN VAN A"},
        occurred_at=datetime.datetime(2015, 6, 1, tzinfo=datetime.UTC),
        outcome=BankTransaction.Outcome.values[0],
    )
    now = datetime.datetime.combine(today, datetime.time(3, 47), tzinfo=datetime.UTC)
    swept = retention.apply_retention(now=now)
    assert (swept.orders, swept.bank_memos) == (1, 1)
    old = Order.objects.get(pk=old_order.pk)
    assert (old.contact_name, old.contact_phone, old.contact_email) == (retention.DEIDENTIFIED, "", "")
    assert Address.objects.get(pk=old.delivery_address_id).street == retention.DEIDENTIFIED
    assert old.shop_orders.get().total > 0  # the amounts stay
    assert Order.objects.get(pk=recent_order.pk).contact_phone == "+84912345679"
    assert (BankTransaction.objects.get(pk=transfer.pk).memo, BankTransaction.objects.get(pk=transfer.pk).raw) == (
        "",
        {},
    )
    assert retention.apply_retention(now=now).orders == 0  # idempotent


def test_the_nightly_job_runs_the_retention(db):
    SignInEvent.objects.create(kind="sent", network="203.0.113.1", phone="+84912345678", created_at=LONG_AGO)
    apply_personal_data_retention.call_local()
    assert not SignInEvent.objects.exists()


def test_unconfirmed_deletion_requests_expire_after_a_day(db):
    from taybac.compliance.models import DataRequest
    from tests.factories import make_user

    user = make_user()
    old = DataRequest.objects.create(user=user, kind="delete")
    DataRequest.objects.filter(pk=old.pk).update(created_at=NOW - timedelta(days=2))
    recent = DataRequest.objects.create(user=user, kind="delete")
    assert retention.apply_retention(now=NOW).pending_deletions == 1
    assert DataRequest.objects.get(pk=old.pk).status == "refused"
    assert DataRequest.objects.get(pk=recent.pk).status == "pending"
