"""Geographical indications (catalog.certificates): operators keep the register; officers and operators link a
product only when its producer's commune lies in the GI's area."""

import pytest

from taybac.accounts.models import Role
from taybac.accounts.selectors import NotAllowed
from taybac.catalog import certificates
from taybac.catalog.brand_selectors import indications_covering
from taybac.catalog.services import CatalogError
from taybac.regions.models import Commune
from tests.factories import make_product, make_shop, make_user


@pytest.fixture
def operator(db):
    return make_user(role=Role.OPERATOR, is_staff=True)


def test_only_operators_register_and_duplicates_are_refused(shop, operator):
    officer = make_user(role=Role.OFFICER, officer_province_id=shop.province_id)
    with pytest.raises(NotAllowed):
        certificates.register_geographical_indication(
            actor=officer, name="Mộc Châu", product_type="Chè Shan tuyết", province_codes=[14]
        )
    gi = certificates.register_geographical_indication(
        actor=operator, name="Mộc Châu", product_type="Chè Shan tuyết", province_codes=[14]
    )
    assert list(gi.provinces.values_list("pk", flat=True)) == [14] and gi.number == ""
    with pytest.raises(CatalogError, match="đã có"):
        certificates.register_geographical_indication(
            actor=operator, name="Mộc Châu", product_type="Chè Shan tuyết", province_codes=[14]
        )
    with pytest.raises(CatalogError) as refused:
        certificates.register_geographical_indication(actor=operator, name="X", product_type="Y", province_codes=[])
    assert refused.value.field == "provinces"


def test_link_checks_the_producers_commune_against_the_area(shop, operator):
    product = make_product(shop=shop, name="Chè Shan tuyết", category_slug="che")
    elsewhere = certificates.register_geographical_indication(
        actor=operator,
        name="Mộc Châu",
        product_type="Chè Shan tuyết",
        province_codes=[14 if shop.province_id != 14 else 8],
    )
    here = certificates.register_geographical_indication(
        actor=operator, name="Suối Giàng", product_type="Chè Shan tuyết", province_codes=[shop.province_id]
    )
    other_commune = Commune.objects.filter(province_id=shop.province_id).exclude(pk=shop.commune_id).first()
    by_commune = certificates.register_geographical_indication(
        actor=operator,
        name="Bản khác",
        product_type="Chè",
        province_codes=[shop.province_id],
        commune_codes=[other_commune.pk],
    )
    assert indications_covering(product) == [here]
    officer = make_user(role=Role.OFFICER, officer_province_id=shop.province_id)
    for gi in (elsewhere, by_commune):
        with pytest.raises(CatalogError, match="không thuộc vùng"):
            certificates.link_geographical_indication(actor=officer, product=product, gi=gi)
    certificates.link_geographical_indication(actor=officer, product=product, gi=here)
    product.refresh_from_db()
    assert product.gi == here
    with pytest.raises(NotAllowed):
        certificates.link_geographical_indication(actor=shop.producer.owner, product=product, gi=None)
    with pytest.raises(NotAllowed):
        other = make_user(role=Role.OFFICER, officer_province_id=make_shop(name="B", province_code=8).province_id)
        certificates.link_geographical_indication(actor=other, product=product, gi=None)
    certificates.link_geographical_indication(actor=operator, product=product, gi=None)
    product.refresh_from_db()
    assert product.gi is None
