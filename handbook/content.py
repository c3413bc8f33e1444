"""The strategy and handbook text that ships with the portal (handbook/content/)."""

import hashlib
from pathlib import Path

from django.db.models import Max

from .rendering import plain_text, render_markdown, split_title

CONTENT = Path(__file__).resolve().parent / "content"


def shipped_documents():
    """(kind, slug, position, title, body) for the strategy and each chapter, in order."""
    title, body = split_title((CONTENT / "strategi.md").read_text())
    yield "strategy", "strategi", 0, title, body
    for path in sorted(CONTENT.glob("[0-9][0-9]-*.md")):
        number, _, slug = path.stem.partition("-")
        title, body = split_title(path.read_text())
        yield "chapter", slug, int(number) * 10, title, body


def _shared(Document):
    """The region's shared documents: the shipped text is theirs, never an organisation's own
    version (a migration from before organisations had them has no such field)."""
    if any(field.name == "organisation" for field in Document._meta.get_fields()):
        return Document.objects.filter(organisation__isnull=True)
    return Document.objects.all()


def load_shipped(Document, DocumentVersion):
    """Create every shipped document with its first published version (used by a migration)."""
    for kind, slug, position, title, body in shipped_documents():
        if _shared(Document).filter(slug=slug).exists():
            continue
        document = Document.objects.create(kind=kind, slug=slug, position=position, draft_title=title, draft_body=body)
        html = render_markdown(body)
        version = DocumentVersion.objects.create(
            document=document, number=1, title=title, body=body, body_html=html, search_text=plain_text(html)
        )
        document.published = version
        document.save(update_fields=["published"])


def fingerprint(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()


def publish_shipped(Document, DocumentVersion, *, previous: dict[str, str], only_previous: bool = False) -> None:
    """Bring an installation's text up to the shipped text, keeping its history (used by a migration).

    `previous` holds the fingerprint of the text the portal shipped before, per slug. A document
    whose published text is still that text gets the new text as a new published version (the
    shared text only: an organisation's own versions are its own). A
    document the hospital has changed keeps what it published; the shipped text goes into its
    draft, for the advisers to compare and publish, unless they have unpublished work there.
    A shipped chapter the installation does not have is added after its last chapter. With
    `only_previous`, only the documents named in `previous` are looked at, and only where the
    installation has them (a release that changes a few chapters and adds none)."""
    for kind, slug, _position, title, body in shipped_documents():
        if only_previous and slug not in previous:
            continue
        document = _shared(Document).filter(slug=slug).select_related("published").first()
        if document is None:
            if kind != "chapter" or only_previous:
                continue
            last = _shared(Document).filter(kind="chapter").aggregate(p=Max("position"))["p"] or 0
            document = Document.objects.create(
                kind=kind, slug=slug, position=last + 10, draft_title=title, draft_body=body
            )
        published = document.published
        if published is not None and (published.title, published.body) == (title, body):
            continue
        untouched_draft = published is None or (document.draft_title, document.draft_body) == (
            published.title,
            published.body,
        )
        if published is None or fingerprint(published.title, published.body) == previous.get(slug):
            html = render_markdown(body)
            number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            version = DocumentVersion.objects.create(
                document=document, number=number, title=title, body=body, body_html=html, search_text=plain_text(html)
            )
            document.published = version
        if untouched_draft:
            document.draft_title, document.draft_body = title, body
            document.draft_revision += 1
        document.save()
