"""Refunding a buyer's credit (an over-payment): recorded once by an operator, audited, atomic; and its admin form."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from taybac.accounts.models import Role
from taybac.core.models import AuditEntry
from taybac.payments import credits
from taybac.payments.credits import record_credit_refund
from taybac.payments.models import Credit
from taybac.payments.payouts import MoneyError
from taybac.payments.selectors import order_due
from tests.factories import make_user
from tests.payments.test_reconciliation import notify, shop_order  # noqa: F401  (fixture)


@pytest.fixture
def credit(shop_order) -> Credit:
    """30.000 ₫ transferred beyond what the checkout owed."""
    assert notify(shop_order.order.code, shop_order.total + 30_000).json()["outcome"] == "overpaid"
    return Credit.objects.get()


@pytest.fixture
def operator():
    """As the demo and the security tests make one: the operator role, on a superuser staff account."""
    return make_user(role=Role.OPERATOR, is_staff=True, is_superuser=True)


def test_a_credit_is_refunded_once_and_audited(credit, operator):
    assert order_due(credit.order_id).credit == 30_000
    done = record_credit_refund(credit=credit, reference="  FT2612345  ", actor=operator)
    credit.refresh_from_db()
    assert credit.refunded_at is not None and credit.refund_reference == "FT2612345" == done.refund_reference
    [entry] = AuditEntry.objects.filter(action="payment.credit_refund")
    assert entry.actor_id == operator.pk and entry.target_id == str(credit.pk)
    assert entry.detail == {"order": credit.order.code, "amount": 30_000, "reference": "FT2612345"}
    assert order_due(credit.order_id).credit == 0  # the order page no longer says it will be refunded
    # The same transfer recorded again (a double submit) changes nothing; another reference is refused.
    again = record_credit_refund(credit=credit, reference="FT2612345", actor=operator)
    assert again.refunded_at == credit.refunded_at
    assert AuditEntry.objects.filter(action="payment.credit_refund").count() == 1
    with pytest.raises(MoneyError, match="đã được hoàn lúc .*FT2612345") as refused:
        record_credit_refund(credit=credit, reference="FT999", actor=operator)
    assert refused.value.code == "conflict"
    credit.refresh_from_db()
    assert credit.refund_reference == "FT2612345"


@pytest.mark.parametrize("reference", ["", "   ", "F" * 101])
def test_a_missing_or_too_long_reference_is_refused(credit, operator, reference):
    with pytest.raises(MoneyError, match="mã giao dịch ngân hàng") as refused:
        record_credit_refund(credit=credit, reference=reference, actor=operator)
    assert refused.value.field == "reference"
    credit.refresh_from_db()
    assert credit.refunded_at is None and not AuditEntry.objects.filter(action="payment.credit_refund").exists()


@pytest.mark.parametrize(
    "who",
    [
        {"role": Role.BUYER},
        {"role": Role.PRODUCER},
        {"role": Role.BUYER, "is_staff": True},  # staff, but not allowed to change payments
        {"role": Role.OPERATOR, "is_active": False},
    ],
)
def test_only_operators_may_record_a_refund(credit, who):
    with pytest.raises(MoneyError, match="Chỉ người vận hành") as refused:
        record_credit_refund(credit=credit, reference="FT1", actor=make_user(**who))
    assert refused.value.code == "forbidden"
    credit.refresh_from_db()
    assert credit.refunded_at is None


def test_staff_allowed_to_change_payments_or_the_operator_role_may_record_a_refund(credit, shop_order):
    staff = make_user(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="change_credit", content_type__app_label="payments"))
    record_credit_refund(credit=credit, reference="FT1", actor=staff)
    assert Credit.objects.get().refund_reference == "FT1"
    notify(shop_order.order.code, 5_000, tx=2)  # a second transfer: all credit
    second = Credit.objects.get(refunded_at__isnull=True)
    record_credit_refund(credit=second, reference="FT2", actor=make_user(role=Role.OPERATOR))
    assert Credit.objects.get(pk=second.pk).refund_reference == "FT2"


def test_the_refund_and_its_audit_entry_are_one_transaction(credit, operator, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(credits.audit, "record", broken)
    with pytest.raises(RuntimeError):
        record_credit_refund(credit=credit, reference="FT1", actor=operator)
    credit.refresh_from_db()
    assert credit.refunded_at is None and credit.refund_reference == ""


# --- the admin: a form on the credit's page and a link per unrefunded row ---


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _url(credit: Credit) -> str:
    return f"/quan-tri/payments/credit/{credit.pk}/hoan-tien/"


def test_operator_records_the_refund_from_the_credits_pages(credit, operator):
    client = _client(operator)
    listing = client.get("/quan-tri/payments/credit/").content.decode()
    assert f'href="{_url(credit)}"' in listing and "Ghi nhận đã hoàn tiền thừa" in listing
    page = client.get(f"/quan-tri/payments/credit/{credit.pk}/change/").content.decode()
    assert f'action="{_url(credit)}"' in page and 'name="reference"' in page
    assert client.get(_url(credit)).status_code == 200
    done = client.post(_url(credit), {"reference": "FT777"}, follow=True)
    assert done.redirect_chain == [(f"/quan-tri/payments/credit/{credit.pk}/change/", 302)]
    assert "Đã ghi nhận hoàn 30.000 ₫ tiền thừa" in done.content.decode()
    assert 'name="reference"' not in done.content.decode()  # refunded: no form any more
    assert client.post(_url(credit), {"reference": "FT777"}).status_code == 302  # double submit: recorded once
    assert AuditEntry.objects.filter(action="payment.credit_refund", actor_id=operator.pk).count() == 1
    listing = client.get("/quan-tri/payments/credit/").content.decode()
    assert f'href="{_url(credit)}"' not in listing


def test_errors_are_shown_on_the_form(credit, operator):
    client = _client(operator)
    blank = client.post(_url(credit), {"reference": "   "})
    assert blank.status_code == 200 and "errorlist" in blank.content.decode()
    too_long = client.post(_url(credit), {"reference": "F" * 101})
    assert too_long.status_code == 200 and "errorlist" in too_long.content.decode()
    record_credit_refund(credit=credit, reference="FT1", actor=operator)
    other = client.post(_url(credit), {"reference": "FT2"})
    body = other.content.decode()
    assert other.status_code == 200 and "errorlist" in body and "đã được hoàn lúc" in body
    assert Credit.objects.get().refund_reference == "FT1"


@pytest.mark.parametrize(
    "who, status",
    [
        (None, 302),  # to the admin's sign-in
        ({"role": Role.BUYER}, 302),  # not staff: the admin's sign-in too
        ({"role": Role.BUYER, "is_staff": True}, 403),  # staff without the payments permission
    ],
)
def test_others_cannot_use_the_form(credit, who, status):
    client = _client(make_user(**who) if who else None)
    for response in (client.get(_url(credit)), client.post(_url(credit), {"reference": "FT1"})):
        assert response.status_code == status
        if status == 302:
            assert response["Location"].startswith("/quan-tri/login/")
    assert Credit.objects.get().refunded_at is None


def test_an_unknown_credit_is_not_found(credit, operator):
    assert _client(operator).post("/quan-tri/payments/credit/99999/hoan-tien/", {"reference": "FT1"}).status_code == 404
