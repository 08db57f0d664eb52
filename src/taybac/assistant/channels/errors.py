"""A webhook request refused, with the HTTP status and the precise code the channel's logs will show."""

from __future__ import annotations


class WebhookRefused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
