"""People's training and the register: changes to it announced (`training_changed`), the
competence overview's copy of who runs which accounts and holds the required courses
(EditorStatus), and the mail to the people of an account the register has newly marked as
lacking training (the register keeps the mark: registry/training.py)."""

from collections import Counter

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from registry.models import Account, AccountStatus

from ..events import training_changed
from ..models import EditorStatus, requirements_by_organisation, trained_people
from ..selectors import next_sessions, self_study_versions
from .base import _mail


def training_changed_announce(*, user_ids, day=None) -> None:
    """Tell the portal that these people's training changed (None: anyone's), counted on `day`
    (today by default). The register checks the marks on their accounts (registry/training.py)."""
    training_changed.announce(
        user_ids=None if user_ids is None else sorted(set(user_ids)), day=day or timezone.localdate()
    )


@transaction.atomic
def training_expiry_check(*, now) -> None:
    """Training runs out by the calendar, not by anything anyone does: the periodic job tells
    the portal that anyone's may have run out by today, and the register checks every mark."""
    training_changed_announce(user_ids=None, day=timezone.localdate(now))


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
    requirements = requirements_by_organisation()
    for first in range(0, len(wanted), 5000):  # within every database's limit on parameters
        chunk = wanted[first : first + 5000]
        trained |= set(trained_people(day, requirements).filter(pk__in=chunk).values_list("pk", flat=True))
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


def tell_training_missing(accounts: list[Account], day) -> None:
    """Each person who lacks a course is told what they lack and when it ran out, with the
    next sessions; the unit's leader is told who lacks what. A trained editor is not told."""
    from ..competence import gaps_for

    now = timezone.now()
    for account in accounts:
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
                    "sessions": [s for course in courses for s in next_sessions(course, now, person.organisation_id)],
                    "self_study": self_study_versions(courses, person.organisation_id),
                }
                _mail(person, "account_training_missing", context)
        leader = account.unit.effective_leader()
        others = [(person, lacking) for person, lacking in gaps if leader is None or person.pk != leader.pk]
        if leader is not None and leader.is_active and others:
            _mail(leader, "account_training_missing_leader", {"account": account, "gaps": others})
