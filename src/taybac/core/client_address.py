"""The client's network address, for per-address limits (sign-in codes, admin login lockout).

REMOTE_ADDR is the peer that opened the connection. Only when the hub runs behind a reverse proxy
(TAYBAC_BEHIND_PROXY) is X-Forwarded-For read, and then from the right: every proxy appends the address it
saw, so the rightmost hop that is not one of our trusted proxies (TAYBAC_TRUSTED_PROXIES) is the client; what
the client itself wrote further left is never believed.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _trusted(proxies: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _parse(value: str) -> IPAddress | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:5123"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def client_ip(request: HttpRequest) -> str:
    """The client's IP address as text ("" if the request carries none that parses)."""
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return ""
    if not settings.TAYBAC_BEHIND_PROXY:
        return str(remote)
    trusted = _trusted(tuple(settings.TAYBAC_TRUSTED_PROXIES))
    client = remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not any(client in network for network in trusted):
            break
        parsed = _parse(hop)
        if parsed is None:  # a proxy never writes garbage: stop at the last address we can vouch for
            break
        client = parsed
    return str(client)


def client_network(request: HttpRequest) -> str:
    """The key per-address limits count under: the IPv4 address, or the IPv6 /64 a phone gets whole.

    An IPv6 subscriber can pick any address inside its /64, so counting single IPv6 addresses would let one
    phone rotate past every per-address limit.
    """
    address = client_ip(request)
    if not address:
        return "unknown"
    parsed = ipaddress.ip_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return address
