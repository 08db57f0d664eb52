import pytest

from taybac.accounts.selectors import NotAllowed, can_manage, managed_producers, require_can_manage
from taybac.accounts.services import AccountError, grant_delegation, register_producer, revoke_delegation
from taybac.core.models import AuditEntry
from tests.factories import make_producer, make_user


def test_owner_manages_own_producer_only(db):
    a, b = make_producer(name="Hộ A"), make_producer(name="Hộ B")
    assert list(managed_producers(a.owner)) == [a]
    assert not can_manage(a.owner, b)


def test_helper_manages_after_grant_until_revoke(db):
    producer = make_producer()
    other = make_producer(name="Hộ khác")
    helper = make_user(role="helper")
    assert not can_manage(helper, producer)
    delegation = grant_delegation(producer=producer, delegate=helper, granted_by=producer.owner)
    assert can_manage(helper, producer) and not can_manage(helper, other)
    with pytest.raises(NotAllowed):
        require_can_manage(helper, other)
    revoke_delegation(delegation=delegation, revoked_by=producer.owner)
    assert not can_manage(helper, producer)
    actions = list(AuditEntry.objects.filter(target_type="accounts.delegation").values_list("action", flat=True))
    assert sorted(actions) == ["delegation.granted", "delegation.revoked"]


def test_grant_is_idempotent_while_active(db):
    producer, helper = make_producer(), make_user(role="helper")
    first = grant_delegation(producer=producer, delegate=helper, granted_by=producer.owner)
    assert grant_delegation(producer=producer, delegate=helper, granted_by=producer.owner).pk == first.pk


def test_cooperative_user_can_be_delegate(db):
    household = make_producer(name="Hộ thành viên")
    coop = make_producer(name="HTX Suối Giàng", kind="cooperative")
    grant_delegation(producer=household, delegate=coop.owner, granted_by=household.owner)
    assert set(managed_producers(coop.owner)) == {household, coop}


def test_only_owner_grants_and_revokes(db):
    producer, helper, intruder = make_producer(), make_user(role="helper"), make_user(role="helper")
    with pytest.raises(AccountError):
        grant_delegation(producer=producer, delegate=intruder, granted_by=helper)
    delegation = grant_delegation(producer=producer, delegate=helper, granted_by=producer.owner)
    with pytest.raises(AccountError):
        revoke_delegation(delegation=delegation, revoked_by=helper)
    with pytest.raises(AccountError):
        grant_delegation(producer=producer, delegate=producer.owner, granted_by=producer.owner)
    with pytest.raises(AccountError):
        grant_delegation(producer=producer, delegate=make_user(role="buyer"), granted_by=producer.owner)


def test_register_producer_validates(db):
    user = make_user()
    with pytest.raises(AccountError):
        register_producer(user=user, name=" ", kind="household", commune_code=1)
    with pytest.raises(AccountError):
        register_producer(user=user, name="Hộ A", kind="alien", commune_code=1)
    with pytest.raises(AccountError):
        register_producer(user=user, name="Hộ A", kind="household", commune_code=999999999)
    producer = make_producer(user=user)
    user.refresh_from_db()
    assert user.role == "producer" and producer.province_id == 15
    with pytest.raises(AccountError):
        make_producer(user=user)
