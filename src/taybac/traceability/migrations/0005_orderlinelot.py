"""The lot an order line was shipped from moves from OrderLine.lot (orders) to OrderLineLot (traceability), so
that orders no longer depends on traceability; existing choices are copied over before the old column goes
(orders 0007)."""

import django.db.models.deletion
from django.db import migrations, models


def copy_forward(apps, schema_editor):
    OrderLine = apps.get_model("orders", "OrderLine")
    OrderLineLot = apps.get_model("traceability", "OrderLineLot")
    links = [
        OrderLineLot(line_id=line_id, lot_id=lot_id)
        for line_id, lot_id in OrderLine.objects.filter(lot__isnull=False).values_list("pk", "lot_id")
    ]
    OrderLineLot.objects.bulk_create(links, batch_size=500)


def copy_back(apps, schema_editor):
    OrderLine = apps.get_model("orders", "OrderLine")
    OrderLineLot = apps.get_model("traceability", "OrderLineLot")
    for line_id, lot_id in OrderLineLot.objects.values_list("line_id", "lot_id"):
        OrderLine.objects.filter(pk=line_id).update(lot_id=lot_id)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0006_idempotency_scope"),
        ("traceability", "0004_capture_keys"),
    ]

    operations = [
        migrations.CreateModel(
            name="OrderLineLot",
            fields=[
                (
                    "line",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="lot_link",
                        serialize=False,
                        to="orders.orderline",
                    ),
                ),
                (
                    "lot",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="order_line_links",
                        to="traceability.lot",
                    ),
                ),
            ],
            options={
                "verbose_name": "lô của dòng hàng",
                "verbose_name_plural": "lô của dòng hàng",
            },
        ),
        migrations.RunPython(copy_forward, copy_back),
    ]
