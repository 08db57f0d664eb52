"""The operator's legal information, shown in every page's footer and on the terms and dispute pages.

Decree 52/2013/NĐ-CP as amended by Decree 85/2021/NĐ-CP: a website selling or hosting sales shows who owns it
(name, business registration, address, phone, e-mail) and links the Ministry of Industry and Trade's
registration notice (online.gov.vn). The values come from settings (TAYBAC_OPERATOR_*, TAYBAC_MOIT_NOTICE_URL);
while one is unset the footer shows a made-up demo value and says it is a demo, never a real-looking number.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

DEMO = {
    "name": "Công ty TNHH Tây Bắc Hub (dữ liệu mẫu)",
    "registration": "0000000000 (số mẫu, chưa đăng ký)",
    "address": "Phường Tô Hiệu, tỉnh Sơn La (địa chỉ mẫu)",
    "hotline": "1900 0000 (số mẫu)",
    "email": "hotro@taybac.invalid",
}
MOIT_PORTAL = "https://online.gov.vn/"


@dataclass(frozen=True)
class OperatorInfo:
    """Who runs the hub, as the footer states it; `demo` when any value is a made-up default."""

    name: str
    registration: str
    address: str
    hotline: str
    email: str
    moit_url: str
    demo: bool


def operator_info() -> OperatorInfo:
    """The configured values, each unset one replaced by its demo default."""
    values = {key: getattr(settings, f"TAYBAC_OPERATOR_{key.upper()}", "").strip() for key in DEMO}
    moit = settings.TAYBAC_MOIT_NOTICE_URL.strip()
    demo = not all(values.values()) or not moit
    filled = {key: value or DEMO[key] for key, value in values.items()}
    return OperatorInfo(**filled, moit_url=moit or MOIT_PORTAL, demo=demo)
