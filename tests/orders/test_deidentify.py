"""De-identifying orders past their accounting period (orders.services.deidentify_orders_before), in batches."""

from __future__ import annotations

import datetime

from taybac.orders.models import Order
from taybac.orders.services import DEIDENTIFIED, deidentify_orders_before
from tests.reviews.purchases import placed

CUTOFF = datetime.datetime(2016, 1, 1, tzinfo=datetime.UTC)


def test_a_batch_takes_at_most_its_limit_and_the_next_run_the_rest(db):
    orders = [placed(None, phone=f"091234567{n}").order for n in range(3)]
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(created_at=CUTOFF - datetime.timedelta(days=1))
    assert deidentify_orders_before(cutoff=CUTOFF, limit=2) == 2
    assert Order.objects.filter(contact_name=DEIDENTIFIED).count() == 2
    assert deidentify_orders_before(cutoff=CUTOFF, limit=2) == 1
    assert deidentify_orders_before(cutoff=CUTOFF, limit=2) == 0
    assert set(Order.objects.values_list("contact_phone", "buyer")) == {("", None)}
