from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "taybac.payments"
    label = "payments"
    verbose_name = "Thanh toán"

    def ready(self) -> None:
        from taybac.orders.hooks import on_shop_order_undone

        on_shop_order_undone(_offset_withheld_tax)  # a cancelled or returned sale gives its withheld tax back


def _offset_withheld_tax(shop_order: object) -> None:
    from taybac.payments.withholding import offset_undone

    offset_undone(shop_order=shop_order)  # type: ignore[arg-type]
