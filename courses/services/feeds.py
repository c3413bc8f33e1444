"""The private calendar address: made, and revoked."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.audit import audit_log

from ..models import CalendarFeed, hash_token


@transaction.atomic
def feed_create(*, user) -> tuple[CalendarFeed, str]:
    """A new private calendar address; any older one stops working. The secret is
    returned once and only its hash is kept."""
    now = timezone.now()
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    token = CalendarFeed.new_token()
    feed = CalendarFeed.objects.create(
        user=user, token_hash=hash_token(token), expires_at=now + timedelta(days=settings.COURSE_FEED_DAYS)
    )
    audit_log(feed, "calendar_feed.created", actor=user)
    return feed, token


@transaction.atomic
def feed_revoke(*, user) -> int:
    revoked = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if revoked:
        audit_log(user, "calendar_feed.revoked", actor=user)
    return revoked
