"""Partner capture keys (hashed, scoped to producers), and who recorded each event: the producer it was recorded
for, the partner's key, or the post office of its staff. Existing events are attributed from their recorder."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def attribute_existing_events(apps, schema_editor) -> None:
    """Events recorded by a producer's owner or helper are for that producer; a post office's staff, that office."""
    TraceEvent = apps.get_model("traceability", "TraceEvent")
    EventLot = apps.get_model("traceability", "EventLot")
    Delegation = apps.get_model("accounts", "Delegation")
    Location = apps.get_model("traceability", "Location")
    PickupPoint = apps.get_model("regions", "PickupPoint")
    delegated = set(Delegation.objects.values_list("producer_id", "delegate_id"))
    staff = set(PickupPoint.staff.through.objects.values_list("user_id", "pickuppoint_id"))
    points = dict(Location.objects.filter(pickup_point__isnull=False).values_list("pickup_point_id", "gln"))
    pending = TraceEvent.objects.filter(recorded_by__isnull=False, on_behalf_of__isnull=True, pickup_point__isnull=True)
    changed = {}
    for event_id, user_id, location in pending.values_list("pk", "recorded_by_id", "biz_location").iterator():
        point = next(
            (p for p, gln in points.items() if (user_id, p) in staff and location.endswith(f"/414/{gln}")), None
        )
        if point is not None:
            changed[event_id] = TraceEvent(pk=event_id, pickup_point_id=point)
    links = EventLot.objects.filter(event__in=pending).values_list(
        "event_id", "event__recorded_by_id", "lot__shop__producer_id", "lot__shop__producer__owner_id"
    )
    for event_id, user_id, producer_id, owner_id in links.iterator():
        if event_id not in changed and (user_id == owner_id or (producer_id, user_id) in delegated):
            changed[event_id] = TraceEvent(pk=event_id, on_behalf_of_id=producer_id)
    TraceEvent.objects.bulk_update([e for e in changed.values() if e.pickup_point_id], ["pickup_point"], batch_size=500)
    TraceEvent.objects.bulk_update([e for e in changed.values() if e.on_behalf_of_id], ["on_behalf_of"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("regions", "0002_pickuppoint_staff"),
        ("traceability", "0003_lotphoto_shares_webpphoto"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="traceevent",
            name="on_behalf_of",
            field=models.ForeignKey(
                blank=True,
                help_text="The producer the event was recorded for (by its owner, a helper, or a partner's key).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.producer",
            ),
        ),
        migrations.AddField(
            model_name="traceevent",
            name="pickup_point",
            field=models.ForeignKey(
                blank=True,
                help_text="The post office whose staff recorded the event.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.pickuppoint",
            ),
        ),
        migrations.CreateModel(
            name="CaptureKey",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "name",
                    models.CharField(help_text="Tên đối tác, hiện trên trang truy xuất: “Đối tác …”.", max_length=120),
                ),
                (
                    "lookup",
                    models.CharField(
                        help_text="Public part of the token, to find the key.", max_length=16, unique=True
                    ),
                ),
                ("key_hash", models.CharField(help_text="Hex SHA-256 of the whole token.", max_length=64)),
                (
                    "all_producers",
                    models.BooleanField(
                        default=False, help_text="Không giới hạn nhà sản xuất (chỉ cho hệ thống của chính sàn)."
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
                ("last_used_at", models.DateTimeField(blank=True, null=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "producers",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Nhà sản xuất mà đối tác được ghi sự kiện thay.",
                        related_name="capture_keys",
                        to="accounts.producer",
                    ),
                ),
            ],
            options={
                "verbose_name": "khoá EPCIS capture",
                "verbose_name_plural": "khoá EPCIS capture",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.AddField(
            model_name="traceevent",
            name="capture_key",
            field=models.ForeignKey(
                blank=True,
                help_text="The partner key that captured the event.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="traceability.capturekey",
            ),
        ),
        migrations.RunPython(attribute_existing_events, migrations.RunPython.noop),
    ]
