"""The whole published handbook as one PDF with a table of contents, made once for each
set of published versions and served from the database after that."""

import contextlib
import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.pdf import write_pdf

from .models import Document, HandbookPdf
from .rendering import expansion_version, portal_links_state


def _documents():
    strategy = Document.objects.published().filter(kind=Document.Kind.STRATEGY).first()
    chapters = list(Document.objects.published().chapters())
    return strategy, chapters


def cache_key(strategy, chapters) -> str:
    ids = [d.published_id for d in ([strategy] if strategy else []) + chapters]
    # What is filled in when the text is shown (links to portal pages, numbers, links, the platform
    # list) is part of the PDF too: a page that appears or a number filled in makes a new PDF.
    state = f"{portal_links_state()}|{expansion_version()}"
    return hashlib.sha256(f"{','.join(map(str, ids))};{state}".encode()).hexdigest()


def handbook_pdf() -> bytes:
    strategy, chapters = _documents()
    key = cache_key(strategy, chapters)
    cached = HandbookPdf.objects.filter(key=key).values_list("content", flat=True).first()
    if cached is not None:
        return bytes(cached)
    printed_at = timezone.now()
    for document in ([strategy] if strategy else []) + chapters:
        # One file for every chapter: each chapter's section ids get its own prefix, so no two clash.
        document.pdf_html = document.published.shown_html.replace(' id="del-', f' id="{document.slug}-del-')
    html = render_to_string(
        "handbook/pdf.html",
        {
            "strategy": strategy,
            "chapters": chapters,
            "printed_at": printed_at,
            "font_dir": (settings.BASE_DIR / "static" / "vendor" / "inter").as_uri(),
        },
    )
    # Tagged and accessible (PDF/UA-1), with its language (Nynorsk) and title set (core/pdf.py).
    content = write_pdf(html, created=printed_at)
    with contextlib.suppress(IntegrityError), transaction.atomic():  # made by another request just now
        HandbookPdf.objects.create(key=key, content=content)
    HandbookPdf.objects.exclude(key=key).delete()
    return content
