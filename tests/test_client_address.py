"""The client's address behind 0, 1 and 2 proxies (icma_site/clients.py), as the sign-in
lockout and the corrections form's limit count it."""

import pytest
from django.test import RequestFactory

from icma_site.clients import client_address

PROXY = "10.0.0.5"  # the connection's own address: the last proxy, when there is one


def address(settings, proxies, forwarded=None, remote=PROXY):
    settings.TRUSTED_PROXY_COUNT = proxies
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


def test_without_a_proxy_the_connections_address_whatever_the_header_says(settings):
    assert address(settings, 0, remote="203.0.113.4") == "203.0.113.4"
    assert address(settings, 0, "198.51.100.1", remote="203.0.113.4") == "203.0.113.4"


@pytest.mark.parametrize(
    "forwarded, expected",
    [
        ("203.0.113.9", "203.0.113.9"),  # an honest visitor: the proxy's one entry
        ("198.51.100.1, 203.0.113.9", "203.0.113.9"),  # a forged first entry
        ("198.51.100.1,198.51.100.2, 203.0.113.9", "203.0.113.9"),
        # IPv6 by its /64, the block one subscriber is given: cycling through one's own
        # addresses does not escape a limit.
        ("2001:db8::1", "2001:db8::"),
        ("2001:DB8:0:0:ffff::7", "2001:db8::"),
        ("2001:db8:0:1::1", "2001:db8:0:1::"),
        ("::ffff:203.0.113.9", "203.0.113.9"),  # IPv4-mapped: the IPv4 address
    ],
)
def test_behind_one_proxy_the_entry_it_appended(settings, forwarded, expected):
    assert address(settings, 1, forwarded) == expected


@pytest.mark.parametrize(
    "forwarded, expected",
    [
        # The outer proxy appended the client; the inner one appended the outer proxy.
        ("203.0.113.9, 10.0.0.2", "203.0.113.9"),
        ("198.51.100.1, 203.0.113.9, 10.0.0.2", "203.0.113.9"),  # forged first entry
    ],
)
def test_behind_two_proxies_the_entry_the_outer_one_appended(settings, forwarded, expected):
    assert address(settings, 2, forwarded) == expected


@pytest.mark.parametrize(
    "proxies, forwarded",
    [
        (1, None),  # no header
        (1, ""),
        (1, "not-an-address"),
        (1, "198.51.100.1, unknown"),
        (1, "203.0.113.9:4711"),
        (2, "203.0.113.9"),  # fewer entries than proxies
        (2, "garbage, 10.0.0.2"),
    ],
)
def test_a_missing_or_malformed_header_gives_the_proxys_own_address(settings, proxies, forwarded):
    assert address(settings, proxies, forwarded) == PROXY


def test_a_unix_socket_peer_is_this_machine(settings):
    # gunicorn on a unix socket gives no REMOTE_ADDR: the proxy is on this machine.
    assert address(settings, 1, "junk", remote="") == "127.0.0.1"
    assert address(settings, 1, "203.0.113.9", remote="") == "203.0.113.9"
    assert address(settings, 1, "junk", remote="192.0.2.1") == "192.0.2.1"


def test_ipv6_loopback_stays_loopback(settings):
    assert address(settings, 0, remote="::1") == "::1"
