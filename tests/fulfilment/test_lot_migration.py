"""The lot a line was shipped from moved from orders (OrderLine.lot) to traceability (OrderLineLot), so that
orders no longer depends on traceability: the migration keeps every lot already chosen, both ways."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from taybac.traceability.order_lots import lots_of
from tests.fulfilment.parcels import harvest_for, placed_order

BEFORE = [("orders", "0006_idempotency_scope"), ("traceability", "0004_capture_keys")]


@pytest.mark.django_db(transaction=True)
def test_lots_chosen_before_the_move_are_kept_and_can_move_back():
    shop_order, other = placed_order(None), placed_order(None)
    lot = harvest_for(shop_order)
    line = shop_order.lines.get()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old.get_model("orders", "OrderLine").objects.filter(pk=line.pk).update(lot_id=lot.pk)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert lots_of(shop_order) == {line.pk: lot} and lots_of(other) == {}
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    assert dict(old.get_model("orders", "OrderLine").objects.filter(lot__isnull=False).values_list("pk", "lot_id")) == {
        line.pk: lot.pk
    }
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
