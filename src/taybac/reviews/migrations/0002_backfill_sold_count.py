""" "Đã bán" counts for orders delivered before the hub kept them: units of delivered and completed shop orders.

Sets each product's count from the orders (not adds), so it is right however often it runs; from here on
fulfilment's delivery adds to it (catalog.stats.record_sales). Returned orders are not counted.
"""

from django.db import migrations
from django.db.models import Sum

DELIVERED = ("delivered", "completed")


def backfill(apps, schema_editor):
    OrderLine = apps.get_model("orders", "OrderLine")
    Product = apps.get_model("catalog", "Product")
    sold = (
        OrderLine.objects.filter(shop_order__status__in=DELIVERED)
        .values("variant__product_id")
        .annotate(units=Sum("quantity"))
        .order_by()
    )
    for row in sold.iterator():
        Product.objects.filter(pk=row["variant__product_id"]).update(sold_count=row["units"])


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_reviews_photos_reports"),
        ("catalog", "0003_product_kind_ratings_sold"),
        ("orders", "0007_remove_orderline_lot"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
