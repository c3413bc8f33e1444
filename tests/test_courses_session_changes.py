"""Cancelling a session asks first and needs a reason that goes into the e-mail; a session
cannot be created in the past; and the small things people read: the time span, the
certificate's file name, the calendar organiser's name and the course page's self-study
version."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from core.models import OutboundEmail
from courses import calendar, services
from courses.certificate import certificate_filename
from courses.models import Completion, Session, SessionStatus
from platforms.profiles import read_profile
from registry import services as registry

from .courses_helpers import train
from .registry_helpers import details

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_up(cast, make_session):
    session = make_session(capacity=1)
    services.enroll(actor=cast["member"], session=session)
    services.enroll(actor=cast["deputy"], session=session)  # on the waiting list
    return session


def cancel(client, session, **data):
    return client.post(reverse("courses:session_cancel", args=[session.pk]), data)


def test_cancelling_without_a_reason_changes_nothing(client, cast, signed_up):
    client.cookies["some_language"] = "en"
    client.force_login(cast["adviser"])
    response = cancel(client, signed_up, reason="  ", confirmed="1")
    assert response.status_code == 302 and response["Location"].endswith("#cancel")
    page = client.get(response["Location"]).content.decode()
    assert "Write why the session is cancelled: it goes to everyone signed up." in page
    assert Session.objects.get(pk=signed_up.pk).status == SessionStatus.SCHEDULED
    assert not OutboundEmail.objects.filter(template="courses/session_cancelled").exists()


def test_cancelling_asks_first_then_tells_everyone_with_the_reason(client, cast, signed_up):
    client.cookies["some_language"] = "en"
    client.force_login(cast["adviser"])
    asked = cancel(client, signed_up, reason="Kursleiaren er sjuk.")
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Cancel the session?" in page and "The 2 people signed up get an e-mail with your reason at once." in page
    assert 'name="reason" value="Kursleiaren er sjuk."' in page  # sent again as it was typed
    assert Session.objects.get(pk=signed_up.pk).status == SessionStatus.SCHEDULED
    assert not OutboundEmail.objects.filter(template="courses/session_cancelled").exists()

    done = cancel(client, signed_up, reason="Kursleiaren er sjuk.", confirmed="1")
    assert done.status_code == 302
    assert Session.objects.get(pk=signed_up.pk).status == SessionStatus.CANCELLED
    mails = OutboundEmail.objects.filter(template="courses/session_cancelled")
    assert sorted(m.to[0] for m in mails) == sorted([cast["member"].email, cast["deputy"].email])
    assert all("Kursleiaren er sjuk." in m.body_text and "Kursleiaren er sjuk." in m.body_html for m in mails)


def test_the_session_page_carries_the_confirmation_dialog(client, cast, signed_up):
    client.cookies["some_language"] = "en"
    client.force_login(cast["adviser"])
    page = client.get(reverse("courses:session", args=[signed_up.pk])).content.decode()
    assert (
        'data-confirm="confirm-cancel"' in page
        and '<dialog class="ds-dialog portal-confirm" id="confirm-cancel"' in page
    )
    assert "Yes, cancel the session" in page and 'aria-required="true"' in page


def test_the_service_needs_a_reason(cast, signed_up):
    with pytest.raises(services.InvalidDetails):
        services.session_cancel(actor=cast["adviser"], session=signed_up, reason=" ")
    assert Session.objects.get(pk=signed_up.pk).status == SessionStatus.SCHEDULED


def session_form(day, start="09.00", end="12.00"):
    return {"day": day.strftime("%d.%m.%Y"), "start": start, "end": end, "place": "Auditorium 2", "capacity": 20}


def test_a_session_cannot_be_created_in_the_past(client, cast, basic_course):
    client.cookies["some_language"] = "en"
    client.force_login(cast["adviser"])
    url = reverse("courses:session_create", args=[basic_course.slug])
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(url, session_form(yesterday))
    assert response.status_code == 400
    assert "The session would start in the past" in response.content.decode()
    assert 'value="Auditorium 2"' in response.content.decode()  # nothing typed is lost
    assert not Session.objects.exists()
    assert client.post(url, session_form(timezone.localdate() + timedelta(days=5))).status_code == 302
    assert Session.objects.count() == 1


def test_a_session_that_has_run_can_still_be_edited_but_not_moved_into_the_past(client, cast, make_session):
    session = make_session()
    # From 10 to 13 o'clock ten days ago: a session that ends the day after it starts is not what is tested.
    start = timezone.localtime(session.starts_at).replace(hour=10, minute=0, second=0) - timedelta(days=10)
    Session.objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + timedelta(hours=3))
    session.refresh_from_db()
    client.force_login(cast["adviser"])
    url = reverse("courses:session_edit", args=[session.pk])
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    data = session_form(start.date(), start.strftime("%H.%M"), end.strftime("%H.%M")) | {"note": "Lysark er sende ut."}
    assert client.post(url, data).status_code == 302
    assert Session.objects.get(pk=session.pk).note == "Lysark er sende ut."
    moved = data | {"day": (start.date() - timedelta(days=1)).strftime("%d.%m.%Y")}
    assert client.post(url, moved).status_code == 400


def test_the_time_span_says_kl_once(client, cast, make_session):
    session = make_session()
    client.force_login(cast["member"])
    page = client.get(reverse("courses:session", args=[session.pk])).content.decode()
    end = timezone.localtime(session.ends_at).strftime("%H.%M")
    assert f"</time>–{end}" in page and "–kl." not in page
    services.enroll(actor=cast["member"], session=session)
    mail = OutboundEmail.objects.get(template="courses/enrollment_confirmed")
    assert f"–{end}" in mail.body_text and "–kl." not in mail.body_text


@pytest.mark.parametrize(
    "title,expected",
    [
        ("Grunnkurs i sosiale media – sjølvstudium", "kursbevis-grunnkurs-i-sosiale-media-sjolvstudium-2026-03-02.pdf"),
        ("Æ, Ø og Å på kurs", "kursbevis-ae-o-og-a-pa-kurs-2026-03-02.pdf"),
    ],
)
def test_the_certificates_file_name_keeps_the_norwegian_letters_readable(cast, basic_course, title, expected):
    basic_course.title = title
    completion = Completion(user=cast["member"], course=basic_course, completed_on=date(2026, 3, 2))
    assert certificate_filename(completion) == expected


@pytest.mark.parametrize(
    "language,name",
    [
        ("nb", "Kommunikasjonsavdelingen, Helse Bergen"),
        ("nn", "Kommunikasjonsavdelinga, Helse Bergen"),
        ("en", "Communications Department, Helse Bergen"),
    ],
)
def test_the_invitations_organiser_speaks_the_invitations_language(cast, make_session, language, name):
    enrollment = services.enroll(actor=cast["member"], session=make_session())
    [event] = Calendar.from_ical(calendar.invitation(enrollment, calendar.REQUEST, language=language)).events
    assert event["ORGANIZER"].params["CN"] == name


def test_the_course_page_offers_the_self_study_version(client, cast, basic_course, self_study):
    client.cookies["some_language"] = "en"
    client.force_login(cast["member"])
    page = client.get(reverse("courses:detail", args=[basic_course.slug])).content.decode()
    assert "There is a self-study version" in page
    assert reverse("courses:detail", args=[self_study.slug]) in page
    assert f"Passing it counts as {basic_course.title}" in page


def test_the_take_the_course_task_opens_the_course(client, cast, basic_course, make_account):
    make_account()  # Silje is its editor, without the course
    translation.activate("en")
    client.cookies["some_language"] = "en"
    client.force_login(cast["member"])
    page = client.get(reverse("core:home")).content.decode()
    assert (
        f'href="{reverse("courses:detail", args=[basic_course.slug])}">Take the course: <span lang="no">{basic_course.title}</span>'
        in page
    )


def test_a_trained_editor_is_not_told_and_the_deputy_is_told_what_ran_out_and_when(cast, basic_course, catalogue):
    train(cast["member"], basic_course)
    train(cast["deputy"], basic_course, on=date(2023, 1, 10))  # valid for 24 months: ran out 10 January 2025
    cast["deputy"].language = "en"
    cast["deputy"].save()
    registry.account_register(  # in use before the portal: registered as live, and marked
        actor=cast["adviser"],
        profile=read_profile("https://www.instagram.com/blodbanken_bergen/"),
        details=details(cast),
        live_since=date(2019, 3, 1),
    )
    told = sorted(m.to[0] for m in OutboundEmail.objects.filter(template="courses/account_training_missing"))
    assert told == [cast["deputy"].email]
    mail = OutboundEmail.objects.get(template="courses/account_training_missing")
    assert mail.body_text.startswith("Hello Jonas,")
    assert "Grunnkurs i sosiale media: your completion was valid until 10 January 2025." in mail.body_text
    assert cast["member"].full_name not in mail.body_text  # only their own gap
    [leader] = OutboundEmail.objects.filter(template="courses/account_training_missing_leader")
    assert leader.to == [cast["leader"].email] and "Jonas Berg" in leader.body_text
