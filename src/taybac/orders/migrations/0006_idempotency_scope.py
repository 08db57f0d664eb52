"""Idempotency keys become unique per caller, with a hash of the request.

Existing keys were globally unique, so any scope keeps them unique. Each is given the scope a new request from
the same caller would compute without a session (the buyer's account, else the order's phone) and the hash of
the request rebuilt from the order itself, so a retry that was in flight during the upgrade, or loading the
demo again, still finds its order. A web form token placed by a guest session becomes phone-scoped: its
random token is never sent again by anyone else.
"""

from collections import defaultdict

from django.conf import settings
from django.db import migrations, models

from taybac.orders.idempotency import request_hash


def scope_existing_keys(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    OrderLine = apps.get_model("orders", "OrderLine")
    keyed = Order.objects.filter(idempotency_key__isnull=False).select_related("delivery_address", "pickup_point")
    for order in keyed.iterator(chunk_size=500):
        lines: dict[int, int] = defaultdict(int)
        for variant_id, quantity in OrderLine.objects.filter(shop_order__order=order).values_list(
            "variant_id", "quantity"
        ):
            lines[variant_id] += quantity
        address = order.delivery_address
        order.idempotency_scope = f"user:{order.buyer_id}" if order.buyer_id else f"phone:{order.contact_phone}"
        order.request_hash = request_hash(
            lines=lines,
            name=order.contact_name,
            phone=order.contact_phone,
            email=order.contact_email,
            payment_method=order.payment_method,
            delivery=(address.province_id, address.commune_id, address.street) if address else None,
            pickup_point=order.pickup_point.code if order.pickup_point_id else None,
        )
        order.save(update_fields=["idempotency_scope", "request_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0005_shoporder_arrived_at_pickup"),
        ("regions", "0002_pickuppoint_staff"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="idempotency_scope",
            field=models.CharField(
                blank=True,
                default="",
                help_text="Whose idempotency key it is: user:<id>, session:<SHA-256 of the session key> or phone:<E.164> (orders/idempotency.py).",
                max_length=80,
            ),
        ),
        migrations.AddField(
            model_name="order",
            name="request_hash",
            field=models.CharField(
                blank=True,
                default="",
                help_text="SHA-256 of the canonical request: the same key with another request is refused.",
                max_length=64,
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="idempotency_key",
            field=models.CharField(
                blank=True,
                help_text="Unique per scope: another caller's key never finds this order.",
                max_length=100,
                null=True,
            ),
        ),
        migrations.RunPython(scope_existing_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="order",
            constraint=models.UniqueConstraint(
                fields=("idempotency_scope", "idempotency_key"), name="order_idempotency_key_unique_per_scope"
            ),
        ),
        migrations.AddConstraint(
            model_name="order",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("idempotency_key__isnull", True),
                    models.Q(("idempotency_scope", ""), _negated=True),
                    _connector="OR",
                ),
                name="order_idempotency_key_has_scope",
            ),
        ),
    ]
