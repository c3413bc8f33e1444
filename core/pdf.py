"""Every PDF the portal makes goes through `write_pdf`: tagged, with a title, an author,
a language and a creation date, and every font embedded.

Two variants:

- **For reading** (`pdf/ua-1`, the default): tagged and accessible (PDF/UA-1), so a screen
  reader follows headings, lists and the reading order as on the page.
- **For the archive** (`archival=True`, `pdf/a-2a`): PDF/A-2 level A, the archival form the
  organisation's archive accepts. Level A is the tagged level of PDF/A: the same structure
  tree, Unicode text and the document's language as the reading variant. WeasyPrint writes one
  variant at a time, so the archive copy carries the PDF/A identification and not the PDF/UA
  one (a PDF/A file may name PDF/UA only through an extension schema WeasyPrint does not write).

Content in another language than the document's (a Nynorsk chapter of the handbook inside a
document in Bokmål) is marked `lang="nn"` in the HTML as on the pages. WeasyPrint 70 keeps the
language of the document only, so `write_pdf` copies each element's own `lang` to its place in
the structure tree (`/Lang`), which is what a screen reader reads to switch its voice.
"""

from datetime import datetime

from django.conf import settings
from django.utils import timezone

READING_VARIANT = "pdf/ua-1"
ARCHIVE_VARIANT = "pdf/a-2a"


def write_pdf(html: str, *, author: str = "", created: datetime | None = None, archival: bool = False) -> bytes:
    """The PDF of `html` (a whole page with `<html lang>` and `<title>`).

    `author` is the organisation that makes the document (its name, such as the plan's unit's
    organisation's): the caller knows which. Without it, the portal's default organisation
    (settings.DEFAULT_ORGANISATION) is named, as in a portal with one organisation."""
    from weasyprint import HTML

    _mark_languages()
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    metadata = document.metadata
    metadata.authors = [author or settings.DEFAULT_ORGANISATION["name"]]
    moment = timezone.localtime(created or timezone.now())
    metadata.created = moment.replace(microsecond=0).isoformat()
    metadata.modified = metadata.created
    return document.write_pdf(pdf_variant=ARCHIVE_VARIANT if archival else READING_VARIANT)


_marked = False


def _mark_languages() -> None:
    """Give each structure element of an element with its own `lang` that language (`/Lang`).

    WeasyPrint builds the structure tree in `weasyprint.pdf.tags._build_box_tree`, a generator
    that yields the element made for a box and calls itself for the box's children. Wrapping it
    once adds the language of the box's HTML element; the tests read `/Lang` back with pikepdf,
    so a WeasyPrint that changes this function is noticed at once."""
    global _marked
    if _marked:
        return
    import pydyf
    from weasyprint.pdf import tags

    original = tags._build_box_tree

    def build(box, parent, *args, **kwargs):
        for element in original(box, parent, *args, **kwargs):
            source = getattr(box, "element", None)
            lang = source.get("lang") if source is not None and hasattr(source, "get") else None
            if lang and getattr(box, "element_tag", None) not in ("html", "body") and "Lang" not in element:
                element["Lang"] = pydyf.String(lang)
            yield element

    tags._build_box_tree = build
    _marked = True
