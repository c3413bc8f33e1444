"""The courses' pages: forms with bad input, the quiz in two tabs, the certificate as a
tagged PDF, the people's tasks, and query counts that do not grow with the rows."""

from datetime import timedelta

import pikepdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Membership
from core.worklist import worklist_for
from courses import services
from courses.models import Completion, Course, QuizAttempt, Session

from .conftest import make_user
from .courses_helpers import right_answers, train

pytestmark = pytest.mark.django_db


def test_a_session_form_with_end_before_start_keeps_what_was_typed(client, cast, basic_course):
    client.force_login(cast["adviser"])
    data = {
        "day": "03.02.2031",
        "start": "12.00",
        "end": "09.00",
        "place": "Rom 7",
        "capacity": "12",
        "note": "Ta med PC",
    }
    response = client.post(reverse("courses:session_create", args=[basic_course.slug]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Rom 7" in body and "Ta med PC" in body and 'id="error-summary"' in body
    assert not Session.objects.exists()
    data["end"] = "15.00"
    response = client.post(reverse("courses:session_create", args=[basic_course.slug]), data)
    session = Session.objects.get()
    assert response.status_code == 302 and timezone.localtime(session.starts_at).hour == 12


def test_a_leader_sees_their_peoples_places_and_can_cancel_one(client, cast, make_session):
    session = make_session()
    services.enroll(actor=cast["leader"], session=session, person=cast["member"])
    services.enroll(actor=cast["other"], session=session)  # another unit's: not the leader's to see
    url = reverse("courses:session", args=[session.pk])
    client.force_login(cast["leader"])
    page = client.get(url).content.decode()
    assert "Påmeldte fra enhetene dine" in page
    assert cast["member"].full_name in page and cast["other"].full_name not in page
    response = client.post(reverse("courses:withdraw", args=[session.pk]), {"person": cast["member"].pk}, follow=True)
    page = response.content.decode()
    assert f"{cast['member'].full_name} er meldt av" in page
    assert "Påmeldte fra enhetene dine" not in page  # nobody left to list
    # Someone else's place, by a person who may not: refused with a message, nothing changed.
    client.force_login(cast["member"])
    response = client.post(reverse("courses:withdraw", args=[session.pk]), {"person": cast["other"].pk}, follow=True)
    assert "enhetene du leder" in response.content.decode()
    assert session.enrollments.active().filter(user=cast["other"]).exists()


def test_lowering_seats_below_those_signed_up_says_why(client, cast, make_session):
    session = make_session(capacity=3)
    services.enroll(actor=cast["member"], session=session)
    services.enroll(actor=cast["deputy"], session=session)
    client.force_login(cast["adviser"])
    start = timezone.localtime(session.starts_at)
    data = {"day": start.strftime("%d.%m.%Y"), "start": "09.00", "end": "23.00", "place": "Rom", "capacity": "1"}
    response = client.post(reverse("courses:session_edit", args=[session.pk]), data)
    assert response.status_code == 400
    assert "2" in response.content.decode() and Session.objects.get().capacity == 3


def test_a_course_form_refuses_a_reserved_or_taken_address(client, cast, basic_course):
    client.force_login(cast["adviser"])
    base = {
        "title": "Video på mobilen",
        "description": "D",
        "audience": "A",
        "duration_minutes": "60",
        "format": "online",
    }
    for slug in ("mine", basic_course.slug):
        response = client.post(reverse("courses:course_create"), {**base, "slug": slug})
        assert response.status_code == 400
    assert Course.objects.count() == 1
    response = client.post(reverse("courses:course_create"), {**base, "slug": ""})
    assert response.status_code == 302 and Course.objects.filter(slug="video-pa-mobilen").exists()


def test_the_quiz_page_in_two_tabs_and_a_double_submission(client, cast, self_study):
    client.force_login(cast["member"])
    url = reverse("courses:quiz", args=[self_study.slug])
    first = client.get(url).content.decode()
    second = client.get(url).content.decode()
    attempt = QuizAttempt.objects.get()
    assert f'name="attempt" value="{attempt.pk}"' in first and f'name="attempt" value="{attempt.pk}"' in second
    answers = {f"q{q}": str(c) for q, c in right_answers(attempt).items()}
    response = client.post(url, {"attempt": attempt.pk, **answers})
    assert response.status_code == 302 and response["Location"] == reverse("courses:quiz_result", args=[attempt.pk])
    again = client.post(url, {"attempt": attempt.pk, **answers})  # the other tab
    assert again.status_code == 302 and again["Location"] == url
    assert Completion.objects.filter(user=cast["member"]).count() == 1
    result = client.get(reverse("courses:quiz_result", args=[attempt.pk])).content.decode()
    assert reverse("courses:certificate", args=[Completion.objects.get().pk]) in result


def test_a_quiz_sent_with_an_answer_missing_keeps_the_answers_given(client, cast, self_study):
    client.force_login(cast["member"])
    url = reverse("courses:quiz", args=[self_study.slug])
    client.get(url)
    attempt = QuizAttempt.objects.get()
    answers = {f"q{q}": str(c) for q, c in list(right_answers(attempt).items())[1:]}
    response = client.post(url, {"attempt": attempt.pk, **answers})
    assert response.status_code == 400
    body = response.content.decode()
    assert all(f'value="{c}" checked' in body for c in answers.values())
    assert QuizAttempt.objects.get().submitted_at is None


def test_the_certificate_is_a_tagged_accessible_pdf(client, cast, basic_course):
    completion = train(cast["member"], basic_course)
    client.force_login(cast["member"])
    response = client.get(reverse("courses:certificate", args=[completion.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    import io

    with pikepdf.open(io.BytesIO(response.content)) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root  # tagged
        assert bool(root.MarkInfo.Marked)
        assert str(root.Lang) == "nb"
        assert root.ViewerPreferences.DisplayDocTitle
        with pdf.open_metadata() as meta:
            assert meta.get("pdfuaid:part") == "1"
            assert "Grunnkurs i sosiale media" in meta.get("dc:title")
        text = b"".join(
            page.Contents.read_bytes() if not isinstance(page.Contents, pikepdf.Array) else b"" for page in pdf.pages
        )
        assert text  # the page has content
    import subprocess

    words = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True).stdout.decode()
    assert cast["member"].full_name in words and "Grunnkurs i sosiale media" in words
    assert completion.number in words


def test_the_certificate_follows_the_holders_language(client, cast, basic_course):
    cast["member"].language = "en"
    cast["member"].save()
    completion = train(cast["member"], basic_course)
    client.force_login(cast["member"])
    content = client.get(reverse("courses:certificate", args=[completion.pk])).content
    import io
    import subprocess

    with pikepdf.open(io.BytesIO(content)) as pdf:
        assert str(pdf.Root.Lang) == "en"
    words = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True).stdout.decode()
    assert "Course certificate" in words


def test_my_record_shows_what_is_done_until_when_and_what_is_still_needed(client, cast, basic_course, make_account):
    from django.utils.formats import date_format

    account = make_account()  # being set up; the member edits it
    client.force_login(cast["member"])
    client.cookies["some_language"] = "en"
    page = client.get(reverse("courses:record")).content.decode()
    assert account.display_name in page and "You still need:" in page and "Grunnkurs i sosiale media" in page
    assert "No courses done yet." in page

    today = timezone.localdate()
    train(cast["member"], basic_course, on=today - timedelta(days=800))  # expired, now history
    train(cast["member"], basic_course, on=today - timedelta(days=10))
    page = client.get(reverse("courses:record")).content.decode()
    assert "You still need:" not in page and "You hold every course required for editors." in page
    newest = Completion.objects.filter(user=cast["member"]).order_by("-completed_on").first()
    with translation.override("en"):
        completed, until = date_format(newest.completed_on), date_format(newest.valid_until)
    assert completed in page and until in page
    assert "Earlier completions" in page


def test_tasks_for_advisers_instructors_and_editors(cast, basic_course, make_session, make_account):
    from datetime import date

    from platforms.profiles import read_profile
    from registry import services as registry

    from .registry_helpers import details

    registry.account_register(
        actor=cast["adviser"],
        profile=read_profile("https://www.instagram.com/blodbanken_bergen/"),
        details=details(cast),
        live_since=date(2019, 3, 1),
    )
    instructor = make_user("kursleiar@example.no", "Kari Kursleiar")
    session = make_session(instructors=[instructor])
    services.enroll(actor=cast["other"], session=session)
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    kinds = lambda user: {item.kind for item in worklist_for(user)}  # noqa: E731
    assert {"course.attendance", "course.account_untrained"} <= kinds(cast["adviser"])
    assert "course.attendance" in kinds(instructor)
    assert "course.own_missing" in kinds(cast["member"])
    assert not {k for k in kinds(cast["other"]) if k.startswith("course.")}
    train(cast["other"], basic_course, on=timezone.localdate() - timedelta(days=720))
    assert "course.own_expiring" in kinds(cast["other"])
    train(cast["other"], basic_course, on=timezone.localdate())
    assert "course.own_expiring" not in kinds(cast["other"])  # taken again: the newer completion counts


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_query_counts_do_not_grow_with_the_rows(client, cast, basic_course, make_session, make_account):
    session = make_session(capacity=500)
    train(cast["member"], basic_course)
    train(cast["deputy"], basic_course)
    make_account(status="active")
    pages = {
        "list": reverse("courses:list"),
        "course": reverse("courses:detail", args=[basic_course.slug]),
        "session": reverse("courses:session", args=[session.pk]),
        "attendance": reverse("courses:attendance", args=[session.pk]),
        "competence": reverse("courses:competence"),
        "record": reverse("courses:record"),
    }
    client.force_login(cast["adviser"])
    services.enroll(actor=cast["member"], session=session)
    for url in pages.values():
        count_queries(client, url)
    before = {name: count_queries(client, url) for name, url in pages.items()}
    for n in range(30):
        person = make_user(f"p{n}@example.no", f"Person {n}")
        services.enroll(actor=person, session=session)
        train(person, basic_course)
        make_session(starts_in=timedelta(days=10 + n))
    for n in range(5):
        # Each account its own editor: the competence overview lists five more people.
        editor = make_user(f"redaktor{n}@example.no", f"Redaktør {n}")
        Membership.objects.create(user=editor, unit=cast["unit"])
        train(editor, basic_course)
        make_account(
            f"https://www.instagram.com/blodbanken_{n}/",
            display_name=f"Konto {n}",
            editor=editor,
            deputies=[cast["deputy"]],
            status="active",
        )
    after = {name: count_queries(client, url) for name, url in pages.items()}
    assert after == before
    assert client.get(pages["competence"]).content.decode().count("Redaktør ") >= 5


def test_many_accounts_without_trained_editors_become_a_few_and_a_count(cast, make_account):
    from registry.models import Account

    for n in range(8):
        make_account(url=f"https://www.instagram.com/utan_kurs_{n}/")
    Account.objects.update(training_missing=True)
    found = [i for i in worklist_for(cast["adviser"]) if i.kind == "course.account_untrained"]
    assert [i.count for i in found] == [1, 1, 1, 1, 1, 3]
    assert found[-1].url == reverse("registry:register") + "?training_missing=on"
    page_count = sum(i.count for i in worklist_for(cast["adviser"]) if i.group == "course")
    assert page_count == 8  # the menu counts every account, not the five shown
