import re

import pytest

from taybac.core.models import AuditEntry
from taybac.orders import lifecycle
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.lifecycle import TRANSITIONS, TransitionError, advance
from taybac.orders.models import Status
from taybac.regions.services import create_address
from tests.factories import make_product, make_user


@pytest.fixture
def shop_order(db):
    address = create_address(province_code=1, commune_code=70, street="12 Hàng Bạc")
    variant = make_product(quantity=10).variants.get()
    order = place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, 3)],
        contact=Contact("Lan", "0912345678"),
        payment_method="cod",
        delivery_address=address,
    )
    return order.shop_orders.get()


def test_happy_path_and_stock_leaves_at_shipping(shop_order):
    helper, owner = make_user(role="helper"), make_user(role="producer")
    for to in (Status.PACKED, Status.SHIPPED, Status.DELIVERED, Status.COMPLETED):
        shop_order = advance(shop_order=shop_order, to=to, actor=helper, on_behalf_of=owner)
    variant = shop_order.lines.get().variant
    variant.refresh_from_db()
    assert (variant.quantity, variant.allocated) == (7, 0)
    entries = AuditEntry.objects.filter(target_id=str(shop_order.pk), action__startswith="shop_order.")
    assert [e.action for e in entries.order_by("id")][-4:] == [
        "shop_order.packed",
        "shop_order.shipped",
        "shop_order.delivered",
        "shop_order.completed",
    ]
    assert all(e.actor_id == helper.pk and e.on_behalf_of_id == owner.pk for e in entries.order_by("id")[1:])


@pytest.mark.parametrize("to", [Status.SHIPPED, Status.DELIVERED, Status.COMPLETED, Status.RETURNED, "lost"])
def test_skipping_steps_is_refused(shop_order, to):
    with pytest.raises(TransitionError):
        advance(shop_order=shop_order, to=to, actor=None)
    shop_order.refresh_from_db()
    assert shop_order.status == Status.CONFIRMED


def test_no_cancelling_after_packing(shop_order):
    advance(shop_order=shop_order, to=Status.PACKED, actor=None)
    with pytest.raises(TransitionError, match="Không thể chuyển"):
        advance(shop_order=shop_order, to=Status.CANCELLED, actor=None)


def test_terminal_states_have_no_way_out():
    assert not TRANSITIONS[Status.COMPLETED] and not TRANSITIONS[Status.CANCELLED] and not TRANSITIONS[Status.RETURNED]
    assert set(TRANSITIONS) == set(Status.values)


def documented_transitions(doc: str) -> dict[str, frozenset[str]]:
    """The table in the module docstring: `state → a, b` lines and one `x, y: final` line."""
    table: dict[str, frozenset[str]] = {}
    for line in doc.splitlines():
        if match := re.fullmatch(r"\s+(\w+)\s+→\s+([\w, ]+)", line):
            table[match[1]] = frozenset(match[2].replace(" ", "").split(","))
        elif match := re.fullmatch(r"\s+([\w, ]+): final", line):
            table.update(dict.fromkeys(match[1].replace(" ", "").split(","), frozenset()))
    return table


def test_the_docstring_table_is_the_state_machine():
    assert documented_transitions(lifecycle.__doc__) == {
        str(state): {str(to) for to in targets} for state, targets in TRANSITIONS.items()
    }
