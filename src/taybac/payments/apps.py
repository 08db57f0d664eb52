from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "taybac.payments"
    label = "payments"
    verbose_name = "Thanh toán"

    def ready(self) -> None:
        from taybac.orders.hooks import on_shop_order_undone
        from taybac.payments.withholding import offset_undone

        on_shop_order_undone(offset_undone)  # a cancelled or returned sale gives its withheld tax back
