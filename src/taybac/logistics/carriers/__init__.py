"""The carriers the hub can use: its own network always; GHN (and the next adapters) only when credentials are
configured (settings or environment: TAYBAC_GHN_TOKEN, TAYBAC_GHN_SHOP_ID, TAYBAC_GHN_WEBHOOK_TOKEN,
TAYBAC_GHN_SANDBOX; TAYBAC_GHTK_TOKEN, TAYBAC_GHTK_CLIENT_SOURCE, TAYBAC_GHTK_WEBHOOK_TOKEN, TAYBAC_GHTK_SANDBOX;
TAYBAC_VNPOST_USERNAME, TAYBAC_VNPOST_PASSWORD, TAYBAC_VNPOST_CUSTOMER_CODE, TAYBAC_VNPOST_CONTRACT_CODE,
TAYBAC_VNPOST_WEBHOOK_PUBLIC_KEY (PEM), TAYBAC_VNPOST_WEBHOOK_TOKEN, TAYBAC_VNPOST_SANDBOX).
Without them no request ever leaves the machine."""

from __future__ import annotations

import os

from django.conf import settings

from taybac.logistics.carriers import ghn, ghtk, vnpost
from taybac.logistics.carriers.base import Carrier
from taybac.logistics.carriers.http import Transport, urllib_transport
from taybac.logistics.carriers.hub import HubNetwork


def _setting(name: str) -> str:
    return str(getattr(settings, name, "") or os.environ.get(name, "")).strip()


def _on(name: str) -> bool:
    return _setting(name).lower() in ("1", "true", "yes", "on")


def configured(*, transport: Transport = urllib_transport) -> dict[str, Carrier]:
    """Carriers by code, the hub's network first (the default)."""
    carriers: dict[str, Carrier] = {HubNetwork.code: HubNetwork()}
    token, shop_id = _setting("TAYBAC_GHN_TOKEN"), _setting("TAYBAC_GHN_SHOP_ID")
    if token and shop_id.isdigit():
        carriers[ghn.GHN.code] = ghn.GHN(
            token=token,
            shop_id=int(shop_id),
            webhook_token=_setting("TAYBAC_GHN_WEBHOOK_TOKEN"),
            base_url=ghn.SANDBOX if _on("TAYBAC_GHN_SANDBOX") else ghn.PRODUCTION,
            transport=transport,
        )
    if token := _setting("TAYBAC_GHTK_TOKEN"):
        carriers[ghtk.GHTK.code] = ghtk.GHTK(
            token=token,
            client_source=_setting("TAYBAC_GHTK_CLIENT_SOURCE"),
            webhook_token=_setting("TAYBAC_GHTK_WEBHOOK_TOKEN"),
            base_url=ghtk.SANDBOX if _on("TAYBAC_GHTK_SANDBOX") else ghtk.PRODUCTION,
            transport=transport,
        )
    username, password = _setting("TAYBAC_VNPOST_USERNAME"), _setting("TAYBAC_VNPOST_PASSWORD")
    customer_code = _setting("TAYBAC_VNPOST_CUSTOMER_CODE")
    if username and password and customer_code:
        carriers[vnpost.VNPost.code] = vnpost.VNPost(
            username=username,
            password=password,
            customer_code=customer_code,
            contract_code=_setting("TAYBAC_VNPOST_CONTRACT_CODE"),
            webhook_public_key=_setting("TAYBAC_VNPOST_WEBHOOK_PUBLIC_KEY"),
            webhook_token=_setting("TAYBAC_VNPOST_WEBHOOK_TOKEN"),
            base_url=vnpost.SANDBOX if _on("TAYBAC_VNPOST_SANDBOX") else vnpost.PRODUCTION,
            transport=transport,
        )
    return carriers
