"""Every change to the hospital's platform terms and to the handbook's placeholders. Each says
what it changed (facts/events.py), so the handbook's published pages show it at once."""

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.access import require_adviser
from core.audit import audit_log
from core.errors import DomainError
from platforms.models import Platform

from .events import placeholder_changed, platform_terms_changed
from .models import Placeholder, PlatformTerms


class FactsError(DomainError):
    pass


ONLY_ADVISERS = _("Only communications advisers can change what the handbook says about platforms and contacts.")


ONLY_TERMS_KEEPERS = _(
    "The terms for each platform are shared: only the advisers who keep the shared text change them."
)


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


@transaction.atomic
def platform_terms_update(
    *, platform: Platform, actor, policy: str, reason: str, assessed_on: datetime.date | None = None
) -> PlatformTerms:
    """Set (or confirm unchanged) the hospital's terms for a platform; saving marks them as reviewed.
    `assessed_on` is the day the assessment was made (None: not dated). The terms are shared by
    every organisation of the portal: those who keep the shared text set them."""
    from handbook.models import edits_base

    if not edits_base(actor):
        raise FactsError(ONLY_TERMS_KEEPERS)
    terms = PlatformTerms.objects.select_for_update().filter(platform=platform).first() or PlatformTerms(
        platform=platform
    )
    before = (
        {"policy": terms.policy, "reason": terms.reason, "assessed_on": _iso(terms.assessed_on)} if terms.pk else None
    )
    terms.policy, terms.reason, terms.assessed_on, terms.updated_by = policy, reason.strip(), assessed_on, actor
    terms.full_clean()
    terms.save()
    audit_log(
        terms,
        "facts.platform_terms_updated",
        actor=actor,
        data={"platform": platform.slug, "policy": policy, "assessed_on": _iso(assessed_on), "before": before},
    )
    platform_terms_changed.announce(terms=terms, actor=actor)
    return terms


def placeholder_organisation(actor):
    """The organisation whose values `actor` keeps: None for the region's shared values (those
    who keep the shared text), else the organisation they advise. FactsError for anyone else."""
    from handbook.models import edits_base

    if edits_base(actor):
        return None
    require_adviser(actor, FactsError, ONLY_ADVISERS)
    return next(iter(actor.advised_organisation_ids()))


@transaction.atomic
def placeholder_update(*, key: str, actor, value: str, label: str = "", kind: str = "") -> Placeholder:
    """Fill in (or empty) a placeholder for the organisation the actor keeps values for (the
    shared value for those who keep the shared text): a key the text uses but nobody has
    defined yet is created. An organisation's own value starts with the shared label and kind;
    emptied, the organisation's pages show the shared value again."""
    organisation_id = placeholder_organisation(actor)
    placeholder = Placeholder.objects.select_for_update().filter(key=key, organisation_id=organisation_id).first()
    if placeholder is None:
        shared = Placeholder.objects.base().filter(key=key).first() if organisation_id else None
        placeholder = Placeholder(
            key=key,
            organisation_id=organisation_id,
            label=shared.label if shared else "",
            kind=shared.kind if shared else Placeholder.Kind.TEXT,
        )
    before = placeholder.value if placeholder.pk else None
    placeholder.value = value.strip()
    if label.strip():
        placeholder.label = label.strip()
    if kind:
        placeholder.kind = kind
    placeholder.updated_by = actor
    placeholder.full_clean()
    placeholder.save()
    audit_log(
        placeholder,
        "facts.placeholder_updated",
        actor=actor,
        data={"key": key, "organisation": organisation_id, "before": before, "after": placeholder.value},
    )
    placeholder_changed.announce(placeholder=placeholder, actor=actor)
    return placeholder
