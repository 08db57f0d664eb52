"""The address per-address limits count: REMOTE_ADDR, and X-Forwarded-For only behind our own proxy, read from
the right so a client cannot pick its own address by sending the header."""

import pytest
from django.test import RequestFactory

from taybac.core.client_address import client_ip, client_network


def request(remote: str = "203.0.113.7", forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_header_ignored_without_a_proxy(settings):
    settings.TAYBAC_BEHIND_PROXY = False
    assert client_ip(request("203.0.113.7", "1.2.3.4")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("127.0.0.1", "198.51.100.9", "198.51.100.9"),  # nginx on this machine
        ("127.0.0.1", "6.6.6.6, 198.51.100.9", "198.51.100.9"),  # the client's own entry is not believed
        ("127.0.0.1", "198.51.100.9, 10.0.0.5", "198.51.100.9"),  # a second trusted proxy in front
        ("203.0.113.7", "6.6.6.6", "203.0.113.7"),  # not from our proxy: header ignored
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", "garbage", "127.0.0.1"),
        ("127.0.0.1", "[2001:db8::5]:443", "2001:db8::5"),
        ("127.0.0.1", "198.51.100.9:5123", "198.51.100.9"),
        ("::ffff:127.0.0.1", "198.51.100.9", "198.51.100.9"),
    ],
)
def test_rightmost_untrusted_hop_behind_a_proxy(settings, remote, forwarded, expected):
    settings.TAYBAC_BEHIND_PROXY = True
    settings.TAYBAC_TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.0.0.0/8"]
    assert client_ip(request(remote, forwarded)) == expected


def test_networks(settings):
    settings.TAYBAC_BEHIND_PROXY = False
    assert client_network(request("203.0.113.7")) == "203.0.113.7"
    assert client_network(request("2001:db8:aa:1:ffff::9")) == "2001:db8:aa:1::/64"
    assert client_network(request("not an address")) == "unknown"
