"""Reading the handbook: check lists as check boxes, a contents list at the top of a long
chapter, tables that become cards on a phone, help when a search finds nothing, and links to
portal pages that exist only once the page does (the courses)."""

import re

import pytest
from django.apps import apps
from django.db.models import F
from django.urls import clear_url_caches, reverse

from handbook import services
from handbook.models import Document, DocumentVersion
from handbook.rendering import CONTENTS_FROM_WORDS, render_markdown, with_portal_links

from .test_handbook import shipped  # noqa: F401  (the shipped chapters)


def publish(cast, slug, body, title="Prøvekapittel"):
    document, _ = Document.objects.get_or_create(
        slug=slug, defaults={"kind": Document.Kind.CHAPTER, "position": 999, "draft_title": title}
    )
    document = services.document_save_draft(
        document=document, actor=cast["adviser"], revision=document.draft_revision, title=title, body=body
    )
    services.document_publish(document=document, actor=cast["adviser"])
    return document


def test_a_task_list_shows_check_boxes_not_brackets():
    html = render_markdown("Før de publiserer:\n\n- [ ] Ingen pasientar i bakgrunnen.\n- [x] Alt-tekst er skriven.\n")
    assert "[ ]" not in html and "[x]" not in html
    assert '<ul class="portal-tasks">' in html
    assert (
        '<li class="portal-task"><label><input type="checkbox" disabled> Ingen pasientar i bakgrunnen.</label></li>'
        in html
    )
    assert '<input type="checkbox" disabled checked> Alt-tekst er skriven.' in html
    # A loose list, and an ordinary list that only mentions brackets, are read right too.
    loose = render_markdown("- [ ] Første\n\n- [ ] Andre\n")
    assert loose.count('class="portal-task"') == 2 and "[ ]" not in loose
    plain = render_markdown("- Skriv [ ] der du vil\n- Vanleg punkt\n")
    assert "portal-task" not in plain and "[ ]" in plain


def test_the_shipped_check_lists_render_as_check_boxes(client, shipped):  # noqa: F811
    page = client.get(reverse("handbook:chapter", args=["bildebruk"])).content.decode()
    assert page.count('type="checkbox" disabled') >= 5
    assert "[ ]" not in page


def test_an_editor_cannot_smuggle_in_a_form_control():
    html = render_markdown(
        '<input type="text" name="x"> <label onclick="x()">y</label>\n\n- [ ] <script>alert(1)</script>'
    )
    assert 'type="text"' not in html and "onclick" not in html and "<script" not in html
    assert '<input type="checkbox" disabled>' in html


def long_chapter(sections=4, words=450) -> str:
    return "\n\n".join(f"## Del {n}\n\n" + " ".join(["ord"] * words) for n in range(1, sections + 1))


def test_a_long_chapter_starts_with_its_contents(client, cast, shipped):  # noqa: F811
    assert CONTENTS_FROM_WORDS < 4 * 450
    publish(cast, "langt-kapittel", long_chapter())
    page = client.get(reverse("handbook:chapter", args=["langt-kapittel"])).content.decode()
    contents = re.search(r'<nav class="portal-contents".*?</nav>', page, re.S).group(0)
    for n in range(1, 5):
        assert f'href="#del-del-{n}"' in contents and f'<h2 id="del-del-{n}">Del {n}</h2>' in page
    assert page.index("portal-contents") < page.index('id="del-del-1"')


def test_a_short_chapter_has_no_contents_list(client, cast, shipped):  # noqa: F811
    publish(cast, "kort-kapittel", long_chapter(sections=3, words=100))
    page = client.get(reverse("handbook:chapter", args=["kort-kapittel"])).content.decode()
    assert "portal-contents" not in page
    assert 'id="del-del-1"' in page  # the headings can still be linked to


def test_two_headings_with_the_same_words_get_different_ids():
    html = render_markdown("## Tips\n\ntekst\n\n## Tips\n\nmeir")
    assert '<h2 id="del-tips">' in html and '<h2 id="del-tips-2">' in html


def test_a_markdown_table_gets_labels_for_the_cards():
    html = render_markdown("| Konto | Tid per veke |\n|---|---|\n| Facebook & co | **3–5 timar** |\n")
    # No heading above it: the wrapper is named by the table's columns.
    assert (
        '<div class="portal-table-wrap" tabindex="0" role="group" aria-label="Konto, Tid per veke">'
        '<table class="ds-table portal-table-cards">'
    ) in html
    assert '<td data-label="Konto">Facebook &amp; co</td>' in html
    assert '<td data-label="Tid per veke"><strong>3–5 timar</strong></td>' in html


def test_a_tables_scroll_box_takes_focus_and_is_named_by_the_heading_above_it():
    html = render_markdown(
        "## Ferdige svar\n\ntekst\n\n| Situasjon | Svar |\n|---|---|\n| Klage | Ring oss |\n\n"
        "### Når det hastar & ingen svarar\n\n| A | B |\n|---|---|\n| 1 | 2 |\n"
    )
    wrappers = re.findall(r'<div class="portal-table-wrap"[^>]*>', html)
    assert wrappers == [
        '<div class="portal-table-wrap" tabindex="0" role="group" aria-labelledby="del-ferdige-svar">',
        '<div class="portal-table-wrap" tabindex="0" role="group" aria-label="Når det hastar &amp; ingen svarar">',
    ]
    assert '<h2 id="del-ferdige-svar">Ferdige svar</h2>' in html


def test_every_table_in_the_shipped_handbook_is_a_named_focusable_group(shipped):  # noqa: F811
    tables = 0
    for version in DocumentVersion.objects.filter(document__published=F("pk")):
        html = version.body_html
        for wrapper in re.findall(r'<div class="portal-table-wrap"[^>]*>', html):
            tables += 1
            assert 'tabindex="0" role="group"' in wrapper, version.document.slug
            name = re.search(r'aria-labelledby="([^"]+)"', wrapper)
            assert name and f'id="{name.group(1)}"' in html, version.document.slug
    assert tables >= 7


def test_the_migration_renders_the_stored_versions_again_with_named_tables(cast, shipped):  # noqa: F811
    import importlib

    migration = importlib.import_module("handbook.migrations.0009_render_tables_named")
    document = publish(cast, "tabellar", "## Tider\n\n| Konto | Tid |\n|---|---|\n| Facebook | 3 timar |\n")
    old = '<h2 id="del-tider">Tider</h2>\n<div class="portal-table-wrap" tabindex="0"><table>…</table></div>'
    DocumentVersion.objects.filter(document=document).update(body_html=old, search_text="")
    migration.render_again(apps, None)
    version = DocumentVersion.objects.get(document=document)
    assert '<div class="portal-table-wrap" tabindex="0" role="group" aria-labelledby="del-tider">' in version.body_html
    assert "Facebook" in version.search_text


@pytest.mark.parametrize(
    "query,suggested",
    [
        ("taushetsplikt", "teieplikt"),
        ("evalurering", "evaluering"),
        ("stedfortreder", "stadfortredar"),
    ],
)
def test_a_search_without_hits_suggests_other_spellings_and_the_chapters(query, suggested, client, shipped):  # noqa: F811
    page = client.get(reverse("handbook:search"), {"q": query}).content.decode()
    assert "portal-results" not in page  # nothing found as typed
    assert f'href="?q={suggested}"' in page
    assert 'class="portal-toc portal-chapter-list"' in page
    assert page.count('href="/handbok/') >= 15  # every chapter, to browse


def test_a_search_with_nothing_close_still_offers_the_chapters(client, shipped):  # noqa: F811
    page = client.get(reverse("handbook:search"), {"q": "xyzzyplugh"}).content.decode()
    assert "portal-chapter-list" in page and "?q=" not in page.split("portal-chapter-list")[0].split("<form")[-1]


def test_a_search_with_hits_offers_no_spellings(client, shipped):  # noqa: F811
    page = client.get(reverse("handbook:search"), {"q": "evaluering"}).content.decode()
    assert "portal-chapter-list" not in page


@pytest.fixture
def no_courses_page(settings):
    settings.ROOT_URLCONF = "tests.urls_without_courses"
    clear_url_caches()
    yield
    clear_url_caches()


def test_a_course_link_is_plain_text_until_the_courses_page_exists(client, cast, shipped, no_courses_page):  # noqa: F811
    publish(cast, "kurslenke", "Ta [kurset i sosiale media](portal:kurs) først.")
    page = client.get(reverse("handbook:chapter", args=["kurslenke"])).content.decode()
    assert "Ta kurset i sosiale media først." in page
    assert "portal:" not in page and 'href="#' not in page.split('class="portal-prose"')[1]


def test_a_course_link_goes_to_the_courses_page_once_it_exists(client, cast, shipped):  # noqa: F811
    publish(cast, "kurslenke", "Ta [kurset i sosiale media](portal:kurs) først.")
    page = client.get(reverse("handbook:chapter", args=["kurslenke"])).content.decode()
    assert 'Ta <a href="/kurs/">kurset i sosiale media</a> først.' in page
    # The handbook PDF made before the page existed is made again, with the link.
    assert with_portal_links('<a href="#portal:kurs" rel="noopener noreferrer">kurs</a>') == '<a href="/kurs/">kurs</a>'
