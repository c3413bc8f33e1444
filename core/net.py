"""Where a request comes from: the one place that answers it.

Every limit that counts per client (the login throttle, the limits on reports, and
whatever comes later) asks `client_address(request)`, never REMOTE_ADDR itself.

Behind a reverse proxy, REMOTE_ADDR is the proxy's address and everyone would share
it. Each proxy appends the address it received the request from to X-Forwarded-For,
so with N proxies of our own in front of the portal (the setting TRUSTED_PROXY_COUNT)
the client is the N-th address from the right. Anything further left was written by
the client itself and is never believed. Without the setting the header is ignored
altogether, so a spoofed header changes nothing.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The client's IP address as a string, or None when the request has none (a test
    request, or a login from a management command)."""
    if request is None:
        return None
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    # Fewer entries than proxies: the request skipped one of them; the leftmost entry
    # is the furthest any of our proxies can speak for.
    candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    return _valid(candidate) or remote


def network_of(address: str | None) -> str | None:
    """The network an address belongs to, as limits count it: an IPv4 /24 or an IPv6 /64
    (what one household, office or mobile customer usually gets)."""
    if not address:
        return None
    ip = ipaddress.ip_address(address)
    prefix = 24 if ip.version == 4 else 64
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def _valid(text: str) -> str | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.split(":", 1)[0]
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket counts as the IPv4 address it is.
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return str(ip)
