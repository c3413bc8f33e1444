"""Every PDF the portal makes is tagged with its title and language, and words in another
language than the document's are marked as on the pages: a Nynorsk passage in a Bokmål
document, the hospital's Bokmål template in a Nynorsk or English copy of a plan, a Norwegian
course title on an English certificate. WeasyPrint keeps only the document's language, so
core/pdf.py copies each element's own `lang` into the structure tree (`/Lang`); read back here
with pikepdf. (No PDF/UA validator is installed with the portal: see docs/archive.md.)"""

import io

import pikepdf
import pytest
from django.conf import settings
from django.urls import reverse

from core.pdf import write_pdf

from .courses_helpers import basic_course, train  # noqa: F401  (a course, and a completion of it)

PAGE = (
    '<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Prøve på språk</title></head><body>'
    "<h1>Handboka</h1><p>Dette er bokmål.</p>"
    '<section lang="nn"><h2>Kapittel 3</h2><p>Dette er nynorsk, og det skal lesast som nynorsk.</p></section>'
    "</body></html>"
)


def languages(data: bytes) -> tuple[str, list[tuple[str, str]]]:
    """The document's language, and each structure element that has its own (type, language)."""
    found = []

    def walk(node):
        if not isinstance(node, pikepdf.Dictionary):
            return
        if "/Lang" in node and "/S" in node:
            found.append((str(node.S), str(node.Lang)))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            walk(kid)

    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/StructTreeRoot" in pdf.Root and bool(pdf.Root.MarkInfo.Marked)
        assert str(pdf.docinfo.Title)
        walk(pdf.Root.StructTreeRoot)
        return str(pdf.Root.Lang), found


@pytest.mark.parametrize("archival", [False, True])
def test_a_nynorsk_passage_in_a_bokmaal_document_is_marked_nn(archival):
    document, marked = languages(write_pdf(PAGE, archival=archival))
    assert document == "nb"
    assert marked == [("/Sect", "nn")]  # the section, once; its headings and paragraphs inherit it


@pytest.mark.parametrize("language", ["nn", "en"])
def test_the_hospitals_template_is_marked_bokmaal_in_a_copy_in_another_language(language, client, cast, make_plan):
    plan = make_plan("in_review")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(cast["adviser"])
    document, marked = languages(client.get(reverse("plans:version_pdf", args=[plan.pk, 1])).content)
    assert document == language
    assert ("/H2", "nb") in marked and ("/P", "nb") in marked
    assert {lang for _kind, lang in marked} == {"nb"}


def test_a_norwegian_course_title_on_an_english_certificate_is_marked(client, cast, basic_course):  # noqa: F811
    cast["member"].language = "en"
    cast["member"].save()
    completion = train(cast["member"], basic_course)
    client.force_login(cast["member"])
    document, marked = languages(client.get(reverse("courses:certificate", args=[completion.pk])).content)
    assert document == "en" and ("/P", "no") in marked


def test_the_handbook_is_nynorsk_throughout(db):
    from handbook.pdf import handbook_pdf

    document, _marked = languages(handbook_pdf())
    assert document == "nn"
