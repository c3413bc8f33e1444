"""Completions: attendance marked at a session, or a course done elsewhere recorded by the
department."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_log

from ..models import Attendance, Completion, Course, Session
from ..selectors import may_mark_attendance
from .base import CourseError, NotAllowed, _locked_session, _require_adviser
from .training import training_changed_announce


@transaction.atomic
def attendance_mark(*, actor, session: Session, marks: dict[int, str], now=None) -> list[Completion]:
    """Mark each participant attended or absent. Attending records a completion of the
    course with the session's date; changing a mark to absent takes it away again."""
    now = now or timezone.now()
    current = _locked_session(session)
    if not may_mark_attendance(actor, current):
        raise NotAllowed(_("Only the session's instructors and the Communications Department mark attendance."))
    if current.is_cancelled:
        raise CourseError(_("The session was cancelled; there is no attendance to mark."))
    if not current.has_started(now):
        raise CourseError(_("Attendance can be marked once the session has started."))
    if any(mark not in Attendance.values for mark in marks.values()):
        raise CourseError(_("Mark each participant as attended or absent."))
    enrollments = {e.pk: e for e in current.enrollments.confirmed().select_related("user")}
    if set(marks) - set(enrollments):
        raise CourseError(_("Someone on the list has no seat on this session. Reload the page and try again."))
    completions = []
    changed_people = []
    for pk, mark in marks.items():
        enrollment = enrollments[pk]
        if enrollment.attendance == mark:
            continue
        enrollment.attendance = mark
        enrollment.attendance_marked_by = actor
        enrollment.attendance_marked_at = now
        enrollment.save(update_fields=["attendance", "attendance_marked_by", "attendance_marked_at", "updated_at"])
        audit_log(enrollment, "enrollment.attendance", actor=actor, data={"attendance": mark})
        if mark == Attendance.ATTENDED:
            completions.append(
                _complete(
                    user=enrollment.user,
                    course=current.course,
                    on=timezone.localdate(current.starts_at),
                    actor=actor,
                    enrollment=enrollment,
                )
            )
        else:
            Completion.objects.filter(enrollment=enrollment).delete()
        changed_people.append(enrollment.user_id)
    if changed_people:
        training_changed_announce(user_ids=changed_people)
    return completions


def _complete(*, user, course: Course, on, actor=None, enrollment=None, attempt=None) -> Completion:
    completion = Completion(
        user=user,
        course=course,
        completed_on=on,
        valid_until=course.valid_until(on),
        enrollment=enrollment,
        attempt=attempt,
        recorded_by=actor,
    )
    completion.full_clean(exclude=["enrollment", "attempt"])
    completion.save()
    audit_log(completion, "completion.recorded", actor=actor, data={"course": course.pk, "person": user.pk})
    return completion


@transaction.atomic
def completion_record(*, actor, user, course: Course, on) -> Completion:
    """An adviser records a completion done elsewhere (an earlier course on paper), for a person
    of their organisation and a course offered to it."""
    _require_adviser(actor, user.organisation_id)
    if not course.is_offered_to(user.organisation_id):
        raise NotAllowed(_("This course is not offered to this person's organisation."))
    completion = _complete(user=user, course=course, on=on, actor=actor)
    training_changed_announce(user_ids=[user.pk])
    return completion
