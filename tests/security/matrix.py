"""The authorisation matrix: every write path of the hub × every role → what must happen (docs/security.md).

A row is keyed by a URL pattern's name (web pages, admin) or by "METHOD /api/v1/path" from the OpenAPI
document. It builds a real request against producer A's objects (tests/security/conftest.py) and says which
roles are allowed; every other role gets the row's refusal. test_authorisation_matrix.py checks that every write
path has a row, that every row still names a path, and sends each row's request as each role.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from taybac.logistics.senders import district_choices
from taybac.web.order_links import order_url
from tests.api.conftest import jpeg_bytes
from tests.security import assistant_world as aw
from tests.security import fairs_world as fw
from tests.security import identity_world as iw
from tests.security import live_world as lv
from tests.security import pickup_runs_world as pr
from tests.security import vouchers_world as vw
from tests.security import windows_world as ww
from tests.security.buyer_world import (
    ADDRESS_FORM,
    buyer_has_address,
    buyer_shop_order,
    buyers_address,
    deliver_buyers_order,
    return_request_url,
    return_requested,
)
from tests.security.conftest import ATTACKERS, BUYER_KEY, BUYER_PHONE, World


@dataclass(frozen=True)
class Expect:
    """An answer: its status, where a redirect goes, and whether the database must change (or must not)."""

    statuses: tuple[int, ...]
    location: str = ""
    writes: bool = False

    def __str__(self) -> str:
        where = f" → {self.location}" if self.location else ""
        return f"{'/'.join(map(str, self.statuses))}{where}{' (writes)' if self.writes else ''}"


DONE = Expect((200, 201, 302), writes=True)  # allowed, and it did something
SEEN = Expect((200, 201, 302))  # allowed, changes only the session (or nothing)
SIGN_IN = Expect((302,), location="/dang-nhap/")
ADMIN_SIGN_IN = Expect((302,), location="/quan-tri/login/")
TO_SIGNUP = Expect((302,), location="/ban-hang/dang-ky/")
TO_CENTRE = Expect((302,), location="/ban-hang/")
UNAUTHENTICATED = Expect((401,))
FORBIDDEN = Expect((403,))
NOT_FOUND = Expect((404,))  # someone else's order or address: answered as if it did not exist
INVALID = Expect((400,))

SELLERS = ("owner", "helper")  # producer A and the helper A delegated to
EVERYONE = (*ATTACKERS, "owner", "helper", "post_office")
SIGNED_IN = tuple(r for r in EVERYONE if r != "anonymous")


@dataclass(frozen=True)
class Row:
    key: str
    url: Callable[[World], str]
    data: Callable[[World], Any] = lambda w: {}
    allow: Collection[str] = SELLERS
    allowed: Expect = DONE
    refused: Expect = FORBIDDEN
    anonymous: Expect = SIGN_IN
    overrides: Mapping[str, Expect] = field(default_factory=dict)
    method: str = "post"
    json: bool = False
    headers: Callable[[World], dict[str, str]] = lambda w: {}
    before: Callable[[Any, World], None] | None = None  # e.g. fill the cart of this role's session
    check: Callable[[World, str, Any], None] | None = None  # more than the status, e.g. what the body reveals
    own_tenant: bool = False  # allowed roles other than A's act on their own things: A's must stay as they were

    def expect(self, role: str) -> Expect:
        if role in self.overrides:
            return self.overrides[role]
        if role in self.allow:
            return self.allowed
        return self.anonymous if role == "anonymous" else self.refused


def _only_own_data(w: World, role: str, response: Any) -> None:
    """A copy of one's data names nobody else: producer A's owner's phone only in the owner's own copy."""
    owner_phone = w.shop.producer.owner.phone
    assert (owner_phone in response.content.decode()) == (role == "owner"), "the copy shows another's phone"


def _token() -> str:
    return uuid.uuid4().hex


def _today() -> str:
    return datetime.date.today().isoformat()


def _old_district(w: World) -> str:
    """A's shop's pre-2025 district (asked only where its commune spans several)."""
    return district_choices(shop=w.shop)[0].district_code


def _demand_csv() -> bytes:
    """Eight weeks of one series: the smallest file the forecast upload form accepts."""
    rows = [f"che,{datetime.date(2026, 1, 5) + datetime.timedelta(weeks=i)},{i + 1}" for i in range(8)]
    return ("series_id,date,quantity\n" + "\n".join(rows) + "\n").encode()


def _brand_of_a_unchanged(w: World, role: str, response: Any) -> None:
    """B's session writes B's brand page: A's story and photos stay as they were."""
    from taybac.catalog.models import Shop

    shop = Shop.objects.get(pk=w.shop.pk)
    if role not in SELLERS:
        assert shop.story_html == "" and not shop.photos.exists(), f"{role} changed A's brand page"


def _brand_photo(client: Any, w: World) -> None:
    """A photo on A's brand page, added by A."""
    from taybac.catalog.brand import add_shop_photo

    add_shop_photo(actor=w.shop.producer.owner, shop=w.shop, data=jpeg_bytes())


def _brand_photo_url(w: World) -> str:
    return f"/ban-hang/thuong-hieu/anh/{w.shop.photos.get().pk}/xoa/"


def _gi_registered(client: Any, w: World) -> None:
    """A GI whose area (A's province) holds A's commune, registered by the operator."""
    from taybac.catalog.certificates import register_geographical_indication

    register_geographical_indication(
        actor=w.users["operator"], name="Suối Giàng", product_type="Chè Shan tuyết", province_codes=[w.shop.province_id]
    )


def _gi_of_a(w: World) -> int:
    from taybac.catalog.models import GeographicalIndication

    return GeographicalIndication.objects.get(name="Suối Giàng").pk


def _fill_cart(client: Any, w: World) -> None:
    client.post("/gio-hang/sua/", {"variant": w.variant.pk, "quantity": 1, "add": "1"})


def _checkout_form(w: World) -> dict[str, Any]:
    return {
        "token": _token(),
        "tinh": 1,
        "xa": 70,
        "dia_chi": "12 Hàng Bạc",
        "ten": "Lan",
        "sdt": "0987654321",
        "thanh_toan": "cod",
    }


def _capture_document(w: World) -> dict[str, Any]:
    """An inspection "failed" on A's lot: the event issue 10 item 1 saw a stranger append."""
    lot_uri = f"https://id.gs1.org/01/{w.variant.gtin.zfill(14)}/10/{w.lot.code}"
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2025-09-01T07:30:00+07:00",
        "epcisBody": {
            "eventList": [
                {
                    "type": "ObjectEvent",
                    "eventTime": "2025-09-01T07:30:00+07:00",
                    "eventTimeZoneOffset": "+07:00",
                    "action": "OBSERVE",
                    "bizStep": "inspecting",
                    "disposition": "non_conformant",
                    "quantityList": [{"epcClass": lot_uri, "quantity": 1}],
                }
            ]
        },
    }


def _no_other_callers_order(w: World, role: str, response: Any) -> None:
    """Idempotency keys are per caller: the buyer's key replays the buyer's order to the buyer only."""
    code = response.json().get("code")
    assert (code == w.buyer_order.code) == (role == "buyer"), f"{role} got order {code}"


def _buyer_line(w: World) -> Any:
    return w.buyer_order.shop_orders.get().lines.get()


def _delivered(client: Any, w: World) -> None:
    """The buyer's order of A's tea delivered: the buyer may review its line."""
    from tests.reviews.purchases import deliver

    deliver(w.buyer_order.shop_orders.select_related("order", "shop__producer__owner").get())


def _reviewed(client: Any, w: World) -> None:
    """…and reviewed by the buyer: the review sellers answer and others report."""
    from taybac.reviews.services import write_review

    _delivered(client, w)
    write_review(actor=w.users["buyer"], line_id=_buyer_line(w).pk, stars=2, text="Giao chậm.")


def _review_url(w: World, tail: str) -> str:
    from taybac.reviews.models import Review

    return f"{Review.objects.get(order_line=_buyer_line(w)).pk}/{tail}"


def _booked(client: Any, w: World) -> None:
    """A's confirmed order booked on the hub network by its owner: the shipment sellers may cancel."""
    from taybac.logistics.shipments import book_shipment

    book_shipment(actor=w.shop.producer.owner, shop_order=w.shop_order)


def _shipment_url(w: World, tail: str) -> str:
    from taybac.logistics.shipments import live_shipment

    shipment = live_shipment(shop_order=w.shop_order)
    assert shipment is not None
    return f"/ban-hang/van-don/{shipment.pk}/{tail}"


def _shop_post_office(client: Any, w: World) -> None:
    """The post office of A's commune, where `post_office` (staff of Y) also works: A's parcels are dropped there."""
    from taybac.regions.models import PickupPoint
    from taybac.regions.services import create_address

    point = PickupPoint.objects.filter(code="BD-A").first() or PickupPoint.objects.create(
        code="BD-A",
        name="Bưu điện xã của A",
        address=create_address(province_code=w.shop.province_id, commune_code=w.shop.commune_id, street="Trung tâm"),
    )
    point.staff.add(w.users["post_office"])


def _drop_form(w: World) -> dict[str, Any]:
    from taybac.regions.models import PickupPoint

    return {"diem": PickupPoint.objects.get(code="BD-A").pk}


ROWS: list[Row] = [
    # --- insights: the forecast upload form; officers, operators and anyone managing a producer, each their own ---
    Row(
        "forecast-uploads",
        lambda w: "/so-lieu/du-bao/",
        lambda w: {"file": SimpleUploadedFile("d.csv", _demand_csv(), content_type="text/csv"), "horizon": 4},
        allow=(*SELLERS, "other_producer", "operator"),
        own_tenant=True,
    ),
    # --- storefront: anyone, signed in or not ---
    Row(
        "order-cart-set",
        lambda w: "/gio-hang/sua/",
        lambda w: {"variant": w.variant.pk, "quantity": 1, "add": "1"},
        allow=EVERYONE,
        allowed=Expect((302,), location="/gio-hang/"),
        anonymous=Expect((302,), "/gio-hang/"),
    ),
    Row("order-cart", lambda w: "/gio-hang/", _checkout_form, allow=EVERYONE, anonymous=DONE, before=_fill_cart),
    Row("signin", lambda w: "/dang-nhap/", lambda w: {"phone": "0978123456"}, allow=EVERYONE, anonymous=DONE),
    Row(
        "signin-code",
        lambda w: "/dang-nhap/ma/",
        lambda w: {"code": "123456"},
        allow=EVERYONE,
        allowed=Expect((302,), location="/dang-nhap/"),
        anonymous=Expect((302,), location="/dang-nhap/"),
    ),
    Row("signout", lambda w: "/dang-xuat/", allow=EVERYONE, allowed=SEEN, anonymous=SEEN),
    # --- post office: staff of the order's pickup point only ---
    Row("pickup-receive", lambda w: f"/buu-dien/don/{w.coming.pk}/da-nhan/", allow=("post_office",)),
    Row(
        "pickup-hand-over",
        lambda w: f"/buu-dien/don/{w.waiting.pk}/da-giao/",
        lambda w: {"thu": str(w.waiting.total)},
        allow=("post_office",),
    ),
    # --- pickup runs: that post office's staff, the cooperative's people; operators name the owner ---
    Row(
        "pickup-run-office",
        lambda w: "/buu-dien/chuyen-lay-hang/",
        pr.office_form,
        allow=("post_office", "operator"),
        before=pr.parcel_near_y,
    ),
    Row("pickup-run-office-collected", pr.office_stop_url, allow=("post_office", "operator"), before=pr.office_run),
    Row(
        "pickup-run-coop",
        lambda w: "/ban-hang/chuyen-lay-hang/",
        pr.coop_form,
        allow=(*SELLERS, "operator"),
        before=pr.a_is_cooperative,
    ),
    Row("pickup-run-coop-collected", pr.coop_stop_url, allow=(*SELLERS, "operator"), before=pr.coop_run),
    # --- seller centre ---
    Row(
        "seller-switch",
        lambda w: "/ban-hang/chon/",
        lambda w: {"producer": w.shop.producer_id},
        allowed=Expect((302,), location="/ban-hang/"),
    ),
    # Anyone signed in without a producer may open a shop (their own); producers already have one.
    Row(
        "seller-signup",
        lambda w: "/ban-hang/dang-ky/",
        lambda w: {"tinh": 15, "name": "Hộ Sùng A Chớ", "kind": "household", "commune": w.shop.commune_id},
        allow=(
            "buyer",
            "helper_without_delegation",
            "revoked_helper",
            "other_post_office",
            "operator",
            "helper",
            "post_office",
        ),
        overrides={"owner": TO_CENTRE, "other_producer": TO_CENTRE},
        own_tenant=True,
    ),
    # Creates in the shop the caller acts for: B's own shop for B (A's is checked untouched), none for others.
    Row(
        "seller-product-new",
        lambda w: "/ban-hang/san-pham/moi/",
        lambda w: {
            "name": "Chè xanh",
            "category": w.product.category_id,
            "price": "120.000",
            "quantity": 5,
            "unit": "gói",
            "weight_grams": 200,
        },
        allow=(*SELLERS, "other_producer"),
        refused=TO_SIGNUP,
        own_tenant=True,
    ),
    Row(
        "seller-product-photos",
        lambda w: f"/ban-hang/san-pham/{w.product.pk}/anh/",
        lambda w: {"photos": SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg")},
    ),
    Row(
        "seller-product-details",
        lambda w: f"/ban-hang/san-pham/{w.product.pk}/",
        lambda w: {
            "name": "Chè Shan tuyết cổ thụ",
            "category": w.product.category_id,
            "description": "",
            "is_active": "on",
        },
    ),
    Row(
        "seller-variant-new",
        lambda w: f"/ban-hang/san-pham/{w.product.pk}/phan-loai/moi/",
        lambda w: {"name": "Gói 500 g", "unit": "gói", "weight_grams": 500, "price": "250.000", "quantity": 3},
    ),
    Row("seller-photo-remove", lambda w: f"/ban-hang/anh/{w.photo.pk}/xoa/", lambda w: {"xac_nhan": "1"}),
    Row("seller-variant-stock", lambda w: f"/ban-hang/phan-loai/{w.variant.pk}/ton-kho/", lambda w: {"quantity": 77}),
    Row(
        "seller-variant-quota",
        lambda w: f"/ban-hang/phan-loai/{w.variant.pk}/dat-truoc/",
        lambda w: {"harvest_quota": 9},
    ),
    # The sender's address of the shop the caller acts for, none for others. B acts on B's own shop, whose
    # commune spans other old districts: A's district is refused there (400) and A's address stays as it was.
    Row(
        "seller-sender-address",
        lambda w: "/ban-hang/dia-chi-gui-hang/",
        lambda w: {
            "street": "Thôn Lao Chải",
            "legacy_district_code": _old_district(w),
            "latitude": "",
            "longitude": "",
        },
        refused=TO_SIGNUP,
        overrides={"other_producer": INVALID},
        own_tenant=True,
    ),
    # Owners grant on their own shop (B on B's); helpers never grant.
    Row(
        "seller-delegations",
        lambda w: "/ban-hang/uy-quyen/",
        lambda w: {"phone": w.users["helper_without_delegation"].phone},
        allow=("owner", "other_producer"),
        own_tenant=True,
    ),
    Row(
        "seller-delegation-revoke",
        lambda w: f"/ban-hang/uy-quyen/{w.delegation.pk}/thu-hoi/",
        lambda w: {"xac_nhan": "1"},
        allow=("owner",),
    ),
    # --- vouchers: a shop's own (B's for B; others have no shop: sign-up), the hub's for operators ---
    Row(
        "seller-vouchers",
        lambda w: "/ban-hang/ma-giam-gia/",
        vw.form,
        allow=(*SELLERS, "other_producer"),
        refused=TO_SIGNUP,
        own_tenant=True,
    ),
    Row(
        "seller-voucher-stop",
        vw.stop_url("ban-hang"),
        before=vw.shop_voucher,
        refused=TO_SIGNUP,
        overrides={"other_producer": NOT_FOUND},
    ),
    Row("operator-vouchers", lambda w: "/van-hanh/ma-giam-gia/", vw.form, allow=("operator",)),
    Row("operator-voucher-stop", vw.stop_url("van-hanh"), allow=("operator",), before=vw.hub_voucher),
    # The identity of the shop the caller acts for (B's own for B); others have no shop and go to sign-up.
    Row(
        "seller-identity",
        lambda w: "/ban-hang/danh-tinh/",
        iw.identity_form,
        allow=(*SELLERS, "other_producer"),
        refused=TO_SIGNUP,
        own_tenant=True,
        check=iw.identity_written_for_own_shop,
    ),
    Row("seller-order-step", lambda w: f"/ban-hang/don-hang/{w.shop_order.pk}/", lambda w: {"to": "packed"}),
    # shipments (docs/logistics.md "Shipments and labels"): the shop's managers book and cancel; the post office of
    # the shop's commune takes a hub-network parcel in (the world's Y staff also work there; X's do not)
    Row("seller-shipment-new", lambda w: f"/ban-hang/don-hang/{w.shop_order.pk}/van-don/"),
    Row("seller-shipment-cancel", lambda w: _shipment_url(w, "huy/"), before=_booked),
    Row(
        "pickup-drop",
        lambda w: f"/buu-dien/nhan-gui/{w.shop_order.pk}/",
        _drop_form,
        allow=("post_office",),
        before=_shop_post_office,
    ),
    # The variant must be one of the acting producer's: B naming A's variant is refused by the form.
    Row(
        "seller-lot-new",
        lambda w: "/ban-hang/lo-hang/moi/",
        lambda w: {
            "token": _token(),
            "variant": w.variant.pk,
            "harvested_on": _today(),
            "quantity": 30,
            "unit": "kg",
            "province": w.shop.province_id,
            "commune": w.shop.commune_id,
        },
        refused=TO_SIGNUP,
        overrides={"other_producer": INVALID},
    ),
    Row(
        "seller-lot-process",
        lambda w: f"/ban-hang/lo-hang/{w.lot.pk}/che-bien/",
        lambda w: {
            "token": _token(),
            "variant": w.variant.pk,
            "produced_on": _today(),
            "quantity": 10,
            "unit": "",
            f"used_{w.lot.pk}": 20,
        },
    ),
    Row(
        "seller-lot-pack",
        lambda w: f"/ban-hang/lo-hang/{w.lot.pk}/dong-thung/",
        lambda w: {"token": _token(), "cartons": 2, "per_carton": 5},
    ),
    Row(
        "seller-lot-inspect",
        lambda w: f"/ban-hang/lo-hang/{w.lot.pk}/kiem-tra/",
        lambda w: {"token": _token(), "passed": "0", "inspector": "Tổ kiểm soát", "note": ""},
    ),
    Row(  # "Báo sai" the lot's harvest: its error declaration and corrective event (traceability.declare)
        "seller-lot-declare",
        lambda w: f"/ban-hang/lo-hang/{w.lot.pk}/su-kien/{w.lot.events.order_by('leaf_index')[0].leaf_index}/bao-sai/",
        lambda w: {"token": _token(), "reason": "incorrect_data", "explanation": "Cân nhầm", "quantity": 4},
    ),
    # --- reviews: the buyer of a delivered line writes; A's sellers reply; anyone signed in but the author reports ---
    Row(
        "reviews-write",
        lambda w: f"/danh-gia/viet/{_buyer_line(w).pk}/",
        lambda w: {"stars": 5, "text": "Chè thơm."},
        allow=("buyer",),
        refused=Expect((404,)),
        before=_delivered,
    ),
    Row(
        "reviews-reply",
        lambda w: "/ban-hang/danh-gia/" + _review_url(w, "tra-loi/"),
        lambda w: {"reply": "Xin lỗi anh chị."},
        before=_reviewed,
    ),
    Row(
        "reviews-report",
        lambda w: "/danh-gia/" + _review_url(w, "bao-cao/"),
        lambda w: {"reason": "offensive"},
        allow=tuple(role for role in EVERYONE if role not in ("anonymous", "buyer")),
        overrides={"buyer": INVALID},
        before=_reviewed,
    ),
    Row(
        "POST /api/v1/reviews",
        lambda w: "/api/v1/reviews",
        lambda w: {"order_line_id": _buyer_line(w).pk, "stars": 4},
        json=True,
        allow=("buyer",),
        refused=Expect((404,)),
        anonymous=UNAUTHENTICATED,
        before=_delivered,
    ),
    # --- brand pages (docs/selling-events.md): story, place and photos are the seller's (B writes B's own);
    # OCOP decisions and GI links are operators' here, officers' of the product's province in tests/web/brand ---
    Row(
        "seller-brand",
        lambda w: "/ban-hang/thuong-hieu/",
        lambda w: {"story": "Chè cổ thụ trên đỉnh Suối Giàng.", "latitude": "21.6", "longitude": "104.5"},
        allow=(*SELLERS, "other_producer"),
        refused=TO_SIGNUP,
        own_tenant=True,
        check=_brand_of_a_unchanged,
    ),
    Row(
        "seller-brand-photos",
        lambda w: "/ban-hang/thuong-hieu/anh/",
        lambda w: {"photos": SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg")},
        allow=(*SELLERS, "other_producer"),
        refused=TO_SIGNUP,
        own_tenant=True,
        check=_brand_of_a_unchanged,
    ),
    Row(
        "seller-brand-photo-remove",
        _brand_photo_url,
        lambda w: {"xac_nhan": "1"},
        before=_brand_photo,
    ),
    Row(
        "officer-ocop",
        lambda w: f"/can-bo/chung-nhan/san-pham/{w.product.pk}/ocop/",
        lambda w: {
            "stars": 4,
            "number": "OCOP-117",
            "decision_number": "1234/QĐ-UBND",
            "decision_date": "2025-03-18",
            "decision_body": "UBND tỉnh Lào Cai",
            "issued_on": "2025-03-20",
            "expires_on": "2028-03-20",
        },
        allow=("operator",),
    ),
    Row(
        "officer-gi",
        lambda w: f"/can-bo/chung-nhan/san-pham/{w.product.pk}/chi-dan-dia-ly/",
        lambda w: {"gi": _gi_of_a(w)},
        allow=("operator",),
        before=_gi_registered,
    ),
    # The record that a month's tax declaration was filed: operators only (compliance/declaration.py).
    Row(
        "operator-tax-filed",
        lambda w: "/van-hanh/thue/2025-08/da-nop/",
        lambda w: {"reference": "HS-0825"},
        allow=("operator",),
    ),
    # --- operator admin: staff only (Django's admin); one representative write ---
    Row(
        "admin:catalog_productphoto_delete",
        lambda w: f"/quan-tri/catalog/productphoto/{w.photo.pk}/delete/",
        lambda w: {"post": "yes"},
        allow=("operator",),
        refused=ADMIN_SIGN_IN,
        anonymous=ADMIN_SIGN_IN,
    ),
    # --- JSON API (keys from /api/v1/openapi.json) ---
    Row(
        "PATCH /api/v1/seller/variants/{id}",
        lambda w: f"/api/v1/seller/variants/{w.variant.pk}",
        lambda w: {"price": 123_000},
        method="patch",
        json=True,
        anonymous=UNAUTHENTICATED,
    ),
    Row(
        "POST /api/v1/seller/shops/{slug}/products",
        lambda w: f"/api/v1/seller/shops/{w.shop.slug}/products",
        lambda w: {"name": "Chè xanh", "category": "che", "price": 90_000, "quantity": 4, "weight_grams": 100},
        json=True,
        anonymous=UNAUTHENTICATED,
    ),
    # Everyone may buy; the buyer's Idempotency-Key replays the buyer's order to the buyer and to no one else.
    Row(
        "POST /api/v1/checkout",
        lambda w: "/api/v1/checkout",
        lambda w: w.checkout_body,
        json=True,
        allow=EVERYONE,
        anonymous=DONE,
        overrides={"buyer": Expect((200, 201))},
        headers=lambda w: {"Idempotency-Key": BUYER_KEY},
        check=_no_other_callers_order,
    ),
    Row(
        "POST /api/v1/cart/quote",
        lambda w: "/api/v1/cart/quote",
        lambda w: {"lines": w.checkout_body["lines"]},
        json=True,
        allow=EVERYONE,
        allowed=SEEN,
        anonymous=SEEN,
    ),
    # The buyer assistant answers anyone (every channel calls it anonymously); it keeps only the caller's own
    # conversation (docs/assistant.md).
    Row(
        "POST /api/v1/assistant/messages",
        lambda w: "/api/v1/assistant/messages",
        lambda w: {"conversation": "matrix-1", "text": "mật ong giá bao nhiêu"},
        json=True,
        allow=EVERYONE,
        anonymous=DONE,
    ),
    # The site's chat (/tro-ly/): anyone talks to the assistant and deletes their own conversation (the session's).
    Row(
        "assistant-chat", lambda w: "/tro-ly/", lambda w: {"text": "chè giá bao nhiêu"}, allow=EVERYONE, anonymous=DONE
    ),
    Row("assistant-forget", lambda w: "/tro-ly/quen/", allow=EVERYONE, anonymous=DONE, before=aw.buyer_conversation),
    # The inboxes: A's people answer conversations about A's shop (B's session: a 404, as if absent); operators any.
    *(
        Row(
            f"seller-inbox-{action}",
            aw.seller_url(suffix),
            lambda w: {"text": "Dạ còn hàng ạ"},
            refused=TO_SIGNUP,
            overrides={"other_producer": NOT_FOUND},
            before=before,
        )
        for action, suffix, before in (
            ("take-over", "tiep-nhan/", aw.conversation),
            ("reply", "tra-loi/", aw.conversation),
            ("hand-back", "tra-lai/", aw.taken_over),
        )
    ),
    *(
        Row(
            f"operator-inbox-{action}",
            aw.operator_url(suffix),
            lambda w: {"text": "Tây Bắc Hub xin trả lời"},
            allow=("operator",),
            before=before,
        )
        for action, suffix, before in (
            ("take-over", "tiep-nhan/", aw.conversation),
            ("reply", "tra-loi/", aw.conversation),
            ("hand-back", "tra-lai/", aw.taken_over),
        )
    ),
    # Only the payment provider (its API key) may report a transfer; no session, not even an operator's.
    Row(
        "POST /api/v1/payments/notifications/{provider}",
        lambda w: "/api/v1/payments/notifications/sepay",
        lambda w: {"id": 1, "transferAmount": w.shop_order.total, "transferType": "in", "content": w.shop_order.code},
        json=True,
        allow=(),
        refused=UNAUTHENTICATED,
        anonymous=UNAUTHENTICATED,
    ),
    # A seller session captures only on lots of producers it manages; operators are not limited.
    Row(
        "POST /api/v1/epcis/capture",
        lambda w: "/api/v1/epcis/capture",
        _capture_document,
        json=True,
        allow=(*SELLERS, "operator"),
        anonymous=UNAUTHENTICATED,
    ),
    # --- the buyer's own orders and addresses (web/views_buyer.py); the shop answers returns ---
    Row(  # the right code + phone goes to a signed link, for anyone: the form itself proves nothing more
        "order-track",
        lambda w: "/tra-cuu/",
        lambda w: {"ma": w.buyer_order.code, "sdt": BUYER_PHONE},
        allow=EVERYONE,
        allowed=Expect((302,), location="/don-hang/"),
        anonymous=Expect((302,), location="/don-hang/"),
    ),
    Row(
        "buyer-cancel",
        lambda w: f"/don-hang/{w.buyer_order.code}/huy/{buyer_shop_order(w).code}/",
        lambda w: {"reason": "Đặt nhầm"},
        allow=("buyer",),
        refused=NOT_FOUND,
        anonymous=NOT_FOUND,
    ),
    Row(
        "buyer-return",
        lambda w: f"/don-hang/{w.buyer_order.code}/tra-hang/{buyer_shop_order(w).code}/",
        lambda w: {"reason": "Hàng bị dập khi giao"},
        allow=("buyer",),
        refused=NOT_FOUND,
        anonymous=NOT_FOUND,
        before=deliver_buyers_order,
    ),
    Row(
        "seller-return-answer",
        return_request_url,
        lambda w: {"accept": "1"},
        refused=NOT_FOUND,
        before=return_requested,
    ),
    Row(
        "buyer-addresses",
        lambda w: "/dia-chi/",
        lambda w: ADDRESS_FORM,
        allow=tuple(r for r in EVERYONE if r != "anonymous"),
        own_tenant=True,
    ),
    Row(
        "buyer-address-edit",
        lambda w: f"/dia-chi/{buyers_address(w)}/",
        lambda w: {**ADDRESS_FORM, "street": "1 Tràng Tiền"},
        allow=("buyer",),
        refused=NOT_FOUND,
        before=buyer_has_address,
    ),
    Row(
        "buyer-address-default",
        lambda w: f"/dia-chi/{buyers_address(w)}/mac-dinh/",
        allow=("buyer",),
        refused=NOT_FOUND,
        before=buyer_has_address,
    ),
    Row(
        "buyer-address-delete",
        lambda w: f"/dia-chi/{buyers_address(w)}/xoa/",
        allow=("buyer",),
        refused=NOT_FOUND,
        before=buyer_has_address,
    ),
    # Carriers' status webhooks: no session counts, only the secret in the URL (tests/web/test_webhooks.py posts
    # with the right one). With a wrong secret every role is refused without detail and nothing is written:
    # 403 when the carrier is configured, 404 when it is not (as here).
    Row(
        "carrier-webhook",
        lambda w: "/webhooks/van-chuyen/ghn/not-the-secret/",
        lambda w: {"ShopID": 885, "Type": "switch_status", "OrderCode": w.shop_order.code, "Status": "delivered"},
        allow=(),
        json=True,
        refused=Expect((403, 404)),
        anonymous=Expect((403, 404)),
    ),
    # The assistant's Zalo and Messenger webhooks: only the channel's signature over the body counts, no session
    # (tests/assistant/test_zalo_webhook.py, test_messenger_webhook.py sign with the right keys). A wrong signature
    # is 403 when the channel is configured, 404 when it is not (as here); nothing is written either way.
    Row(
        "zalo-webhook",
        lambda w: "/webhooks/zalo/",
        lambda w: {"event_name": "user_send_text", "timestamp": "1", "sender": {"id": "1"}, "message": {"text": "hi"}},
        allow=(),
        json=True,
        headers=lambda w: {"X-ZEvent-Signature": "mac=" + "0" * 64},
        refused=Expect((403, 404)),
        anonymous=Expect((403, 404)),
    ),
    Row(
        "messenger-webhook",
        lambda w: "/webhooks/messenger/",
        lambda w: {"object": "page", "entry": []},
        allow=(),
        json=True,
        headers=lambda w: {"X-Hub-Signature-256": "sha256=" + "0" * 64},
        refused=Expect((403, 404)),
        anonymous=Expect((403, 404)),
    ),
    # --- live selling (docs/selling-events.md): anyone chats and orders on the page; A's people run the session ---
    Row(
        "live-chat",
        lv.page_url("binh-luan/"),
        lambda w: {"name": "Lan", "text": "Chè thơm quá"},
        allow=EVERYONE,
        anonymous=DONE,
        before=lv.live,
    ),
    Row(
        "live-order",
        lv.page_url("dat-hang/"),
        lambda w: {
            "product": lv.first_product(w),
            "quantity": 1,
            "name": "Lan",
            "phone": "0987654321",
            "payment_method": "cod",
            "pickup_point": "BD-LIVE",
        },
        allow=EVERYONE,
        anonymous=DONE,
        before=lv.live,
    ),
    # nginx-rtmp's callback: the stream key decides, not the caller; it answers and writes nothing
    Row(
        "live-rtmp-publish",
        lambda w: "/truc-tiep/rtmp/publish/",
        lambda w: {"name": lv.stream_key(w), "call": "publish"},
        allow=EVERYONE,
        allowed=Expect((302,)),
        anonymous=Expect((302,)),
        before=lv.scheduled,
    ),
    Row(
        "seller-live",
        lambda w: "/ban-hang/truc-tiep/",
        lambda w: {"title": "Chè mới", "scheduled_start": "", "variants": [w.variant.pk]},
        refused=TO_SIGNUP,
        overrides={"other_producer": Expect((302,), location="/ban-hang/truc-tiep/")},  # only its own variants
        own_tenant=True,
    ),
    Row(
        "seller-live-start",
        lv.session_url("phat/"),
        lambda w: {"link": "https://www.youtube.com/live/dQw4w9WgXcQ"},
        before=lv.scheduled,
    ),
    Row("seller-live-key", lv.session_url("doi-khoa/"), before=lv.scheduled),
    Row(
        "seller-live-pin",
        lv.session_url("ghim/"),
        lambda w: {"product": lv.first_product(w), "live_price": "100.000"},
        before=lv.live,
    ),
    Row(
        "seller-live-hide",
        lv.session_url("an-tin/"),
        lambda w: {"message": lv.message(w)},
        before=lv.live_with_order_comment,
    ),
    Row(
        "seller-live-draft",
        lv.session_url("don-nhap/"),
        lambda w: {"draft": lv.draft(w), "pickup_point": "BD-LIVE", "payment_method": "cod"},
        before=lv.live_with_order_comment,
    ),
    Row("seller-live-end", lv.session_url("ket-thuc/"), before=lv.live),
    # --- harvest sales windows (docs/selling-events.md): anyone pre-orders, a choice link's holder chooses ---
    Row("window-preorder", ww.page_url("dat/"), ww.preorder_form, allow=EVERYONE, anonymous=DONE, before=ww.open_),
    Row(
        "window-choose",
        ww.choice_url,
        lambda w: {"choice": "refund"},
        allow=EVERYONE,
        anonymous=DONE,
        before=ww.harvested_short,
    ),
    Row(
        "seller-windows",
        lambda w: "/ban-hang/dat-truoc/",
        ww.open_form,
        refused=TO_SIGNUP,
        overrides={"other_producer": Expect((302,), location="/ban-hang/dat-truoc/")},  # only its own variants
        own_tenant=True,
        before=ww.takes_preorders,
    ),
    Row("seller-window-edit", ww.window_url("sua/"), ww.edit_form, before=ww.open_),
    Row("seller-window-close", ww.window_url("dong/"), before=ww.open_),
    Row("seller-window-cancel", ww.window_url("huy/"), lambda w: {"confirm": "yes"}, before=ww.open_),
    Row("seller-window-harvest", ww.window_url("thu-hoach/"), lambda w: {"harvested_quantity": 3}, before=ww.open_),
    Row("seller-preorder-cancel", ww.preorder_cancel_url, before=ww.with_preorder),
    # --- online fairs (docs/selling-events.md): operators organise here (officers of the fair's provinces in
    # tests/campaigns/test_fairs.py); A's sellers apply and schedule; anyone orders from an approved booth ---
    Row("fair-organiser", lambda w: "/to-chuc/hoi-cho/", fw.create_form, allow=("operator",)),
    Row("fair-publish", fw.fair_url("cong-bo/"), allow=("operator",), before=fw.draft),
    Row("fair-edit", fw.fair_url("sua/"), fw.create_form, allow=("operator",), before=fw.draft),
    Row("fair-decide", fw.decide_url, lambda w: {"approve": "1"}, allow=("operator",), before=fw.applied),
    Row(
        "seller-fairs",
        lambda w: "/ban-hang/hoi-cho/",
        fw.apply_form,
        refused=TO_SIGNUP,
        overrides={"other_producer": Expect((302,), location="/ban-hang/hoi-cho/")},  # not their province's fair
        own_tenant=True,
        before=fw.published,
    ),
    Row("seller-fair-withdraw", fw.booth_url("rut/"), before=fw.applied),
    Row(
        "seller-fair-live",
        fw.booth_url("truc-tiep/"),
        lambda w: {"session": fw.session_id(w)},
        before=fw.approved_with_session,
    ),
    Row(
        "fair-booth-order",
        fw.booth_order_url,
        lambda w: {
            "product": fw.first_item(w),
            "quantity": 1,
            "name": "Lan",
            "phone": "0987654321",
            "payment_method": "cod",
            "pickup_point": "BD-FAIR",
        },
        allow=EVERYONE,
        anonymous=DONE,
        before=fw.approved,
    ),
    # --- share links: A's sellers make links to A's pages; B's session may only link B's own pages ---
    Row(
        "seller-share",
        lambda w: "/ban-hang/chia-se/",
        lambda w: {"target": f"shop:{w.shop.pk}", "campaign": "tet-2027", "channel": "zalo"},
        refused=TO_SIGNUP,
        overrides={"other_producer": Expect((302,), location="/ban-hang/chia-se/")},
        own_tenant=True,
    ),
    # Personal data (web/views_privacy.py): each signed-in person acts on their own data only.
    Row(
        "privacy-consent",
        lambda w: "/tai-khoan/du-lieu/dong-y/",
        lambda w: {"dong_y": "on"},
        allow=SIGNED_IN,
        own_tenant=True,
    ),
    Row(
        "privacy-download",
        lambda w: "/tai-khoan/du-lieu/tai-ve/",
        allow=SIGNED_IN,
        own_tenant=True,
        check=_only_own_data,
    ),
    Row(
        "privacy-delete",
        lambda w: "/tai-khoan/du-lieu/xoa/",
        allow=SIGNED_IN,
        # refused with what blocks it (recorded as a refused request): A's shop has open orders; staff accounts
        # are deleted by the hub's administrators
        overrides={"owner": Expect((400,), writes=True), "operator": Expect((400,), writes=True)},
        own_tenant=True,
    ),
    Row(
        "privacy-delete-confirm",
        lambda w: "/tai-khoan/du-lieu/xoa/xac-nhan/",
        lambda w: {"ma": "123456"},
        allow=SIGNED_IN,
        allowed=Expect((302,), location="/tai-khoan/du-lieu/"),  # no deletion asked for: nothing to confirm
    ),
]

# Patterns that accept POST but only read (their view does not restrict methods); the test proves a POST to
# them changes nothing. Name → a URL of A's world.
READ_ONLY: dict[str, Callable[[World], str]] = {
    "seller-home": lambda w: "/ban-hang/",
    "seller-activity": lambda w: "/ban-hang/nhat-ky/",
    "seller-orders": lambda w: "/ban-hang/don-hang/",
    "seller-lots": lambda w: "/ban-hang/lo-hang/",
    "pickup-home": lambda w: "/buu-dien/",
    "order-page": lambda w: order_url(w.buyer_order.code),
    "order-receipt": lambda w: order_url(w.buyer_order.code, shop_code=w.buyer_order.shop_orders.get().code),
    "seller-returns": lambda w: "/ban-hang/tra-hang/",
    "order-mine": lambda w: "/don-mua/",
    "media/<path:path>": lambda w: w.photo.thumb,
    "log/^(?P<path>.*)$": lambda w: "/log/nothing-here",  # the log's JSON 404
    "api/v1/^(?P<path>.*)$": lambda w: "/api/v1/nothing-here",  # the API's JSON 404
}

# (row key, role) pairs whose intended answer depends on a fix another engineer is landing now: reported as
# xfail with the reason until it lands, then as a failure ("remove it from PENDING") so the list stays honest.
PENDING: dict[tuple[str, str], str] = {}
