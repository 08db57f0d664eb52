"""Recording a seller's identity: encrypted at rest, masked in reads and audit, helpers only with a delegation."""

import pytest
from cryptography.exceptions import InvalidTag
from django.db import connection

from taybac.accounts.identity import identity_view, missing_for_payout, tax_ids_for_producers
from taybac.accounts.identity_services import IdentityError, record_identity
from taybac.accounts.models import SellerIdentity
from taybac.accounts.selectors import NotAllowed
from taybac.accounts.services import grant_delegation, revoke_delegation
from taybac.core.models import AuditEntry
from tests.factories import make_producer, make_user

CCCD = "014090123457"


def _record(producer, actor, number=CCCD, kind="citizen_id", **extra):
    values = {"legal_name": "Giàng  A Páo", "street": "Bản Phìn Hồ", "commune_code": producer.commune_id}
    values.update(extra)
    return record_identity(producer=producer, actor=actor, id_kind=kind, number=number, **values)


def test_number_encrypted_at_rest_and_readable_only_for_tax(db):
    producer = make_producer()
    assert missing_for_payout(producer_id=producer.pk)
    row = _record(producer, producer.owner)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_selleridentity WHERE id = %s", [row.pk])
        raw = " ".join(str(bytes(v)) if isinstance(v, (bytes, memoryview)) else str(v) for v in cursor.fetchone())
    assert CCCD not in raw and "090123" not in raw
    assert row.legal_name == "Giàng A Páo" and row.number_last4 == "3457"
    assert tax_ids_for_producers([producer.pk, 999999]) == {producer.pk: CCCD}
    view = identity_view(producer)
    assert view.masked_number == "•••• •••• 3457" and CCCD not in str(view)
    assert missing_for_payout(producer_id=producer.pk) == ()


def test_ciphertext_moved_to_another_row_does_not_decrypt(db):
    a, b = make_producer(name="Hộ A"), make_producer(name="Hộ B")
    row_a = _record(a, a.owner)
    _record(b, b.owner, number="0100233488", kind="personal_tax")
    SellerIdentity.objects.filter(producer=b).update(number_encrypted=row_a.number_encrypted)
    with pytest.raises(InvalidTag):
        tax_ids_for_producers([b.pk])


def test_helper_records_with_delegation_and_is_audited_without_the_number(db):
    producer, helper = make_producer(), make_user(role="helper")
    with pytest.raises(NotAllowed):
        _record(producer, helper)
    delegation = grant_delegation(producer=producer, delegate=helper, granted_by=producer.owner)
    _record(producer, helper)
    _record(producer, helper, number="0100233488", kind="personal_tax", street="Bản Phìn Hồ")
    entries = list(AuditEntry.objects.filter(action__startswith="seller_identity").order_by("id"))
    assert [e.action for e in entries] == ["seller_identity.recorded", "seller_identity.changed"]
    assert all(e.actor_id == helper.pk and e.on_behalf_of_id == producer.owner_id for e in entries)
    assert entries[1].detail["fields"] == ["id_kind", "number"]
    assert not any(CCCD in str(e.detail) or "0100233488" in str(e.detail) for e in entries)
    revoke_delegation(delegation=delegation, revoked_by=producer.owner)
    with pytest.raises(NotAllowed):
        _record(producer, helper)


def test_refusals_are_vietnamese(db):
    producer = make_producer()
    coop = make_producer(name="HTX Suối Giàng", kind="cooperative")
    with pytest.raises(IdentityError, match="12 chữ số"):
        _record(producer, producer.owner, number="12345")
    with pytest.raises(IdentityError, match="Hộ sản xuất"):
        _record(producer, producer.owner, number="0100233488", kind="business_tax")
    with pytest.raises(IdentityError, match="mã số thuế của đơn vị"):
        _record(coop, coop.owner)
    with pytest.raises(IdentityError, match="họ tên"):
        _record(producer, producer.owner, legal_name=" ")
    with pytest.raises(IdentityError, match="xã/phường"):
        _record(producer, producer.owner, commune_code=1)
    _record(coop, coop.owner, number="0100233488-001", kind="business_tax", legal_name="HTX Suối Giàng")
    other = make_producer(name="Hộ khác", kind="enterprise")
    with pytest.raises(IdentityError, match="gian hàng khác"):
        _record(other, other.owner, number="0100233488001", kind="business_tax")
    assert not SellerIdentity.objects.filter(producer=producer).exists()


def test_identity_key_from_the_environment_and_the_deploy_check(settings):
    import base64

    from taybac.accounts import identity_crypto

    assert [m.id for m in identity_crypto.check_identity_key()] == ["taybac.W001"]  # derived from SECRET_KEY
    derived = identity_crypto.digest(CCCD)
    settings.IDENTITY_KEY = base64.b64encode(bytes(range(32))).decode()
    assert identity_crypto.check_identity_key() == []
    own = identity_crypto.digest(CCCD)
    assert (
        own != derived and identity_crypto.decrypt(identity_crypto.encrypt(CCCD, producer_id=7), producer_id=7) == CCCD
    )
    settings.IDENTITY_KEY = base64.b64encode(b"short").decode()
    assert [m.id for m in identity_crypto.check_identity_key()] == ["taybac.E001"]
    with pytest.raises(identity_crypto.IdentityKeyError):
        identity_crypto.digest(CCCD)
