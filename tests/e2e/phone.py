"""A 360 px phone browser already signed in as a user, for the pages' browser tests (sign-in has its own tests)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client


def signed_in_phone(browser: Any, base: str, user: Any, *, javascript: bool = False) -> tuple[Any, Any]:
    """(context, page) of a 360 × 740 Vietnamese-locale browser with `user`'s session; JavaScript off unless asked."""
    client = Client()
    client.force_login(user)
    viewport = {"width": 360, "height": 740}
    context = browser.new_context(viewport=viewport, locale="vi-VN", java_script_enabled=javascript)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page
