"""The chat channels' settings, read from the environment by settings.py (docs/deploy.md's table).

A channel is on when the secret that authenticates its webhook is set; replies also need its access token.
Read through getattr so a settings module without these names (an older deployment's) means "off".
"""

from __future__ import annotations

from django.conf import settings

ZALO_API_URL = "https://openapi.zalo.me"
MESSENGER_API_URL = "https://graph.facebook.com/v23.0"


def _setting(name: str, default: str = "") -> str:
    return str(getattr(settings, name, default) or default)


def zalo_app_id() -> str:
    return _setting("TAYBAC_ZALO_APP_ID")


def zalo_oa_secret() -> str:
    return _setting("TAYBAC_ZALO_OA_SECRET")


def zalo_access_token() -> str:
    return _setting("TAYBAC_ZALO_OA_ACCESS_TOKEN")


def zalo_api_url() -> str:
    return _setting("TAYBAC_ZALO_API_URL", ZALO_API_URL).rstrip("/")


def zalo_enabled() -> bool:
    """The Zalo webhook answers only when both halves of its signature key are configured."""
    return bool(zalo_app_id() and zalo_oa_secret())


def messenger_app_secret() -> str:
    return _setting("TAYBAC_MESSENGER_APP_SECRET")


def messenger_verify_token() -> str:
    return _setting("TAYBAC_MESSENGER_VERIFY_TOKEN")


def messenger_page_token() -> str:
    return _setting("TAYBAC_MESSENGER_PAGE_TOKEN")


def messenger_api_url() -> str:
    return _setting("TAYBAC_MESSENGER_API_URL", MESSENGER_API_URL).rstrip("/")


def messenger_enabled() -> bool:
    """The Messenger webhook answers only when the app secret (signatures) and the verify token are configured."""
    return bool(messenger_app_secret() and messenger_verify_token())
