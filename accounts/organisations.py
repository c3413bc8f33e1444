"""The organisations of the portal, kept in each process: every page names one (in its header,
footer and e-mails), and none should cost a query for it.

Which organisation a request belongs to (`of_request`):
1. a logged-in person's own organisation;
2. else the organisation whose host names include the request's host (a trust's own address,
   such as some.helse-stavanger.no);
3. else the portal's default organisation (settings.DEFAULT_ORGANISATION).
A page about one organisation's public face (its start page under /o/<slug>/) sets it itself.

The list is read again when an organisation is saved in this process, and at the latest
`FRESH_SECONDS` after it was read, so that a change made on another web node reaches this one
within that time. Organisations change seldom (the administration), and what a page is allowed
to show never depends on this list: the scoping helpers read the organisation ids of the rows.
"""

import threading
import time

from django.conf import settings
from django.db import connection

FRESH_SECONDS = 60

_lock = threading.Lock()
_state: dict = {"read_at": None}


def forget() -> None:
    """Read the organisations again at the next use (after a change)."""
    with _lock:
        _state["read_at"] = None


def _catalogue() -> dict:
    now = time.monotonic()
    read_at = _state["read_at"]
    if read_at is not None and now - read_at < FRESH_SECONDS and _state.get("vendor") == connection.vendor:
        return _state
    from .models import Organisation

    organisations = list(Organisation.objects.all())
    by_id = {organisation.pk: organisation for organisation in organisations}
    by_host = {host: organisation for organisation in organisations for host in organisation.hosts()}
    by_slug = {organisation.slug: organisation for organisation in organisations}
    # The organisations' own e-mail domains: each one's mailbox domain, and any the setting adds.
    domains = {o.mailbox.rpartition("@")[2].strip().rstrip(".").lower() for o in organisations if "@" in o.mailbox}
    domains.update(settings.ORGANISATION_EMAIL_DOMAINS)
    members: dict[int, set[int]] = {}
    for organisation in organisations:
        if organisation.region_id:
            members.setdefault(organisation.region_id, set()).add(organisation.pk)
    with _lock:
        _state.update(
            by_id=by_id,
            by_host=by_host,
            by_slug=by_slug,
            members=members,
            domains=frozenset(domains),
            read_at=now,
            vendor=connection.vendor,
        )
    return _state


def get(pk):
    """The organisation with this id, or None."""
    if pk is None:
        return None
    found = _catalogue()["by_id"].get(pk)
    if found is None:
        forget()  # made since the list was read (in this process, or another)
        found = _catalogue()["by_id"].get(pk)
    return found


def by_slug(slug: str):
    return _catalogue()["by_slug"].get(slug)


def all_organisations() -> list:
    """Every organisation, by name."""
    return sorted(_catalogue()["by_id"].values(), key=lambda organisation: organisation.name)


def email_domains() -> frozenset[str]:
    """The organisations' own e-mail domains: the domain of each one's mailbox, and those of
    settings.ORGANISATION_EMAIL_DOMAINS (for a domain no mailbox is on)."""
    return _catalogue()["domains"]


def members_of(region_id) -> set[int]:
    """The organisations that belong to this region (empty for an organisation that is not one)."""
    return set(_catalogue()["members"].get(region_id, ()))


def default():
    """The portal's default organisation: the one settings.DEFAULT_ORGANISATION names."""
    found = by_slug(settings.DEFAULT_ORGANISATION["slug"])
    if found is None:
        from .models import default_organisation

        found = default_organisation()
        forget()
    return found


def for_host(host: str):
    """The organisation whose host names include `host` (without the port), or None."""
    return _catalogue()["by_host"].get(host.split(":", 1)[0].lower())


def of_request(request):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.organisation_id is not None:
        found = get(user.organisation_id)
        if found is not None:
            return found
    try:
        host = request.get_host()
    except Exception:  # DisallowedHost: the page answers that itself
        host = ""
    return for_host(host) or default()
