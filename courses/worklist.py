"""What the courses ask of a person: attendance to mark, accounts whose editors lack
training (advisers), free seats the waiting list did not get (advisers), and the
person's own missing or expiring training. An adviser's tasks are their own organisation's
(the scoping helpers of sessions and accounts keep them so). A fixed number of queries per person; the first
few of each kind, then one item that stands for the rest."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.worklist import Sentence, WorkItem, Written, capped, work_asked
from registry.models import Account, AccountQuerySet, AccountStatus

from .competence import gaps_for
from .models import Completion, Enrollment, Session, SessionStatus
from .selectors import accounts_at_risk

ATTENDANCE_WINDOW = timedelta(days=60)
SHOWN = 5  # of each kind; one more item stands for the rest (see core.worklist.capped)
# What a task about a session shows; only these are read (a course's description is long).
SESSION_FIELDS = ("pk", "starts_at", "ends_at", "course__title")


@work_asked.subscribe
def items(user) -> list[WorkItem]:
    now = timezone.now()
    found = _attendance(user, now)
    if user.advised_organisation_ids():
        found += _accounts_at_risk(user) + _free_seats(user, now)
    found += _own_training(user, now)
    return found


def _shown(sessions):
    """What a task about a session reads with it; both kinds are read so, in one query."""
    return sessions.select_related("course").only(*SESSION_FIELDS)


def _attendance(user, now) -> list[WorkItem]:
    unmarked = Enrollment.objects.confirmed().filter(session_id=OuterRef("pk"), attendance="")
    # An adviser's organisation's sessions, or those one teaches.
    sessions = Session.objects.managed_by(user) if user.advised_organisation_ids() else Session.objects.all()
    sessions = sessions.filter(
        status=SessionStatus.SCHEDULED, starts_at__lte=now, starts_at__gte=now - ATTENDANCE_WINDOW
    ).filter(Exists(unmarked))
    if not user.advised_organisation_ids():
        sessions = sessions.filter(instructors=user)
    return capped(
        sessions.order_by("starts_at", "pk"),
        SHOWN,
        lambda s: WorkItem(
            kind="course.attendance",
            text=Sentence(_("Mark attendance: %(course)s"), course=Written(s.course.title)),
            url=reverse("courses:attendance", args=[s.pk]),
            since=s.ends_at,
            urgent=s.ends_at < now - timedelta(days=7),
            detail=formats.date_format(timezone.localtime(s.starts_at), "DATETIME_FORMAT"),
        ),
        lambda count, first: WorkItem(
            kind="course.attendance",
            text=ngettext(
                "%(count)s more session needs its attendance marked",
                "%(count)s more sessions need their attendance marked",
                count,
            )
            % {"count": count},
            url=reverse("courses:list"),
            count=count,
        ),
        read=_shown,
    )


def _accounts_at_risk(user) -> list[WorkItem]:
    accounts = accounts_at_risk(user).order_by("updated_at", "pk")
    return capped(
        accounts,
        SHOWN,
        lambda a: WorkItem(
            kind="course.account_untrained",
            text=_("Editors without valid training: %(name)s") % {"name": a.display_name},
            url=reverse("registry:detail", args=[a.pk]),
            since=a.updated_at,
            urgent=a.status == AccountStatus.ACTIVE,
            detail=f"{a.platform.name} · {a.unit.name}",
        ),
        lambda count, first: WorkItem(
            kind="course.account_untrained",
            text=ngettext(
                "%(count)s more account has editors without valid training",
                "%(count)s more accounts have editors without valid training",
                count,
            )
            % {"count": count},
            url=reverse("registry:register") + "?training_missing=on",
            urgent=first.status == AccountStatus.ACTIVE,
            count=count,
        ),
        read=AccountQuerySet.for_tasks,
    )


def _free_seats(user, now) -> list[WorkItem]:
    cutoff = timedelta(hours=settings.COURSE_WAITLIST_CUTOFF_HOURS)
    sessions = (
        Session.objects.managed_by(user)
        .upcoming(now)
        .filter(starts_at__lte=now + cutoff)
        .filter(Exists(Enrollment.objects.waiting().filter(session_id=OuterRef("pk"))))
        .with_counts(read=False)
        .filter(seats_taken__lt=F("capacity"))
    )
    return capped(
        sessions.order_by("starts_at", "pk"),
        SHOWN,
        lambda s: WorkItem(
            kind="course.free_seats",
            text=Sentence(_("Free seats and a waiting list: %(course)s"), course=Written(s.course.title)),
            url=reverse("courses:session", args=[s.pk]),
            due=timezone.localdate(s.starts_at),
            urgent=True,
            detail=formats.date_format(timezone.localtime(s.starts_at), "DATETIME_FORMAT"),
        ),
        lambda count, first: WorkItem(
            kind="course.free_seats",
            text=ngettext(
                "%(count)s more session has free seats and a waiting list",
                "%(count)s more sessions have free seats and a waiting list",
                count,
            )
            % {"count": count},
            url=reverse("courses:list"),
            urgent=True,
            count=count,
        ),
        read=_shown,
    )


def _gap(gap) -> Written | Sentence:
    """A required course the person lacks, as courses.competence.Gap says it, with its title
    in its own language."""
    if gap.expired is None:
        return Written(gap.course.title)
    expired = formats.date_format(gap.expired, "DATE_FORMAT")
    return Sentence(_("%(course)s (expired %(date)s)"), course=Written(gap.course.title), date=expired)


def _own_training(user, now) -> list[WorkItem]:
    """The person's missing required courses (if they run accounts) and completions about to
    expire, from one read of their completions (a person has a handful)."""
    found = []
    today = timezone.localdate(now)
    own = list(Completion.objects.filter(user=user).select_related("course"))
    if Account.objects.exclude(status=AccountStatus.CLOSED).run_by(user).exists():  # editor or deputy
        for missing in gaps_for([user], day=today, completions=own).get(user.pk, []):
            found.append(
                WorkItem(
                    kind="course.own_missing",
                    text=Sentence(_("Take the course: %(course)s"), course=_gap(missing)),
                    url=reverse("courses:detail", args=[missing.course.slug]),
                    urgent=True,
                    detail=_("Required for the accounts you run."),
                )
            )
    horizon = today + timedelta(days=settings.COURSE_EXPIRY_NOTICE_DAYS)
    for completion in own:
        if completion.valid_until is None or not today <= completion.valid_until <= horizon:
            continue
        if any(c.course_id == completion.course_id and c.completed_on > completion.completed_on for c in own):
            continue  # taken again since: the newer one counts
        found.append(
            WorkItem(
                kind="course.own_expiring",
                text=Sentence(_("Renew your course: %(course)s"), course=Written(completion.course.title)),
                url=reverse("courses:detail", args=[completion.course.slug]),
                due=completion.valid_until,
                detail=_("Valid until %(date)s") % {"date": formats.date_format(completion.valid_until)},
            )
        )
    return found
