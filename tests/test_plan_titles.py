"""Every plan has a name people recognise: asked for when the plan is started, editable
while the plan is, and shown with the unit, platforms and status wherever plans are listed,
in e-mail subjects and in the PDF; accounts show their handle beside the platform."""

import importlib
import subprocess

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import Membership
from core.models import OutboundEmail
from plans import services
from plans.models import Plan

from .test_plan_edit import form_data


def test_a_plan_is_started_with_a_title(client, cast):
    client.force_login(cast["member"])
    response = client.post(
        reverse("plans:create"), {"title": "  Instagram  for unge blodgivarar ", "unit": cast["unit"].pk}
    )
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plans:edit", args=[plan.pk])
    assert plan.title == "Instagram for unge blodgivarar"


@pytest.mark.parametrize("title,message", [("", "Gi planen en kort tittel"), ("x" * 121, "høyst 120 tegn")])
def test_no_title_or_a_too_long_one_is_refused_with_the_text_kept(title, message, client, cast):
    client.force_login(cast["member"])
    response = client.post(reverse("plans:create"), {"title": title, "unit": cast["unit"].pk})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'id="error-summary"' in page
    assert title in page  # kept in the field
    assert not Plan.objects.exists()


def test_with_one_unit_the_unit_is_not_asked_for(client, cast):
    client.force_login(cast["member"])
    page = client.get(reverse("plans:create")).content.decode()
    assert '<select name="unit"' not in page
    assert 'type="hidden" name="unit"' in page and "Blodbanken i Bergen" in page
    # With two units to choose from, it is asked.
    Membership.objects.create(user=cast["member"], unit=cast["other_unit"])
    cast["member"].__dict__.pop("_unit_ids", None)
    page = client.get(reverse("plans:create")).content.decode()
    assert '<select name="unit"' in page


def test_a_unit_not_ones_own_is_refused(client, cast):
    client.force_login(cast["member"])
    response = client.post(reverse("plans:create"), {"title": "Min plan", "unit": cast["other_unit"].pk})
    assert response.status_code == 400 and not Plan.objects.exists()


def test_the_title_is_edited_while_the_plan_is_editable(client, cast, instagram, make_plan):
    plan = make_plan("draft")
    client.force_login(cast["member"])
    client.post(reverse("plans:edit", args=[plan.pk]), form_data(plan, instagram, title="Instagram for studentar"))
    assert Plan.objects.get(pk=plan.pk).title == "Instagram for studentar"
    response = client.post(
        reverse("plans:edit", args=[plan.pk]), form_data(Plan.objects.get(pk=plan.pk), instagram, title="")
    )
    assert response.status_code == 400 and Plan.objects.get(pk=plan.pk).title == "Instagram for studentar"


def test_lists_show_title_unit_platforms_and_status(client, cast, make_plan):
    make_plan("submitted", title="Instagram for studentar")
    for role, url in [("member", reverse("plans:list")), ("adviser", reverse("plans:queue"))]:
        client.force_login(cast[role])
        page = client.get(url).content.decode()
        assert "Instagram for studentar" in page and "Blodbanken i Bergen" in page
        assert 'class="platform-icon"' in page and "Instagram</span>" in page
        assert "Sendt inn" in page  # the status, in Bokmål
        assert 'class="ds-table portal-table-cards"' in page and 'data-label="Tittel"' in page


def test_e_mail_subjects_name_the_plan(cast, make_plan):
    make_plan("approved", title="Instagram for studentar")
    subjects = list(OutboundEmail.objects.values_list("subject", flat=True))
    assert subjects and all("Instagram for studentar" in s for s in subjects if s)
    assert any(s.startswith("Godkjent: «Instagram for studentar» (Blodbanken i Bergen)") for s in subjects)


def test_e_mail_subjects_and_text_bodies_write_a_title_as_it_was_typed(cast, make_plan):
    make_plan("approved", title="Mor & barn's <Instagram>")
    mails = list(OutboundEmail.objects.values_list("subject", "body_text"))
    assert mails and all("Mor & barn's <Instagram>" in subject for subject, _body in mails)
    assert not any("&amp;" in subject + body or "&#x27;" in subject + body for subject, body in mails)


def test_the_pdf_names_the_plan(client, cast, make_plan):
    plan = make_plan("draft", title="Instagram for studentar")
    client.force_login(cast["member"])
    response = client.get(reverse("plans:pdf", args=[plan.pk]))
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True).stdout.decode()
    assert "Instagram for studentar" in text
    assert "instagram-for-studentar" in response["Content-Disposition"]


def test_internal_account_lists_show_the_handle(client, cast, make_account, make_plan):
    plan = make_plan("approved")
    account = make_account(plan=plan)
    client.force_login(cast["adviser"])
    for url in [reverse("registry:register"), reverse("plans:detail", args=[plan.pk])]:
        page = client.get(url).content.decode()
        assert f"@{account.handle}" in page


def test_the_migration_names_plans_written_before_titles(cast, make_plan, instagram, catalogue):
    named = make_plan("draft")
    plans = [make_plan("draft") for _ in range(2)]
    empty = services.plan_create(unit=cast["unit"], author=cast["member"])
    Plan.objects.filter(pk__in=[p.pk for p in [*plans, empty]]).update(title="")
    migration = importlib.import_module("plans.migrations.0003_titles_and_decisions")
    migration.give_plans_titles(apps, None)
    titles = dict(Plan.objects.values_list("pk", "title"))
    assert titles[named.pk] == "Instagram for unge blodgivarar"  # kept
    assert sorted(titles[p.pk] for p in plans) == ["Instagram", "Instagram (2)"]
    assert titles[empty.pk] == "Utkast"


HIDDEN = "\ufeff\u200b\u202e\u2066"  # a byte order mark, a zero-width space, direction overrides


def test_a_title_of_only_invisible_characters_is_no_title(client, cast):
    client.force_login(cast["member"])
    response = client.post(reverse("plans:create"), {"title": "\ufeff", "unit": cast["unit"].pk})
    assert response.status_code == 400 and "Gi planen en kort tittel" in response.content.decode()
    assert not Plan.objects.exists()


def test_invisible_and_right_to_left_characters_are_not_stored_in_a_title(client, cast, make_plan):
    client.force_login(cast["member"])
    client.post(
        reverse("plans:create"), {"title": f"{HIDDEN}Insta\u200bgram{HIDDEN} for unge", "unit": cast["unit"].pk}
    )
    assert Plan.objects.get().title == "Instagram for unge"
    # The service itself, for every other way in (a script, an import).
    plan = services.plan_create(unit=cast["unit"], author=cast["member"], title=f"\u202eTikTok\u2066 {HIDDEN}")
    assert plan.title == "TikTok"
    plan = services.plan_create(unit=cast["unit"], author=cast["member"], title=HIDDEN)
    assert plan.title.startswith("Plan for sosiale medier for:")


def test_course_titles_and_places_lose_invisible_characters(db):
    from courses.forms import CourseForm, SessionForm

    form = CourseForm({"title": "\ufeff"})
    assert not form.is_valid() and "title" in form.errors
    form = CourseForm({"title": f"Grunn{HIDDEN}kurs\u00a0 i  video"})
    form.is_valid()
    assert form.cleaned_data["title"] == "Grunnkurs i video"
    form = SessionForm({"place": f"\u202eRom 3{HIDDEN}"})
    form.is_valid()
    assert form.cleaned_data["place"] == "Rom 3"
