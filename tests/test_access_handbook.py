"""Who may read and who may edit the strategy and the handbook, for every role: everyone
reads; only communications advisers edit.

COVERED_URLS lists the URL names this module checks for every role (the standing check
in tests/test_security.py makes sure every URL of the project is in some module's list).
"""

import pytest
from django.urls import reverse

ROLES = ["anonymous", "member", "leader", "other", "adviser", "admin"]


@pytest.fixture
def shipped(db):
    from django.apps import apps

    from handbook.content import load_shipped

    load_shipped(apps.get_model("handbook", "Document"), apps.get_model("handbook", "DocumentVersion"))


ADVISER_PAGES = [
    ("get", "handbook:edit", ["bildebruk"]),
    ("get", "handbook:versions", ["bildebruk"]),
    ("get", "handbook:compare", ["bildebruk"]),
    ("post", "handbook:preview", []),
    ("post", "handbook:restore", ["bildebruk", 1]),
    ("post", "handbook:chapter_new", []),
    ("post", "handbook:move", ["bildebruk"]),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method,url_name,args", ADVISER_PAGES, ids=[p[1] for p in ADVISER_PAGES])
def test_only_advisers_edit(method, url_name, args, role, client, cast, shipped):
    if role != "anonymous":
        client.force_login(cast[role])
    response = getattr(client, method)(reverse(url_name, args=args), {"title": "Nytt", "body": "x", "direction": "up"})
    if role == "anonymous":
        assert response.status_code == 302 and "/logg-inn/" in response["Location"]
    elif role == "adviser":
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 403


PUBLIC_PAGES = [
    ("handbook:strategy", [], ""),
    ("handbook:index", [], ""),
    ("handbook:chapter", ["evaluering"], ""),
    ("handbook:search", [], "?q=evaluering"),
    ("handbook:pdf", [], ""),
]


# The handbook PDF as the portal made it for the first role that asked in this run.
_MADE_PDF = {}


@pytest.fixture
def pdf_kept_after_first(shipped):
    """The portal makes the handbook's PDF once and serves every later visitor the kept copy.
    Here too: the first role's request makes it, and the other roles are served the copy kept
    for the same published chapters, so each role's access is checked without making the whole
    PDF six times."""
    from handbook.models import HandbookPdf
    from handbook.pdf import _documents, cache_key

    if "content" in _MADE_PDF:
        HandbookPdf.objects.create(key=cache_key(*_documents()), content=_MADE_PDF["content"])
    yield
    made = HandbookPdf.objects.values_list("content", flat=True).first()
    if made is not None:
        _MADE_PDF.setdefault("content", bytes(made))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name,args,query", PUBLIC_PAGES, ids=[p[0] for p in PUBLIC_PAGES])
def test_everyone_reads(url_name, args, query, role, client, cast, shipped, request):
    if url_name == "handbook:pdf":
        request.getfixturevalue("pdf_kept_after_first")
    if role != "anonymous":
        client.force_login(cast[role])
    response = client.get(reverse(url_name, args=args) + query)
    assert response.status_code == 200
    if url_name == "handbook:pdf":
        assert response["Content-Type"] == "application/pdf" and b"".join(response).startswith(b"%PDF-")


COVERED_URLS = {name for name, _args, _query in PUBLIC_PAGES} | {name for _method, name, _args in ADVISER_PAGES}


# An organisation's own addresses for its strategy and handbook (/o/<slug>/…): everyone reads them.
ORGANISATION_PAGES = [
    ("handbook:org_strategy", []),
    ("handbook:org_index", []),
    ("handbook:org_chapter", ["evaluering"]),
    ("handbook:org_pdf", []),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name,args", ORGANISATION_PAGES, ids=[p[0] for p in ORGANISATION_PAGES])
def test_everyone_reads_an_organisations_own_pages(url_name, args, role, client, cast, shipped):
    from accounts.organisations import default

    if role != "anonymous":
        client.force_login(cast[role])
    organisation = default()
    response = client.get(reverse(url_name, args=[organisation.slug, *args]))
    assert response.status_code == 200
    if url_name == "handbook:org_pdf":
        assert b"".join(response).startswith(b"%PDF-")
    else:
        assert organisation.name in response.content.decode()
    assert client.get(reverse(url_name, args=["finst-ikkje", *args])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_only_advisers_make_their_own_version_or_go_back(role, client, cast, shipped):
    """Making an organisation's own version of a chapter, and going back to the shared text: the
    department's. (In a portal of one organisation without a region its advisers keep the shared
    text itself, so there is no own version to go back from: a 404.)"""
    if role != "anonymous":
        client.force_login(cast[role])
    make = client.post(reverse("handbook:make_own", args=["bildebruk"]))
    back = client.get(reverse("handbook:use_shared", args=["bildebruk"]))
    if role == "anonymous":
        assert make.status_code == back.status_code == 302 and "/logg-inn/" in make["Location"]
    elif role == "adviser":
        assert make.status_code == 302 and back.status_code == 404
    else:
        assert make.status_code == back.status_code == 403


COVERED_URLS |= {name for name, _args in ORGANISATION_PAGES} | {"handbook:make_own", "handbook:use_shared"}
