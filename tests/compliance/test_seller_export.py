"""A seller's copy of their data (Law 91/2025/QH15, right of access) holds their recorded identity with the number
masked, their shop's ledger and the tax withheld for them; never another seller's."""

from __future__ import annotations

import json

from taybac.accounts.identity import masked, tax_ids_for_producers
from taybac.accounts.models import SellerIdentity
from taybac.catalog.models import Shop
from taybac.catalog.services import create_shop
from taybac.compliance import selectors, services
from taybac.payments.models import LedgerEntry, TaxWithholding
from tests.factories import make_producer, make_user, record_identity_for
from tests.reviews.purchases import deliver, placed


def seller(name: str) -> Shop:
    """A household seller with a recorded identity and one delivered, cash-paid sale (so withheld tax)."""
    producer = make_producer(name=f"Hộ {name}", user=make_user(full_name=name))
    record_identity_for(producer)
    shop = create_shop(actor=producer.owner, producer=producer, name=f"Gian hàng {name}")
    deliver(placed(None, shop=shop))
    return shop


def test_a_sellers_copy_holds_identity_masked_ledger_and_tax_and_nobody_elses(db):
    pao, khanh = seller("Giàng A Páo"), seller("Lò Văn Khánh")
    owner = pao.producer.owner
    exported = services.export_my_data(actor=owner)
    text = exported.content.decode()
    data = json.loads(text)

    identity = SellerIdentity.objects.get(producer=pao.producer)
    number = tax_ids_for_producers([pao.producer.pk])[pao.producer.pk]
    assert data["seller_identity"] == {
        "legal_name": "Giàng A Páo",
        "id_kind": identity.id_kind,
        "number": masked(identity.number_last4),
        "street": identity.street,
        "commune": identity.commune.name,
        "province": identity.commune.province.name,
    }
    assert number not in text  # never decrypted into the copy

    ledger = LedgerEntry.objects.filter(shop=pao).order_by("-created_at", "-id")
    assert {e.kind for e in ledger} >= {"sale", "tax"}
    assert data["ledger"] == {
        "rows": [{"kind": e.kind, "amount": e.amount, "at": e.created_at.isoformat(), "note": e.note} for e in ledger],
        "truncated": False,
    }
    withheld = TaxWithholding.objects.get(shop=pao)
    assert data["tax_withheld"]["rows"] == [
        {
            "period": withheld.period,
            "kind": withheld.kind,
            "revenue": withheld.revenue,
            "vat": withheld.vat,
            "pit": withheld.pit,
        }
    ]

    other_number = tax_ids_for_producers([khanh.producer.pk])[khanh.producer.pk]
    for foreign in (
        "Lò Văn Khánh",
        other_number,
        masked(SellerIdentity.objects.get(producer=khanh.producer).number_last4),
    ):
        assert foreign not in text


def test_a_buyers_copy_has_no_seller_sections_and_sections_are_bounded(db, monkeypatch):
    pao = seller("Giàng A Páo")
    buyer = make_user()
    data = selectors.export_data(buyer)
    assert data["seller_identity"] is None and data["ledger"]["rows"] == [] and data["tax_withheld"]["rows"] == []
    monkeypatch.setattr(selectors, "MAX_ROWS", 1)
    bounded = selectors.export_data(pao.producer.owner)
    assert len(bounded["ledger"]["rows"]) == 1 and bounded["ledger"]["truncated"]
