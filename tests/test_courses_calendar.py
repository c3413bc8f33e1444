"""The calendar files, the personal feed and the e-mail's calendar part, parsed back with
icalendar and checked field by field; the mail goes through a real SMTP server."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from core.emails import email_sweep
from courses import services
from courses.models import Enrollment

pytestmark = pytest.mark.django_db


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def attachment_of(template):
    from core.models import OutboundEmail

    return bytes(OutboundEmail.objects.filter(template=f"courses/{template}").last().attachments.get().content)


def test_an_invitation_has_the_fields_outlook_needs(cast, make_session, settings):
    session = make_session(place="Auditorium 2, Haukeland", video_link="")
    services.enroll(actor=cast["member"], session=session)
    calendar = parse(attachment_of("enrollment_confirmed"))
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.events
    assert str(event["UID"]) == f"kurs-{session.pk}-{cast['member'].pk}@some-portalen"
    assert event["SEQUENCE"] == 0
    assert event.start == session.starts_at and event.end == session.ends_at
    assert str(event.start.tzinfo) == "Europe/Oslo"
    assert event["DTSTART"].params["TZID"] == "Europe/Oslo"
    assert [tz["TZID"] for tz in calendar.timezones] == ["Europe/Oslo"]
    assert str(event["ORGANIZER"]) == f"mailto:{settings.COMMS_MAILBOX}"
    [attendee] = event.attendees
    assert str(attendee) == f"mailto:{cast['member'].email}"
    assert attendee.params["CN"] == cast["member"].full_name
    assert str(event["SUMMARY"]) == "Grunnkurs i sosiale media"
    assert str(event["LOCATION"]) == "Auditorium 2, Haukeland"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_the_uid_stays_and_the_sequence_rises_through_change_and_cancellation(cast, make_session):
    session = make_session()
    enrollment = services.enroll(actor=cast["member"], session=session)
    start = session.starts_at + timedelta(days=1)
    services.session_update(
        actor=cast["adviser"],
        session=session,
        details=services.SessionDetails(
            starts_at=start, ends_at=start + timedelta(hours=2), capacity=10, place="Møterom 3"
        ),
    )
    changed = parse(attachment_of("session_changed"))
    services.enrollment_cancel(actor=cast["member"], enrollment=Enrollment.objects.get(pk=enrollment.pk))
    cancelled = parse(attachment_of("enrollment_cancelled"))
    services.enroll(actor=cast["member"], session=session)
    again = parse(attachment_of("enrollment_confirmed"))
    uids = {str(c.events[0]["UID"]) for c in (changed, cancelled, again)}
    assert uids == {Enrollment.objects.get(pk=enrollment.pk).calendar_uid}
    assert [c.events[0]["SEQUENCE"] for c in (changed, cancelled, again)] == [1, 2, 3]
    assert changed["METHOD"] == "REQUEST" and changed.events[0].start == start
    assert str(changed.events[0]["LOCATION"]) == "Møterom 3"
    assert cancelled["METHOD"] == "CANCEL" and str(cancelled.events[0]["STATUS"]) == "CANCELLED"
    assert again["METHOD"] == "REQUEST"


def test_line_breaks_commas_and_semicolons_are_escaped(cast, basic_course, make_session):
    basic_course.title = "Kurs; del 1,\nmed pause"
    basic_course.save()
    # A place is one line: the services turn a line break typed or pasted into it into a space.
    session = make_session(place="Bygg A, 2. etg;\nrom 201")
    services.enroll(actor=cast["member"], session=session)
    raw = attachment_of("enrollment_confirmed")
    assert b"SUMMARY:Kurs\\; del 1\\,\\nmed pause" in raw
    assert b"LOCATION:Bygg A\\, 2. etg\\; rom 201" in raw
    [event] = parse(raw).events
    assert str(event["SUMMARY"]) == "Kurs; del 1,\nmed pause"
    assert str(event["LOCATION"]) == "Bygg A, 2. etg; rom 201"
    assert len(parse(raw).events) == 1  # nothing broke out of its line


def test_the_e_mail_carries_a_calendar_part_with_the_same_method(cast, make_session, smtp):
    session = make_session()
    enrollment = services.enroll(actor=cast["member"], session=session)
    email_sweep()
    services.enrollment_cancel(actor=cast["member"], enrollment=enrollment)
    email_sweep()
    invitation, cancellation = smtp.to(cast["member"].email)
    for message, method in ((invitation, "REQUEST"), (cancellation, "CANCEL")):
        parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
        [part] = parts
        assert part.get_param("method") == method
        assert parse(part.get_content().encode())["METHOD"] == method
        [file] = [p for p in message.walk() if p.get_filename() == "invitation.ics"]
        assert parse(file.get_payload(decode=True))["METHOD"] == method
        assert message.get_body(preferencelist=("plain",)) is not None


def test_the_feed_lists_a_persons_sessions(cast, make_session, client):
    kept = make_session()
    cancelled = make_session(starts_in=timedelta(days=14))
    services.enroll(actor=cast["member"], session=kept)
    services.enroll(actor=cast["member"], session=cancelled)
    services.session_cancel(actor=cast["adviser"], session=cancelled, reason="Kursleiaren er sjuk.")
    services.enroll(actor=cast["deputy"], session=kept)  # someone else's
    _feed, token = services.feed_create(user=cast["member"])
    response = client.get(reverse("courses:feed", args=[token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    calendar = parse(response.content)
    assert "METHOD" not in calendar
    assert [tz["TZID"] for tz in calendar.timezones] == ["Europe/Oslo"]
    events = {str(e["UID"]): e for e in calendar.events}
    assert set(events) == {
        f"kurs-{kept.pk}-{cast['member'].pk}@some-portalen",
        f"kurs-{cancelled.pk}-{cast['member'].pk}@some-portalen",
    }
    assert str(events[f"kurs-{cancelled.pk}-{cast['member'].pk}@some-portalen"]["STATUS"]) == "CANCELLED"
    for event in events.values():
        [attendee] = event.attendees
        assert str(attendee) == f"mailto:{cast['member'].email}"
    assert cast["deputy"].email.encode() not in response.content


@pytest.mark.parametrize("how", ["wrong", "revoked", "expired", "person left"])
def test_a_bad_calendar_address_is_a_plain_404(cast, make_session, client, how):
    services.enroll(actor=cast["member"], session=make_session())
    feed, token = services.feed_create(user=cast["member"])
    if how == "wrong":
        token = token[:-2] + "xx"
    elif how == "revoked":
        services.feed_revoke(user=cast["member"])
    elif how == "expired":
        feed.expires_at = timezone.now() - timedelta(minutes=1)
        feed.save()
    else:
        cast["member"].is_active = False
        cast["member"].save()
    response = client.get(reverse("courses:feed", args=[token]))
    assert response.status_code == 404
    body = response.content.decode()
    assert cast["member"].full_name not in body and "Grunnkurs" not in body
    assert "revoked" not in body.lower() and "expired" not in body.lower()
