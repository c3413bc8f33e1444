"""The register of official accounts: the services' rules, the department's pages, and
the public pages (list, account page, verify)."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail  # noqa: F401  (mail goes through the outbox, checked below)
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Membership, User
from accounts.services import membership_remove, person_deactivate
from core.models import AuditEntry, OutboundEmail
from platforms.profiles import read_profile
from registry import services
from registry.models import CHECKLIST_KEYS, Account, AccountStatus, ChecklistCheck

from .registry_helpers import details

pytestmark = pytest.mark.django_db


# The services' rules


def test_a_new_account_is_set_up_first_and_audited(make_account, cast):
    account = make_account()
    assert account.status == AccountStatus.SETUP
    assert account.url == "https://www.instagram.com/blodbanken_bergen/" or account.url.startswith(
        "https://www.instagram.com/blodbanken_bergen"
    )
    assert account.handle_key == "blodbanken_bergen"
    assert len(account.code) == 6
    assert AuditEntry.objects.for_object(account).get().action == "account.registered"


def test_the_same_profile_cannot_be_registered_twice_whatever_its_spelling(make_account, cast):
    first = make_account("https://www.instagram.com/blodbanken_bergen/")
    with pytest.raises(services.AlreadyRegistered) as refused:
        make_account("instagram.com/BLODBANKEN_BERGEN?igsh=abc")
    assert refused.value.account == first
    assert Account.objects.count() == 1


def test_the_editor_and_the_deputy_must_be_two_people(make_account, cast):
    with pytest.raises(services.InvalidDetails) as refused:
        make_account(deputies=[cast["member"]])
    assert "deputies" in refused.value.errors
    with pytest.raises(services.InvalidDetails) as refused:
        make_account(deputies=[])
    assert "deputies" in refused.value.errors
    assert not Account.objects.exists()


def test_the_login_email_must_not_be_a_persons(make_account, cast):
    with pytest.raises(services.InvalidDetails) as refused:
        make_account(login_email=cast["member"].email.upper())
    assert "login_email" in refused.value.errors


def test_only_advisers_change_the_register(cast, catalogue):
    profile = read_profile("https://www.instagram.com/blodbanken_bergen/")
    for role in ["member", "leader", "other", "admin"]:
        with pytest.raises(services.NotAllowed):
            services.account_register(actor=cast[role], profile=profile, details=details(cast))
    assert not Account.objects.exists()


def test_activating_needs_every_item_of_the_checklist(make_account, cast):
    account = make_account()
    adviser = cast["adviser"]
    for item in CHECKLIST_KEYS[:-1]:
        services.account_check(account=account, actor=adviser, item=item, checked=True)
    with pytest.raises(services.ChecklistIncomplete) as refused:
        services.account_transition(account=account, actor=adviser, action="activate")
    with translation.override("en"):
        assert [str(label) for label in refused.value.missing] == [
            "The text on when and how fast the account answers is written"
        ]
    account.refresh_from_db()
    assert account.status == AccountStatus.SETUP and account.live_since is None

    services.account_check(account=account, actor=adviser, item=CHECKLIST_KEYS[-1], checked=True)
    services.account_transition(account=account, actor=adviser, action="activate")
    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE
    check = ChecklistCheck.objects.get(account=account, item="two_factor")
    assert check.checked_by == adviser and check.checked_at is not None


def test_unticking_is_recorded_and_an_unknown_item_is_refused(make_account, cast):
    account = make_account()
    services.account_check(account=account, actor=cast["adviser"], item="naming", checked=True)
    services.account_check(account=account, actor=cast["adviser"], item="naming", checked=False)
    assert not account.checks.exists()
    actions = list(AuditEntry.objects.for_object(account).values_list("action", flat=True))
    assert actions[-2:] == ["account.checked", "account.unchecked"]
    with pytest.raises(services.AccountError):
        services.account_check(account=account, actor=cast["adviser"], item="bribe", checked=True)


def test_active_paused_closed_and_closed_stays_on_record(make_account, cast):
    account = make_account(status="active")
    adviser = cast["adviser"]
    services.account_transition(account=account, actor=adviser, action="pause")
    services.account_transition(account=account, actor=adviser, action="resume")
    services.account_transition(account=account, actor=adviser, action="close", on=date.today())
    account.refresh_from_db()
    assert account.status == AccountStatus.CLOSED and account.closed_on == date.today()
    for action in ["activate", "pause", "resume", "close"]:
        with pytest.raises(services.WrongState):
            services.account_transition(account=account, actor=adviser, action=action)
    assert Account.objects.filter(pk=account.pk).exists()


def test_an_account_cannot_close_before_it_went_live(make_account, cast):
    account = make_account(status="active")
    with pytest.raises(services.AccountError):
        services.account_transition(account=account, actor=cast["adviser"], action="close", on=date(2000, 1, 1))
    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE


def test_an_existing_account_without_a_plan_asks_the_unit_for_one(make_account, cast):
    account = make_account()
    assert Account.objects.plan_missing().filter(pk=account.pk).exists()
    mail_to = [e.to for e in OutboundEmail.objects.filter(template="account_plan_missing")]
    assert [cast["leader"].email] in mail_to


def test_registered_as_already_live(cast, catalogue):
    account = services.account_register(
        actor=cast["adviser"],
        profile=read_profile("facebook.com/blodbankenbergen"),
        details=details(cast),
        live_since=date(2019, 5, 1),
    )
    assert account.status == AccountStatus.ACTIVE and account.live_since == date(2019, 5, 1)


def test_live_since_a_day_still_to_come_is_refused(cast, catalogue):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(services.InvalidDetails) as refused:
        services.account_register(
            actor=cast["adviser"],
            profile=read_profile("facebook.com/blodbankenbergen"),
            details=details(cast),
            live_since=tomorrow,
        )
    assert "live_since" in refused.value.errors and not Account.objects.exists()


def test_an_approved_plan_fills_the_gap(make_account, make_plan, cast):
    plan = make_plan("approved")
    account = make_account(plan=plan)
    assert not Account.objects.plan_missing().filter(pk=account.pk).exists()
    assert Account.objects.plan_in_place().filter(pk=account.pk).exists()


def test_a_plan_of_another_unit_is_refused(make_account, make_plan, cast):
    plan = make_plan("approved", unit=cast["other_unit"], author=cast["other"])
    with pytest.raises(services.InvalidDetails) as refused:
        make_account(plan=plan)
    assert "plan" in refused.value.errors


# People leaving


def test_a_deactivated_editor_marks_the_accounts_and_tells_the_leader_and_advisers(make_account, cast):
    account = make_account(status="active")
    other = make_account("https://www.tiktok.com/@blodbanken", editor=cast["deputy"], deputies=[cast["leader"]])
    person_deactivate(user=cast["member"], reason=User.InactiveReason.NONE, actor=cast["admin"])
    account.refresh_from_db()
    other.refresh_from_db()
    assert account.needs_new_editor and not other.needs_new_editor
    mails = OutboundEmail.objects.filter(template="account_needs_editor")
    assert {r for e in mails for r in e.to} == {cast["leader"].email, cast["adviser"].email}
    # What to do: take away the person's own access and roles; a password is never shared.
    for sent in mails:
        text = " ".join(sent.body_text.split())
        assert "fjern tilgangene og rollene personen som sluttet, hadde på plattformen" in text
        assert "Passord deles aldri" in text and "endre passordet" not in text
    assert AuditEntry.objects.filter(action="account.needs_new_editor", target_id=account.pk).exists()


def test_a_deputy_taken_out_of_the_unit_marks_the_account(make_account, cast):
    account = make_account()
    membership_remove(membership=Membership.objects.get(user=cast["deputy"], unit=cast["unit"]), actor=cast["admin"])
    account.refresh_from_db()
    assert account.needs_new_editor


def test_choosing_new_people_lifts_the_mark(make_account, cast, django_user_model):
    account = make_account()
    membership_remove(membership=Membership.objects.get(user=cast["deputy"], unit=cast["unit"]), actor=cast["admin"])
    newcomer = django_user_model.objects.create_user("nina@example.no", "x", full_name="Nina Moe")
    Membership.objects.create(user=newcomer, unit=cast["unit"])
    services.account_update(
        account=account,
        actor=cast["adviser"],
        profile=read_profile(account.url),
        details=details(cast, deputies=[newcomer]),
    )
    account.refresh_from_db()
    assert not account.needs_new_editor
    assert list(account.deputies.all()) == [newcomer]


def test_closed_accounts_are_not_marked(make_account, cast):
    account = make_account(status="closed")
    person_deactivate(user=cast["member"], reason=User.InactiveReason.NONE, actor=cast["admin"])
    account.refresh_from_db()
    assert not account.needs_new_editor


def test_only_advisers_tick_and_act(client, cast, make_account):
    account = make_account()
    client.force_login(cast["leader"])
    client.post(reverse("registry:check", args=[account.pk]), {"item": "naming", "checked": "1"})
    client.post(reverse("registry:action", args=[account.pk, "close"]))
    account.refresh_from_db()
    assert account.status == AccountStatus.SETUP and not account.checks.exists()


def test_the_unit_sees_only_its_own_accounts_in_the_register(client, cast, make_account):
    mine = make_account()
    theirs = make_account(
        "https://www.instagram.com/hjarteavdelinga/",
        unit=cast["other_unit"],
        editor=cast["other"],
        deputies=[cast["other_leader"]],
        login_email="hjarte.some@example.no",
    )
    client.force_login(cast["member"])
    body = client.get(reverse("registry:register")).content.decode()
    assert mine.display_name in body and theirs.url not in body
    assert reverse("registry:detail", args=[theirs.pk]) not in body


# The department's pages


def _form(cast, **changes):
    data = {
        "address": "https://www.instagram.com/blodbanken_bergen/",
        "platform": "",
        "display_name": "Blodbanken i Bergen",
        "purpose": "Rekruttering av blodgivarar",
        "languages": ["nn"],
        "editor": cast["member"].pk,
        "deputies": [cast["deputy"].pk],
        "login_email": "blodbanken.some@example.no",
        "response_hours": "Kvardagar 08–15",
        "response_time": "Innan éin arbeidsdag",
    }
    data.update(changes)
    return data


def test_register_from_an_approved_plan(client, cast, make_plan):
    plan = make_plan("approved")
    client.force_login(cast["adviser"])
    detail = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    link = reverse("registry:create") + f"?plan={plan.pk}&amp;platform=instagram"
    assert link in detail
    page = client.get(reverse("registry:create"), {"plan": plan.pk, "platform": "instagram"})
    assert page.status_code == 200
    response = client.post(reverse("registry:create"), {"plan": plan.pk, **_form(cast)})
    account = Account.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("registry:detail", args=[account.pk])
    assert account.plan == plan and account.status == AccountStatus.SETUP
    detail = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert reverse("registry:detail", args=[account.pk]) in detail and link not in detail


def test_accounts_are_not_made_from_a_plan_that_is_not_approved(client, cast, make_plan):
    plan = make_plan("in_review")
    client.force_login(cast["adviser"])
    response = client.post(reverse("registry:create"), {"plan": plan.pk, **_form(cast)})
    assert response.status_code == 302 and not Account.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"address": "javascript:alert(1)"}, "address", None),
        ({"address": "https://www.instagram.com/p/Cx12ab/"}, "address", None),
        ({"address": "https://www.vg.no/nyheter/1"}, "address", None),
        ({"address": "x" * 5000}, "address", "too long"),
        ({"deputies": []}, "deputies", None),
        ({"login_email": "silje@example.no"}, "login_email", "person"),
        ({"login_email": "not an address"}, "login_email", None),
        ({"display_name": ""}, "display_name", None),
    ],
)
def test_bad_input_keeps_what_was_typed(client, cast, changes, field, message):
    client.cookies["some_language"] = "en"
    client.force_login(cast["adviser"])
    data = _form(cast, **changes)
    data["purpose"] = "Ein tekst som ikkje må gå tapt <b>fet</b>"
    response = client.post(reverse("registry:create") + f"?unit={cast['unit'].pk}", {"unit": cast["unit"].pk, **data})
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors, form.errors
    if message:
        assert message in " ".join(form.errors[field]).lower()
    body = response.content.decode()
    assert "Ein tekst som ikkje må gå tapt &lt;b&gt;fet&lt;/b&gt;" in body
    assert 'id="error-summary"' in body
    assert not Account.objects.exists()


def test_the_same_person_as_editor_and_deputy_is_refused_on_the_form(client, cast):
    client.cookies["some_language"] = "en"
    client.force_login(cast["adviser"])
    data = _form(cast, deputies=[cast["member"].pk])
    response = client.post(reverse("registry:create"), {"unit": cast["unit"].pk, **data})
    assert response.status_code == 400
    assert "two different people" in " ".join(response.context["form"].errors["deputies"])


def test_a_duplicate_on_the_form_points_to_the_existing_account(client, cast, make_account):
    existing = make_account()
    client.force_login(cast["adviser"])
    data = _form(cast, address="http://m.instagram.com/Blodbanken_Bergen")
    response = client.post(reverse("registry:create"), {"unit": cast["unit"].pk, **data})
    assert response.status_code == 400
    assert reverse("registry:detail", args=[existing.pk]) in response.content.decode()
    assert Account.objects.count() == 1


def test_activating_with_the_checklist_incomplete_says_what_is_missing(client, cast, make_account):
    account = make_account()
    client.force_login(cast["adviser"])
    client.post(reverse("registry:check", args=[account.pk]), {"item": "naming", "checked": "1"})
    response = client.post(reverse("registry:action", args=[account.pk, "activate"]), follow=True)
    body = response.content.decode()
    assert "Two-factor login is turned on" in body or "tofaktor" in body.lower()
    account.refresh_from_db()
    assert account.status == AccountStatus.SETUP
    assert account.checks.get().checked_by == cast["adviser"]


def test_a_bad_date_changes_nothing(client, cast, make_account):
    account = make_account(status="active")
    client.force_login(cast["adviser"])
    client.post(reverse("registry:action", args=[account.pk, "close"]), {"on": "31.02.2026", "confirmed": "1"})
    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE


def test_the_account_page_shows_details_checklist_and_history(client, cast, make_account):
    account = make_account(status="active")
    client.force_login(cast["adviser"])
    body = client.get(reverse("registry:detail", args=[account.pk])).content.decode()
    assert account.login_email in body and cast["member"].full_name in body
    assert reverse("registry:public_account", args=[account.code]) in body
    assert body.count('name="item"') == len(CHECKLIST_KEYS)
    assert "Made active" in body or "aktiv" in body.lower()


def test_register_filters(client, cast, make_account):
    active = make_account(status="active")
    setup = make_account("https://www.facebook.com/blodbankenbergen", display_name="Blodbanken på Facebook")
    client.force_login(cast["adviser"])

    def names(**query):
        return {a.pk for a in client.get(reverse("registry:register"), query).context["page"]}

    assert names() == {active.pk, setup.pk}
    assert names(status="setup") == {setup.pk}
    assert names(platform="facebook") == {setup.pk}
    assert names(q="facebook") == {setup.pk}
    assert names(plan_missing="on") == {active.pk, setup.pk}
    assert names(needs_new_editor="on") == set()
    assert names(unit=cast["other_unit"].pk) == set()
    assert names(status="nonsense") == set()


# The public pages


def test_the_public_list_shows_active_accounts_only(client, make_account):
    active = make_account(status="active")
    setup = make_account("https://www.facebook.com/blodbankenbergen", display_name="Under oppsett")
    closed = make_account("https://www.tiktok.com/@blodbanken", display_name="Nedlagt konto", status="closed")
    body = client.get(reverse("registry:public_list")).content.decode()
    assert reverse("registry:public_account", args=[active.code]) in body
    assert setup.display_name not in body and closed.display_name not in body


def test_the_public_list_tells_two_accounts_of_the_same_name_apart_by_handle(client, make_account):
    make_account(status="active")
    make_account("https://www.instagram.com/blodbanken_ung/", status="active")
    body = client.get(reverse("registry:public_list")).content.decode()
    assert body.count("Blodbanken i Bergen</a>") == 2
    assert "@blodbanken_bergen</span>" in body and "@blodbanken_ung</span>" in body


def test_public_list_search_and_filters(client, cast, make_account):
    first = make_account(status="active")
    second = make_account(
        "https://www.facebook.com/blodbankenbergen", display_name="Hjarte på Facebook", status="active"
    )

    def codes(**query):
        return {a.code for a in client.get(reverse("registry:public_list"), query).context["page"]}

    assert codes(q="hjarte") == {second.code}
    assert codes(platform="instagram") == {first.code}
    assert codes(unit=cast["unit"].pk) == {first.code, second.code}
    assert codes(unit=cast["other_unit"].pk) == set()
    assert client.get(reverse("registry:public_list"), {"unit": "x"}).status_code == 200


def _unit_options(html: str) -> tuple[list[str], dict[str, list[str]]]:
    """The public list's unit filter: the values of the options outside any group, and of each group's."""
    select = html[html.index('name="unit"') : html.index("</select>", html.index('name="unit"'))]
    groups = {label: re.findall(r'<option value="(\d*)"', inner) for label, inner in OPTGROUP.findall(select)}
    loose = re.findall(r'<option value="(\d*)"', OPTGROUP.sub("", select))
    return loose, groups


OPTGROUP = re.compile(r'<optgroup label="([^"]*)">(.*?)</optgroup>', re.S)


def test_the_public_chooses_among_every_unit_with_an_account_grouped_under_its_clinic(client, cast, make_account):
    from accounts.models import Unit

    trust, laboratory = cast["trust"], cast["clinic"]
    medicine = Unit.objects.create(name="Medisinsk klinikk", kind=Unit.Kind.CLINIC, parent=trust)
    lungs = Unit.objects.create(name="Lungeavdelinga", kind=Unit.Kind.DEPARTMENT, parent=medicine)
    stomach = Unit.objects.create(name="Fordøyingsavdelinga", kind=Unit.Kind.DEPARTMENT, parent=medicine)
    endoscopy = Unit.objects.create(name="Endoskopiseksjonen", kind=Unit.Kind.SECTION, parent=stomach)
    surgery = Unit.objects.create(name="Kirurgisk klinikk", kind=Unit.Kind.CLINIC, parent=trust)  # no accounts
    for unit in (lungs, endoscopy, surgery):
        Membership.objects.create(user=cast["member"], unit=unit)
        Membership.objects.create(user=cast["deputy"], unit=unit)
    section = make_account(status="active")  # Blodbanken i Bergen, a section in Laboratorieklinikken
    department = make_account(
        "https://www.instagram.com/hjarteavdelinga/",
        display_name="Hjarteavdelinga",
        unit=cast["other_unit"],  # a department straight under the trust
        editor=cast["other"],
        deputies=[cast["other_leader"]],
        status="active",
    )
    lung = make_account(
        "https://www.instagram.com/lungeavdelinga/", display_name="Lungeavdelinga", unit=lungs, status="active"
    )
    scope = make_account(
        "https://www.instagram.com/endoskopi/", display_name="Endoskopi", unit=endoscopy, status="active"
    )
    make_account("https://www.instagram.com/kirurgi/", display_name="Kirurgi", unit=surgery)  # being set up

    def listed(**query):
        response = client.get(reverse("registry:public_list"), query)
        return {a.code for a in response.context["page"]}, response.content.decode()

    codes, html = listed()
    loose, groups = _unit_options(html)
    assert loose == ["", str(trust.pk)]
    assert groups == {
        "Helse Bergen HF": [str(cast["other_unit"].pk)],
        "Laboratorieklinikken": [str(laboratory.pk), str(cast["unit"].pk)],
        "Medisinsk klinikk": [str(medicine.pk), str(endoscopy.pk), str(lungs.pk)],
    }
    assert f'<option value="{medicine.pk}">Hele Medisinsk klinikk</option>' in html
    assert f'<option value="{lungs.pk}">Lungeavdelinga</option>' in html
    assert str(surgery.pk) not in sum(groups.values(), loose) and str(stomach.pk) not in sum(groups.values(), loose)

    # A unit stands for itself and every unit under it.
    codes, html = listed(unit=lungs.pk)
    assert codes == {lung.code} and f'<option value="{lungs.pk}" selected>Lungeavdelinga</option>' in html
    assert listed(unit=medicine.pk)[0] == {lung.code, scope.code}
    assert listed(unit=laboratory.pk)[0] == {section.code}
    assert listed(unit=trust.pk)[0] == {section.code, department.code, lung.code, scope.code}
    # A unit from a link that is not offered (a department whose accounts are its sections'):
    # accepted, and shown as chosen.
    codes, html = listed(unit=stomach.pk)
    assert codes == {scope.code} and f'<option value="{stomach.pk}" selected>' in html


def test_the_public_unit_filter_asks_as_many_queries_for_many_units(client, cast, make_account, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Unit

    settings.PUBLIC_PAGE_CACHE = False  # the page made, not a kept copy

    def count():
        client.get(reverse("registry:public_list"))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("registry:public_list"), {"platform": "instagram"})
        return len(queries)

    make_account(status="active")
    few = count()
    for n in range(8):
        clinic = Unit.objects.create(name=f"Klinikk {n}", kind=Unit.Kind.CLINIC, parent=cast["trust"])
        unit = Unit.objects.create(name=f"Avdeling {n}", kind=Unit.Kind.DEPARTMENT, parent=clinic)
        Membership.objects.create(user=cast["member"], unit=unit)
        Membership.objects.create(user=cast["deputy"], unit=unit)
        make_account(
            f"https://www.instagram.com/avdeling_{n}/", display_name=f"Avdeling {n}", unit=unit, status="active"
        )
    assert count() == few
    assert client.get(reverse("registry:public_list")).content.decode().count("<optgroup") == 9


def test_the_registers_unit_filter_offers_every_unit_and_includes_those_under_it(client, cast, make_account):
    section = make_account()
    client.force_login(cast["adviser"])
    clinic = cast["unit"].parent
    response = client.get(reverse("registry:register"), {"unit": clinic.pk})
    assert [a.pk for a in response.context["page"]] == [section.pk]
    assert f'<option value="{cast["other_unit"].pk}">' in response.content.decode()  # a department


@pytest.mark.parametrize(
    ("query", "verdict"),
    [
        ("https://www.instagram.com/blodbanken_bergen/", "official"),
        ("instagram.com/BLODBANKEN_BERGEN?utm_source=x#top", "official"),
        ("@blodbanken_bergen", "official"),
        ("https://www.instagram.com/blodbanken_bergen_official/", "unknown"),
        ("@nobody_here", "unknown"),
    ],
)
def test_verify(client, make_account, query, verdict):
    make_account(status="active")
    response = client.get(reverse("registry:verify"), {"q": query})
    assert response.status_code == 200
    assert response.context["verdict"] == verdict


def test_verify_closed_and_being_set_up(client, make_account):
    closed = make_account(status="closed")
    response = client.get(reverse("registry:verify"), {"q": closed.url})
    assert response.context["verdict"] == "closed"
    make_account("https://www.facebook.com/blodbankenbergen")
    response = client.get(reverse("registry:verify"), {"q": "https://www.facebook.com/blodbankenbergen"})
    assert response.context["verdict"] == "unknown"


def test_verify_a_handle_on_two_platforms_asks_for_the_platform(client, cast, make_account):
    make_account("https://www.instagram.com/blodbanken/", status="active")
    make_account("https://www.tiktok.com/@blodbanken", status="active")
    response = client.get(reverse("registry:verify"), {"q": "@blodbanken"})
    assert response.status_code == 400 and "platform" in response.context["form"].errors
    response = client.get(reverse("registry:verify"), {"q": "@blodbanken", "platform": "tiktok"})
    assert response.context["verdict"] == "official"
    assert response.context["account"].platform.slug == "tiktok"


@pytest.mark.parametrize("query", ["javascript:alert(1)", "https://www.instagram.com/explore/", "x" * 600, "   "])
def test_verify_refuses_what_is_not_a_profile(client, query):
    response = client.get(reverse("registry:verify"), {"q": query})
    assert response.status_code == 400
    assert response.context["form"].errors["q"]
    assert "verdict" not in response.context


def test_a_lookalike_handle_is_shown_and_never_confused(client, make_account):
    make_account(status="active")
    lookalike = "https://www.instagram.com/blodb\u0430nken_bergen/"  # Cyrillic а
    response = client.get(reverse("registry:verify"), {"q": lookalike})
    if response.status_code == 200:
        assert response.context["verdict"] == "unknown"
        assert "U+0430" in response.content.decode()
    else:
        assert response.status_code == 400


def test_public_pages_hold_no_personal_names_or_emails(client, cast, make_account):
    account = make_account(status="active")
    closed = make_account("https://www.tiktok.com/@blodbanken", status="closed")
    urls = [
        reverse("registry:public_list"),
        reverse("registry:public_account", args=[account.code]),
        reverse("registry:public_account", args=[closed.code]),
        reverse("registry:verify") + "?q=" + account.url,
        reverse("registry:verify") + "?q=" + closed.url,
        reverse("registry:verify") + "?q=@blodbanken_bergen",
    ]
    people = [cast[r] for r in ["member", "deputy", "leader", "adviser"]]
    secrets = [p.full_name for p in people] + [p.email for p in people] + [account.login_email, closed.login_email]
    for url in urls:
        body = client.get(url).content.decode()
        for secret in secrets:
            assert secret not in body, (url, secret)


def test_a_public_page_for_an_unknown_code_is_404(client):
    assert client.get(reverse("registry:public_account", args=["zzzzzz"])).status_code == 404


def test_the_public_page_of_a_closed_account_says_until_when(client, make_account):
    closed = make_account(status="closed")
    body = client.get(reverse("registry:public_account", args=[closed.code])).content.decode()
    assert closed.url in body
    assert str(closed.closed_on.year) in body


def test_name_search_ignores_case_in_norwegian_letters_too(client, make_account):
    eye = make_account(display_name="ØYEAVDELINGA på Haukeland", status="active")
    for query in ["øye", "ØYE", "Øyeavdelinga"]:
        page = client.get(reverse("registry:public_list"), {"q": query}).context["page"]
        assert [a.code for a in page] == [eye.code], query


def test_no_page_asks_more_queries_as_the_register_grows(client, cast, make_account, django_user_model):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = make_account(status="active")

    def counts():
        pages = [
            (None, reverse("registry:public_list")),
            (None, reverse("registry:public_list") + "?q=blod&platform=instagram"),
            (None, reverse("registry:public_account", args=[first.code])),
            (None, reverse("registry:verify") + "?q=" + first.url),
            (None, reverse("registry:verify") + "?q=@blodbanken_bergen"),
            ("adviser", reverse("registry:register")),
            ("adviser", reverse("registry:register") + "?plan_missing=on&status=active"),
            ("adviser", reverse("registry:detail", args=[first.pk])),
            ("member", reverse("registry:register")),
        ]
        result = {}
        for role, url in pages:
            client.logout()
            if role:
                client.force_login(cast[role])
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result[url] = len(queries)
        return result

    few = counts()
    for n in range(30):
        make_account(f"https://www.instagram.com/konto_{n}/", display_name=f"Blodbanken {n}", status="active")
    assert counts() == few


def test_a_bare_lookalike_handle_is_shown_for_what_it_is(client, make_account):
    make_account(status="active")
    response = client.get(reverse("registry:verify"), {"q": "@blodb\u0430nken_bergen"})
    assert response.context["verdict"] == "unknown"
    assert "U+0430" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "swap"),
    [
        ("@bl0dbanken_bergen", ("0", "o")),  # the digit zero for o
        ("https://www.instagram.com/bl0dbanken_bergen/", ("0", "o")),
        ("@b1odbanken_bergen", ("1", "l")),
        ("https://www.instagram.com/BIodbanken_bergen/", ("i", "l")),  # a capital I, which Instagram reads as i
        ("@blodbanken_bergen_", None),
        ("@blodb\u0430nken_bergen", ("\u0430", "a")),  # Cyrillic a
    ],
)
def test_verify_names_the_official_account_a_look_alike_imitates(client, make_account, query, swap):
    official = make_account(status="active")
    response = client.get(reverse("registry:verify"), {"q": query})
    assert response.status_code == 200 and response.context["verdict"] == "unknown"
    page = response.content.decode()
    if swap is None:
        assert not response.context["resembles"] and 'id="resembles"' not in page
        return
    [(account, swaps)] = response.context["resembles"]
    assert account == official and swaps == (swap,)
    assert 'id="resembles"' in page
    assert (
        reverse("registry:public_account", args=[official.code]) in page and "<code>@blodbanken_bergen</code>" in page
    )
    # The open API answers the same question as before.
    assert client.get(reverse("api:verify"), {"url": query}).json()["result"] == "unknown"


def test_verify_names_only_official_accounts_on_the_platform_asked_about(client, make_account):
    make_account(status="active")
    make_account("https://www.instagram.com/lungeavdelinga/", display_name="Lungeavdelinga", status="closed")
    make_account("https://www.tiktok.com/@hjarteavdelinga", display_name="Hjarteavdelinga", status="active")
    for query in (
        "https://www.facebook.com/bl0dbanken_bergen",  # the official one is on Instagram
        "https://www.instagram.com/lungeavdellnga/",  # closed
        "https://www.instagram.com/hjarteavde1inga/",  # on TikTok
    ):
        response = client.get(reverse("registry:verify"), {"q": query})
        assert response.context["verdict"] == "unknown" and response.context["resembles"] == (), query
    response = client.get(reverse("registry:verify"), {"q": "@hjarteavde1inga"})  # a bare handle: any platform
    assert [account.display_name for account, _swaps in response.context["resembles"]] == ["Hjarteavdelinga"]


def test_the_accounts_history_names_what_the_courses_and_the_evaluation_marked(client, cast, make_account):
    from core.audit import audit_log

    account = make_account(status="active")
    audit_log(account, "account.training_missing")
    audit_log(account, "evaluation.closure_candidate", data={"due_on": "2026-09-22"})
    client.force_login(cast["adviser"])
    body = client.get(reverse("registry:detail", args=[account.pk])).content.decode()
    assert "account.training_missing" not in body and "evaluation.closure_candidate" not in body
    assert "Merket: redaktørene mangler opplæringen som kreves" in body
    assert "Merket som kandidat til nedleggelse: evalueringen er langt over fristen" in body
