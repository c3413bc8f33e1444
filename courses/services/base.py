"""What the course services share: their errors, the department's check, the row lock on a
session, and the mail (with its calendar entry) to the people concerned."""

from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.organisations import get as organisation_of
from core.access import require_adviser
from core.emails import Attachment, email_people
from core.errors import DomainError
from core.locks import locked

from .. import calendar
from ..models import Enrollment, EnrollmentStatus, Session

E = EnrollmentStatus


class CourseError(DomainError):
    pass


class NotAllowed(CourseError):
    pass


class InvalidDetails(CourseError):
    """The details break a rule; `errors` maps field names to messages."""

    def __init__(self, errors: dict):
        super().__init__(_("Some of the details are not right. See the messages below."))
        self.errors = errors


def waitlist_cutoff() -> timedelta:
    """Up to how long before the start a freed seat goes to the waiting list by itself."""
    return timedelta(hours=settings.COURSE_WAITLIST_CUTOFF_HOURS)


def _require_adviser(actor, organisation_id) -> None:
    """The actor must be an adviser of `organisation_id` (the organisation of what is changed)."""
    if organisation_id is None:
        raise NotAllowed(_("Only the Communications Department can change courses and sessions."))
    require_adviser(
        actor,
        NotAllowed,
        _("Only the Communications Department can change courses and sessions."),
        organisation_id=organisation_id,
    )


def _require_keeper(actor, course) -> None:
    """Who may change a course: its organisation's advisers; a regional course, which belongs to
    no organisation, a super-administrator."""
    if course.organisation_id is None:
        if actor is None or not actor.is_authenticated or not actor.is_superuser:
            raise NotAllowed(_("A regional course is changed by the portal's administrators."))
        return
    _require_adviser(actor, course.organisation_id)


def _locked_session(session: Session) -> Session:
    return locked(session, "course")


def _with_people(enrollments):
    return enrollments.select_related("user", "session__course")


def _mail(person, template: str, context: dict, attachments=()) -> None:
    """One of the courses' messages to `person` (nobody who has left gets mail), from their
    organisation and naming it."""
    email_people(
        [person],
        template=f"courses/{template}",
        context=context,
        attachments=attachments,
        organisation=organisation_of(person.organisation_id),
    )


def _send_calendar(enrollment: Enrollment, template: str, method: str, context: dict | None = None) -> None:
    """Mail the person with their calendar entry; each one sent raises its SEQUENCE."""
    enrollment.sequence = 0 if enrollment.sequence is None else enrollment.sequence + 1
    Enrollment.objects.filter(pk=enrollment.pk).update(sequence=enrollment.sequence)
    ics = calendar.invitation(enrollment, method)
    _mail(
        enrollment.user,
        template,
        {"enrollment": enrollment, "session": enrollment.session, **(context or {})},
        attachments=(Attachment(filename="invitation.ics", mimetype=f"text/calendar; method={method}", content=ics),),
    )
