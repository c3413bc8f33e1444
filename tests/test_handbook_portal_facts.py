"""The handbook says what the portal does, because it reads it from the portal: every number and
rule of the portal that a chapter states comes from the portal's settings or data, and changes
with them."""

import re

import pytest
from django.test import override_settings
from django.utils.html import strip_tags

from courses.models import Course
from handbook.content import shipped_documents
from handbook.models import Document
from handbook.rendering import expand


@pytest.fixture
def shipped(db):
    from django.apps import apps

    from handbook.content import load_shipped

    load_shipped(apps.get_model("handbook", "Document"), apps.get_model("handbook", "DocumentVersion"))


@pytest.fixture(autouse=True)
def _organisations_read_again():
    # An organisation changed in a test is rolled back at its end: each process reads them again.
    yield
    from accounts.organisations import forget

    forget()


@pytest.fixture
def required_course(db):
    from accounts.organisations import default

    Course.objects.all().delete()
    course = Course.objects.create(
        slug="redaktorkurs",
        title="Redaktørkurs for sosiale medium",
        description="Kurs.",
        audience="Redaktørar",
        duration_minutes=120,
        valid_months=24,
    )
    course.required_by.add(default())
    return course


def public_text() -> str:
    """Every published document as the public reads it, as text."""
    texts = [expand(d.published.body_html) for d in Document.objects.published().select_related("published")]
    return re.sub(r"\s+", " ", strip_tags("\n".join(texts)))


def public_html() -> str:
    return "\n".join(expand(d.published.body_html) for d in Document.objects.published().select_related("published"))


# What the chapters state about the portal: the pattern of each statement (its number captured) → the setting.
STATEMENTS = {
    r"svarar innan (\d+) arbeidsdag": lambda s: s.PLAN_ANSWER_WORKING_DAYS,
    r"første gong (\d+) månad": lambda s: s.EVALUATION_FIRST_MONTHS,
    r"etter (\d+) månad(?:er)? ser dei på tala": lambda s: s.EVALUATION_FIRST_MONTHS,
    r"normalt (\d+) månad": lambda s: s.EVALUATION_FIRST_MONTHS,
    r"deretter (\d+) månad(?:er)? etter den førre": lambda s: s.EVALUATION_INTERVAL_MONTHS,
    r"minner \w+ på (?:han|evalueringa) (\d+) dag": lambda s: s.EVALUATION_REMIND_BEFORE_DAYS,
    r"venta i (\d+) dag(?:ar)? etter fristen": lambda s: s.EVALUATION_CLOSURE_AFTER_DAYS,
    r"minner dei på det (\d+) dag": lambda s: s.COURSE_EXPIRY_NOTICE_DAYS,
}


def assert_states_the_settings(settings):
    text = public_text()
    for pattern, setting in STATEMENTS.items():
        found = re.findall(pattern, text)
        assert found, pattern  # the handbook states it
        assert {int(n) for n in found} == {setting(settings)}, pattern
    # Nothing about the evaluations' timing is written as a fixed number any more.
    for stale in ("tre månader etter", "seks månader", "éin gong i året", "minst éin gong"):
        assert stale not in text, stale


def test_every_number_the_handbook_states_about_the_portal_is_the_setting(shipped, required_course, settings):
    assert_states_the_settings(settings)
    text = public_text()
    assert "svarar innan 10 arbeidsdagar" in text and "første gong 3 månader" in text
    assert "«Redaktørkurs for sosiale medium» (gjeld i 24 månader)" in text
    assert "ny redaktør eller stadfortredar" in text
    assert "«Under oppsett», «Aktiv», «Pause» og «Lagd ned»" in text


@pytest.mark.parametrize(
    "changed",
    [
        {"PLAN_ANSWER_WORKING_DAYS": 7, "EVALUATION_FIRST_MONTHS": 4, "EVALUATION_INTERVAL_MONTHS": 6},
        {"PLAN_ANSWER_WORKING_DAYS": 1, "EVALUATION_FIRST_MONTHS": 1, "EVALUATION_INTERVAL_MONTHS": 24},
    ],
)
def test_a_changed_setting_changes_the_text(shipped, required_course, settings, changed):
    with override_settings(
        COURSE_EXPIRY_NOTICE_DAYS=45, EVALUATION_REMIND_BEFORE_DAYS=9, EVALUATION_CLOSURE_AFTER_DAYS=1, **changed
    ):
        from django.conf import settings as now

        assert_states_the_settings(now)
        text = public_text()
        assert "venta i 1 dag etter fristen" in text  # one, not «1 dagar»
        if changed["PLAN_ANSWER_WORKING_DAYS"] == 1:
            assert "innan 1 arbeidsdag." in text and "første gong 1 månad etter" in text


def test_the_required_courses_and_their_validity_come_from_the_courses(shipped, required_course):
    required_course.valid_months = 12
    required_course.save()
    from accounts.organisations import default

    Course.objects.create(
        slug="personvern",
        title="Personvern i sosiale medium",
        description="Kurs.",
        audience="Alle",
        duration_minutes=30,
        position=10,
    ).required_by.add(default())
    text = public_text()
    assert (
        "Portalen krev «Redaktørkurs for sosiale medium» (gjeld i 12 månader) og "
        "«Personvern i sosiale medium» (gjeld utan tidsavgrensing)"
    ) in text
    for course in Course.objects.all():
        course.required_by.clear()
    assert "Portalen krev ingen kurs" in public_text()


def test_no_chapter_states_the_mailbox_literally_and_the_mailbox_is_the_organisations(shipped):
    from accounts.organisations import default

    for _kind, slug, _position, title, body in shipped_documents():
        assert "@helse-bergen.no" not in title + body, slug
    assert 'href="mailto:info@helse-bergen.no"' in public_html()
    organisation = default()
    organisation.mailbox = "kommunikasjon@sjukehus.example"
    organisation.save()
    html = public_html()
    assert 'href="mailto:kommunikasjon@sjukehus.example">kommunikasjon@sjukehus.example</a>' in html
    assert "info@helse-bergen.no" not in html


def test_the_version_of_what_is_filled_in_follows_the_settings_and_the_courses(shipped, required_course, settings):
    from facts import portal_facts
    from handbook.rendering import expansion_version

    before = expansion_version()
    settings.PLAN_ANSWER_WORKING_DAYS = 15
    after_setting = expansion_version()
    assert after_setting != before
    required_course.title = "Nytt namn"
    required_course.save()
    assert expansion_version() != after_setting
    from accounts.organisations import default

    organisation, before_mailbox = default(), expansion_version()
    organisation.mailbox = "anna@sjukehus.example"
    organisation.save()
    assert expansion_version(default()) != before_mailbox  # the organisation's mailbox is in its text
    fingerprint = portal_facts.settings_fingerprint()
    settings.EVALUATION_CLOSURE_AFTER_DAYS = 90
    assert portal_facts.settings_fingerprint() != fingerprint


def test_the_kept_public_pages_belong_to_a_generation_named_after_the_settings(settings):
    from core.pagecache import public_data

    names = set(public_data.ask())
    settings.EVALUATION_FIRST_MONTHS = 5
    assert set(public_data.ask()) != names


def test_a_course_change_for_everyone_renews_the_handbook(db):
    from courses.events import training_changed
    from handbook.events import filled_in_changed

    heard = []
    filled_in_changed.subscribe(lambda **payload: heard.append(payload))
    training_changed.announce(user_ids=[1], day=None)
    assert heard == []
    training_changed.announce(user_ids=None, day=None)
    assert heard == [{"actor": None}]


def test_a_fact_the_portal_has_not_got_stays_as_written_and_a_mailbox_in_a_link_is_its_text(db):
    assert expand("<p>{{portal:finst-ikkje}}</p>") == "<p>{{portal:finst-ikkje}}</p>"
    assert expand('<p><a href="https://x.example">Skriv til {{portal:postkasse}}</a></p>') == (
        '<p><a href="https://x.example">Skriv til info@helse-bergen.no</a></p>'
    )


def test_search_text_never_shows_a_portal_marker_as_written():
    from handbook.rendering import plain_text

    text = plain_text("<p>Svar innan {{portal:svartid-plan}}, ring {{sentralbord}}.</p>")
    assert "{{" not in text and text == "Svar innan […], ring […]."
