"""State changes of people: the person behind a login with the hospital account, and people
who stop working here. Each is atomic and audited."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.audit import audit_log

from .models import User
from .oidc import SSOFailure

logger = logging.getLogger(__name__)

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def language_from_locale(locale: str | None) -> str:
    """'nn-NO' → 'nn', 'en-GB' → 'en', 'no'/'nb-NO' → 'nb'; anything else the default."""
    code = (locale or "").replace("_", "-").split("-")[0].lower()
    code = {"no": "nb"}.get(code, code)
    return code if code in LANGUAGE_CODES else settings.LANGUAGE_CODE


def portal_roles(claims: dict) -> set[str]:
    """The portal roles the token's `roles` claim gives, through OIDC_ROLE_MAP."""
    roles = claims.get("roles") or []
    if isinstance(roles, str):
        roles = [roles]
    return {settings.OIDC_ROLE_MAP[r] for r in roles if r in settings.OIDC_ROLE_MAP}


def subject_of(claims: dict) -> str:
    """Entra's object id is the person's stable id across the tenant; elsewhere `sub`."""
    return str(claims.get("oid") or claims["sub"])


def _email_of(claims: dict) -> str:
    return str(claims.get("email") or claims.get("preferred_username") or "").strip().lower()


@transaction.atomic
def person_from_sso(*, claims: dict) -> User:
    """The person a verified ID token speaks for: found by the provider's stable subject, never
    by e-mail alone. A first login creates the person; every login brings name, e-mail and the
    roles up to date (a role no longer in the token is taken away)."""
    subject = subject_of(claims)
    email = _email_of(claims)
    name = str(claims.get("name") or "").strip()[:150]
    user = User.objects.select_for_update().filter(sso_subject=subject).first()
    if user is None:
        if not email or "@" not in email:
            raise SSOFailure("no_email", f"subject {subject} has no e-mail address in the token")
        taken = User.objects.select_for_update().filter(email__iexact=email).first()
        if taken is not None:
            if taken.sso_subject is None and taken.sso_may_link:
                # An administrator said this person may be linked at their next login.
                taken.sso_subject = subject
                taken.sso_may_link = False
                taken.save(update_fields=["sso_subject", "sso_may_link"])
                audit_log(taken, "person.sso_linked", data={"subject": subject})
                user = taken
            else:
                raise SSOFailure(
                    "email_taken", f"{email} belongs to person {taken.pk}, not linked to subject {subject}"
                )
        else:
            user = User(
                email=email,
                full_name=name or email,
                sso_subject=subject,
                language=language_from_locale(claims.get("locale")),
            )
            user.set_unusable_password()
            user.full_clean()
            user.save()
            audit_log(user, "person.created_at_login", data={"subject": subject})

    if not user.is_active:
        if user.inactive_reason != User.InactiveReason.NOT_SEEN:
            raise SSOFailure("inactive", f"person {user.pk} is deactivated ({user.inactive_reason or 'by hand'})")
        # Away for a long time and back: the provider vouches that they still work here.
        user.is_active = True
        user.inactive_reason = ""
        user.save(update_fields=["is_active", "inactive_reason"])
        audit_log(user, "person.reactivated_at_login")

    changes = _update_from_claims(user, claims, email=email, name=name)
    if changes:
        user.save(update_fields=list(changes))
        audit_log(user, "person.updated_at_login", data=changes)
    return user


def _update_from_claims(user: User, claims: dict, *, email: str, name: str) -> dict:
    """Set name, e-mail, employee number and roles from the token; return what changed."""
    wanted: dict = {}
    if name:
        wanted["full_name"] = name
    if email and "@" in email and email != user.email.lower():
        if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
            logger.warning("Single sign-on: %s is another person's e-mail; person %s keeps theirs", email, user.pk)
        else:
            wanted["email"] = email
    claim = settings.OIDC_EMPLOYEE_ID_CLAIM
    if claim and claims.get(claim):
        number = str(claims[claim]).strip()
        if not User.objects.filter(employee_id=number).exclude(pk=user.pk).exists():
            wanted["employee_id"] = number
    roles = portal_roles(claims)
    wanted["is_adviser"] = "adviser" in roles
    wanted["is_staff"] = wanted["is_superuser"] = "administrator" in roles
    changes = {}
    for field, value in wanted.items():
        before = getattr(user, field)
        if before != value:
            changes[field] = {"from": before, "to": value}
            setattr(user, field, value)
    return changes


@transaction.atomic
def person_deactivate(*, user: User, reason: str, actor=None, now: datetime | None = None) -> bool:
    """The person no longer works here (or is no longer seen): deactivated, never deleted. The
    register's handover ("needs new editor") follows from the deactivation."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        return False
    user.is_active = False
    user.inactive_reason = reason
    user.save(update_fields=["is_active", "inactive_reason"])
    audit_log(user, "person.deactivated", actor=actor, data={"reason": reason})
    return True


def people_not_seen_deactivate(*, now: datetime | None = None) -> int:
    """Deactivate those who log in with the hospital account and have not for SSO_INACTIVE_DAYS."""
    if settings.SSO_INACTIVE_DAYS <= 0:
        return 0
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SSO_INACTIVE_DAYS)
    stale = User.objects.filter(is_active=True, sso_subject__isnull=False, last_login__lt=cutoff)
    return sum(person_deactivate(user=user, reason=User.InactiveReason.NOT_SEEN) for user in stale)
