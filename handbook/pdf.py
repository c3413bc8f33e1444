"""One organisation's whole published handbook as one PDF with a table of contents, made once
for each set of published versions and served from the database after that. It names the
organisation, and holds its own versions where it has published them."""

import contextlib
import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts import organisations
from core.pdf import write_pdf

from .models import Document, HandbookPdf, shown_for
from .rendering import expansion_version, portal_links_state


def _documents(organisation=None):
    documents = shown_for(organisation)
    strategy = next((d for d in documents if d.kind == Document.Kind.STRATEGY), None)
    chapters = [d for d in documents if d.kind == Document.Kind.CHAPTER]
    return strategy, chapters


def cache_key(strategy, chapters, organisation=None) -> str:
    organisation = organisation or organisations.default()
    ids = [d.published_id for d in ([strategy] if strategy else []) + chapters]
    # What is filled in when the text is shown (links to portal pages, numbers, links, the platform
    # list) is part of the PDF too: a page that appears or a number filled in makes a new PDF. The
    # organisation's name is on it.
    state = f"{portal_links_state()}|{expansion_version(organisation)}|{organisation.pk}|{organisation.name}"
    return hashlib.sha256(f"{','.join(map(str, ids))};{state}".encode()).hexdigest()


def handbook_pdf(organisation=None) -> bytes:
    """The handbook of `organisation` (None: the default organisation) as PDF."""
    organisation = organisation or organisations.default()
    strategy, chapters = _documents(organisation)
    key = cache_key(strategy, chapters, organisation)
    cached = HandbookPdf.objects.filter(key=key).values_list("content", flat=True).first()
    if cached is not None:
        return bytes(cached)
    printed_at = timezone.now()
    for document in ([strategy] if strategy else []) + chapters:
        # One file for every chapter: each chapter's section ids get its own prefix, so no two clash.
        html = document.published.shown_html_for(organisation)
        document.pdf_html = html.replace(' id="del-', f' id="{document.slug}-del-')
    html = render_to_string(
        "handbook/pdf.html",
        {
            "organisation": organisation,
            "strategy": strategy,
            "chapters": chapters,
            "printed_at": printed_at,
            "font_dir": (settings.BASE_DIR / "static" / "vendor" / "inter").as_uri(),
        },
    )
    # Tagged and accessible (PDF/UA-1), with its language (Nynorsk) and title set (core/pdf.py).
    content = write_pdf(html, author=organisation.name, created=printed_at)
    with contextlib.suppress(IntegrityError), transaction.atomic():  # made by another request just now
        HandbookPdf.objects.create(key=key, organisation=organisation, content=content)
    # One kept PDF per organisation: the one for its texts as they are now.
    HandbookPdf.objects.filter(organisation=organisation).exclude(key=key).delete()
    return content
