"""Test data builders that go through the real services (so tests exercise the same rules users hit)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager

from django.test import TestCase

from taybac.accounts.models import Producer, Role, User
from taybac.accounts.services import register_producer
from taybac.catalog.models import Category, Product, Shop
from taybac.catalog.services import create_product, create_shop
from taybac.regions.models import Commune

_phones = itertools.count(1000000)


@contextmanager
def committed() -> Iterator[None]:
    """Run what the writes inside leave for after commit (catalogue hooks such as search indexing), as their
    commit would: a test's transaction never commits. In a transactional test they have already run."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield


def make_user(*, role: str = Role.BUYER, full_name: str = "", **extra) -> User:
    """A user with a fresh valid Viettel number (+8498xxxxxxx)."""
    phone = f"+8498{next(_phones):07d}"
    return User.objects.create(username=phone, phone=phone, role=role, full_name=full_name or phone, **extra)


def make_producer(
    *,
    name: str = "Hộ Giàng A Páo",
    province_code: int = 15,
    kind: str = Producer.Kind.HOUSEHOLD,
    user: User | None = None,
) -> Producer:
    commune = Commune.objects.filter(province_id=province_code).order_by("code").first()
    return register_producer(user=user or make_user(), name=name, kind=kind, commune_code=commune.code)


_citizen_serials = itertools.count(100000)


def record_identity_for(producer: Producer) -> None:
    """The seller's identity, so the hub may pay the shop out: a fresh valid CCCD (Sơn La, born 1990), or a valid
    business tax code for a cooperative or enterprise."""
    from taybac.accounts.identity_services import record_identity

    serial = next(_citizen_serials)
    kind, number = ("citizen_id", f"014090{serial:06d}")
    if producer.kind != Producer.Kind.HOUSEHOLD:
        kind, number = ("business_tax", f"0100233488-{serial % 999 + 1:03d}")
    record_identity(
        producer=producer,
        actor=producer.owner,
        legal_name=producer.owner.full_name or "Giàng A Páo",
        id_kind=kind,
        number=number,
        street="Bản Phìn Hồ",
        commune_code=producer.commune_id,
    )


def make_shop(*, name: str = "", province_code: int = 15) -> Shop:
    producer = make_producer(name=name or "Hộ Giàng A Páo", province_code=province_code)
    return create_shop(actor=producer.owner, producer=producer, name=name)


def make_product(
    *,
    shop: Shop | None = None,
    name: str = "Mật ong bạc hà",
    category_slug: str = "mat-ong",
    price: int = 350_000,
    quantity: int = 12,
    weight_grams: int = 500,
    **extra,
) -> Product:
    shop = shop or make_shop()
    with committed():
        return create_product(
            actor=shop.producer.owner,
            shop=shop,
            name=name,
            category=Category.objects.get(slug=category_slug),
            price=price,
            quantity=quantity,
            weight_grams=weight_grams,
            unit=extra.pop("unit", "hũ"),
            **extra,
        )
