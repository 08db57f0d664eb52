"""A seller with nothing outstanding deletes their account: each domain's own function closes the shop, revokes the
helpers' delegations and blanks the account, in the one confirmation."""

from __future__ import annotations

from taybac.accounts.models import Delegation, SellerIdentity, User
from taybac.accounts.services import grant_delegation
from taybac.catalog.models import Shop
from taybac.compliance import services
from tests.compliance.privacy_world import sender  # noqa: F401 (fixture)
from tests.factories import make_shop, make_user, record_identity_for


def test_a_sellers_deletion_closes_the_shop_and_revokes_the_helpers(db, sender):
    shop = make_shop(name="Mật ong Páo")
    owner, producer = shop.producer.owner, shop.producer
    record_identity_for(producer)
    helper = make_user(role="helper")
    delegation = grant_delegation(producer=producer, delegate=helper, granted_by=owner)
    services.request_deletion(actor=owner, network="203.0.113.9")
    code = sender.sent[-1][1][:6]
    services.confirm_deletion(actor=User.objects.get(pk=owner.pk), code=code, network="203.0.113.9")
    assert not Shop.objects.get(pk=shop.pk).is_active
    assert Delegation.objects.get(pk=delegation.pk).revoked_at is not None
    assert User.objects.get(pk=owner.pk).phone is None
    assert SellerIdentity.objects.filter(producer=producer).exists()  # a tax record, kept for its period


def test_a_seller_whose_shop_was_already_closed_still_revokes_the_helpers(db, sender):
    shop = make_shop(name="Chè Shan Páo")
    owner, producer = shop.producer.owner, shop.producer
    Shop.objects.filter(pk=shop.pk).update(is_active=False)
    delegation = grant_delegation(producer=producer, delegate=make_user(role="helper"), granted_by=owner)
    services.request_deletion(actor=owner, network="203.0.113.9")
    code = sender.sent[-1][1][:6]
    services.confirm_deletion(actor=User.objects.get(pk=owner.pk), code=code, network="203.0.113.9")
    assert Delegation.objects.get(pk=delegation.pk).revoked_at is not None  # nobody acts for a producer who left
