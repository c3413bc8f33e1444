"""The competence gate's mark on accounts: `Account.training_missing` says that the editor or
a deputy of an open account lacks training the hospital requires (registry/competence.py).

The register keeps the mark itself, like every other fact about an account. It checks the
accounts of some people again when the training app announces that their training changed
(a course passed, a completion withdrawn or run out: `courses.events.training_changed`) and
when the people of accounts change (`competence.accounts_changed`). A changed mark is an
account changed (`account_changed`): the schedules' copies and the overview's cache follow it
there, like any other change to an account. Then it announces `training_marks_checked`, so
the training app tells the people of the accounts newly marked what they lack."""

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.audit import audit_log
from courses.events import training_changed

from . import services
from .competence import trained_people_asked, training_marks_checked
from .models import Account, AccountStatus


@transaction.atomic
def training_marks_refresh(*, people=None, day=None) -> list[Account]:
    """Bring the mark up to date for every account (or those run by `people`, a list of user
    ids), in a few queries however large the register. Returns the accounts newly marked."""
    day = day or timezone.localdate()
    accounts = Account.objects.all()
    if people is not None:
        people = sorted(set(people))
        deputies = Account.deputies.through.objects.filter(user_id__in=people).values("account_id")
        accounts = accounts.filter(Q(editor_id__in=people) | Q(pk__in=deputies))
    is_open = ~Q(status=AccountStatus.CLOSED)
    lacking = _lacking(day)
    # Locked, so two checks at once do not both mark (and tell the people of) the same account.
    newly = list(
        accounts.filter(is_open & lacking, training_missing=False)
        .select_related("unit", "platform", "editor")
        .select_for_update(of=("self",))
    )
    cleared = list(accounts.filter(training_missing=True).exclude(is_open & lacking).values_list("pk", flat=True))
    # Written (and announced as accounts changed) by the register's one service for the mark.
    services.accounts_mark_training(missing=[a.pk for a in newly], trained=cleared)
    for account in newly:
        account.training_missing = True
        audit_log(account, "account.training_missing")
    training_marks_checked.announce(people=people, newly_marked=newly, day=day)
    return newly


def _lacking(day) -> Q:
    """An account whose editor or a deputy is not among the trained people, as a condition on
    the accounts' table. Nobody lacks anything when nothing is required."""
    answers = [answer for answer in trained_people_asked.ask(day=day) if answer is not None]
    lacking = Q(pk__in=[])  # matches no account
    for trained in answers:
        deputies = Account.deputies.through.objects.filter(account_id=OuterRef("pk"))
        lacking |= ~Q(editor_id__in=trained) | Q(Exists(deputies.exclude(user_id__in=trained)))
    return lacking


@training_changed.subscribe
def _training_changed(*, user_ids, day) -> None:
    training_marks_refresh(people=user_ids, day=day)
