"""Every change to the platform catalogue: the administration adds and edits platforms here
(platforms/admin.py), audited, and says so (platforms/events.py), so the register's answers
that name a platform are made again."""

from django.db import transaction

from core.audit import audit_log

from .events import platform_changed
from .models import Platform


@transaction.atomic
def platform_save(*, platform: Platform, actor, changed=()) -> Platform:
    """Save a platform as the administration filled it in (`changed` names the fields that changed)."""
    created = platform.pk is None
    platform.full_clean()
    platform.save()
    audit_log(
        platform,
        "platform.created" if created else "platform.updated",
        actor=actor,
        data={"slug": platform.slug, "fields": sorted(changed)},
    )
    platform_changed.announce(platform=platform, actor=actor)
    return platform


@transaction.atomic
def platform_delete(*, platform: Platform, actor) -> None:
    """Delete a platform nothing refers to (an account in the register protects its platform)."""
    audit_log(platform, "platform.deleted", actor=actor, data={"slug": platform.slug, "name": platform.name})
    # Announced while the row is still there, so a subscriber can still read it.
    platform_changed.announce(platform=platform, actor=actor)
    platform.delete()
