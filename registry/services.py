"""Every change to the register goes through here: one function per action, each
atomic and audited, each saying what it did (registry/events.py). Views, the import, the
demo loader and tests call these; what they read is in registry/selectors.py."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import organisations
from accounts.models import Membership, User
from core.access import require_adviser
from core.audit import audit_log
from core.emails import email_people
from core.errors import DomainError
from core.locks import locked
from core.text import clean_name

from . import competence
from .events import account_changed, account_status_changed
from .models import (
    CHECKLIST_KEYS,
    COMPUTED_CHECKS,
    LANGUAGES,
    Account,
    AccountStatus,
    ChecklistCheck,
    new_code,
)
from .selectors import TRANSITIONS, missing_checks, plan_missing

S = AccountStatus

ONLY_ADVISERS = _("Only the Communications Department can change the register.")


class AccountError(DomainError):
    pass


class NotAllowed(AccountError):
    pass


class WrongState(AccountError):
    pass


class AlreadyRegistered(AccountError):
    """The profile is in the register already. A profile belongs to one organisation: when it is
    another organisation's than the one asking (`organisation_id`), the message names that
    organisation and its mailbox, and `account` is None (the asker may not open it)."""

    def __init__(self, account, organisation_id=None):
        holder_id = account.unit.organisation_id
        if organisation_id is None or holder_id == organisation_id:
            super().__init__(
                _("This profile is already in the register as “%(name)s”. The same profile cannot be registered twice.")
                % {"name": account.display_name}
            )
            self.account, self.holder = account, None
        else:
            holder = organisations.get(holder_id)
            super().__init__(
                _(
                    "This profile belongs to %(organisation)s: it is in their register. A profile belongs to one "
                    "organisation. If it should be yours, contact %(organisation)s's Communications Department "
                    "at %(mailbox)s."
                )
                % {"organisation": holder.name, "mailbox": holder.mailbox}
            )
            self.account, self.holder = None, holder


class ChecklistIncomplete(AccountError):
    def __init__(self, missing):
        super().__init__(_("The account cannot become active before every item on the checklist is ticked."))
        self.missing = missing


class TrainingMissing(AccountError):
    def __init__(self, gaps: list[str]):
        super().__init__(
            _("Only people with the required training can run an active account. Missing: %(gaps)s.")
            % {"gaps": "; ".join(gaps)}
        )
        self.gaps = gaps


class InvalidDetails(AccountError):
    """The details break a rule of the register; `errors` maps field names to messages."""

    def __init__(self, errors: dict):
        super().__init__(_("Some of the details are not right. See the messages below."))
        self.errors = errors


@dataclass
class AccountDetails:
    """What the account form (or an import row) collected."""

    display_name: str
    purpose: str
    unit: object
    editor: object
    deputies: list = field(default_factory=list)
    login_email: str = ""
    response_hours: str = ""
    response_time: str = ""
    languages: list[str] = field(default_factory=list)
    plan: object = None
    # An adviser has checked that the login e-mail, though it looks like a person's name, is a
    # functional mailbox the hospital owns.
    functional_mailbox: bool = False


# Letters that look like Latin ones (Cyrillic and Greek), and Nordic letters written out, so that
# "kаri.nordmann@helse-bergen.no" with a Cyrillic "а" is read as the name it imitates.
_LOOKALIKES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
        "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ӏ": "l",
        "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
        "υ": "u", "χ": "x", "æ": "ae", "ø": "o", "ß": "ss", "ı": "i", "ł": "l", "đ": "d",
    }
)  # fmt: skip
_NAME_PART = re.compile(r"[a-z]+[0-9]*")


def _skeleton(text: str) -> str:
    """The address as it reads to a person: compatibility forms folded, case and accents gone,
    look-alike letters made Latin."""
    text = unicodedata.normalize("NFKD", text).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.translate(_LOOKALIKES)


def personal_address(email: str) -> bool:
    """True when the address looks like a person's on an organisation's own domain: two or more
    name-like parts (kari.nordmann, kari-anne.nordmann) on the domain of an organisation's mailbox,
    one of ORGANISATION_EMAIL_DOMAINS, or a subdomain of one. Such an address leaves with the person, so it is never an account's login by
    itself. Plus-addressing (kari.nordmann+some@…) does not hide the name."""
    local, at, domain = _skeleton(email.strip()).rpartition("@")
    if not at:
        return False
    domain = domain.rstrip(".")
    if not any(domain == d or domain.endswith("." + d) for d in organisations.email_domains()):
        return False
    local = local.split("+", 1)[0]
    parts = re.split(r"[.\-_]", local)
    return len(parts) >= 2 and all(_NAME_PART.fullmatch(part) for part in parts)


def details_errors(details: AccountDetails) -> dict:
    """The register's own rules on top of what a form checks field by field."""
    errors = {}
    if not details.deputies:
        errors["deputies"] = _("Choose at least one deputy.")
    elif details.editor is not None and any(d.pk == details.editor.pk for d in details.deputies):
        errors["deputies"] = _("The editor and the deputy must be two different people.")
    people = [p for p in [details.editor, *details.deputies] if p is not None]
    if any(not p.is_active for p in people):
        errors["editor"] = _("Choose people who still work here.")
    # The people who answer for an account are its organisation's: another organisation's person
    # would get its mail and its tasks.
    owner = details.unit.organisation_id if details.unit is not None else None
    strangers = [p for p in people if owner is not None and p.organisation_id != owner]
    if strangers:
        field = "editor" if details.editor in strangers else "deputies"
        errors.setdefault(
            field,
            _("Choose people in %(organisation)s, which the account belongs to.")
            % {"organisation": organisations.get(owner).name},
        )
    email = details.login_email.strip().lower()
    if email and User.objects.filter(email__iexact=email).exists():
        errors["login_email"] = _(
            "This is a person's address. Use a functional mailbox the hospital owns, so the "
            "account does not leave with the person."
        )
    elif email and personal_address(email) and not details.functional_mailbox:
        errors["login_email"] = _(
            "This looks like a person's address. Use a functional mailbox the hospital owns, so the "
            "account does not leave with the person. If it is a functional mailbox, tick “This is a "
            "functional mailbox”."
        )
    if details.plan is not None and details.plan.unit_id != details.unit.pk:
        errors["plan"] = _("Choose a plan written for the account's own unit.")
    unknown = set(details.languages) - {code for code, _label in LANGUAGES}
    if unknown:
        errors["languages"] = _("Choose languages from the list.")
    return errors


def _apply(account: Account, profile, details: AccountDetails) -> None:
    account.platform = profile.platform
    account.handle = profile.handle
    account.handle_key = profile.key
    account.url = profile.url
    account.display_name = clean_name(details.display_name)
    account.purpose = details.purpose.strip()
    # Each language once, in the order given: the list is bounded by the choices.
    account.languages = list(dict.fromkeys(details.languages))
    account.unit = details.unit
    account.plan = details.plan
    account.editor = details.editor
    account.login_email = details.login_email.strip().lower()
    account.functional_mailbox = details.functional_mailbox
    account.response_hours = details.response_hours.strip()
    account.response_time = details.response_time.strip()


def _free_code() -> str:
    """A short address no other account has (six letters give 887 million of them)."""
    while True:
        code = new_code()
        if not Account.objects.filter(code=code).exists():
            return code


def _check_unique(profile, organisation_id, exclude_pk=None) -> None:
    existing = Account.objects.filter(url=profile.url).exclude(pk=exclude_pk).select_related("unit").first()
    if existing:
        raise AlreadyRegistered(existing, organisation_id)


def _registered_already(profile, organisation_id) -> AlreadyRegistered:
    """Someone registered the same profile between our check and our save."""
    return AlreadyRegistered(Account.objects.select_related("unit").get(url=profile.url), organisation_id)


@transaction.atomic
def account_register(
    *,
    actor,
    profile,
    details: AccountDetails,
    live_since: date | None = None,
    ask_for_plan: bool = True,
    notify: bool = True,
) -> Account:
    """Put an account in the register. A new account starts "being set up"; one that is
    already live (opened before the register existed) goes in as active from `live_since`.
    The unit's leader and editors are told, with the address for the profile's bio.
    Without an approved plan, the unit is asked for one (an import tells and asks once
    for all its accounts instead: see tell_unit and ask_for_plans)."""
    organisation_id = details.unit.organisation_id
    require_adviser(actor, NotAllowed, ONLY_ADVISERS, organisation_id=organisation_id)
    errors = details_errors(details)
    if live_since and live_since > timezone.localdate():
        errors["live_since"] = _("An account cannot have been live since a day that has not come yet.")
    if errors:
        raise InvalidDetails(errors)
    _check_unique(profile, organisation_id)
    account = Account(code=_free_code())
    _apply(account, profile, details)
    if live_since:
        account.status = S.ACTIVE
        account.live_since = live_since
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:
        raise _registered_already(profile, organisation_id) from None
    account.deputies.set(details.deputies)
    audit_log(
        account,
        "account.registered",
        actor=actor,
        data={
            "url": account.url,
            "status": account.status,
            "plan": account.plan_id,
            "functional_mailbox": account.functional_mailbox,
        },
    )
    if notify:
        tell_unit([account], "registered")
    if ask_for_plan and plan_missing(account):
        ask_for_plans([account])
    # An account that is live already is flagged, not refused, if its people lack training.
    competence.accounts_changed([account])
    account_changed.announce(accounts=[account], actor=actor)
    return account


@transaction.atomic
def account_update(*, account: Account, actor, profile, details: AccountDetails) -> Account:
    organisation_id = account.unit.organisation_id
    require_adviser(actor, NotAllowed, ONLY_ADVISERS, organisation_id=organisation_id)
    # The account stays with its organisation: another organisation's unit is not the adviser's to give it.
    require_adviser(actor, NotAllowed, ONLY_ADVISERS, organisation_id=details.unit.organisation_id)
    current = locked(account, "platform", "unit")
    errors = details_errors(details)
    if errors:
        raise InvalidDetails(errors)
    _check_unique(profile, organisation_id, exclude_pk=current.pk)
    had_plan = not plan_missing(current)
    before = {
        "url": current.url,
        "editor": current.editor_id,
        "plan": current.plan_id,
        "login_email": current.login_email,
        "functional_mailbox": current.functional_mailbox,
    }
    people_before = {current.editor_id, *current.deputies.values_list("pk", flat=True)}
    if current.status == S.ACTIVE:
        _refuse_untrained_newcomers(details, people_before)
    _apply(current, profile, details)
    if {current.editor_id, *(d.pk for d in details.deputies)} != people_before:
        # New people were chosen, all of them still here (details_errors saw to that).
        current.needs_new_editor = False
    try:
        with transaction.atomic():
            current.save()
    except IntegrityError:
        raise _registered_already(profile, organisation_id) from None
    current.deputies.set(details.deputies)
    after = {
        "url": current.url,
        "editor": current.editor_id,
        "plan": current.plan_id,
        "login_email": current.login_email,
        "functional_mailbox": current.functional_mailbox,
    }
    audit_log(
        current,
        "account.updated",
        actor=actor,
        data={k: [before[k], after[k]] for k in before if before[k] != after[k]},
    )
    if had_plan and plan_missing(current):
        ask_for_plans([current])
    competence.accounts_changed([current], former_people=people_before)
    account_changed.announce(accounts=[current], actor=actor)
    return current


def _refuse_untrained_newcomers(details: AccountDetails, people_before: set) -> None:
    """Nobody becomes editor or deputy of an active account without the required training."""
    errors = {}
    for name, people in (("editor", [details.editor]), ("deputies", details.deputies)):
        gaps = competence.gaps_in_words(p for p in people if p is not None and p.pk not in people_before)
        if gaps:
            errors[name] = _("Only people with the required training can run an active account. Missing: %(gaps)s.") % {
                "gaps": "; ".join(gaps)
            }
    if errors:
        raise InvalidDetails(errors)


@transaction.atomic
def account_check(*, account: Account, actor, item: str, checked: bool) -> Account:
    """Tick (or untick) one item of the set-up checklist."""
    require_adviser(actor, NotAllowed, ONLY_ADVISERS, organisation_id=account.unit.organisation_id)
    if item in COMPUTED_CHECKS:
        raise AccountError(
            _("The portal ticks this item itself, from the editors' training. It cannot be ticked by hand.")
        )
    if item not in CHECKLIST_KEYS:
        raise AccountError(_("There is no such item on the checklist."))
    current = locked(account, "platform", "unit")
    if current.status == S.CLOSED:
        raise WrongState(_("The account is closed; its checklist can no longer change."))
    if checked:
        _check, created = ChecklistCheck.objects.get_or_create(
            account=current, item=item, defaults={"checked_by": actor}
        )
    else:
        created = bool(ChecklistCheck.objects.filter(account=current, item=item).delete()[0])
    if created:
        audit_log(current, "account.checked" if checked else "account.unchecked", actor=actor, data={"item": item})
    return current


@transaction.atomic
def account_transition(*, account: Account, actor, action: str, on: date | None = None) -> Account:
    require_adviser(actor, NotAllowed, ONLY_ADVISERS, organisation_id=account.unit.organisation_id)
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise AccountError(_("Unknown action."))
    current = locked(account, "platform", "unit")
    if current.status not in transition.sources:
        raise WrongState(
            _("The account is “%(status)s”, so “%(action)s” is not possible now. Nothing was changed.")
            % {"status": current.get_status_display(), "action": transition.label}
        )
    today = timezone.localdate()
    if action == "activate":
        missing = missing_checks(current)
        if missing:
            raise ChecklistIncomplete(missing)
        current.live_since = on or today
    if action == "resume":
        gaps = competence.gaps_in_words(competence.account_people(current))
        if gaps:
            raise TrainingMissing(gaps)
    if action == "close":
        current.closed_on = on or today
        if current.live_since and current.closed_on < current.live_since:
            raise AccountError(_("An account cannot close before it went live."))
    previous = current.status
    current.status = transition.target
    current.save(update_fields=["status", "live_since", "closed_on", "updated_at"])
    audit_log(current, f"account.{action}", actor=actor, data={"from": previous, "to": current.status})
    competence.accounts_changed([current])
    if action == "activate":
        tell_unit([current], "active")
    account_status_changed.announce(account=current, old=previous, new=current.status, actor=actor)
    return current


def ask_for_plans(accounts) -> None:
    """Each unit's leader and each editor is asked, in one message, to write a plan for
    the accounts they answer for that have none approved."""
    wanted: dict[int, tuple] = {}
    leaders: dict[int, object] = {}  # one walk up the tree per unit, not per account
    for account in accounts:
        if not plan_missing(account):
            continue
        if account.unit_id not in leaders:
            leaders[account.unit_id] = account.unit.effective_leader()
        for person in [leaders[account.unit_id], account.editor]:
            if person is not None and person.is_active:
                wanted.setdefault(person.pk, (person, []))[1].append(account)
    for person, theirs in wanted.values():
        for organisation_id, same in _by_organisation(theirs).items():
            email_people(
                [person],
                template="account_plan_missing",
                context={"accounts": same},
                organisation=organisations.get(organisation_id),
            )


TELL_TEMPLATES = {"registered": "account_registered", "active": "account_active"}


def tell_unit(accounts, event: str) -> None:
    """Tell each account's unit leader, editor and deputies that it was registered (or
    became active), with its public page's address to put in the profile's bio: one
    e-mail per person, however many of their accounts it is about."""
    prefetch_related_objects(accounts, "deputies")
    wanted: dict[int, tuple] = {}
    leaders: dict[int, object] = {}
    for account in accounts:
        if account.unit_id not in leaders:
            leaders[account.unit_id] = account.unit.effective_leader()
        for person in [leaders[account.unit_id], account.editor, *account.deputies.all()]:
            if person is not None and person.is_active:
                theirs = wanted.setdefault(person.pk, (person, []))[1]
                if account not in theirs:
                    theirs.append(account)
    for person, theirs in wanted.values():
        for organisation_id, same in _by_organisation(theirs).items():
            email_people(
                [person],
                template=TELL_TEMPLATES[event],
                context={"accounts": same},
                organisation=organisations.get(organisation_id),
            )


def _by_organisation(accounts) -> dict[int, list]:
    """The accounts grouped by their organisation: each e-mail is about one organisation's, and
    names it and comes from it."""
    grouped: dict[int, list] = {}
    for account in accounts:
        grouped.setdefault(account.unit.organisation_id, []).append(account)
    return grouped


def _advisers(organisation_id) -> list:
    """The advisers of one organisation (those who decide on its accounts)."""
    return list(User.objects.filter(is_adviser=True, is_active=True, organisation_id=organisation_id))


@transaction.atomic
def editor_left(*, user, unit=None, actor=None) -> list[Account]:
    """`user` no longer works here (or no longer in `unit`): each live account they are
    editor or deputy of is marked as needing a new editor, and the leader and the
    advisers are told."""
    accounts = Account.objects.exclude(status=S.CLOSED).filter(needs_new_editor=False)
    accounts = (accounts.filter(editor=user) | accounts.filter(deputies=user)).distinct()
    if unit is not None:
        accounts = accounts.filter(unit=unit)
    marked = list(accounts.select_related("unit", "platform"))
    if not marked:
        return []
    Account.objects.filter(pk__in=[a.pk for a in marked]).update(needs_new_editor=True, updated_at=timezone.now())
    advisers: dict[int, list] = {}
    for account in marked:
        account.needs_new_editor = True
        audit_log(account, "account.needs_new_editor", actor=actor, data={"person": user.pk})
        organisation_id = account.unit.organisation_id
        if organisation_id not in advisers:
            advisers[organisation_id] = _advisers(organisation_id)
        email_people(
            [account.unit.effective_leader(), *advisers[organisation_id]],
            template="account_needs_editor",
            context={"account": account, "person": user},
            organisation=organisations.get(organisation_id),
        )
    account_changed.announce(accounts=marked, actor=actor)
    return marked


@transaction.atomic
def editors_back(*, users, actor=None) -> list[Account]:
    """The people `users` (ids) are back (active again, or in the unit again), as when the
    organisation sync undoes what an earlier file did. An account marked as needing a new
    editor because one of them left is unmarked when nothing else justifies the mark: its
    editor and every deputy are active, and each is in the account's unit (or leads it). The
    unit's leader and the advisers, who were told that the person left, are told that the
    account no longer needs a new editor: one e-mail per person."""
    users = set(users)
    if not users:
        return []
    # The marked accounts are few; the people may be thousands (a whole register coming back).
    flagged = Account.objects.exclude(status=S.CLOSED).filter(needs_new_editor=True)
    flagged = [
        account
        for account in flagged.select_related("unit", "platform", "editor").prefetch_related("deputies")
        if account.editor_id in users or any(d.pk in users for d in account.deputies.all())
    ]
    if not flagged:
        return []
    members = set(Membership.objects.filter(unit__in={a.unit_id for a in flagged}).values_list("unit_id", "user_id"))
    unmarked = []
    for account in flagged:
        people = [p for p in [account.editor, *account.deputies.all()] if p is not None]
        if all(p.is_active and ((account.unit_id, p.pk) in members or account.unit.leader_id == p.pk) for p in people):
            unmarked.append(account)
    if not unmarked:
        return []
    Account.objects.filter(pk__in=[a.pk for a in unmarked]).update(needs_new_editor=False, updated_at=timezone.now())
    advisers: dict[int, list] = {}
    told: dict[tuple, tuple] = {}
    for account in unmarked:
        account.needs_new_editor = False
        audit_log(account, "account.editor_back", actor=actor)
        organisation_id = account.unit.organisation_id
        if organisation_id not in advisers:
            advisers[organisation_id] = _advisers(organisation_id)
        for person in [account.unit.effective_leader(), *advisers[organisation_id]]:
            if person is not None and person.is_active:
                told.setdefault((person.pk, organisation_id), (person, []))[1].append(account)
    for (_person, organisation_id), (person, theirs) in told.items():
        email_people(
            [person],
            template="account_editor_back",
            context={"accounts": theirs},
            organisation=organisations.get(organisation_id),
        )
    account_changed.announce(accounts=unmarked, actor=actor)
    return unmarked


@transaction.atomic
def accounts_mark_training(*, missing=(), trained=(), now=None) -> None:
    """Set the competence gate's mark: the accounts `missing` (ids) lack training among their
    people, the accounts `trained` (ids) no longer do. The gate's check (registry/training.py)
    writes the mark through here, so the schedules' copies and the overview's cache hear of it
    like of any other change to an account. Not audited here: the check audits each account
    it marks, and a mark lifted is a fact the training records already tell."""
    missing, trained = set(missing), set(trained) - set(missing)
    if not (missing or trained):
        return
    now = now or timezone.now()
    if missing:
        Account.objects.filter(pk__in=missing).update(training_missing=True, updated_at=now)
    if trained:
        Account.objects.filter(pk__in=trained).update(training_missing=False, updated_at=now)
    account_changed.announce(accounts=list(Account.objects.filter(pk__in=missing | trained)), actor=None)
