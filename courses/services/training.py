"""The competence gate's marks on accounts, and the competence overview's copy of who runs
which accounts and holds the required courses (EditorStatus)."""

from collections import Counter

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import User
from core.audit import audit_log
from registry.models import Account, AccountStatus

from ..models import EditorStatus, trained_people
from ..selectors import next_sessions, self_study_versions
from .base import _mail


@transaction.atomic
def training_flags_refresh(*, people=None, now=None) -> list[Account]:
    """Bring `Account.training_missing` up to date for every open account (or those run by
    `people`, a list of user ids), in a few queries however large the register. The people
    of each account newly marked, and its unit's leader, are told once."""
    now = now or timezone.now()
    trained = trained_people(timezone.localdate(now)).values("pk")
    deputy_untrained = Account.deputies.through.objects.filter(account_id=OuterRef("pk")).exclude(user_id__in=trained)
    accounts = Account.objects.all()
    if people is not None:
        deputies = Account.deputies.through.objects.filter(user_id__in=people).values("account_id")
        accounts = accounts.filter(Q(editor_id__in=people) | Q(pk__in=deputies))
    lacking = ~Q(editor_id__in=trained) | Q(Exists(deputy_untrained))
    is_open = ~Q(status=AccountStatus.CLOSED)
    # Locked, so two runs at once do not both tell the same people.
    newly = list(
        accounts.filter(is_open & lacking, training_missing=False)
        .select_related("unit", "platform", "editor")
        .select_for_update(of=("self",))
    )
    Account.objects.filter(pk__in=[a.pk for a in newly]).update(training_missing=True, updated_at=now)
    accounts.filter(training_missing=True).exclude(is_open & lacking).update(training_missing=False, updated_at=now)
    if newly:
        _tell_training_missing(newly, timezone.localdate(now))
    editor_status_refresh(people=people, day=timezone.localdate(now))
    return newly


def editor_status_refresh(*, people=None, day) -> None:
    """Bring the people's EditorStatus rows (everyone's, or those of `people`, a list of
    user ids) in line with the accounts they run and the courses they hold."""
    closed = AccountStatus.CLOSED
    editors = Account.objects.exclude(status=closed).order_by().values_list("editor_id", "pk", "display_name")
    deputies = (
        Account.deputies.through.objects.exclude(account__status=closed)
        .order_by()
        .values_list("user_id", "account_id", "account__display_name")
    )
    existing = EditorStatus.objects.all()
    if people is not None:
        people = set(people)
        editors, deputies = editors.filter(editor_id__in=people), deputies.filter(user_id__in=people)
        existing = existing.filter(pk__in=people)
    runs: Counter = Counter()
    examples: dict[int, list] = {}
    for rows in (editors, deputies):
        for person, account, name in rows:
            runs[person] += 1
            if len(examples.setdefault(person, [])) < EXAMPLES:
                examples[person].append([account, name])
    existing = {status.pk: status for status in existing}
    EditorStatus.objects.filter(pk__in=[pk for pk in existing if pk not in runs]).delete()
    wanted = sorted(runs)
    trained, names = set(), {}
    for first in range(0, len(wanted), 5000):  # within every database's limit on parameters
        chunk = wanted[first : first + 5000]
        trained |= set(trained_people(day).filter(pk__in=chunk).values_list("pk", flat=True))
        names |= dict(User.objects.filter(pk__in=chunk).values_list("pk", "full_name"))
    new, changed = [], []
    fields = ["name", "trained", "accounts", "examples"]
    for pk in wanted:
        values = {"name": names.get(pk, ""), "trained": pk in trained, "accounts": runs[pk], "examples": examples[pk]}
        status = existing.get(pk)
        if status is None:
            new.append(EditorStatus(user_id=pk, **values))
        elif any(getattr(status, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(status, key, value)
            changed.append(status)
    EditorStatus.objects.bulk_create(new, batch_size=1000)
    EditorStatus.objects.bulk_update(changed, fields, batch_size=1000)


EXAMPLES = 3  # accounts named per person on the competence overview


def _tell_training_missing(accounts: list[Account], day) -> None:
    """Each person who lacks a course is told what they lack and when it ran out, with the
    next sessions; the unit's leader is told who lacks what. A trained editor is not told."""
    from ..competence import gaps_for

    now = timezone.now()
    for account in accounts:
        audit_log(account, "account.training_missing")
        people = [account.editor, *account.deputies.all()]
        missing = gaps_for(people, day)
        gaps = [(person, missing[person.pk]) for person in people if person.pk in missing]
        for person, lacking in gaps:
            if person.is_active:
                courses = {gap.course.pk: gap.course for gap in lacking}.values()
                context = {
                    "account": account,
                    "gaps": lacking,
                    "is_editor": person.pk == account.editor_id,
                    "sessions": [s for course in courses for s in next_sessions(course, now)],
                    "self_study": self_study_versions(courses),
                }
                _mail(person, "account_training_missing", context)
        leader = account.unit.effective_leader()
        others = [(person, lacking) for person, lacking in gaps if leader is None or person.pk != leader.pk]
        if leader is not None and leader.is_active and others:
            _mail(leader, "account_training_missing_leader", {"account": account, "gaps": others})
