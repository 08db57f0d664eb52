"""Telling people about orders: SMS/Zalo behind one interface (producers may only have a feature phone).

The demo default writes messages to the log. Messages are sent after the order's transaction commits, never
inside it, so a slow SMS gateway cannot hold a stock lock or roll back an order.
"""
from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from taybac.core.money import format_vnd
from taybac.orders.models import Order, ShopOrder
from taybac.payments.codes import display

logger = logging.getLogger("taybac.orders.notifications")


class MessageSender(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


class LogMessageSender:
    """Demo delivery: the SMS text appears in the server log."""

    def send(self, *, phone: str, text: str) -> None:
        logger.warning("SMS tới %s: %s", phone, text)


def _sender() -> MessageSender:
    return import_string(getattr(settings, "TAYBAC_SMS_SENDER", "taybac.orders.notifications.LogMessageSender"))()


def _send_later(phone: str | None, text: str) -> None:
    if phone:
        transaction.on_commit(lambda: _safe_send(phone, text))


def _safe_send(phone: str, text: str) -> None:
    try:
        _sender().send(phone=phone, text=text)
    except Exception:  # a gateway failure must not break the buyer's request; it is logged for a retry
        logger.exception("Không gửi được tin nhắn tới %s", phone)


def order_placed(order: Order) -> None:
    """The buyer gets the order code; each shop's producer learns about the new order."""
    _send_later(order.contact_phone, f"Tay Bac Hub: da nhan don {display(order.code)}. "
                                     f"Tra cuu: /tra-cuu/ voi so dien thoai nay.")
    for shop_order in order.shop_orders.select_related("shop__producer__owner"):
        _send_later(shop_order.shop.producer.owner.phone,
                    f"Tay Bac Hub: don moi {display(shop_order.code)}, {format_vnd(shop_order.items_total)}"
                    f"{' (cho thanh toan)' if shop_order.reserved_until else ' (thu tien khi giao)'}.")


def shop_order_paid(shop_order: ShopOrder) -> None:
    owner = shop_order.shop.producer.owner
    _send_later(owner.phone, f"Tay Bac Hub: don {display(shop_order.code)} da thanh toan. Hay dong goi hang.")
