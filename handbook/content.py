"""The strategy and handbook text that ships with the portal (handbook/content/)."""

from pathlib import Path

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


def load_shipped(Document, DocumentVersion):
    """Create every shipped document with its first published version (used by a migration)."""
    for kind, slug, position, title, body in shipped_documents():
        if Document.objects.filter(slug=slug).exists():
            continue
        document = Document.objects.create(kind=kind, slug=slug, position=position, draft_title=title, draft_body=body)
        html = render_markdown(body)
        version = DocumentVersion.objects.create(
            document=document, number=1, title=title, body=body, body_html=html, search_text=plain_text(html)
        )
        document.published = version
        document.save(update_fields=["published"])
