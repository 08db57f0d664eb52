"""A 360 px phone browser already signed in as a user, for the pages' browser tests (sign-in has its own tests)."""

from __future__ import annotations

import os
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


SHOTS = os.environ.get("TAYBAC_SHOTS", "")  # a folder: the browser tests save their screenshots there to look at


def shot(page: Any, name: str) -> None:
    """A full-page screenshot `<TAYBAC_SHOTS>/<name>.png` when TAYBAC_SHOTS names a folder."""
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def fits_phone(page: Any) -> None:
    """Nothing on the page is wider than the 360 px screen."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
