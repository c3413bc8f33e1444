"""Which platforms a plan may use: "not approved" is a refusal, "not assessed" is allowed but the
adviser is told, and the adviser reviews a plan against the hospital's position on each platform."""

import pytest
from django.apps import apps
from django.urls import reverse

from facts import shipped
from facts.models import Placeholder, PlatformTerms
from plans.models import Plan

from .test_plan_edit import form_data


@pytest.fixture
def facts(catalogue):
    shipped.load(PlatformTerms, Placeholder, apps.get_model("platforms", "Platform"))


@pytest.fixture
def draft(cast):
    from plans import services

    return services.plan_create(unit=cast["unit"], author=cast["member"], title="Blodbanken på TikTok")


def post_channel(client, plan, instagram, platform):
    data = form_data(plan, instagram, **{"channels-0-platform": str(platform.pk)})
    return client.post(reverse("plans:edit", args=[plan.pk]), data)


def test_a_member_cannot_save_a_plan_for_a_platform_that_is_not_approved(
    client, cast, catalogue, facts, draft, instagram, settings
):
    organisation = draft.unit.organisation
    organisation.mailbox = "some@sykehuset.example"
    organisation.save()
    client.force_login(cast["member"])
    response = post_channel(client, draft, instagram, catalogue["tiktok"])
    assert response.status_code == 400
    page = response.content.decode()
    assert f"{organisation.name} har ikke godkjent TikTok, så en plan kan ikke bruke den." in page
    assert "some@sykehuset.example" in page  # the organisation's mailbox, not a fixed address
    draft.refresh_from_db()
    assert draft.revision == 1 and not draft.channels.exists()


def test_the_refusal_is_in_the_readers_language(client, cast, catalogue, facts, draft, instagram, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(cast["leader"])
    page = post_channel(client, draft, instagram, catalogue["snapchat"]).content.decode()
    organisation = draft.unit.organisation
    assert f"{organisation.name} has not approved Snapchat, so a plan cannot use it." in page
    assert organisation.mailbox in page


def test_a_changed_assessment_opens_the_platform(client, cast, catalogue, facts, draft, instagram):
    PlatformTerms.objects.filter(platform=catalogue["tiktok"]).update(policy=PlatformTerms.Policy.CONDITIONS)
    client.force_login(cast["member"])
    assert post_channel(client, draft, instagram, catalogue["tiktok"]).status_code == 302
    assert draft.channels.get().platform == catalogue["tiktok"]


def test_a_plan_for_a_platform_not_assessed_can_be_written(client, cast, catalogue, facts, draft, instagram):
    PlatformTerms.objects.filter(platform=catalogue["pinterest"]).delete()
    client.force_login(cast["member"])
    assert post_channel(client, draft, instagram, catalogue["pinterest"]).status_code == 302
    assert draft.channels.get().platform == catalogue["pinterest"]
    page = client.get(reverse("plans:edit", args=[draft.pk])).content.decode()
    assert "Sykehuset har ikke vurdert Pinterest ennå." in page


def review_page(client, adviser, plan):
    client.force_login(adviser)
    response = client.get(reverse("plans:review", args=[plan.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index('id="review-terms-heading"') : page.index('id="version-heading"')]


def test_the_adviser_sees_the_position_and_conditions_of_each_platform(client, cast, catalogue, facts, make_plan):
    plan = make_plan("in_review")
    section = review_page(client, cast["adviser"], plan)
    assert "Instagram:" in section and "Godkjent med vilkår" in section
    assert shipped.PLATFORM_TERMS["instagram"][1] in section  # the conditions, word for word
    assert "ikke vurdert" not in section


def test_the_adviser_is_told_plainly_when_a_platform_is_not_assessed(client, cast, catalogue, facts, make_plan):
    PlatformTerms.objects.filter(platform__slug="instagram").delete()
    plan = make_plan("in_review")
    section = review_page(client, cast["adviser"], plan)
    assert "Ikke vurdert" in section
    assert "Sykehuset har ikke vurdert Instagram." in section


def test_the_unit_does_not_get_the_review_page(client, cast, catalogue, facts, make_plan):
    plan = make_plan("in_review")
    client.force_login(cast["member"])
    assert client.get(reverse("plans:review", args=[plan.pk])).status_code in (403, 404)
    assert Plan.objects.get(pk=plan.pk).status == "in_review"


def test_the_shipped_assessments_are_dated_and_the_date_is_shown(client, cast, catalogue, facts, make_plan):
    import datetime
    import importlib

    migration = importlib.import_module("facts.migrations.0004_platform_terms_assessed_on")
    PlatformTerms.objects.update(assessed_on=None)  # as before the migration
    PlatformTerms.objects.filter(platform__slug="x").update(reason="Vår eiga vurdering.")  # no longer shipped
    migration.load(apps, None)
    terms = {t.platform.slug: t for t in PlatformTerms.objects.select_related("platform")}
    assert terms["tiktok"].assessed_on == datetime.date(2026, 12, 1)
    assert terms["x"].assessed_on is None  # only the adviser knows when their own terms were assessed
    assert terms["instagram"].assessed_on is None  # no date was shipped for it

    PlatformTerms.objects.filter(platform__slug="instagram").update(assessed_on=datetime.date(2026, 12, 3))
    plan = make_plan("in_review")
    assert "Vurdert desember 2026" in review_page(client, cast["adviser"], plan)
    client.cookies[settings_cookie()] = "en"
    page = client.get(reverse("facts:platforms")).content.decode()
    assert "Assessed December 2026" in page


def settings_cookie():
    from django.conf import settings

    return settings.LANGUAGE_COOKIE_NAME
