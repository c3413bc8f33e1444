"""What the courses ask of a person: attendance to mark, accounts whose editors lack
training (advisers), free seats the waiting list did not get (advisers), and the
person's own missing or expiring training. A fixed number of queries per person."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.worklist import WorkItem, worklist_provider
from registry.models import Account, AccountStatus

from .competence import missing_for
from .models import Completion, Enrollment, Session, SessionStatus

ATTENDANCE_WINDOW = timedelta(days=60)
SHOWN = 20


@worklist_provider
def items(user) -> list[WorkItem]:
    now = timezone.now()
    found = _attendance(user, now)
    if user.is_adviser:
        found += _accounts_at_risk() + _free_seats(now)
    found += _own_training(user, now)
    return found


def _attendance(user, now) -> list[WorkItem]:
    unmarked = Enrollment.objects.confirmed().filter(session_id=OuterRef("pk"), attendance="")
    sessions = Session.objects.filter(
        status=SessionStatus.SCHEDULED, starts_at__lte=now, starts_at__gte=now - ATTENDANCE_WINDOW
    ).filter(Exists(unmarked))
    if not user.is_adviser:
        sessions = sessions.filter(instructors=user)
    return [
        WorkItem(
            kind="course.attendance",
            text=_("Mark attendance: %(course)s") % {"course": s.course.title},
            url=reverse("courses:attendance", args=[s.pk]),
            since=s.ends_at,
            urgent=s.ends_at < now - timedelta(days=7),
            detail=formats.date_format(timezone.localtime(s.starts_at), "DATETIME_FORMAT"),
        )
        for s in sessions.select_related("course").order_by("-starts_at")[:SHOWN]
    ]


def _accounts_at_risk() -> list[WorkItem]:
    accounts = (
        Account.objects.filter(training_missing=True)
        .exclude(status=AccountStatus.CLOSED)
        .select_related("platform", "unit")
        .order_by("-updated_at")[:SHOWN]
    )
    return [
        WorkItem(
            kind="course.account_untrained",
            text=_("Editors without valid training: %(name)s") % {"name": a.display_name},
            url=reverse("registry:detail", args=[a.pk]),
            since=a.updated_at,
            urgent=a.status == AccountStatus.ACTIVE,
            detail=f"{a.platform.name} · {a.unit.name}",
        )
        for a in accounts
    ]


def _free_seats(now) -> list[WorkItem]:
    cutoff = timedelta(hours=settings.COURSE_WAITLIST_CUTOFF_HOURS)
    sessions = (
        Session.objects.upcoming(now)
        .filter(starts_at__lte=now + cutoff)
        .filter(Exists(Enrollment.objects.waiting().filter(session_id=OuterRef("pk"))))
        .with_counts()
        .filter(seats_taken__lt=F("capacity"))
        .select_related("course")
    )
    return [
        WorkItem(
            kind="course.free_seats",
            text=_("Free seats and a waiting list: %(course)s") % {"course": s.course.title},
            url=reverse("courses:session", args=[s.pk]),
            since=s.starts_at,
            urgent=True,
            detail=formats.date_format(timezone.localtime(s.starts_at), "DATETIME_FORMAT"),
        )
        for s in sessions[:SHOWN]
    ]


def _own_training(user, now) -> list[WorkItem]:
    found = []
    open_accounts = Account.objects.exclude(status=AccountStatus.CLOSED)
    runs_accounts = (
        open_accounts.filter(editor=user).exists()
        or Account.deputies.through.objects.filter(user=user).exclude(account__status=AccountStatus.CLOSED).exists()
    )
    if runs_accounts:
        for missing in missing_for([user]).get(user.pk, []):
            found.append(
                WorkItem(
                    kind="course.own_missing",
                    text=_("Take the course: %(course)s") % {"course": missing},
                    url=reverse("courses:list"),
                    urgent=True,
                    detail=_("Required for the accounts you run."),
                )
            )
    today = timezone.localdate(now)
    horizon = today + timedelta(days=settings.COURSE_EXPIRY_NOTICE_DAYS)
    newer = Completion.objects.filter(
        user_id=OuterRef("user_id"), course_id=OuterRef("course_id"), completed_on__gt=OuterRef("completed_on")
    )
    expiring = (
        Completion.objects.filter(user=user, valid_until__gte=today, valid_until__lte=horizon)
        .exclude(Exists(newer))
        .select_related("course")
    )
    for completion in expiring:
        found.append(
            WorkItem(
                kind="course.own_expiring",
                text=_("Renew your course: %(course)s") % {"course": completion.course.title},
                url=reverse("courses:detail", args=[completion.course.slug]),
                detail=_("Valid until %(date)s") % {"date": formats.date_format(completion.valid_until)},
            )
        )
    return found
