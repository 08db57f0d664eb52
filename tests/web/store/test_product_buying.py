"""The product page: a quantity picker bounded by what can be sold, links to the stories of the product's lots,
prices and units that do not wrap on a phone."""

import datetime

import pytest

from taybac.catalog.models import Variant
from taybac.traceability.services import record_harvest
from taybac.web.templatetags.store import unit_text, vnd
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def test_quantity_picker_is_bounded_by_stock(client):
    product = make_product(name="Mật ong bạc hà", quantity=12, price=380_000)
    variant = product.variants.get()
    Variant.objects.filter(pk=variant.pk).update(allocated=5)
    page = client.get(product.get_absolute_url()).content.decode()
    assert (
        f'<input id="q{variant.pk}" name="quantity" type="number" inputmode="numeric" value="1" min="1" max="7"' in page
    )
    assert 'class="qdown"' in page and 'class="qup"' in page and "web/qty.js" in page
    assert '<span class="vnd">380.000 ₫</span>' in page and '<span class="nw">còn 7 hũ</span>' in page


def test_picker_for_preorders_and_none_when_sold_out(client):
    harvest = datetime.date.today() + datetime.timedelta(days=40)
    product = make_product(quantity=0, preorder_allowed=True, next_harvest=harvest)
    variant = product.variants.get()
    Variant.objects.filter(pk=variant.pk).update(harvest_quota=8)
    page = client.get(product.get_absolute_url()).content.decode()
    assert 'max="8"' in page and "Đặt trước</button>" in page
    sold_out = make_product(name="Đường phèn", quantity=0)
    page = client.get(sold_out.get_absolute_url()).content.decode()
    assert 'name="quantity"' not in page and "hết hàng" in page


def test_the_cap_is_the_carts_maximum(client):
    product = make_product(quantity=5000)
    assert 'max="999"' in client.get(product.get_absolute_url()).content.decode()


def test_lot_stories_are_linked_newest_first(client):
    product = make_product(name="Mật ong bạc hà")
    variant = product.variants.get()
    owner = product.shop.producer.owner
    today = datetime.date.today()
    old = record_harvest(
        actor=owner, variant=variant, harvested_on=today - datetime.timedelta(days=60), quantity=20, code="MV-01"
    )
    new = record_harvest(
        actor=owner, variant=variant, harvested_on=today - datetime.timedelta(days=5), quantity=30, code="MV-02"
    )
    page = client.get(product.get_absolute_url()).content.decode()
    assert "Câu chuyện từng lô hàng" in page
    first, second = page.index(f'href="/01/{variant.gtin}/10/MV-02"'), page.index(f'href="/01/{variant.gtin}/10/MV-01"')
    assert first < second
    assert new.get_absolute_url() == f"/01/{variant.gtin}/10/MV-02" and old.code == "MV-01"
    assert client.get(new.get_absolute_url()).status_code == 200  # the link leads to the lot's story


def test_no_lot_section_without_lots_or_for_a_service(client):
    tour = make_product(name="Homestay nhà sàn", category_slug="du-lich-cong-dong", unit="đêm")
    assert "Câu chuyện từng lô hàng" not in client.get(tour.get_absolute_url()).content.decode()
    assert "Câu chuyện từng lô hàng" not in client.get(make_product().get_absolute_url()).content.decode()


def test_product_page_query_count_is_fixed(client, django_assert_max_num_queries):
    product = make_product()
    variant = product.variants.get()
    for n in range(8):
        record_harvest(
            actor=product.shop.producer.owner,
            variant=variant,
            harvested_on=datetime.date.today(),
            quantity=5,
            code=f"L-{n}",
        )
    client.get(product.get_absolute_url())
    with django_assert_max_num_queries(12):
        page = client.get(product.get_absolute_url()).content.decode()
    assert page.count('class="lotlinks"') == 1 and page.count("/10/L-") == 6  # the newest six


def test_money_and_units_keep_together():
    assert vnd(380_000) == '<span class="vnd">380.000 ₫</span>' and vnd(None) == ""
    assert unit_text("Chai 500 ml") == '<span class="nw">Chai 500 ml</span>'
    assert unit_text("Mật ong hoa rừng loại 1 kg đặc biệt") == (
        'Mật ong hoa rừng <span class="nw">loại 1 kg</span> đặc biệt'
    )
    assert unit_text("<b>Hũ</b> 2 kg") == '<span class="nw">&lt;b&gt;Hũ&lt;/b&gt; 2 kg</span>'
    assert unit_text("Gói nhỏ") == "Gói nhỏ"


def test_a_service_shows_no_harvest_even_with_old_data(client):
    from taybac.catalog.models import Product

    tour = make_product(name="Tour mùa lúa chín", category_slug="du-lich-cong-dong", unit="khách", quantity=0)
    harvest = datetime.date.today() + datetime.timedelta(days=30)
    Product.objects.filter(pk=tour.pk).update(season_mask=0b11 << 9, preorder_allowed=True, next_harvest=harvest)
    Variant.objects.filter(product=tour).update(harvest_quota=10)  # as before kinds existed
    page = client.get(tour.get_absolute_url()).content.decode()
    assert "Mùa vụ" not in page and "Đặt trước</button>" not in page and "hết hàng" in page
