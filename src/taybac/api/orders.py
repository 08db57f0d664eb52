"""Checkout and order status: `POST /checkout` with an Idempotency-Key, `GET /orders/{code}?phone=`."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from annotated_types import Ge, Le
from django.http import HttpRequest
from ninja import Field, Header, Path, Query, Router, Schema, Status
from ninja.utils import check_csrf
from pydantic import BaseModel, ConfigDict, model_validator

from taybac.accounts.http import signed_in_user
from taybac.api.errors import ERRORS, ErrorOut, NotFound, error_payload, refusals
from taybac.api.presenters import order_out, pickup_point_out, shipping_option
from taybac.api.schemas import JSON_INTEGER, JsonInt, ShippingChoiceIn, ShippingOptionOut, ShopOrderShippingOut
from taybac.orders.checkout import AddressInput, Contact, LineRequest, place
from taybac.orders.codes import ALPHABET, PREFIX
from taybac.orders.idempotency import IdempotencyKeyReused
from taybac.orders.quote import quote_cart
from taybac.payments.selectors import OrderDue, order_due, order_due_for_buyer

router = Router(tags=["orders"])
CODE_PATTERN = f"^{PREFIX}[{ALPHABET}]{{8}}$"


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LineIn(Body):
    variant_id: JsonInt = Field(..., ge=1, le=2_147_483_647)
    quantity: JsonInt = Field(..., ge=1, le=999, description='A JSON integer: not true, not "2".')


class ContactIn(Body):
    name: str = Field(..., min_length=1, max_length=120)
    phone: str = Field(..., min_length=1, max_length=20, description="Vietnamese mobile number, any usual format.")
    email: str = Field("", max_length=254, description="Optional; order e-mails are sent here as well as SMS.")


class AddressIn(Body):
    province_code: JsonInt = Field(..., ge=1, le=2_147_483_647)
    commune_code: JsonInt = Field(..., ge=1, le=2_147_483_647)
    street: str = Field(..., min_length=1, max_length=200)


class CheckoutIn(Body):
    """Delivery to `delivery_address` or collection at `pickup_point`: one of them (both: 422; neither: 400)."""

    model_config = ConfigDict(
        json_schema_extra={
            "not": {
                "required": ["delivery_address", "pickup_point"],
                "properties": {"delivery_address": {"type": "object"}, "pickup_point": {"type": "string"}},
            }
        }
    )
    lines: list[LineIn] = Field(..., min_length=1, max_length=50)
    contact: ContactIn
    delivery_address: AddressIn | None = None
    pickup_point: str | None = Field(None, max_length=32, description="Code of a commune post office pickup point.")
    payment_method: Literal["vietqr", "cod"]
    shipping_choices: list[ShippingChoiceIn] = Field(
        default_factory=list,
        max_length=50,
        description="The option chosen per shop (`id` of one of the shop's `options` in POST /cart/quote, quoted "
        "with the same destination and payment method); a shop left out gets the default, the hub network's "
        "cheapest. A choice no longer offered is refused (409) and nothing is kept.",
    )
    expected_total: Annotated[int, Ge(0), Le(10**15), JSON_INTEGER] | None = Field(
        None,
        description="The grand total the buyer was shown (`total` of POST /cart/quote for the same cart and "
        "destination). When given, an order that would charge anything else is refused (409) and nothing is kept.",
    )
    voucher: str | None = Field(
        None,
        max_length=40,
        description="A voucher code (mã giảm giá, 3–20 characters A–Z, 0–9, '-', any case). A hub voucher is split "
        "across the shop orders in proportion to their goods; a shop's applies to that shop's order; shipping is "
        "never discounted. A code that does not apply is refused (400, field `voucher`) and nothing is kept.",
    )

    @model_validator(mode="after")
    def _address_or_pickup(self) -> CheckoutIn:
        if self.delivery_address is not None and self.pickup_point is not None:
            raise ValueError("choose either a delivery address or a pickup point, not both")
        return _one_choice_per_shop(self)


def _one_choice_per_shop(body: CheckoutIn | QuoteIn) -> Any:
    shops = [c.shop_id for c in body.shipping_choices]
    if len(shops) != len(set(shops)):
        raise ValueError("shipping_choices: one choice per shop_id")
    return body


class TransferOut(Schema):
    bank_bin: str
    bank_name: str
    account_number: str
    account_name: str
    amount: int
    memo: str
    vietqr: str = Field(..., description="EMVCo/NAPAS VietQR payload to render as a QR code.")


class PaymentOut(Schema):
    method: str
    paid: int
    due: int
    vietqr: str | None
    transfer: TransferOut | None


class LineOut(Schema):
    variant_id: int
    product_name: str
    variant_name: str
    unit_price: int
    quantity: int
    line_total: int


class ShopOrderOut(Schema):
    code: str
    shop: str
    status: str
    items_total: int
    shipping_fee: int
    shipping: ShopOrderShippingOut = Field(..., description="The shipping option chosen at checkout.")
    discount: int = Field(..., description="This shop order's part of the voucher, off its goods.")
    total: int
    reserved_until: datetime.datetime | None
    lines: list[LineOut]
    payment: PaymentOut


class PickupPointOut(Schema):
    code: str
    name: str
    address: str = Field(..., description="Street, commune.")
    opening_hours: str


class CheckoutPaymentOut(Schema):
    """One payment for the whole checkout: the hub collects as the marketplace's agent and splits it across
    the shop orders (docs/payments.md)."""

    method: str
    paid: int = Field(..., description="Received for all shop orders together.")
    due: int = Field(..., description="What the shop orders awaiting a transfer still need: the transfer's amount.")
    credit: int = Field(..., description="Paid beyond what was owed (or after cancellation): to be refunded.")
    transfer: TransferOut | None = Field(
        ..., description="One VietQR for `due`, memo = the order's code; null for cash or when nothing is due."
    )


class DeliveryOut(Schema):
    province_code: int
    commune_code: int
    street: str


class OrderOut(Schema):
    code: str
    created_at: datetime.datetime
    payment_method: str
    total: int
    payment: CheckoutPaymentOut
    delivery: DeliveryOut | None = Field(
        ..., description="The address delivered to (2025 units), if not a pickup point."
    )
    pickup_point: PickupPointOut | None = Field(..., description="The post office to collect at, if chosen.")
    shop_orders: list[ShopOrderOut]


def _order_out(due: OrderDue) -> dict[str, Any]:
    """order_out with where the order goes: the delivery address, or the pickup point (already in order_out)."""
    address = due.order.delivery_address
    delivery = (
        None
        if address is None
        else {"province_code": address.province_id, "commune_code": address.commune_id, "street": address.street}
    )
    return {**order_out(due), "delivery": delivery}


@router.post(
    "/checkout",
    response={200: OrderOut, 201: OrderOut, **ERRORS, 403: ErrorOut, 409: ErrorOut},
    summary="Place an order",
    operation_id="checkout",
    openapi_extra=refusals(
        {
            200: "A replay: this key with the same request again; the order it placed, unchanged.",
            201: "A new order.",
            400: "`out_of_stock`: a line cannot be served (nothing is reserved). `invalid`: a variant not "
            "on sale or over 999 units of one (field `lines`), a phone that is not a Vietnamese mobile "
            "number, a blank name (field `name`), a malformed email (field `email`), a commune outside "
            "its province or a blank street, or neither an address nor a pickup point (field "
            "`delivery`), a voucher code that does not apply (field `voucher`: unknown, stopped, outside its "
            "dates, another shop's, below its minimum, used up in total or by this buyer). `shipping_unavailable`: "
            "no carrier could price delivery there, not even the hub's network.",
            403: "`forbidden`: sent with a signed-in session cookie but without its CSRF token "
            "(`X-CSRFToken` header); API clients send no session cookie.",
            404: "`not_found`: no active pickup point with this code.",
            409: "`conflict`: the order would charge another total than `expected_total` (field `tong`), a chosen "
            "shipping option is no longer offered (field `shipping_choices`), or the cart changed while the "
            "carriers were asked (field `lines`). Nothing is kept; quote again.",
            422: "`validation_error`: a field does not match this document (numbers must be JSON integers, "
            'not `true` or `"2"`), or both `delivery_address` and `pickup_point` are given; '
            "`idempotency_key_reused` (field `idempotency_key`): you already used this key with a "
            "different request.",
        }
    ),
)
def checkout(
    request: HttpRequest,
    body: CheckoutIn,
    idempotency_key: str = Header(
        ...,
        alias="Idempotency-Key",
        min_length=1,
        max_length=100,
        pattern=r"^[\x21-\x7e]+$",
        description="A fresh random key (e.g. a UUID) per order, sent again "
        "with the same request to retry; unique per caller.",
    ),
) -> Status:
    """Place an order (201). The Idempotency-Key is yours alone: signed in, your account's; otherwise the
    buyer phone's. The same key with the same request returns the order it placed (200) instead of placing
    another; with a different request it is refused (422 `idempotency_key_reused`). Someone else's key is
    just a new key to you. Both `delivery_address` and `pickup_point`: 422."""
    if request.user.is_authenticated and check_csrf(request) is not None:
        # Without this a page on another site could place orders in a signed-in buyer's name (cookies ride along).
        return Status(
            403,
            error_payload(
                "forbidden",
                "A signed-in session needs its CSRF token: send the "
                "csrftoken cookie's value in the X-CSRFToken header.",
            ),
        )
    address = None
    if body.delivery_address is not None:
        a = body.delivery_address
        address = AddressInput(province_code=a.province_code, commune_code=a.commune_code, street=a.street)
    try:
        placed = place(
            buyer=signed_in_user(request),
            lines=[LineRequest(li.variant_id, li.quantity) for li in body.lines],
            contact=Contact(body.contact.name, body.contact.phone, body.contact.email),
            payment_method=body.payment_method,
            delivery_address=address,
            pickup_point=body.pickup_point,
            idempotency_key=idempotency_key,
            shipping_choices={c.shop_id: c.option_id for c in body.shipping_choices},
            expected_total=body.expected_total,
            voucher=body.voucher,
        )
    except IdempotencyKeyReused:
        return Status(
            422,
            error_payload(
                IdempotencyKeyReused.code,
                "This Idempotency-Key was already used with a different request; use a new key for a new order.",
                field="idempotency_key",
            ),
        )
    return Status(200 if placed.replayed else 201, _order_out(order_due(placed.order.pk)))


class QuoteIn(Body):
    lines: list[LineIn] = Field(..., min_length=1, max_length=50)
    province_code: Annotated[int, Ge(1), Le(2_147_483_647), JSON_INTEGER] | None = Field(
        None, description="Destination province (home delivery)."
    )
    commune_code: Annotated[int, Ge(1), Le(2_147_483_647), JSON_INTEGER] | None = Field(
        None,
        description="Destination commune (home delivery, in `province_code`); without it or `pickup_point` no "
        "shipping options are offered and fees are null.",
    )
    pickup_point: str | None = Field(
        None,
        max_length=32,
        description="Collect at this post office instead: priced to its commune (with `province_code`, it "
        "must lie in that province).",
    )
    payment_method: Literal["vietqr", "cod"] | None = Field(
        None, description="`cod` adds each carrier's fee for collecting cash on delivery; null prices as VietQR."
    )
    shipping_choices: list[ShippingChoiceIn] = Field(
        default_factory=list,
        max_length=50,
        description="Options chosen per shop; one no longer offered falls back to the default here.",
    )
    voucher: str | None = Field(
        None,
        max_length=40,
        description="A voucher code (mã giảm giá, 3–20 characters A–Z, 0–9, '-', any case). A hub voucher is split "
        "across the shop orders in proportion to their goods; a shop's applies to that shop's order; shipping is "
        "never discounted. A code that does not apply is refused (400, field `voucher`) as checkout would refuse it.",
    )

    @model_validator(mode="after")
    def _choices(self) -> QuoteIn:
        return _one_choice_per_shop(self)


class QuotedLineOut(LineOut):
    available: int = Field(..., description="Units in stock now (not counting the harvest quota).")
    problem: Literal["preorder", "out_of_stock", "not_on_sale"] | None = Field(
        ..., description="null: served from stock; preorder: from the next harvest; otherwise checkout will refuse."
    )


class QuotedShopOut(Schema):
    shop_id: int
    shop_name: str
    lines: list[QuotedLineOut]
    items_total: int
    options: list[ShippingOptionOut] = Field(
        ..., description="Ways to deliver this shop's order, the hub's network first; empty without a destination."
    )
    chosen: ShippingOptionOut | None = Field(
        ..., description="The option that applies: your choice if still offered, else the hub network's cheapest."
    )
    shipping_fee: int | None = Field(..., description="`chosen.fee`.")
    discount: int = Field(..., description="This shop's part of the voucher's discount, off its goods.")
    total: int | None = Field(..., description="`items_total` + `shipping_fee` − `discount`.")


class QuotedVoucherOut(Schema):
    code: str
    funded_by: Literal["shop", "hub"]
    amount: int = Field(..., description="The discount in đồng: the shops' `discount` summed.")


class QuoteOut(Schema):
    shops: list[QuotedShopOut]
    items_total: int
    shipping_total: int | None = Field(..., description="The shops' delivery fees summed; null without a destination.")
    total: int | None = Field(..., description="Grand total; send it back as checkout's `expected_total`.")
    can_checkout: bool
    voucher: QuotedVoucherOut | None = Field(..., description="The `voucher` sent, as it applies to this cart.")
    province_code: int | None = Field(..., description="Where the fees are priced to.")
    pickup_point: PickupPointOut | None


@router.post(
    "/cart/quote",
    response={200: QuoteOut, **ERRORS},
    summary="Price a cart before checkout",
    operation_id="quote_cart",
    openapi_extra=refusals(
        {
            400: "`invalid`: no variant with this id or over 999 units of one (field `lines`), no "
            "province with this code (field `province_code`), a commune not in it (field `commune_code`), a "
            "pickup point outside that province (field `pickup_point`), a voucher code that does not apply "
            "(field `voucher`). `shipping_unavailable`: no carrier could price delivery there, not even the hub's "
            "network.",
            404: "`not_found`: no active pickup point with this code.",
            422: "`validation_error`: a field does not match this document (numbers must be JSON integers, "
            'not `true` or `"2"`).',
        }
    ),
)
def cart_quote(request: HttpRequest, body: QuoteIn) -> dict[str, Any]:
    """Stateless: the app keeps the cart; this splits it by shop and asks the carriers for each shop's shipping
    options (the same ones checkout charges with), for home delivery to a commune or a post office. Checkout
    re-checks everything; send `total` as its `expected_total` and each shop's `chosen.id` in its
    `shipping_choices` to be sure the order charges what the buyer saw."""
    quote = quote_cart(
        lines=[LineRequest(li.variant_id, li.quantity) for li in body.lines],
        province_code=body.province_code,
        commune_code=body.commune_code,
        pickup_point=body.pickup_point,
        payment_method=body.payment_method,
        shipping_choices={c.shop_id: c.option_id for c in body.shipping_choices},
        voucher=body.voucher,
        buyer=signed_in_user(request),
    )
    applied = quote.voucher
    return {
        "shops": [
            {
                "shop_id": s.shop_id,
                "shop_name": s.shop_name,
                "lines": [line.__dict__ for line in s.lines],
                "items_total": s.items_total,
                "options": [shipping_option(o) for o in s.options],
                "chosen": shipping_option(s.chosen) if s.chosen else None,
                "shipping_fee": s.shipping_fee,
                "discount": s.discount,
                "total": s.total,
            }
            for s in quote.shops
        ],
        "items_total": quote.items_total,
        "shipping_total": quote.shipping_total,
        "total": quote.total,
        "can_checkout": quote.can_checkout,
        "voucher": applied
        and {"code": applied.voucher.code, "funded_by": applied.voucher.funded_by, "amount": applied.amount},
        "province_code": quote.province.pk if quote.province else None,
        "pickup_point": pickup_point_out(quote.pickup_point),
    }


class CodePath(Schema):
    code: str = Field(..., pattern=CODE_PATTERN)


class PhoneQuery(Schema):
    phone: str = Field(..., min_length=1, max_length=20)


@router.get(
    "/orders/{code}",
    response={200: OrderOut, **ERRORS},
    summary="Track an order by code and phone",
    operation_id="get_order",
)
def get_order(request: HttpRequest, path: Path[CodePath], query: Query[PhoneQuery]) -> dict[str, Any]:
    due = order_due_for_buyer(code=path.code, phone=query.phone)
    if due is None:
        raise NotFound("No order with this code and phone number.")
    return _order_out(due)
