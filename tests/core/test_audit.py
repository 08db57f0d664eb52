from taybac.core import audit
from taybac.core.models import AuditEntry
from tests.factories import make_user


def test_audit_records_on_behalf_of_only_when_different(db):
    helper, owner = make_user(role="helper"), make_user(role="producer")
    entry = audit.record(actor=helper, on_behalf_of=owner, action="product.updated", target=owner)
    assert entry.on_behalf_of_id == owner.pk
    assert "thay mặt" in str(entry)
    own = audit.record(actor=owner, on_behalf_of=owner, action="product.updated", target=owner)
    assert own.on_behalf_of_id is None
    assert AuditEntry.objects.count() == 2
