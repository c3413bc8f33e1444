"""The address of the page a barrier was met on: only ever a page of the portal itself.

A barrier report names the page it is about. The form is filled in from the page the
person came from (the footer's link passes it as `?fra=`; otherwise the browser's Referer,
which the portal's Referrer-Policy sends only from its own pages), and the person may
change it. Whatever arrives is kept only as a path on the portal ("/register/?q=x"), so
the advisers' link to it can never lead elsewhere.
"""

from contextlib import suppress
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts import organisations

MAX_LENGTH = 500


def own_hosts(request=None) -> set[str]:
    hosts = {urlsplit(settings.SITE_URL).netloc}
    if request is not None:
        with suppress(DisallowedHost):  # a host Django refuses is simply not one of ours
            hosts.add(request.get_host())
    return {host for host in hosts if host}


def portal_path(address: str, request=None) -> str | None:
    """The address as a path on the portal ("/kontoer/?q=x"), or None when it is not one
    of the portal's pages (another site, a scheme other than http(s), a control character)."""
    address = (address or "").strip()
    if not address or len(address) > MAX_LENGTH or any(ord(c) < 32 or c == "\\" for c in address):
        return None
    hosts = own_hosts(request)
    if not address.startswith("/"):
        # Written without the scheme, as people copy it from the address bar: "portal.no/kontoer/".
        if "://" not in address and address.split("/", 1)[0] in hosts:
            address = "https://" + address
        elif "://" not in address:
            return None
    if not url_has_allowed_host_and_scheme(address, allowed_hosts=hosts, require_https=False):
        return None
    parts = urlsplit(address)
    if parts.scheme not in ("", "http", "https") or parts.username or parts.password:
        return None
    path = parts.path or "/"
    if not path.startswith("/") or path.startswith("//"):
        return None
    return urlunsplit(("", "", path, parts.query, ""))


def organisation_of_page(path: str, request):
    """The organisation a page of the portal belongs to: an organisation's own public pages
    (/o/<slug>/ and below) are that organisation's; any other page is the request's
    organisation (the person's own, or the host name's)."""
    if path:
        with suppress(Resolver404, NoReverseMatch):
            slug = resolve(urlsplit(path).path).kwargs.get("slug", "")
            found = organisations.by_slug(slug) if slug else None
            if found is not None and found.is_active and path.startswith(reverse("registry:organisation", args=[slug])):
                return found
    return organisations.get(request.organisation.pk)
