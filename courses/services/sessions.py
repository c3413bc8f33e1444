"""Sessions of a course: planned, changed (everyone with a seat gets the new calendar entry)
and cancelled."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_log
from core.text import clean_name

from .. import calendar
from ..models import Course, Session, SessionStatus
from .base import (
    CourseError,
    E,
    InvalidDetails,
    NotAllowed,
    _locked_session,
    _mail,
    _require_adviser,
    _send_calendar,
    _with_people,
)
from .seats import _promote


@dataclass
class SessionDetails:
    starts_at: datetime
    ends_at: datetime
    capacity: int
    place: str = ""
    video_link: str = ""
    note: str = ""
    instructors: list = field(default_factory=list)


def _check_session(details: SessionDetails, *, confirmed: int = 0, organisation_id=None) -> None:
    errors = {}
    if details.ends_at <= details.starts_at:
        errors["ends_at"] = _("The session must end after it starts.")
    if details.capacity < 1:
        errors["capacity"] = _("A session needs at least one seat.")
    elif details.capacity < confirmed:
        errors["capacity"] = _(
            "%(count)s people already have a seat, so there must be at least %(count)s seats. "
            "Ask someone to give up their seat first, or keep the number."
        ) % {"count": confirmed}
    if not details.place.strip() and not details.video_link.strip():
        errors["place"] = _("Give a place, or a video link for an online session.")
    if organisation_id is not None and any(p.organisation_id != organisation_id for p in details.instructors):
        errors["instructors"] = _("Choose instructors among the people of the organisation that holds the session.")
    if errors:
        raise InvalidDetails(errors)


@transaction.atomic
def session_create(*, actor, course: Course, details: SessionDetails) -> Session:
    """A session of one of the organisation's courses, or of a regional course: held by the
    adviser's organisation, for its own staff."""
    organisation_id = course.organisation_id or (actor.organisation_id if actor is not None else None)
    _require_adviser(actor, organisation_id)
    if not course.is_offered_to(organisation_id):
        raise NotAllowed(_("Your organisation can hold sessions only of its own courses and the regional ones."))
    if course.is_self_study:
        raise CourseError(_("A self-study course has no sessions: staff take it on their own."))
    _check_session(details, organisation_id=organisation_id)
    session = Session(
        course=course,
        organisation_id=organisation_id,
        starts_at=details.starts_at,
        ends_at=details.ends_at,
        capacity=details.capacity,
        place=clean_name(details.place),
        video_link=details.video_link.strip(),
        note=details.note.strip(),
    )
    session.full_clean()
    session.save()
    session.instructors.set(details.instructors)
    audit_log(session, "session.created", actor=actor, data={"starts_at": session.starts_at.isoformat()})
    return session


CALENDAR_FIELDS = ("starts_at", "ends_at", "place", "video_link")


@transaction.atomic
def session_update(*, actor, session: Session, details: SessionDetails, now=None) -> Session:
    """Change a session. Everyone with a seat gets an updated invitation when the time,
    place or link changed; more seats go to the waiting list at once."""
    _require_adviser(actor, session.organisation_id)
    now = now or timezone.now()
    current = _locked_session(session)
    if current.is_cancelled:
        raise CourseError(_("The session is cancelled and can no longer change."))
    _check_session(details, confirmed=current.enrollments.confirmed().count(), organisation_id=current.organisation_id)
    before = {name: getattr(current, name) for name in (*CALENDAR_FIELDS, "capacity")}
    current.starts_at, current.ends_at = details.starts_at, details.ends_at
    current.place, current.video_link = clean_name(details.place), details.video_link.strip()
    current.capacity, current.note = details.capacity, details.note.strip()
    current.full_clean()
    current.save()
    current.instructors.set(details.instructors)
    changed = [name for name in before if before[name] != getattr(current, name)]
    audit_log(current, "session.updated", actor=actor, data={"changed": changed})
    if "starts_at" in changed:
        # A session moved to another day gets its reminders again, before the new start.
        current.enrollments.update(reminded_at=None, reminded_soon_at=None)
    if any(name in CALENDAR_FIELDS for name in changed):
        for enrollment in _with_people(current.enrollments.confirmed()):
            _send_calendar(enrollment, "session_changed", calendar.REQUEST)
    _promote(current, now=now)
    return current


@transaction.atomic
def session_cancel(*, actor, session: Session, reason: str) -> Session:
    """Cancel a session: everyone with a seat gets a cancellation for their calendar, and
    everyone on the waiting list is told, each with the reason (which is required)."""
    _require_adviser(actor, session.organisation_id)
    reason = reason.strip()
    if not reason:
        raise InvalidDetails({"reason": _("Write why the session is cancelled: it goes to everyone signed up.")})
    current = _locked_session(session)
    if current.is_cancelled:
        raise CourseError(_("The session is already cancelled."))
    current.status = SessionStatus.CANCELLED
    current.cancelled_at = timezone.now()
    current.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit_log(current, "session.cancelled", actor=actor, data={"reason": reason})
    for enrollment in _with_people(current.enrollments.active()):
        if enrollment.status == E.CONFIRMED:
            _send_calendar(enrollment, "session_cancelled", calendar.CANCEL, {"reason": reason})
        else:
            _mail(enrollment.user, "session_cancelled", {"enrollment": enrollment, "reason": reason})
    return current
