"""The senders behind the outbox: ONE SMS interface for sign-in codes and order messages alike, and Django's
e-mail backend for e-mail. Only the outbox (core/outbox.py) calls them, so every message is retried the same way.

An SMS sender is any class with `send(*, phone: str, text: str) -> None`, named by TAYBAC_SMS_SENDER (a gateway's
HTTP API, Zalo ZNS, ...). It raises on failure: any exception is retried with backoff, `PermanentSendError`
(a number that can never receive) fails the message at once. It should time out well inside outbox.LEASE.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger("taybac.core.senders")


class SmsSender(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


class PermanentSendError(Exception):
    """The message can never be delivered (bad number, address refused): do not retry."""


class LogSmsSender:
    """Demo delivery: the SMS text (a sign-in code too) appears in the server log."""

    def send(self, *, phone: str, text: str) -> None:
        logger.warning("SMS tới %s: %s", phone, text)


def sms_sender() -> SmsSender:
    return import_string(settings.TAYBAC_SMS_SENDER)()


def sms_goes_to_log() -> bool:
    """True on a demo set-up, where pages may say that codes are in the server log."""
    return import_string(settings.TAYBAC_SMS_SENDER) is LogSmsSender


def send(*, channel: str, recipient: str, subject: str, body: str) -> None:
    """Hand one message to its channel's sender; raises what the sender raises."""
    if channel == "sms":
        sms_sender().send(phone=recipient, text=body)
    elif channel == "email":
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[recipient])
    else:
        raise PermanentSendError(f"unknown channel {channel!r}")
