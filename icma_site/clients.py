"""The client's address, as the sign-in lockout and the corrections limit count it.

Each proxy in front of the site appends the address it was reached from to
X-Forwarded-For; whatever the client wrote there itself comes first. So with
settings.TRUSTED_PROXY_COUNT proxies, the client's address is the entry that many places
from the right (the one the outermost trusted proxy appended), and nothing to the left of
it can be believed. Without a trusted proxy, or when the header is missing, too short or
not an address, it is the connection's own address (REMOTE_ADDR): never a shared
placeholder, which would put every visitor in one bucket.
"""

import ipaddress

from django.conf import settings

# A connection over a unix socket has no address: its peer (the proxy) is on this machine.
LOCAL = "127.0.0.1"


def client_address(request):
    """The address to count this request against (settings.AXES_CLIENT_IP_CALLABLE)."""
    remote = normalized(request.META.get("REMOTE_ADDR", "")) or LOCAL
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    entries = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(entries) < proxies:
        return remote
    return normalized(entries[-proxies]) or remote


def normalized(text):
    """`text` as the address it is counted as, or None when it is not an IP address: IPv4
    as it is (an IPv4-mapped IPv6 address as its IPv4 address), IPv6 as its /64 network,
    the block a single subscriber is given, so that one client cannot escape its limits
    by cycling through its own addresses."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        if not address.is_loopback:
            return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)
