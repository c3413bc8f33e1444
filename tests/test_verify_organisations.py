"""The one public register across the organisations: the verify page and the open API answer
for every organisation from the same box ("an official account of Helse Stavanger, <unit>"); the
public list and the API filter by organisation, the list by the host name's by default; each
account's page names its owner; each organisation has a start page at /o/<slug>/."""

import pytest
from django.urls import reverse

from accounts.models import Organisation

from .test_registry_organisations import BERGEN_URL, STAVANGER_URL, make_both, make_stavanger

pytestmark = pytest.mark.django_db


@pytest.fixture
def stavanger(cast, catalogue):
    return make_stavanger()


@pytest.fixture
def both(cast, stavanger):
    return make_both(cast, stavanger)


HOST = "some.helse-stavanger.no"


@pytest.fixture(autouse=True)
def _english_and_hosts(client, settings):
    client.cookies["some_language"] = "en"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver", HOST]


def test_verify_names_the_accounts_own_organisation_and_unit_from_one_box(client, both):
    stavanger_page = client.get(reverse("registry:verify"), {"q": STAVANGER_URL}).content.decode()
    assert "is an official account of Helse Stavanger, Blodbanken i Stavanger." in stavanger_page
    bergen_page = client.get(reverse("registry:verify"), {"q": BERGEN_URL}).content.decode()
    assert "is an official account of Helse Bergen, Blodbanken i Bergen." in bergen_page
    # The same answer on the other organisation's host name: the account's organisation, not the page's.
    on_host = client.get(reverse("registry:verify"), {"q": BERGEN_URL}, HTTP_HOST=HOST).content.decode()
    assert "is an official account of Helse Bergen, Blodbanken i Bergen." in on_host


def test_a_closed_account_names_its_organisation(client, stavanger, both):
    from registry import services

    services.account_transition(account=both["stavanger"], actor=stavanger["adviser"], action="close")
    page = client.get(reverse("registry:verify"), {"q": STAVANGER_URL}).content.decode()
    assert "was an official account of Helse Stavanger, Blodbanken i Stavanger, until" in page


def test_the_api_names_the_organisation_of_each_account(client, both):
    for url, slug, name in (
        (STAVANGER_URL, "helse-stavanger", "Helse Stavanger"),
        (BERGEN_URL, "helse-bergen", "Helse Bergen"),
    ):
        answer = client.get(reverse("api:verify"), {"url": url}).json()
        assert answer["result"] == "official"
        assert answer["account"]["organisation"] == {"slug": slug, "name": name}


def test_the_api_filters_the_accounts_by_organisation(client, both):
    everyone = client.get(reverse("api:accounts")).json()
    assert {a["organisation"]["slug"] for a in everyone["results"]} == {"helse-bergen", "helse-stavanger"}
    theirs = client.get(reverse("api:accounts"), {"organisation": "helse-stavanger"}).json()
    assert theirs["count"] == 1 and theirs["results"][0]["code"] == both["stavanger"].code
    unknown = client.get(reverse("api:accounts"), {"organisation": "helse-nowhere", "lang": "en"})
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "bad_parameter"
    assert "helse-stavanger" in unknown.json()["error"]["message"]


def test_the_public_list_filters_by_organisation_and_defaults_to_the_host_names(client, both):
    def names(response):
        return {a.display_name for a in response.context["page"]}

    assert names(client.get(reverse("registry:public_list"))) == {"Blodbanken i Bergen", "Blodbanken i Stavanger"}
    chosen = client.get(reverse("registry:public_list"), {"organisation": "helse-stavanger"})
    assert names(chosen) == {"Blodbanken i Stavanger"}
    assert "These are the official accounts of Helse Stavanger on social media." in chosen.content.decode()
    on_host = client.get(reverse("registry:public_list"), HTTP_HOST=HOST)
    assert names(on_host) == {"Blodbanken i Stavanger"}
    everyone_on_host = client.get(reverse("registry:public_list"), {"organisation": ""}, HTTP_HOST=HOST)
    assert names(everyone_on_host) == {"Blodbanken i Bergen", "Blodbanken i Stavanger"}


def test_the_kept_public_pages_are_kept_per_organisation_and_host(client, both, settings):
    settings.PUBLIC_PAGE_CACHE = True
    path = reverse("registry:public_list")
    for _twice in range(2):  # made, then kept
        bergen = client.get(path, {"organisation": "helse-bergen"}).content.decode()
        stavanger_list = client.get(path, {"organisation": "helse-stavanger"}).content.decode()
        on_host = client.get(path, HTTP_HOST=HOST).content.decode()
        plain = client.get(path).content.decode()
        assert "Blodbanken i Bergen</a>" in bergen and "Blodbanken i Stavanger</a>" not in bergen
        assert "Blodbanken i Stavanger</a>" in stavanger_list and "Blodbanken i Bergen</a>" not in stavanger_list
        assert "Blodbanken i Stavanger</a>" in on_host and "Blodbanken i Bergen</a>" not in on_host
        assert "Blodbanken i Stavanger</a>" in plain and "Blodbanken i Bergen</a>" in plain


def test_each_accounts_public_page_names_its_owner(client, both):
    page = client.get(reverse("registry:public_account", args=[both["stavanger"].code])).content.decode()
    assert "This is an official account of Helse Stavanger, Blodbanken i Stavanger, on Instagram." in page
    assert reverse("registry:organisation", args=["helse-stavanger"]) in page
    assert "Haukeland" not in page and "helse-bergen.no" not in page


def test_an_organisations_start_page(client, both):
    response = client.get(reverse("registry:organisation", args=["helse-stavanger"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in page and "Helse Stavanger</h1>" in page
    assert "Blodbanken i Stavanger</a>" in page and "Blodbanken i Bergen</a>" not in page
    assert f'action="{reverse("registry:verify")}"' in page  # the portal-wide check
    assert reverse("handbook:org_strategy", args=["helse-stavanger"]) in page
    assert reverse("handbook:org_index", args=["helse-stavanger"]) in page
    assert f"{reverse('registry:report')}?organisation=helse-stavanger" in page
    assert f"{reverse('registry:public_list')}?organisation=helse-stavanger" in page
    # The header names the page's organisation, whatever the host's.
    bergen = client.get(reverse("registry:organisation", args=["helse-bergen"]), HTTP_HOST=HOST).content.decode()
    assert "Blodbanken i Bergen</a>" in bergen and "Blodbanken i Stavanger</a>" not in bergen


def test_an_unknown_or_inactive_organisation_has_no_start_page(client, stavanger):
    assert client.get(reverse("registry:organisation", args=["helse-nowhere"])).status_code == 404
    stavanger["organisation"].is_active = False
    stavanger["organisation"].save()
    assert not Organisation.objects.get(pk=stavanger["organisation"].pk).is_active
    assert client.get(reverse("registry:organisation", args=["helse-stavanger"])).status_code == 404


def test_no_public_page_names_a_hospital_of_its_own(client, both):
    code = both["stavanger"].code
    for path in (
        reverse("registry:public_list"),
        reverse("registry:public_account", args=[code]),
        reverse("registry:verify") + "?q=https://www.instagram.com/ukjend/",
        reverse("registry:report"),
        reverse("registry:organisation", args=["helse-stavanger"]),
    ):
        page = client.get(path, HTTP_HOST=HOST).content.decode()
        assert "Haukeland" not in page and "helse-bergen.no" not in page, path


def test_the_api_lists_the_units_of_one_organisation_and_names_each_ones(client, both):
    everyone = client.get(reverse("api:units")).json()["results"]
    owners = {unit["name"]: unit["organisation"]["slug"] for unit in everyone}
    assert owners["Blodbanken i Stavanger"] == "helse-stavanger" and owners["Blodbanken i Bergen"] == "helse-bergen"
    theirs = client.get(reverse("api:units"), {"organisation": "helse-stavanger"}).json()["results"]
    assert [unit["name"] for unit in theirs] == ["Blodbanken i Stavanger"]
    assert theirs[0]["organisation"] == {"slug": "helse-stavanger", "name": "Helse Stavanger"}
    unknown = client.get(reverse("api:units"), {"organisation": "helse-nowhere", "lang": "en"})
    assert unknown.status_code == 400 and "helse-stavanger" in unknown.json()["error"]["message"]


def test_the_public_list_offers_the_units_of_the_organisation_it_is_kept_to(client, both):
    def offered(response):
        return response.context["form"]["unit"].as_widget()

    everyone = offered(client.get(reverse("registry:public_list")))
    assert "Blodbanken i Bergen" in everyone and "Blodbanken i Stavanger" in everyone
    theirs = offered(client.get(reverse("registry:public_list"), {"organisation": "helse-stavanger"}))
    assert "Blodbanken i Stavanger" in theirs and "Blodbanken i Bergen" not in theirs
    on_host = offered(client.get(reverse("registry:public_list"), HTTP_HOST=HOST))
    assert "Blodbanken i Stavanger" in on_host and "Blodbanken i Bergen" not in on_host
