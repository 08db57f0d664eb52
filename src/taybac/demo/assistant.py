"""The demo's buyer-assistant conversation (docs/assistant.md, "Producer inbox"): a buyer asks the assistant about
the first producer's product on the site, then asks for a person, so the demo seller finds it waiting in
"Tin nhắn". Made through the assistant's own service, as the widget would; the buyer agreed to be remembered, so
it stays the 30 days of a consented conversation."""

from __future__ import annotations

from collections import Counter

from taybac.assistant.models import Channel, Conversation
from taybac.assistant.services import handle_message
from taybac.catalog.models import Product
from taybac.demo.plan import ProducerPlan

CLIENT = "demo"


def ensure_demo_conversation(plans: list[ProducerPlan], created: Counter) -> None:
    if Conversation.objects.filter(channel=Channel.SITE, client=CLIENT).exists():
        return
    products = Product.objects.filter(is_active=True, shop__producer__owner__phone=plans[0].phone).order_by("pk")
    product = products.first()
    if product is None:
        return
    for text in (f"{product.name} giá bao nhiêu", "hàng mình nhận bị hỏng, cho mình gặp người bán"):
        handle_message(channel=Channel.SITE, client=CLIENT, conversation="demo-site-1", text=text, remember=True)
    created["assistant conversations"] += 1
