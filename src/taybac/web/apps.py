from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "taybac.web"
    label = "web"
    verbose_name = "Trang web"

    def ready(self) -> None:
        # The assistant's replies link an order placed in the chat as the checkout does (assistant/links.py).
        from taybac.assistant import links
        from taybac.web.order_links import order_url

        links.register_order_url(order_url)
