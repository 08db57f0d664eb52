import datetime

import pytest

from taybac.accounts.selectors import NotAllowed
from taybac.accounts.services import grant_delegation
from taybac.catalog import services
from taybac.catalog.gtin import normalize_gtin
from taybac.catalog.models import Category, Variant
from taybac.core.models import AuditEntry
from tests.catalog.test_images import jpeg_bytes
from tests.factories import make_product, make_shop, make_user


def test_create_product_with_first_variant(shop):
    product = make_product(
        shop=shop,
        name="Chè Shan tuyết Suối Giàng",
        category_slug="che",
        price=450_000,
        quantity=30,
        weight_grams=200,
        season_months=[3, 4, 5],
        unit="gói",
        description="<p>Chè cổ thụ<script>x</script></p>",
    )
    variant = product.variants.get()
    assert (variant.price, variant.quantity, variant.allocated, variant.shop_id) == (450_000, 30, 0, shop.pk)
    assert normalize_gtin(variant.gtin) == variant.gtin
    assert product.slug == "che-shan-tuyet-suoi-giang"
    assert "<script" not in product.description_html
    assert product.season_months == [3, 4, 5] and product.in_season(datetime.date(2026, 4, 1))
    assert AuditEntry.objects.filter(action="product.created", target_id=str(product.pk)).exists()


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"name": ""}, "name"),
        ({"price": 0}, "price"),
        ({"price": -5}, "price"),
        ({"quantity": -1}, "quantity"),
        ({"weight_grams": 0}, "weight_grams"),
        ({"gtin": "123"}, None),
        ({"season_months": [13]}, None),
        ({"preorder_allowed": True}, "next_harvest"),
    ],
)
def test_create_product_refuses_bad_input_and_writes_nothing(shop, kwargs, field):
    from taybac.core.errors import DomainError

    with pytest.raises(DomainError) as info:
        make_product(shop=shop, **kwargs)
    if field:
        assert info.value.field == field
    assert not shop.products.exists() and not Variant.objects.exists()


def test_producer_supplied_gtin_kept_and_unique(shop):
    make_product(shop=shop, gtin="8934563138165")
    assert Variant.objects.get().gtin == "08934563138165"
    with pytest.raises(services.CatalogError, match="GTIN"):
        make_product(shop=shop, name="Khác", gtin="08934563138165")


def test_stranger_cannot_touch_shop_and_helper_can_after_delegation(shop):
    product = make_product(shop=shop)
    helper = make_user(role="helper")
    category = Category.objects.get(slug="mat-ong")
    with pytest.raises(NotAllowed):
        services.create_product(
            actor=helper, shop=shop, name="X", category=category, price=1000, quantity=1, weight_grams=100
        )
    with pytest.raises(NotAllowed):
        services.set_stock(actor=helper, variant=product.variants.get(), quantity=99)
    grant_delegation(producer=shop.producer, delegate=helper, granted_by=shop.producer.owner)
    variant = services.set_stock(actor=helper, variant=product.variants.get(), quantity=99)
    assert variant.quantity == 99
    entry = AuditEntry.objects.get(action="variant.updated")
    assert entry.actor_id == helper.pk and entry.on_behalf_of_id == shop.producer.owner_id
    assert entry.detail == {"before": {"price": 350_000, "quantity": 12}, "after": {"price": 350_000, "quantity": 99}}


def test_stock_cannot_drop_below_reserved(product):
    variant = product.variants.get()
    Variant.objects.filter(pk=variant.pk).update(allocated=5)
    variant.refresh_from_db()
    with pytest.raises(services.CatalogError, match="5"):
        services.set_stock(actor=product.shop.producer.owner, variant=variant, quantity=4)
    assert services.set_stock(actor=product.shop.producer.owner, variant=variant, quantity=5).available == 0


def test_add_variant_sku_unique_per_shop(product):
    owner = product.shop.producer.owner
    services.add_variant(
        actor=owner,
        product=product,
        name="Hũ 1 kg",
        unit="hũ",
        weight_grams=1000,
        price=650_000,
        quantity=3,
        sku="MO-1KG",
    )
    with pytest.raises(services.CatalogError, match="SKU"):
        services.add_variant(
            actor=owner,
            product=product,
            name="Hũ 1 kg",
            unit="hũ",
            weight_grams=1000,
            price=650_000,
            quantity=3,
            sku="MO-1KG",
        )
    other = make_product(shop=make_shop(name="Gian khác"))
    services.add_variant(
        actor=other.shop.producer.owner,
        product=other,
        name="Hũ 1 kg",
        unit="hũ",
        weight_grams=1000,
        price=1000,
        quantity=1,
        sku="MO-1KG",
    )


def test_photos_added_and_removed(product, settings, django_capture_on_commit_callbacks):
    owner = product.shop.producer.owner
    photo = services.add_photo(actor=owner, product=product, data=jpeg_bytes())
    files = [settings.MEDIA_ROOT / f"{photo.path_stem}-{w}.webp" for w in photo.widths]
    assert all(f.exists() for f in files) and "320w" in photo.srcset
    with pytest.raises(NotAllowed):
        services.remove_photo(actor=make_user(role="helper"), photo=photo)
    with django_capture_on_commit_callbacks(execute=True):  # files go only once the delete has committed
        services.remove_photo(actor=owner, photo=photo)
    assert not product.photos.exists() and not any(f.exists() for f in files)


def test_ocop_certificate(product):
    owner = product.shop.producer.owner
    args = {
        "issuer": "UBND tỉnh Lào Cai",
        "number": "123/QĐ-UBND",
        "issued_on": datetime.date(2025, 1, 10),
        "expires_on": datetime.date(2028, 1, 10),
    }
    cert = services.set_ocop_certificate(actor=owner, product=product, stars=4, **args)
    assert cert.is_valid(datetime.date(2026, 1, 1)) and not cert.is_valid(datetime.date(2028, 2, 1))
    with pytest.raises(services.CatalogError):
        services.set_ocop_certificate(actor=owner, product=product, stars=6, **args)
    with pytest.raises(services.CatalogError):
        services.set_ocop_certificate(
            actor=owner,
            product=product,
            stars=3,
            issuer="x",
            number="1",
            issued_on=datetime.date(2025, 1, 1),
            expires_on=datetime.date(2024, 1, 1),
        )
    product.ocop.refresh_from_db()
    assert product.ocop.stars == 4


def test_shop_slug_unique(db):
    a, b = make_shop(name="Hộ Lò Văn Minh"), make_shop(name="Hộ Lò Văn Minh")
    assert (a.slug, b.slug) == ("ho-lo-van-minh", "ho-lo-van-minh-2")
