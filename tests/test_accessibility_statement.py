"""The accessibility statement: linked from every page's footer, in three languages, with
the known deviations and the date read from the accessibility check's results file."""

import json
from datetime import date

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse

from accessibility import results
from accessibility.selectors import forget_links

pytestmark = pytest.mark.django_db

STATEMENT = reverse("accessibility:statement")
UUSTATUS = "https://uustatus.no/nb/erklaringer/publisert/0000-helse-bergen"
FOOTER_TEXT = {"nb": "Tilgjengelighetserklæring", "nn": "Tilgjengelegheitserklæring", "en": "Accessibility statement"}


def deviation(criterion="1.4.10", where="/register/", **description):
    return {"criterion": criterion, "where": where, "description": description or {"nb": "Tabellen flyt over."}}


@pytest.fixture
def results_file(tmp_path, monkeypatch):
    path = tmp_path / "check-results.json"
    monkeypatch.setattr(results, "RESULTS_FILE", path)
    return path


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@pytest.mark.parametrize("page", ["core:home", "registry:public_list", "accounts:login", "accessibility:statement"])
def test_every_page_links_the_statement_in_its_language(client, language, page):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    content = client.get(reverse(page)).content.decode()
    footer = content[content.index('<footer class="portal-footer">') :]
    assert f'<a class="ds-link" href="{STATEMENT}">{FOOTER_TEXT[language]}</a>' in footer


def test_the_organisations_statement_on_uustatus_is_linked_when_set(client, settings):
    settings.ACCESSIBILITY_STATEMENT_URL = UUSTATUS
    settings.PUBLIC_PAGE_CACHE = False
    content = client.get(reverse("registry:public_list")).content.decode()
    footer = content[content.index('<footer class="portal-footer">') :]
    assert f'href="{UUSTATUS}"' in footer and f'href="{STATEMENT}"' not in footer
    # The portal's own page still answers, and points to the official one.
    assert f'href="{UUSTATUS}"' in client.get(STATEMENT).content.decode().split("<main", 1)[1]


def test_a_statement_address_that_is_not_https_is_refused(monkeypatch):
    import importlib

    import config.settings as config

    monkeypatch.setenv("ACCESSIBILITY_STATEMENT_URL", "http://uustatus.no/x")
    with pytest.raises(Exception, match="ACCESSIBILITY_STATEMENT_URL"):
        importlib.reload(config)
    monkeypatch.delenv("ACCESSIBILITY_STATEMENT_URL")
    importlib.reload(config)


@pytest.mark.parametrize(
    "language,texts",
    [
        ("nb", ["Tilgjengelighetserklæring for SoMe-portalen", "WCAG", "EN 301 549", "Uutilsynet", "Kjente avvik"]),
        ("nn", ["Tilgjengelegheitserklæring for SoMe-portalen", "WCAG", "EN 301 549", "Uutilsynet", "Kjende avvik"]),
        ("en", ["Accessibility statement for SoMe-portalen", "WCAG", "EN 301 549", "Uutilsynet", "Known deviations"]),
    ],
)
def test_the_statement_says_the_standard_the_deviations_and_how_to_report(client, results_file, language, texts):
    results.write_results(
        pages=212,
        roles=6,
        widths=[1280, 390, 320],
        checked_on=date(2026, 12, 7),
        deviations=[
            deviation("2.4.7", {"nb": "Skjema", "nn": "Skjema", "en": "Forms"}, nb="Fokus", nn="Fokus", en="Focus"),
            deviation("1.4.10", "/register/", nb="Flyt over", nn="Flyt over", en="Overflows"),
        ],
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(STATEMENT)
    page = response.content.decode()
    assert response.status_code == 200
    for text in texts:
        assert text in page, text
    assert page.index("1.4.10") < page.index("2.4.7")  # in the order of the criteria
    assert {"nb": "Flyt over", "nn": "Flyt over", "en": "Overflows"}[language] in page
    assert {"nb": "7. desember 2026", "nn": "7. desember 2026", "en": "7 December 2026"}[language] in page
    assert "212" in page and "1280, 390, 320" in page
    assert f'href="{reverse("accessibility:barrier_report")}"' in page
    assert f'href="mailto:{settings.COMMS_MAILBOX}"' in page
    assert 'href="https://www.uutilsynet.no/"' in page


def test_a_description_only_in_bokmal_is_marked_as_bokmal(client, results_file):
    results.write_results(pages=1, roles=1, widths=[320], deviations=[deviation(nb="Teksten blir klipt.")])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<span lang="nb">Teksten blir klipt.</span>' in client.get(STATEMENT).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    assert "<span>Teksten blir klipt.</span>" in client.get(STATEMENT).content.decode()


def test_no_deviations_and_no_check_are_said_as_they_are(client, results_file):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "has not yet been checked" in client.get(STATEMENT).content.decode()
    results.write_results(pages=10, roles=6, widths=[1280], deviations=[])
    page = client.get(STATEMENT).content.decode()
    assert "the last check found no deviations" in page and "None that we know of." in page


@pytest.mark.parametrize(
    "data,message",
    [
        ([], "one JSON object"),
        ({"checked_on": "7.12.2026"}, "checked_on"),
        ({"checked_on": "2026-12-07", "pages": -1}, "pages"),
        ({"checked_on": "2026-12-07", "widths": ["wide"]}, "widths"),
        ({"checked_on": "2026-12-07", "deviations": [deviation(criterion="5.1")]}, "criterion"),
        ({"checked_on": "2026-12-07", "deviations": [deviation(en="Only English")]}, "Bokmål"),
        ({"checked_on": "2026-12-07", "deviations": [deviation(nb="x", de="Deutsch")]}, "nb, nn and en"),
        ({"checked_on": "2026-12-07", "deviations": [deviation(where={"en": "Forms"})]}, "where"),
    ],
)
def test_a_results_file_out_of_format_is_refused(data, message):
    with pytest.raises(results.BadResults, match=message):
        results.parse(data)


def test_the_committed_results_file_follows_the_format():
    committed = results.read_results()
    assert committed is not None and committed.checked_on <= date.today()
    for found in committed.deviations:
        assert found.description["nb"]


def test_the_command_writes_the_file_the_statement_reads(tmp_path):
    found = tmp_path / "deviations.json"
    found.write_text(json.dumps([deviation(nb="Flyt over")]), encoding="utf-8")
    target = tmp_path / "results.json"
    call_command("accessibility_results", pages=5, roles=6, widths="1280,390", deviations=found, file=target)
    written = results.read_results(target)
    assert (written.pages, written.roles, written.widths) == (5, 6, (1280, 390))
    assert [d.criterion for d in written.deviations] == ["1.4.10"]
    call_command("accessibility_results", check=True, file=target)
    target.write_text('{"checked_on": "i går"}', encoding="utf-8")
    with pytest.raises(CommandError, match="checked_on"):
        call_command("accessibility_results", check=True, file=target)


# Two organisations

STAVANGER_HOST = "some.helse-stavanger.no"
STAVANGER_STATEMENT = "https://uustatus.no/nb/erklaringer/publisert/0000-helse-stavanger"


@pytest.fixture
def stavanger(db, settings):
    from accounts.models import Organisation
    from accounts.organisations import forget

    settings.ALLOWED_HOSTS = ["testserver", STAVANGER_HOST]
    settings.PUBLIC_PAGE_CACHE = False
    organisation = Organisation.objects.create(
        name="Helse Stavanger",
        slug="helse-stavanger",
        mailbox="kommunikasjon@helse-stavanger.no",
        host_names=STAVANGER_HOST,
    )
    forget()
    forget_links()
    yield organisation
    forget_links()  # the links are kept in the process: none of this test's for the next one


def footer_of(response) -> str:
    content = response.content.decode()
    return content[content.index('<footer class="portal-footer">') :]


def test_the_statement_names_the_pages_organisation_and_its_mailbox(client, stavanger):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    own = client.get(STATEMENT, HTTP_HOST=STAVANGER_HOST).content.decode().split("<main", 1)[1]
    assert "Helse Stavanger wants everyone to be able to use SoMe-portalen" in own
    assert "As a public body, Helse Stavanger is bound" in own
    assert 'href="mailto:kommunikasjon@helse-stavanger.no"' in own
    default = client.get(STATEMENT).content.decode().split("<main", 1)[1]
    assert "Helse Bergen wants everyone" in default and "Helse Stavanger" not in default
    assert "Haukeland" not in own + default and "hospital" not in own + default


def test_an_organisation_links_its_own_statement_and_the_others_keep_theirs(
    client, cast, stavanger, django_capture_on_commit_callbacks
):
    from accessibility import services
    from accessibility.models import StatementLink
    from core.models import AuditEntry

    with django_capture_on_commit_callbacks(execute=True):
        link = services.statement_link_save(
            link=StatementLink(organisation=stavanger, url=STAVANGER_STATEMENT), actor=cast["admin"]
        )
    assert AuditEntry.objects.for_object(link).get().action == "accessibility.statement_link"
    own = footer_of(client.get(reverse("registry:public_list"), HTTP_HOST=STAVANGER_HOST))
    assert f'href="{STAVANGER_STATEMENT}"' in own and f'href="{STATEMENT}"' not in own
    assert f'href="{STAVANGER_STATEMENT}"' in client.get(STATEMENT, HTTP_HOST=STAVANGER_HOST).content.decode()
    # The default organisation has none of its own: the portal's statement, or the setting's.
    other = footer_of(client.get(reverse("registry:public_list")))
    assert f'href="{STATEMENT}"' in other and STAVANGER_STATEMENT not in other
    with override_settings(ACCESSIBILITY_STATEMENT_URL=UUSTATUS):
        assert f'href="{UUSTATUS}"' in footer_of(client.get(reverse("registry:public_list")))
        assert f'href="{STAVANGER_STATEMENT}"' in footer_of(
            client.get(reverse("registry:public_list"), HTTP_HOST=STAVANGER_HOST)
        )
    # Removed: the organisation's pages link the portal's statement again.
    with django_capture_on_commit_callbacks(execute=True):
        services.statement_link_delete(link=link, actor=cast["admin"])
    assert f'href="{STATEMENT}"' in footer_of(client.get(reverse("registry:public_list"), HTTP_HOST=STAVANGER_HOST))


def test_the_administration_keeps_the_links_and_refuses_an_address_that_is_not_https(client, cast, stavanger):
    from accessibility.models import StatementLink

    client.force_login(cast["admin"])
    add = reverse("admin:accessibility_statementlink_add")
    response = client.post(add, {"organisation": stavanger.pk, "url": "http://uustatus.no/x"})
    assert response.status_code == 200 and not StatementLink.objects.exists()
    response = client.post(add, {"organisation": stavanger.pk, "url": STAVANGER_STATEMENT})
    assert response.status_code == 302
    assert StatementLink.objects.get().url == STAVANGER_STATEMENT
