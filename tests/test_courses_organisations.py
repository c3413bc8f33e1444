"""Courses with two organisations: Helse Bergen (the cast) and Helse Stavanger. Each runs its own
courses and sessions; a regional course is offered to both, each holds its own sessions of it,
and each organisation's gate requires its own choice of courses. Another organisation's course,
session, certificate or calendar entry is a 404 for an adviser and never in their lists or
counts; certificates, calendar entries and e-mails name the organisation of the people concerned."""

import subprocess
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.models import Membership, Organisation, Unit
from accounts.organisations import forget
from core.models import OutboundEmail
from courses import calendar, services
from courses.certificate import render_certificate
from courses.competence import gaps_for
from courses.models import Course, CourseFormat, EditorStatus, Session, trained_people

from .conftest import make_user
from .courses_helpers import train


@pytest.fixture
def stavanger(cast):
    """A second organisation in the region of the cast's, with a unit, its member, leader and
    adviser; and the region with its adviser."""
    region = Organisation.objects.create(
        name="Helse Vest RHF", slug="helse-vest", is_region=True, mailbox="post@helse-vest.no"
    )
    Organisation.objects.filter(pk=cast["unit"].organisation_id).update(region=region)
    organisation = Organisation.objects.create(
        name="Helse Stavanger",
        slug="helse-stavanger",
        region=region,
        mailbox="kommunikasjon@helse-stavanger.no",
        sender="some@helse-stavanger.no",
    )
    forget()
    trust = Unit.objects.create(name="Helse Stavanger HF", kind=Unit.Kind.TRUST, organisation=organisation)
    unit = Unit.objects.create(name="Barneklinikken i Stavanger", kind=Unit.Kind.CLINIC, parent=trust)
    people = {
        "member": make_user("kari@stavanger.example.no", "Kari Sola", organisation=organisation),
        "leader": make_user("randi@stavanger.example.no", "Randi Hå", organisation=organisation),
        "adviser": make_user("per@stavanger.example.no", "Per Sand", organisation=organisation, is_adviser=True),
        "regional": make_user("rita@helse-vest.example.no", "Rita Vest", organisation=region, is_adviser=True),
    }
    Membership.objects.create(user=people["member"], unit=unit)
    unit.leader = people["leader"]
    unit.save()
    return {"organisation": organisation, "region": region, "unit": unit, **people}


def details(title, slug, **changes):
    return services.CourseDetails(
        title=title,
        slug=slug,
        description="Det du må kunne.",
        audience="Redaktørar",
        duration_minutes=120,
        format=changes.pop("format", CourseFormat.CLASSROOM),
        **changes,
    )


def session_details(days=7, place="Auditoriet"):
    start = (timezone.now() + timedelta(days=days)).replace(microsecond=0)
    return services.SessionDetails(starts_at=start, ends_at=start + timedelta(hours=2), capacity=10, place=place)


@pytest.fixture
def stavanger_course(stavanger):
    return services.course_save(
        actor=stavanger["adviser"],
        details=details("Stavangerkurset", "stavangerkurset", required_for_editors=True),
    )


@pytest.fixture
def regional(cast):
    return services.course_save(
        actor=cast["admin"], details=details("Regionalt grunnkurs", "regionalt-grunnkurs"), regional=True
    )


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


# The catalogue ---------------------------------------------------------------------------------


def test_a_course_is_its_advisers_organisations(cast, basic_course, stavanger, stavanger_course):
    assert basic_course.organisation_id == cast["unit"].organisation_id
    assert stavanger_course.organisation == stavanger["organisation"]
    assert list(stavanger_course.required_by.all()) == [stavanger["organisation"]]
    assert list(basic_course.required_by.all()) == [basic_course.organisation]


def test_members_see_their_organisations_courses_and_the_regional_ones(
    client, cast, basic_course, stavanger, stavanger_course, regional
):
    client.force_login(stavanger["member"])
    page = client.get(reverse("courses:list")).content.decode()
    assert "Stavangerkurset" in page and "Regionalt grunnkurs" in page
    assert basic_course.title not in page
    assert "Helse Stavanger" in page and "Helse Bergen" not in page
    client.force_login(cast["member"])
    page = client.get(reverse("courses:list")).content.decode()
    assert basic_course.title in page and "Regionalt grunnkurs" in page and "Stavangerkurset" not in page


def test_an_unpublished_course_is_seen_by_its_own_advisers_only(client, cast, stavanger):
    draft = services.course_save(
        actor=stavanger["adviser"], details=details("Utkast i Stavanger", "utkast-stavanger", is_published=False)
    )
    client.force_login(stavanger["adviser"])
    assert client.get(reverse("courses:detail", args=[draft.slug])).status_code == 200
    for person in (stavanger["member"], cast["adviser"]):
        client.force_login(person)
        assert client.get(reverse("courses:detail", args=[draft.slug])).status_code == 404
        assert "Utkast i Stavanger" not in client.get(reverse("courses:list")).content.decode()


@pytest.mark.parametrize("name", ["courses:detail", "courses:course_edit", "courses:questions", "courses:quiz"])
def test_another_organisations_course_is_not_found(client, cast, basic_course, stavanger, name):
    client.force_login(stavanger["adviser"])
    assert client.get(reverse(name, args=[basic_course.slug])).status_code == 404
    assert client.post(reverse("courses:session_create", args=[basic_course.slug])).status_code == 404


def test_own_staff_who_are_not_advisers_are_refused_the_course_form(client, cast, basic_course):
    client.force_login(cast["member"])
    assert client.get(reverse("courses:course_edit", args=[basic_course.slug])).status_code == 403


def test_an_adviser_cannot_change_another_organisations_course(cast, basic_course, stavanger):
    with pytest.raises(services.NotAllowed):
        services.course_save(actor=stavanger["adviser"], details=details("Kapra", "kapra"), course=basic_course)
    with pytest.raises(services.NotAllowed):
        services.session_create(actor=stavanger["adviser"], course=basic_course, details=session_details())
    assert basic_course.sessions.count() == 0


def test_a_regional_course_is_changed_only_by_an_administrator(client, cast, regional, stavanger):
    for adviser in (cast["adviser"], stavanger["adviser"], stavanger["regional"]):
        with pytest.raises(services.NotAllowed):
            services.course_save(actor=adviser, details=details("Endra", "regionalt-grunnkurs"), course=regional)
    client.force_login(stavanger["adviser"])
    assert client.get(reverse("courses:course_edit", args=[regional.slug])).status_code == 403
    client.force_login(cast["admin"])
    assert client.get(reverse("courses:course_edit", args=[regional.slug])).status_code == 200


def test_a_regional_advisers_course_belongs_to_nobody(stavanger):
    with pytest.raises(services.NotAllowed):
        services.course_save(actor=stavanger["regional"], details=details("Vest", "vest"))


# Sessions --------------------------------------------------------------------------------------


def test_each_organisation_holds_its_own_sessions_of_a_regional_course(client, cast, stavanger, regional):
    bergen = services.session_create(actor=cast["adviser"], course=regional, details=session_details(place="Bergen"))
    sola = services.session_create(actor=stavanger["adviser"], course=regional, details=session_details(place="Sola"))
    assert bergen.organisation_id == cast["unit"].organisation_id
    assert sola.organisation == stavanger["organisation"]
    client.force_login(stavanger["member"])
    page = client.get(reverse("courses:detail", args=[regional.slug])).content.decode()
    assert reverse("courses:session", args=[sola.pk]) in page
    assert reverse("courses:session", args=[bergen.pk]) not in page
    assert client.get(reverse("courses:session", args=[bergen.pk])).status_code == 404
    assert client.post(reverse("courses:signup", args=[bergen.pk])).status_code == 404
    with pytest.raises(services.NotAllowed):
        services.enroll(actor=stavanger["member"], session=bergen)
    assert not bergen.enrollments.exists()


@pytest.mark.parametrize(
    "name,method",
    [
        ("courses:session", "get"),
        ("courses:session_edit", "get"),
        ("courses:attendance", "get"),
        ("courses:session_cancel", "post"),
        ("courses:session_fill", "post"),
        ("courses:signup", "post"),
        ("courses:withdraw", "post"),
    ],
)
def test_another_organisations_session_is_not_found(client, cast, make_session, stavanger, name, method):
    session = make_session()
    services.enroll(actor=cast["member"], session=session)
    client.force_login(stavanger["adviser"])
    response = getattr(client, method)(reverse(name, args=[session.pk]), {"reason": "Sjuk"})
    assert response.status_code == 404
    session.refresh_from_db()
    assert not session.is_cancelled and session.enrollments.active().count() == 1


def test_an_adviser_signs_up_only_their_own_organisations_people(client, cast, make_session, stavanger):
    session = make_session()
    client.force_login(cast["adviser"])
    client.post(reverse("courses:signup", args=[session.pk]), {"email": stavanger["member"].email})
    assert not session.enrollments.exists()
    assert (
        client.post(reverse("courses:signup", args=[session.pk]), {"person": stavanger["member"].pk}).status_code == 404
    )
    assert stavanger["member"] not in services.people_one_may_sign_up(cast["adviser"])
    with pytest.raises(services.NotAllowed):
        services.enroll(actor=cast["adviser"], session=session, person=stavanger["member"])


def test_an_advisers_lists_and_tasks_hold_only_their_own_sessions(client, cast, make_session, stavanger, regional):
    bergen = make_session(starts_in=timedelta(days=-1))
    services.session_create(actor=stavanger["adviser"], course=regional, details=session_details())
    assert list(Session.objects.managed_by(stavanger["adviser"])) != [] and bergen not in Session.objects.managed_by(
        stavanger["adviser"]
    )
    assert bergen not in Session.objects.visible_to(stavanger["adviser"])
    client.force_login(stavanger["adviser"])
    page = client.get(reverse("courses:list")).content.decode()
    assert bergen.course.title not in page


# Records, certificates and the competence overview ---------------------------------------------


def test_another_organisations_certificate_and_record_are_not_found(client, cast, basic_course, stavanger):
    completion = train(cast["member"], basic_course)
    client.force_login(stavanger["adviser"])
    assert client.get(reverse("courses:certificate", args=[completion.pk])).status_code == 404
    assert client.get(reverse("courses:person_record", args=[cast["member"].pk])).status_code == 404
    client.force_login(cast["adviser"])
    assert client.get(reverse("courses:certificate", args=[completion.pk])).status_code == 200
    assert client.get(reverse("courses:person_record", args=[cast["member"].pk])).status_code == 200


def test_the_certificate_names_the_holders_organisation(client, stavanger, stavanger_course):
    completion = services.completion_record(
        actor=stavanger["adviser"], user=stavanger["member"], course=stavanger_course, on=timezone.localdate()
    )
    text = pdf_text(render_certificate(completion))
    assert "Helse Stavanger" in text and "kommunikasjon@helse" in text  # the address may wrap at its hyphen
    assert "Bergen" not in text and "Haukeland" not in text


def test_an_adviser_records_completions_only_for_their_own_people(cast, basic_course, stavanger, stavanger_course):
    with pytest.raises(services.NotAllowed):
        services.completion_record(
            actor=stavanger["adviser"], user=cast["member"], course=stavanger_course, on=timezone.localdate()
        )
    with pytest.raises(services.NotAllowed):  # Bergen's course is not offered in Stavanger
        services.completion_record(
            actor=stavanger["adviser"], user=stavanger["member"], course=basic_course, on=timezone.localdate()
        )


def test_the_competence_overview_holds_only_the_advisers_organisation(
    client, cast, basic_course, make_account, stavanger
):
    make_account()  # Silje of Helse Bergen runs it, without the course
    assert EditorStatus.objects.filter(user=cast["member"], trained=False).exists()
    client.force_login(stavanger["adviser"])
    page = client.get(reverse("courses:competence")).content.decode()
    assert cast["member"].full_name not in page and "blodbanken" not in page.lower()
    assert EditorStatus.objects.visible_to(stavanger["adviser"]).count() == 0
    client.force_login(cast["adviser"])
    page = client.get(reverse("courses:competence")).content.decode()
    assert cast["member"].full_name in page and "Helse Bergen" in page


# The gate, per organisation --------------------------------------------------------------------


def test_each_organisation_is_measured_against_its_own_requirement(cast, basic_course, stavanger, stavanger_course):
    gaps = gaps_for([cast["member"], stavanger["member"]])
    assert [gap.course for gap in gaps[cast["member"].pk]] == [basic_course]
    assert [gap.course for gap in gaps[stavanger["member"].pk]] == [stavanger_course]
    train(stavanger["member"], stavanger_course)
    assert stavanger["member"].pk not in gaps_for([stavanger["member"]])
    today = timezone.localdate()
    assert stavanger["member"] in trained_people(today) and cast["member"] not in trained_people(today)


def test_an_organisation_that_requires_nothing_trains_everyone(cast, basic_course, stavanger):
    assert gaps_for([stavanger["member"]]) == {}
    assert stavanger["member"] in trained_people(timezone.localdate())


def test_a_regional_course_counts_where_an_organisation_accepts_it(client, cast, stavanger, regional):
    client.cookies["some_language"] = "en"
    client.force_login(stavanger["adviser"])
    response = client.post(reverse("courses:requirement", args=[regional.slug]), {"required": "1"})
    assert response.status_code == 302
    assert list(regional.required_by.all()) == [stavanger["organisation"]]
    assert [g.course for g in gaps_for([stavanger["member"]])[stavanger["member"].pk]] == [regional]
    assert cast["member"].pk not in gaps_for([cast["member"]])  # Bergen has not accepted it
    train(stavanger["member"], regional, on=timezone.localdate())
    assert gaps_for([stavanger["member"]]) == {}
    page = client.get(reverse("courses:detail", args=[regional.slug])).content.decode()
    assert "Helse Stavanger requires this course" in page
    client.post(reverse("courses:requirement", args=[regional.slug]), {"required": "0"})
    assert not regional.required_by.exists()


def test_an_organisation_cannot_require_another_organisations_course(client, cast, basic_course, stavanger):
    client.force_login(stavanger["adviser"])
    assert client.post(reverse("courses:requirement", args=[basic_course.slug]), {"required": "1"}).status_code == 404
    with pytest.raises(services.NotAllowed):
        services.course_requirement_set(
            actor=stavanger["adviser"],
            course=basic_course,
            organisation_id=stavanger["organisation"].pk,
            required=True,
        )
    with pytest.raises(services.NotAllowed):  # nor decide for Bergen
        services.course_requirement_set(
            actor=stavanger["adviser"],
            course=basic_course,
            organisation_id=basic_course.organisation_id,
            required=False,
        )
    assert list(basic_course.required_by.all()) == [basic_course.organisation]


def test_the_members_course_list_marks_what_their_own_organisation_requires(
    client, cast, basic_course, stavanger, regional
):
    services.course_requirement_set(
        actor=stavanger["adviser"], course=regional, organisation_id=stavanger["organisation"].pk, required=True
    )
    client.cookies["some_language"] = "en"
    client.force_login(cast["member"])
    page = client.get(reverse("courses:detail", args=[regional.slug])).content.decode()
    assert "Required for editors" not in page
    client.force_login(stavanger["member"])
    page = client.get(reverse("courses:detail", args=[regional.slug])).content.decode()
    assert "Required for editors" in page


# Calendar entries and e-mails ------------------------------------------------------------------


def test_an_invitation_comes_from_the_sessions_organisation(stavanger, stavanger_course):
    session = services.session_create(actor=stavanger["adviser"], course=stavanger_course, details=session_details())
    OutboundEmail.objects.all().delete()
    enrollment = services.enroll(actor=stavanger["member"], session=session)
    ics = Calendar.from_ical(calendar.invitation(enrollment, calendar.REQUEST, language="en"))
    [event] = ics.events
    assert str(event["ORGANIZER"]) == "mailto:kommunikasjon@helse-stavanger.no"
    assert event["ORGANIZER"].params["CN"] == "Communications Department, Helse Stavanger"
    assert "Helse Stavanger" in str(ics["PRODID"]) and "Bergen" not in str(ics["PRODID"])
    [mail] = OutboundEmail.objects.all()
    assert mail.to == [stavanger["member"].email]
    assert "Helse Stavanger" in mail.from_email and "some@helse-stavanger.no" in mail.from_email
    assert "Helse Stavanger" in mail.body_html and "Helse Bergen" not in mail.body_html


def test_the_calendar_feed_names_the_persons_organisation(client, stavanger, stavanger_course):
    session = services.session_create(actor=stavanger["adviser"], course=stavanger_course, details=session_details())
    services.enroll(actor=stavanger["member"], session=session)
    _feed, token = services.feed_create(user=stavanger["member"])
    feed = Calendar.from_ical(client.get(reverse("courses:feed", args=[token])).content)
    [event] = feed.events
    assert str(feed["PRODID"]) == "-//Helse Stavanger//SoMe-portalen//NO"
    assert str(event["ORGANIZER"]) == "mailto:kommunikasjon@helse-stavanger.no"


def test_the_training_missing_mail_names_the_persons_organisation(cast, basic_course, make_account):
    OutboundEmail.objects.all().delete()
    make_account()
    mail = OutboundEmail.objects.filter(template="courses/account_training_missing").first()
    assert mail is not None and "Helse Bergen krev" in mail.body_text


# The upgrade -----------------------------------------------------------------------------------


@pytest.fixture
def before_organisations(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate([("courses", "0001_initial")])
    yield executor.loader.project_state([("courses", "0001_initial")]).apps
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


# On PostgreSQL, taking these tables back inside the test's own transaction stops at rows it made
# there ("pending trigger events"); the whole upgrade runs on both databases in
# tests/test_upgrade_to_organisations.py.
@pytest.mark.skipif(connection.vendor == "postgresql", reason="migrating back within one transaction: SQLite only")
def test_an_installation_from_before_keeps_its_courses_and_requirement(before_organisations):
    OldCourse = before_organisations.get_model("courses", "Course")
    OldSession = before_organisations.get_model("courses", "Session")
    common = {"description": "D", "audience": "A", "duration_minutes": 60}
    required = OldCourse.objects.create(slug="grunnkurs", title="Grunnkurs", required_for_editors=True, **common)
    OldCourse.objects.create(slug="skriving", title="Skriving", **common)
    start = timezone.now()
    OldSession.objects.create(course=required, starts_at=start, ends_at=start + timedelta(hours=1), capacity=5)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("courses", "0002_organisations")])

    forget()
    from accounts.models import default_organisation

    organisation = default_organisation()
    assert set(Course.objects.values_list("organisation_id", flat=True)) == {organisation.pk}
    assert list(Session.objects.values_list("organisation_id", flat=True)) == [organisation.pk]
    assert list(Course.objects.required(organisation).values_list("slug", flat=True)) == ["grunnkurs"]


# Tasks -----------------------------------------------------------------------------------------


def test_an_advisers_course_tasks_are_their_own_organisations(cast, make_session, make_account, stavanger):
    from core.worklist import worklist_of_one
    from courses.worklist import items as course_items

    def items(user):
        return worklist_of_one(course_items, user)

    make_account()  # Helse Bergen's account, its editor without the course
    held = make_session(starts_in=timedelta(hours=1))
    services.enroll(actor=cast["member"], session=held)
    Session.objects.filter(pk=held.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    kinds = {item.kind for item in items(cast["adviser"])}
    assert {"course.attendance", "course.account_untrained"} <= kinds
    assert not {item.kind for item in items(stavanger["adviser"])} & {
        "course.attendance",
        "course.account_untrained",
        "course.free_seats",
    }


def test_the_session_form_offers_only_the_holding_organisations_people(client, cast, make_session, stavanger):
    session = make_session()
    client.force_login(cast["adviser"])
    page = client.get(reverse("courses:session_edit", args=[session.pk])).content.decode()
    assert cast["member"].full_name in page and stavanger["member"].full_name not in page
    with pytest.raises(services.InvalidDetails):
        services.session_create(
            actor=cast["adviser"],
            course=session.course,
            details=services.SessionDetails(**{**session_details().__dict__, "instructors": [stavanger["member"]]}),
        )


def test_an_administrator_makes_a_regional_course_on_the_course_form(client, cast, stavanger):
    """The checkbox is the administrator's only; the course belongs to no organisation and is offered
    to every one, which each requires or not on its page."""
    client.force_login(cast["adviser"])
    assert "regional" not in client.get(reverse("courses:course_create")).context["form"].fields
    client.force_login(cast["admin"])
    page = client.get(reverse("courses:course_create"))
    assert page.status_code == 200 and page.context["form"].fields["regional"].disabled  # advises nobody
    assert "required_for_editors" not in page.context["form"].fields  # each organisation says so itself
    client.post(
        reverse("courses:course_create"),
        {
            "title": "Berre regionalt",
            "description": "x",
            "audience": "y",
            "duration_minutes": "30",
            "format": CourseFormat.ONLINE,
        },
    )
    assert Course.objects.get(slug="berre-regionalt").organisation_id is None
    cast["admin"].is_adviser = True  # an administrator who is also their organisation's adviser chooses
    cast["admin"].save()
    page = client.get(reverse("courses:course_create"))
    assert not page.context["form"].fields["regional"].disabled
    posted = {
        "title": "Regionalt innføringskurs",
        "slug": "regionalt-innforing",
        "description": "For alle i regionen.",
        "audience": "Redaktørar",
        "duration_minutes": "60",
        "format": CourseFormat.CLASSROOM,
        "required_for_editors": "on",
        "regional": "on",
        "is_published": "on",
    }
    assert client.post(reverse("courses:course_create"), posted).status_code == 302
    course = Course.objects.get(slug="regionalt-innforing")
    assert course.organisation_id is None and not course.required_by.exists()
    assert Course.objects.offered_to(stavanger["organisation"].pk).filter(pk=course.pk).exists()
    # Not ticked: the administrator's own organisation's course, as any adviser's.
    posted.update(slug="eige-kurs", title="Eige kurs")
    del posted["regional"]
    client.post(reverse("courses:course_create"), posted)
    own = Course.objects.get(slug="eige-kurs")
    assert own.organisation_id == cast["admin"].organisation_id
