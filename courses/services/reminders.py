"""Reminders: of a session the day before (and hours before an online one), and of training
that is about to run out."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from ..models import Completion, Enrollment, SessionStatus
from ..selectors import next_sessions
from .base import _mail, _with_people


def send_session_reminders(*, now) -> int:
    """The day before: everyone with a seat (unless they got it within the last day).
    Hours before an online session: everyone with a seat, with the link. Each is claimed
    with a conditional update, so a job that runs twice sends nothing twice."""
    sent = 0
    soon = now + timedelta(hours=24)
    day_before = Enrollment.objects.confirmed().filter(
        session__status=SessionStatus.SCHEDULED,
        session__starts_at__gt=now,
        session__starts_at__lte=soon,
        reminded_at__isnull=True,
        confirmed_at__lte=F("session__starts_at") - timedelta(hours=24),
    )
    for enrollment in _with_people(day_before):
        with transaction.atomic():
            if Enrollment.objects.filter(pk=enrollment.pk, reminded_at__isnull=True).update(reminded_at=now):
                _mail(enrollment.user, "session_reminder", {"enrollment": enrollment, "soon": False})
                sent += 1
    hours = settings.COURSE_ONLINE_REMINDER_HOURS
    starting = (
        Enrollment.objects.confirmed()
        .filter(
            session__status=SessionStatus.SCHEDULED,
            session__starts_at__gt=now,
            session__starts_at__lte=now + timedelta(hours=hours),
            reminded_soon_at__isnull=True,
        )
        .exclude(session__video_link="")
    )
    for enrollment in _with_people(starting):
        with transaction.atomic():
            if Enrollment.objects.filter(pk=enrollment.pk, reminded_soon_at__isnull=True).update(reminded_soon_at=now):
                _mail(enrollment.user, "session_reminder", {"enrollment": enrollment, "soon": True, "hours": hours})
                sent += 1
    return sent


def remind_expiring(*, now) -> int:
    """A completion that runs out within the notice period, with nothing newer to take its
    place: the person is told once, with the next sessions."""
    today = timezone.localdate(now)
    horizon = today + timedelta(days=settings.COURSE_EXPIRY_NOTICE_DAYS)
    newer = Completion.objects.filter(
        user_id=OuterRef("user_id"), course_id=OuterRef("course_id"), completed_on__gt=OuterRef("completed_on")
    )
    expiring = (
        Completion.objects.filter(
            valid_until__gte=today,
            valid_until__lte=horizon,
            expiry_reminded_at__isnull=True,
            user__is_active=True,
        )
        .exclude(Exists(newer))
        .select_related("user", "course")
    )
    sent = 0
    for completion in expiring:
        with transaction.atomic():
            if Completion.objects.filter(pk=completion.pk, expiry_reminded_at__isnull=True).update(
                expiry_reminded_at=now
            ):
                course = completion.course.counts_as or completion.course
                _mail(
                    completion.user,
                    "training_expiring",
                    {
                        "completion": completion,
                        "course": course,
                        "sessions": next_sessions(course, now, completion.user.organisation_id),
                    },
                )
                sent += 1
    return sent
