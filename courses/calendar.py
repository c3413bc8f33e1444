"""Calendar files for sessions, made with the icalendar package.

One entry per person and session: the UID stays the same for good (see
Enrollment.calendar_uid), and SEQUENCE rises with every change we send, so Outlook and
other calendars update or remove the entry they already have. An invitation is
METHOD:REQUEST, a cancellation METHOD:CANCEL; the e-mail's calendar part carries the
same method (core.emails). A personal feed has no method: calendars subscribe to it.

The organiser of an entry is the Communications Department of the organisation that holds the
session, with its mailbox; the calendar's product id names the person's organisation.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress

from accounts.organisations import get as organisation_of

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def prodid(organisation) -> str:
    return f"-//{organisation.name}//SoMe-portalen//NO"


def _organizer(organisation) -> vCalAddress:
    organizer = vCalAddress(f"mailto:{organisation.mailbox}")
    # In the invitation's language, as the rest of it (the caller has switched to it).
    organizer.params["CN"] = _("Communications Department, %(name)s") % {"name": organisation.name}
    return organizer


def _attendee(user, *, cancelled: bool) -> vCalAddress:
    attendee = vCalAddress(f"mailto:{user.email}")
    attendee.params["CN"] = user.full_name or user.email
    attendee.params["ROLE"] = "REQ-PARTICIPANT"
    attendee.params["PARTSTAT"] = "DECLINED" if cancelled else "ACCEPTED"
    return attendee


def _description(session) -> str:
    lines = []
    if session.video_link:
        lines.append(f"{_('Video link')}: {session.video_link}")
    if session.note:
        lines.append(session.note)
    lines.append(f"{settings.SITE_URL}{reverse('courses:session', args=[session.pk])}")
    return "\n\n".join(lines)


def _event(enrollment, *, cancelled: bool) -> Event:
    session = enrollment.session
    event = Event.new(
        uid=enrollment.calendar_uid,
        sequence=enrollment.sequence or 0,
        start=session.starts_at.astimezone(_oslo()),
        end=session.ends_at.astimezone(_oslo()),
        summary=session.course.title,
        location=session.place or session.video_link or None,
        description=_description(session),
        organizer=_organizer(organisation_of(session.organisation_id)),
        attendees=[_attendee(enrollment.user, cancelled=cancelled)],
        status="CANCELLED" if cancelled else "CONFIRMED",
        url=f"{settings.SITE_URL}{reverse('courses:session', args=[session.pk])}",
    )
    return event


def _oslo():
    from zoneinfo import ZoneInfo

    return ZoneInfo(settings.TIME_ZONE)


def invitation(enrollment, method: str, *, language: str | None = None) -> bytes:
    """The calendar file for one person's place: REQUEST (new or changed) or CANCEL."""
    with translation.override(language or enrollment.user.language):
        organisation = organisation_of(enrollment.session.organisation_id)
        calendar = Calendar.new(method=method, prodid=prodid(organisation))
        calendar.add_component(_event(enrollment, cancelled=method == CANCEL))
        calendar.add_missing_timezones()
        return calendar.to_ical()


def feed(user, enrollments) -> bytes:
    """A person's own sessions, for a calendar that subscribes to the private address."""
    with translation.override(user.language):
        calendar = Calendar.new(
            prodid=prodid(organisation_of(user.organisation_id)), name=_("My courses – SoMe-portalen")
        )
        for enrollment in enrollments:
            cancelled = enrollment.session.is_cancelled or enrollment.status != "confirmed"
            calendar.add_component(_event(enrollment, cancelled=cancelled))
        calendar.add_missing_timezones()
        return calendar.to_ical()
