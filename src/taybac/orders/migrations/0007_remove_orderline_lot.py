"""OrderLine.lot is gone: the lot a line was shipped from is traceability.OrderLineLot (copied there first)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0006_idempotency_scope"),
        ("traceability", "0005_orderlinelot"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="orderline",
            name="lot",
        ),
    ]
