"""The competence gate offers the fix: where an account is stopped for lack of training, the
page names each person and offers what the reader may do about it (sign them up for the next
session, send them the self-study course, see their courses), and each action works for those
who may do it and no one else."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from core.models import OutboundEmail
from courses.models import Enrollment
from registry import services as registry
from registry.models import CHECKLIST_KEYS, AccountStatus

from .courses_helpers import train

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(client):
    translation.activate("en")
    client.cookies["some_language"] = "en"


@pytest.fixture
def account(make_account, cast, basic_course, self_study, make_session):
    """An account being set up with every hand-ticked item done. The editor (Silje) is
    trained; the deputy (Jonas) is not. A session of the basic course is coming."""
    account = make_account()
    for item in CHECKLIST_KEYS:
        registry.account_check(account=account, actor=cast["adviser"], item=item, checked=True)
    train(cast["member"], basic_course)
    return account


def page_of(client, account) -> str:
    return client.get(reverse("registry:detail", args=[account.pk])).content.decode()


def forms_in(page: str) -> list[str]:
    return re.findall(r'<form method="post" action="([^"]+)"', page)


def test_activation_stopped_names_the_person_and_leads_to_the_fix(client, cast, account):
    client.force_login(cast["adviser"])
    response = client.post(reverse("registry:action", args=[account.pk, "activate"]))
    assert response.status_code == 302 and response["Location"].endswith("#training")
    page = client.get(response["Location"]).content.decode()
    assert "Jonas Berg: Grunnkurs i sosiale media" in page
    assert "send them the self-study course" in page  # the message says where the fix is
    assert registry.Account.objects.get(pk=account.pk).status == AccountStatus.SETUP


def test_an_adviser_signs_the_person_up_for_the_next_session_from_the_account(client, cast, account, make_session):
    later = make_session(starts_in=timedelta(days=30))
    first = make_session(starts_in=timedelta(days=3))
    client.force_login(cast["adviser"])
    page = page_of(client, account)
    assert reverse("courses:signup", args=[first.pk]) in forms_in(page)
    assert reverse("courses:signup", args=[later.pk]) not in forms_in(page)
    assert f'name="person" value="{cast["deputy"].pk}"' in page
    # Only the one who lacks the course is offered anything: the trained editor is not.
    assert f'name="person" value="{cast["member"].pk}"' not in page
    response = client.post(
        reverse("courses:signup", args=[first.pk]),
        {"person": cast["deputy"].pk, "next": reverse("registry:detail", args=[account.pk]) + "#training"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:detail", args=[account.pk]) + "#training"
    enrollment = Enrollment.objects.get(user=cast["deputy"], session=first)
    assert enrollment.signed_up_by == cast["adviser"]
    # Signed up now: the page says so instead of offering it again.
    page = page_of(client, account)
    assert reverse("courses:signup", args=[first.pk]) not in forms_in(page)
    assert "Signed up for a session on" in page


def test_a_sign_up_never_goes_back_to_another_site(client, cast, account, make_session):
    session = make_session()
    client.force_login(cast["adviser"])
    response = client.post(
        reverse("courses:signup", args=[session.pk]), {"person": cast["deputy"].pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("courses:session", args=[session.pk])


def test_an_adviser_sends_the_self_study_course(client, cast, account, self_study):
    client.force_login(cast["adviser"])
    send = reverse("courses:send_self_study", args=[self_study.slug])
    assert send in forms_in(page_of(client, account))
    response = client.post(send, {"person": cast["deputy"].pk, "next": reverse("registry:detail", args=[account.pk])})
    assert response.status_code == 302 and response["Location"] == reverse("registry:detail", args=[account.pk])
    [mail] = OutboundEmail.objects.filter(template="courses/self_study_sent")
    assert mail.to == [cast["deputy"].email]
    # In his language (Bokmål), greeting him and naming who sent it.
    assert mail.body_text.startswith("Hei Jonas,") and "Marte Solheim sender deg kurset" in mail.body_text
    assert reverse("courses:detail", args=[self_study.slug]) in mail.body_text


def test_the_leader_is_offered_the_same_for_the_people_of_their_unit(client, cast, account, self_study, make_session):
    session = make_session()
    client.force_login(cast["leader"])
    page = page_of(client, account)
    assert reverse("courses:signup", args=[session.pk]) in forms_in(page)
    assert reverse("courses:send_self_study", args=[self_study.slug]) in forms_in(page)
    assert reverse("courses:person_record", args=[cast["deputy"].pk]) in page


def test_the_person_themselves_is_offered_their_own_way(client, cast, account, self_study, make_session):
    session = make_session()
    client.force_login(cast["deputy"])
    page = page_of(client, account)
    assert "Sign me up for" in page and reverse("courses:signup", args=[session.pk]) in forms_in(page)
    assert reverse("courses:detail", args=[self_study.slug]) in page  # take it, not send it
    assert reverse("courses:send_self_study", args=[self_study.slug]) not in forms_in(page)
    assert "See my courses" in page


def test_a_unit_member_is_offered_nothing_for_a_colleague(client, cast, account, self_study, make_session):
    make_session()
    client.force_login(cast["member"])
    page = page_of(client, account)
    assert "Jonas Berg: Grunnkurs i sosiale media" in page
    assert not [url for url in forms_in(page) if "/kurs/" in url]
    assert reverse("courses:person_record", args=[cast["deputy"].pk]) not in page


def test_sending_the_self_study_course_is_refused_to_those_who_may_not(client, cast, account, self_study, basic_course):
    send = reverse("courses:send_self_study", args=[self_study.slug])
    for role, person in (("member", "deputy"), ("other", "deputy"), ("leader", "other")):
        client.force_login(cast[role])
        assert client.post(send, {"person": cast[person].pk}).status_code == 403, role
    client.force_login(cast["adviser"])
    # Only a self-study course can be sent; a classroom course is not found as one.
    classroom = reverse("courses:send_self_study", args=[basic_course.slug])
    assert client.post(classroom, {"person": cast["deputy"].pk}).status_code == 404
    assert not OutboundEmail.objects.filter(template="courses/self_study_sent").exists()


def test_someone_elses_record_is_for_the_adviser_and_their_leader(client, cast, account):
    record = reverse("courses:person_record", args=[cast["member"].pk])
    for role, expected in (("adviser", 200), ("leader", 200), ("deputy", 404), ("other_leader", 404)):
        client.force_login(cast[role])
        assert client.get(record).status_code == expected, role
    client.force_login(cast["leader"])
    page = client.get(record).content.decode()
    assert "Courses of Silje Dale" in page and "Grunnkurs i sosiale media" in page
    assert reverse("courses:feed_manage") not in page  # their calendar address is theirs alone
    client.force_login(cast["member"])
    assert client.get(record)["Location"] == reverse("courses:record")


def test_an_adviser_signs_up_anyone_by_e_mail_on_the_session_page(client, cast, make_session):
    session = make_session()
    signup = reverse("courses:signup", args=[session.pk])
    client.force_login(cast["adviser"])
    page = client.get(reverse("courses:session", args=[session.pk])).content.decode()
    assert 'name="email"' in page
    response = client.post(signup, {"email": " LENE@example.no "}, follow=True)
    assert Enrollment.objects.get(session=session, user=cast["other"]).signed_up_by == cast["adviser"]
    assert "Lene Aarskog has a seat" in response.content.decode()
    response = client.post(signup, {"email": "nobody@example.no"}, follow=True)
    assert "Nobody working here has the e-mail address “nobody@example.no”" in response.content.decode()
    assert Enrollment.objects.filter(session=session).count() == 1
    # Leaders sign up their own people from a list, and no one else by e-mail address.
    client.force_login(cast["leader"])
    assert 'name="email"' not in client.get(reverse("courses:session", args=[session.pk])).content.decode()
    assert client.post(signup, {"email": cast["other"].email}).status_code == 403
    assert Enrollment.objects.filter(session=session).count() == 1
