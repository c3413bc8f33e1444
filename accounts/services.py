"""State changes of people and units: the person behind a login with the hospital account,
people who stop working here, and what the administration changes by hand (people, units,
memberships). Each is atomic and audited, and says what happened (accounts/events.py), so
the register hands over the accounts of a person who left however they left."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.locks import locked
from core.pagecache import renew_public_pages

from .events import person_left, units_changed
from .models import Membership, Organisation, Unit, User
from .oidc import SSOFailure
from .organisations import all_organisations

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


def organisation_from_claims(claims: dict) -> int | None:
    """The organisation the token says the person works for: the claim SSO_ORGANISATION_CLAIM
    names, matched with an organisation's id in the organisation register or its address name.
    None when the portal reads no such claim or the token carries none (the person's
    organisation is then the organisation file's, or the portal's default). A token that names an
    organisation the portal does not have is refused: the person would otherwise land in
    another organisation, with whatever role the token gives."""
    claim = getattr(settings, "SSO_ORGANISATION_CLAIM", "")
    value = claims.get(claim) if claim else None
    if isinstance(value, list):
        value = value[0] if len(value) == 1 else None
    value = str(value or "").strip().lower()
    if not value:
        return None
    for organisation in all_organisations():
        if organisation.is_active and value in {(organisation.register_id or "").lower(), organisation.slug}:
            return organisation.pk
    raise SSOFailure("organisation", f"the token names the organisation {value!r}, which the portal does not have")


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
                organisation_id=organisation_from_claims(claims),
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
    organisation_id = organisation_from_claims(claims)
    if organisation_id is not None:
        wanted["organisation_id"] = organisation_id
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
    user = locked(user)
    if not user.is_active:
        return False
    user.is_active = False
    user.inactive_reason = reason
    user.save(update_fields=["is_active", "inactive_reason"])
    audit_log(user, "person.deactivated", actor=actor, data={"reason": reason})
    person_left.announce(user=user, unit=None, actor=actor)
    return True


def people_not_seen_deactivate(*, now: datetime | None = None) -> int:
    """Deactivate those who log in with the hospital account and have not for SSO_INACTIVE_DAYS."""
    if settings.SSO_INACTIVE_DAYS <= 0:
        return 0
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SSO_INACTIVE_DAYS)
    stale = User.objects.filter(is_active=True, sso_subject__isnull=False, last_login__lt=cutoff)
    return sum(person_deactivate(user=user, reason=User.InactiveReason.NOT_SEEN) for user in stale)


# What the administration changes by hand. The admin pages (accounts/admin.py) save and delete
# through these, so a change there is audited and heard like any other.

# Never written to the audit log, not even by name of value.
SECRET_FIELDS = {"password", "password1", "password2"}


def _changed_names(changed) -> list[str]:
    return sorted(set(changed) - SECRET_FIELDS)


@transaction.atomic
def person_save(*, user: User, actor, changed=()) -> User:
    """Save a person as the administration filled them in (`changed` names the fields that
    changed). A person who is deactivated here has left: their accounts are handed over, as
    when the organisation register says so."""
    created = user.pk is None
    was_active = not created and User.objects.filter(pk=user.pk).values_list("is_active", flat=True).first()
    left = bool(was_active) and not user.is_active
    user.save()
    audit_log(
        user,
        "person.created" if created else ("person.deactivated" if left else "person.updated"),
        actor=actor,
        data={"fields": _changed_names(changed)},
    )
    if left:
        person_left.announce(user=user, unit=None, actor=actor)
    return user


@transaction.atomic
def person_delete(*, user: User, actor) -> None:
    """Delete a person outright (the administration; people who leave are deactivated). Their
    accounts are handed over first, while the person can still be read; an account's editor
    cannot be deleted at all (the register protects it)."""
    audit_log(user, "person.deleted", actor=actor, data={"name": user.full_name, "email": user.email})
    if user.is_active:
        person_left.announce(user=user, unit=None, actor=actor)
    user.delete()


@transaction.atomic
def people_allow_sso_link(*, people, actor) -> int:
    """Let the next login with the hospital account take over these people (those not linked
    yet); returns how many."""
    chosen = list(User.objects.filter(pk__in=[p.pk for p in people], sso_subject__isnull=True, sso_may_link=False))
    User.objects.filter(pk__in=[p.pk for p in chosen]).update(sso_may_link=True)
    for person in chosen:
        audit_log(person, "person.sso_link_allowed", actor=actor)
    return len(chosen)


@transaction.atomic
def unit_save(*, unit: Unit, actor, changed=()) -> Unit:
    """Save a unit as the administration filled it in (`changed` names the fields that changed)."""
    created = unit.pk is None
    unit.full_clean()
    unit.save()
    audit_log(
        unit, "unit.created" if created else "unit.updated", actor=actor, data={"fields": _changed_names(changed)}
    )
    units_changed.announce(unit_ids=[unit.pk])
    return unit


@transaction.atomic
def unit_delete(*, unit: Unit, actor) -> None:
    """Delete a unit (the administration; the organisation sync closes units instead). Its
    members leave it first, while they can still be read."""
    pk = unit.pk
    audit_log(unit, "unit.deleted", actor=actor, data={"name": unit.name, "register_id": unit.register_id})
    memberships_remove(memberships=unit.memberships.all(), actor=actor)
    unit.delete()
    units_changed.announce(unit_ids=[pk])


@transaction.atomic
def membership_add(*, user: User, unit: Unit, actor) -> Membership:
    """Put a person in a unit (nothing changes if they are in it already)."""
    membership, created = Membership.objects.get_or_create(user=user, unit=unit)
    if created:
        audit_log(user, "person.unit_added", actor=actor, data={"unit": unit.pk})
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    """Take a person out of a unit: the accounts they run there are handed over."""
    user, unit = membership.user, membership.unit
    audit_log(user, "person.unit_removed", actor=actor, data={"unit": unit.pk})
    membership.delete()
    person_left.announce(user=user, unit=unit, actor=actor)


@transaction.atomic
def memberships_remove(*, memberships, actor) -> int:
    """Take people out of units, as many as given (Membership objects or a queryset): each is
    `membership_remove`. Returns how many."""
    if hasattr(memberships, "select_related"):
        memberships = memberships.select_related("user", "unit")
    removed = 0
    for membership in list(memberships):
        membership_remove(membership=membership, actor=actor)
        removed += 1
    return removed


# Organisations: added and changed by a super-administrator (the administration, or the
# `organisation_add` command), through these.


def organisation_check(organisation: Organisation) -> None:
    """What the model's own checks cannot see, as a ValidationError by field: a host name
    belongs to one organisation only (the portal shows that organisation there), and a region
    is never inside a region (nor is an organisation inside one that is not a region)."""
    errors: dict[str, list[str]] = {}
    hosts = organisation.hosts()
    if len(hosts) != len(set(hosts)):
        errors.setdefault("host_names", []).append(_("Each host name once."))
    for other in Organisation.objects.exclude(pk=organisation.pk).only("name", "host_names"):
        shared = sorted(set(hosts) & set(other.hosts()))
        if shared:
            errors.setdefault("host_names", []).append(
                _("%(hosts)s already belongs to %(organisation)s.")
                % {"hosts": ", ".join(shared), "organisation": other.name}
            )
    if organisation.region_id:
        region = Organisation.objects.filter(pk=organisation.region_id).only("is_region").first()
        if organisation.is_region:
            errors.setdefault("region", []).append(_("A region cannot belong to another region."))
        elif region is None or not region.is_region:
            errors.setdefault("region", []).append(_("Choose an organisation that is a region."))
        elif region.pk == organisation.pk:
            errors.setdefault("region", []).append(_("An organisation cannot be its own region."))
    if organisation.is_region and organisation.pk and Unit.objects.filter(organisation_id=organisation.pk).exists():
        errors.setdefault("is_region", []).append(
            _("An organisation with units cannot be a region: a region reads its organisations' figures only.")
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def organisation_save(*, organisation: Organisation, actor, changed=()) -> Organisation:
    """Add or change an organisation (name, short name, host names, mailbox, sender, logo,
    colour, default language, region). Checked in full first: a ValidationError changes nothing."""
    created = organisation.pk is None
    organisation.host_names = "\n".join(organisation.hosts())
    organisation.full_clean()
    organisation_check(organisation)
    organisation.save()  # the process's list of organisations is read again (accounts/organisations.py)
    renew_public_pages()  # its name, mailbox and host names are on every public page
    audit_log(
        organisation,
        "organisation.created" if created else "organisation.updated",
        actor=actor,
        data={"fields": _changed_names(changed) if changed else [], "slug": organisation.slug},
    )
    return organisation
