"""OCOP e-certificates (catalog.certificates): officers of the product's province and operators record the issuing
decision; nobody else may; a seller's own change takes the officer's mark away."""

import datetime

import pytest

from taybac.accounts.models import Role
from taybac.accounts.selectors import NotAllowed
from taybac.accounts.services import grant_delegation
from taybac.catalog import certificates, services
from taybac.catalog.services import CatalogError
from taybac.core.models import AuditEntry
from tests.factories import make_product, make_user

D = datetime.date


def _decision(**overrides):
    fields = {
        "stars": 4,
        "number": "OCOP-2025-117",
        "issued_on": D(2025, 3, 20),
        "expires_on": D(2028, 3, 20),
        "decision_number": "1234/QĐ-UBND",
        "decision_date": D(2025, 3, 18),
        "decision_body": "UBND tỉnh Lào Cai",
        "document_url": "https://laocai.gov.vn/qd-1234.pdf",
    }
    return fields | overrides


@pytest.fixture
def product(shop):
    return make_product(shop=shop, name="Chè Shan tuyết", category_slug="che")


def test_who_may_record(product):
    helper = make_user(role=Role.HELPER)
    grant_delegation(producer=product.shop.producer, delegate=helper, granted_by=product.shop.producer.owner)
    refused = [
        product.shop.producer.owner,  # the seller: a declaration, not a record
        helper,
        make_user(),
        make_user(role=Role.OFFICER, officer_province_id=8),  # another province's officer
    ]
    for user in refused:
        with pytest.raises(NotAllowed):
            certificates.record_ocop_decision(actor=user, product=product, **_decision())
    officer = make_user(role=Role.OFFICER, officer_province_id=product.shop.province_id)
    operator = make_user(role=Role.OPERATOR, is_staff=True)
    for user in (officer, operator):
        cert = certificates.record_ocop_decision(actor=user, product=product, **_decision())
        assert cert.recorded_by == user and cert.issuer == "UBND tỉnh Lào Cai"
    assert AuditEntry.objects.filter(action="ocop.recorded").count() == 2
    assert product.ocop.decision_number == "1234/QĐ-UBND"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"stars": 6}, "stars"),
        ({"stars": True}, "stars"),
        ({"expires_on": D(2025, 3, 20)}, "expires_on"),
        ({"decision_date": D(2025, 4, 1)}, "decision_date"),
        ({"decision_number": ""}, "decision_number"),
        ({"decision_body": "x" * 161}, "decision_body"),
        ({"document_url": "http://insecure.example/qd.pdf"}, "document_url"),
        ({"document_url": "javascript:alert(1)"}, "document_url"),
    ],
)
def test_bad_decisions_are_refused(product, overrides, field):
    operator = make_user(role=Role.OPERATOR, is_staff=True)
    with pytest.raises(CatalogError) as refused:
        certificates.record_ocop_decision(actor=operator, product=product, **_decision(**overrides))
    assert refused.value.field == field
    assert not hasattr(product, "ocop") or product.ocop is None


def test_sellers_change_clears_the_record_but_an_unchanged_save_keeps_it(product):
    officer = make_user(role=Role.OFFICER, officer_province_id=product.shop.province_id)
    cert = certificates.record_ocop_decision(actor=officer, product=product, **_decision())
    owner = product.shop.producer.owner
    same = {k: getattr(cert, k) for k in ("stars", "issuer", "number", "issued_on", "expires_on")}
    services.set_ocop_certificate(actor=owner, product=product, **same)
    cert.refresh_from_db()
    assert cert.recorded_by == officer
    services.set_ocop_certificate(actor=owner, product=product, **(same | {"stars": 5}))
    cert.refresh_from_db()
    assert cert.recorded_by is None and cert.stars == 5
