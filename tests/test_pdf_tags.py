"""Every PDF the portal makes is tagged and accessible (PDF/UA-1): marked content with a
structure tree a screen reader follows (headings, paragraphs, lists, tables), the document's
language and title set, and the title shown instead of the file name. Checked with pikepdf on the
plan as it stands, on a sent version, on the version attached to the e-mail, and on the handbook."""

import io

import pikepdf
import pytest
from django.conf import settings
from django.urls import reverse

from plans.models import PlanVersion
from plans.pdf import version_pdf

from .test_handbook import shipped  # noqa: F401  (the shipped chapters)

UA = "{http://www.aiim.org/pdfua/ns/id/}part"
TITLE = "{http://purl.org/dc/elements/1.1/}title"


def structure(pdf) -> list[str]:
    """The structure tree's element types, depth first."""
    found = []

    def walk(node):
        if not isinstance(node, pikepdf.Dictionary):
            return
        if "/S" in node:
            found.append(str(node.S))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return found


def assert_tagged(data: bytes, *, language: str, title: str, elements: set[str]):
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.Root.Lang) == language
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
        tree = structure(pdf)
        assert {"/Document", "/H1", "/P"} | elements <= set(tree), tree[:40]
        with pdf.open_metadata() as meta:
            assert meta.get(UA) == "1"
            assert title in meta.get(TITLE, "")


def test_the_plan_as_it_stands(client, cast, make_plan):
    plan = make_plan("draft")
    client.force_login(cast["member"])
    data = client.get(reverse("plans:pdf", args=[plan.pk])).content
    assert_tagged(
        data,
        language="nb",
        title="Instagram for unge blodgivarar – Plan for sosiale medier for: Blodbanken i Bergen",
        elements={"/H2"},
    )


@pytest.mark.parametrize("language", ["nn", "en"])
def test_a_sent_version_in_the_readers_language(language, client, cast, make_plan):
    plan = make_plan("in_review")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(cast["adviser"])
    data = client.get(reverse("plans:version_pdf", args=[plan.pk, 1])).content
    assert_tagged(
        data,
        language=language,
        title="Instagram for unge blodgivarar – Plan for sosiale medier for: Blodbanken i Bergen",
        elements={"/H2"},
    )


def test_the_version_attached_to_the_e_mail(make_plan):
    version = PlanVersion.objects.get(plan=make_plan("submitted"))
    assert_tagged(version_pdf(version.pk), language="nb", title="Blodbanken i Bergen", elements={"/H2"})


def test_the_handbook(client, shipped):  # noqa: F811
    data = client.get(reverse("handbook:pdf")).content
    assert_tagged(
        data, language="nn", title="Handbok for sosiale media", elements={"/H2", "/L", "/LI", "/Table", "/TH"}
    )
