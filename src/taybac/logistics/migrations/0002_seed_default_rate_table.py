"""The default hub rate table, equal to orders/shipping.py's ZoneWeightRates (first kilogram by zone, then per
started extra kilogram), so checkout can switch to it without changing a price; no COD, insurance or remote
surcharge amounts (today's checkout charges none). A few remote border communes are listed for the surcharge
(2025 codes from vietnam-provinces), to be extended by operators."""

from __future__ import annotations

from django.db import migrations

# zone: (first kilogram, each started extra kilogram), copied from orders.shipping.ZoneWeightRates
FEES = {
    "same_commune": (18_000, 4_000),
    "same_province": (18_000, 4_000),
    "region": (25_000, 6_000),
    "nationwide": (35_000, 9_000),
}
ETAS = {"same_commune": (1, 1), "same_province": (1, 2), "region": (2, 3), "nationwide": (3, 5)}
REMOTE = [
    (715, "Xã Lũng Cú, Tuyên Quang"),
    (721, "Xã Đồng Văn, Tuyên Quang"),
    (778, "Xã Sơn Vĩ, Tuyên Quang"),
    (3158, "Xã Sín Thầu, Điện Biên"),
    (3160, "Xã Mường Nhé, Điện Biên"),
    (3439, "Xã Thu Lũm, Lai Châu"),
    (3451, "Xã Mù Cả, Lai Châu"),
    (2686, "Xã A Mú Sung, Lào Cai"),
    (2701, "Xã Y Tý, Lào Cai"),
    (2788, "Xã Bản Lầu, Lào Cai"),
]


def seed(apps, schema_editor):
    RateTable = apps.get_model("logistics", "RateTable")
    WeightBand = apps.get_model("logistics", "WeightBand")
    ZoneEta = apps.get_model("logistics", "ZoneEta")
    RemoteCommune = apps.get_model("logistics", "RemoteCommune")
    if RateTable.objects.exists():
        return
    table = RateTable.objects.create(name="Bảng giá mặc định (như phí giao hàng hiện tại)", is_active=True)
    for zone, (first, extra) in FEES.items():
        WeightBand.objects.create(table=table, zone=zone, from_g=0, to_g=1000, base_fee=first, step_g=1000)
        WeightBand.objects.create(
            table=table, zone=zone, from_g=1000, to_g=None, base_fee=first, step_g=1000, step_fee=extra
        )
        days_min, days_max = ETAS[zone]
        ZoneEta.objects.create(table=table, zone=zone, days_min=days_min, days_max=days_max)
    for code, name in REMOTE:
        RemoteCommune.objects.get_or_create(
            commune_code=code, defaults={"name": name, "note": "Xã biên giới, đường xa (danh sách ban đầu)."}
        )


def unseed(apps, schema_editor):
    apps.get_model("logistics", "RateTable").objects.all().delete()
    apps.get_model("logistics", "RemoteCommune").objects.filter(commune_code__in=[c for c, _ in REMOTE]).delete()


class Migration(migrations.Migration):
    dependencies = [("logistics", "0001_rate_tables")]
    operations = [migrations.RunPython(seed, unseed)]
