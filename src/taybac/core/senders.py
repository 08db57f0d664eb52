"""The senders behind the outbox: ONE SMS interface for sign-in codes and order messages alike, and Django's
e-mail backend for e-mail. Only the outbox (core/outbox.py) calls them, so every message is retried the same way.

An SMS sender is any class with `send(*, phone: str, text: str) -> None`, named by TAYBAC_SMS_SENDER (a gateway's
HTTP API, Zalo ZNS, ...). It raises on failure: any exception is retried with backoff, `PermanentSendError`
(a number that can never receive) fails the message at once. It should time out well inside outbox.LEASE.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from taybac.core.text import mask_phone

logger = logging.getLogger("taybac.core.senders")


class SmsSender(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


class PermanentSendError(Exception):
    """The message can never be delivered (bad number, address refused): do not retry."""


def phone_for_log(phone: str) -> str:
    """A phone number as log lines show it: whole under `taybac demo` (whose users sign in with the code the log
    shows, on made-up numbers), masked everywhere else ("+84 91* *** 001"): logs are kept and shared."""
    return phone if getattr(settings, "TAYBAC_DEMO", False) else mask_phone(phone)


class LogSmsSender:
    """Demo delivery: the SMS text (a sign-in code too) appears in the server log, at INFO: a message sent is
    no warning."""

    def send(self, *, phone: str, text: str) -> None:
        logger.info("SMS tới %s: %s", phone_for_log(phone), text)


def sms_sender() -> SmsSender:
    return import_string(settings.TAYBAC_SMS_SENDER)()


def sms_goes_to_log() -> bool:
    """True on a demo set-up, where pages may say that codes are in the server log."""
    return import_string(settings.TAYBAC_SMS_SENDER) is LogSmsSender


# Senders of channels owned by apps above core (the assistant's Zalo and Messenger replies): core may not import
# them, so they register here from their AppConfig.ready(). Called as send(recipient=..., body=...).
ChannelSender = Callable[..., None]
_channel_senders: dict[str, ChannelSender] = {}


def register_channel(channel: str, sender: ChannelSender) -> None:
    """Deliver outbox messages of `channel` with `sender(recipient=..., body=...)`."""
    _channel_senders[channel] = sender


def send(*, channel: str, recipient: str, subject: str, body: str) -> None:
    """Hand one message to its channel's sender; raises what the sender raises."""
    if channel == "sms":
        sms_sender().send(phone=recipient, text=body)
    elif channel == "email":
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[recipient])
    elif channel in _channel_senders:
        _channel_senders[channel](recipient=recipient, body=body)
    else:
        raise PermanentSendError(f"unknown channel {channel!r}")
