"""The demo data: enough of it, in the right places, consistent with the domain rules, and loadable twice."""

from __future__ import annotations

import datetime
from collections import Counter

import phonenumbers
from django.db.models import Count
from django.utils import timezone

from taybac.accounts.models import Delegation, Producer, Role, User
from taybac.catalog.gtin import check_digit, normalize_gtin
from taybac.catalog.models import OcopCertificate, Product, ProductPhoto, Shop, Variant
from taybac.core.models import AuditEntry
from taybac.demo.loader import OPERATOR_PASSWORD, OPERATOR_USERNAME, load_demo_data
from taybac.regions.models import PickupPoint, Province
from taybac.search.services import search_products

REGION = {4, 8, 11, 12, 14, 15, 19, 20, 25}


def _counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "producers": Producer.objects.count(),
        "shops": Shop.objects.count(),
        "products": Product.objects.count(),
        "variants": Variant.objects.count(),
        "ocop": OcopCertificate.objects.count(),
        "photos": ProductPhoto.objects.count(),
        "delegations": Delegation.objects.count(),
        "pickup_points": PickupPoint.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def test_producers_span_the_region(loaded):
    producers = Producer.objects.all()
    assert producers.count() >= 40
    provinces = set(producers.values_list("province_id", flat=True))
    assert provinces <= REGION
    assert len(provinces) >= 8
    kinds = Counter(producers.values_list("kind", flat=True))
    assert set(kinds) == {"household", "cooperative", "enterprise"}
    assert all(p.commune.province_id == p.province_id for p in producers.select_related("commune"))
    assert Shop.objects.count() == producers.count()


def test_catalogue_size_and_categories(loaded):
    assert Product.objects.count() >= 200
    per_category = dict(Product.objects.values_list("category__slug").annotate(n=Count("id")))
    assert len(per_category) == 9 and min(per_category.values()) >= 5, per_category
    with_several = Product.objects.annotate(n=Count("variants")).filter(n__gt=1).count()
    assert with_several >= 50
    for product in Product.objects.select_related("shop"):
        assert product.shop.province_id in REGION


def test_prices_are_plausible_whole_dong(loaded):
    for price, unit in Variant.objects.values_list("price", "unit"):
        assert isinstance(price, int) and price % 1_000 == 0
        assert 10_000 <= price <= 10_000_000, (price, unit)


def test_every_gtin_is_valid_and_unique(loaded):
    gtins = list(Variant.objects.values_list("gtin", flat=True))
    assert len(gtins) == len(set(gtins)) >= 200
    for gtin in gtins:
        assert len(gtin) == 14 and gtin.isdigit()
        assert check_digit(gtin[:-1]) == int(gtin[-1])
        assert normalize_gtin(gtin) == gtin


def test_ocop_share_stars_issuers_and_expiry(loaded):
    today = timezone.localdate()  # the date the loader used
    certificates = list(OcopCertificate.objects.select_related("product__shop__producer"))
    share = len(certificates) / Product.objects.count()
    assert 0.15 <= share <= 0.5, share
    assert {c.stars for c in certificates} == {3, 4, 5}
    expired = [c for c in certificates if not c.is_valid(today)]
    assert 0 < len(expired) < len(certificates) / 3
    for cert in certificates:
        assert cert.expires_on > cert.issued_on
        assert cert.issuer.startswith(("UBND tỉnh ", "Bộ Nông nghiệp"))
        assert "/QĐ-" in cert.number


def test_certificates_issued_before_the_merger_name_the_old_province(loaded):
    old = OcopCertificate.objects.filter(product__shop__province_id=8, issued_on__lt=datetime.date(2025, 7, 1))
    new = OcopCertificate.objects.filter(product__shop__province_id=8, issued_on__gte=datetime.date(2025, 7, 1))
    assert {c.issuer for c in old} <= {"UBND tỉnh Hà Giang", "UBND tỉnh Tuyên Quang"}
    assert {c.issuer for c in new} <= {"UBND tỉnh Tuyên Quang"}


def test_real_seasons_and_geographical_indications(loaded):
    def months(name: str) -> list[int]:
        return Product.objects.get(name=name).season_months

    assert months("Mận hậu Mộc Châu") == [5, 6]
    assert months("Cam sành Hàm Yên") == [1, 11, 12]
    assert months("Xoài tròn Yên Châu") == [5, 6]
    assert Product.objects.get(name="Thịt trâu gác bếp Mường La").season_mask == 0  # sold all year
    gis = set(Product.objects.exclude(geographical_indication="").values_list("geographical_indication", flat=True))
    assert {"Mật ong bạc hà Mèo Vạc", "Cam sành Hàm Yên", "Chè Shan tuyết Mộc Châu"} <= gis


def test_brand_pages_stories_gis_by_name_only_and_recorded_decisions(loaded):
    """demo/brands.py: a story for every shop, GIs without unverified numbers, decisions recorded by officials."""
    from taybac.catalog.models import GeographicalIndication, ShopPhoto

    assert not Shop.objects.filter(story_html="").exists() and ShopPhoto.objects.exists()
    assert GeographicalIndication.objects.filter(name="Mộc Châu", product_type="Chè Shan tuyết").exists()
    assert set(GeographicalIndication.objects.values_list("number", flat=True)) == {""}  # never invented
    tea = Product.objects.get(name="Chè Shan tuyết Mộc Châu")
    assert tea.gi is not None and tea.gi.provinces.filter(pk=tea.shop.province_id).exists()
    assert Product.objects.get(name="Cam sành Hàm Yên").gi is None  # not in the demo's register: a claim only
    unrecorded = OcopCertificate.objects.filter(recorded_by__isnull=True)
    assert not unrecorded.exists()
    assert not OcopCertificate.objects.filter(decision_number="").exists()
    assert OcopCertificate.objects.filter(recorded_by__role=Role.OFFICER).exists()


def test_preorders_have_a_future_harvest(loaded):
    preorders = Product.objects.filter(preorder_allowed=True)
    assert preorders.count() >= 5
    today = timezone.localdate()  # the date the loader used
    for product in preorders:
        assert product.next_harvest > today
        assert not product.in_season(today)


def test_helpers_manage_several_producers_and_act_on_their_behalf(loaded):
    helpers = User.objects.filter(role=Role.HELPER)
    assert helpers.count() >= 3
    for helper in helpers:
        active = Delegation.objects.filter(delegate=helper, revoked_at__isnull=True)
        assert active.values("producer").distinct().count() >= 2
    assert Delegation.objects.filter(revoked_at__isnull=False).exists()
    on_behalf = AuditEntry.objects.filter(action="product.created", actor__role=Role.HELPER)
    assert on_behalf.count() >= 20
    assert all(e.on_behalf_of_id and e.on_behalf_of_id != e.actor_id for e in on_behalf)


def test_one_officer_per_region_province(loaded):
    officers = User.objects.filter(role=Role.OFFICER)
    assert sorted(officers.values_list("officer_province_id", flat=True)) == sorted(REGION)
    assert all(Province.objects.get(code=o.officer_province_id).in_region for o in officers)


def test_operator_has_an_argon2_password(loaded):
    operator = User.objects.get(username=OPERATOR_USERNAME)
    assert operator.role == Role.OPERATOR and operator.is_staff and operator.is_superuser
    assert operator.password.startswith("argon2$")
    assert operator.check_password(OPERATOR_PASSWORD)
    assert OPERATOR_PASSWORD in loaded["summary"] and "/quan-tri/" in loaded["summary"]


def test_phone_numbers_are_valid_vietnamese_mobiles(loaded):
    phones = list(User.objects.exclude(phone=None).values_list("phone", flat=True))
    assert len(phones) >= 60
    for phone in phones:
        number = phonenumbers.parse(phone)
        assert phonenumbers.is_valid_number(number), phone
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == phone


def test_post_office_pickup_points_in_every_region_province(loaded):
    points = PickupPoint.objects.select_related("address__commune", "address__province")
    per_province = Counter(p.address.province_id for p in points)
    assert set(per_province) == REGION and min(per_province.values()) >= 2
    for point in points:
        assert point.kind == PickupPoint.Kind.POST_OFFICE and point.is_active
        assert point.address.commune.province_id == point.address.province_id
        assert point.name.startswith("Bưu điện ")
        assert phonenumbers.is_valid_number(phonenumbers.parse(point.phone))


def test_photos_were_resized_into_webp_renditions(loaded):
    photos = list(ProductPhoto.objects.all())
    assert len(photos) >= 50
    for photo in photos[:10]:
        assert photo.widths == [160, 320, 400, 640]
        for width in photo.widths:
            assert (loaded["media"] / f"{photo.path_stem}-{width}.webp").stat().st_size > 0


def test_demo_products_are_searchable(loaded):
    page = search_products(query="mat ong bac ha meo vac", log=False)
    assert "Mật ong bạc hà Mèo Vạc" in [card.name for card in page.items]
    old_name = search_products(query="ha giang", log=False)  # pre-2025 province name
    assert old_name.count >= 20


def test_loading_twice_changes_nothing(loaded):
    before = _counts()
    summary = load_demo_data()
    assert _counts() == before
    assert "không tạo thêm" in summary


def test_a_revoked_delegation_stays_revoked(loaded):
    delegation = Delegation.objects.filter(revoked_at__isnull=True, delegate__role=Role.HELPER).first()
    delegation.revoked_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    delegation.save(update_fields=["revoked_at"])
    load_demo_data()
    assert not Delegation.objects.filter(
        producer=delegation.producer, delegate=delegation.delegate, revoked_at__isnull=True
    ).exists()


def test_a_published_fair_with_approved_booths_at_fair_prices(loaded):
    from taybac.campaigns.fair_models import BoothProduct, Fair
    from taybac.campaigns.fair_selectors import status

    fair = Fair.objects.get()
    assert fair.published and status(fair) == "open"
    booths = fair.booths.filter(status="approved")
    assert 2 <= booths.count() <= 3
    prices = BoothProduct.objects.filter(booth__fair=fair).select_related("variant")
    assert prices and all(0 < p.fair_price < p.variant.price for p in prices)
    assert fair.live_sessions.exists()
