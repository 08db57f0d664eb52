"""Erasing an account's personal data (accounts.services, called by compliance when a person deletes their
account): only that person's rows go, the user row stays without anything that identifies them."""

from __future__ import annotations

from django.utils import timezone

from taybac.accounts.models import Delegation, OneTimeCode, SignInEvent, User
from taybac.accounts.services import erase_personal_data, grant_delegation, revoke_delegations_granted_by
from tests.factories import make_producer, make_user


def sign_in_rows(phone: str) -> None:
    OneTimeCode.objects.create(phone=phone, code_hash="x", expires_at=timezone.now())
    SignInEvent.objects.create(kind="sent", network="203.0.113.1", phone=phone, created_at=timezone.now())


def test_erasing_blanks_the_account_and_removes_its_codes_and_held_delegations(db):
    helper, other_helper = make_user(role="helper", full_name="Lò Văn Khánh"), make_user(role="helper")
    producer = make_producer()
    held = grant_delegation(producer=producer, delegate=helper, granted_by=producer.owner)
    kept = grant_delegation(producer=producer, delegate=other_helper, granted_by=producer.owner)
    phone = helper.phone
    for number in (phone, other_helper.phone):
        sign_in_rows(number)
    erase_personal_data(user=helper)
    gone = User.objects.get(pk=helper.pk)
    assert (gone.phone, gone.email, gone.full_name, gone.username) == (None, "", "", f"xoa-{helper.pk}")
    assert not gone.is_active and not gone.has_usable_password()
    assert not OneTimeCode.objects.filter(phone=phone).exists() and not SignInEvent.objects.filter(phone=phone)
    assert OneTimeCode.objects.filter(phone=other_helper.phone).count() == 1
    assert Delegation.objects.get(pk=held.pk).revoked_at is not None
    assert Delegation.objects.get(pk=kept.pk).revoked_at is None


def test_revoking_what_an_owner_granted_leaves_other_producers_alone(db):
    mine, theirs = make_producer(name="Hộ A"), make_producer(name="Hộ B")
    helper = make_user(role="helper")
    granted = grant_delegation(producer=mine, delegate=helper, granted_by=mine.owner)
    other = grant_delegation(producer=theirs, delegate=helper, granted_by=theirs.owner)
    assert revoke_delegations_granted_by(owner=mine.owner) == 1
    assert Delegation.objects.get(pk=granted.pk).revoked_at is not None
    assert Delegation.objects.get(pk=other.pk).revoked_at is None
    assert revoke_delegations_granted_by(owner=mine.owner) == 0
