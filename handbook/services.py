"""Every change to the strategy and the handbook: save a draft, publish, restore, add, move.
What the public sees changing (a publishing, the list of chapters) is announced
(handbook/events.py)."""

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.access import require_adviser
from core.audit import audit_log
from core.errors import DomainError
from core.locks import hold, locked
from core.text import clean_name

from .events import chapters_changed, document_published
from .models import BODY_LIMIT, Document, DocumentVersion
from .rendering import plain_text, render_markdown


class HandbookError(DomainError):
    pass


class ChapterExists(HandbookError):
    def __init__(self, document):
        super().__init__(
            _("A chapter called “%(title)s” already exists. Here it is.") % {"title": document.draft_title}
        )
        self.document = document


class DraftConflict(HandbookError):
    def __init__(self, document):
        super().__init__(
            _(
                "Someone else saved this text while you were writing. Your text is still in the "
                "form: compare it with the saved text below, then save again."
            )
        )
        self.document = document


ONLY_ADVISERS = _("Only communications advisers can edit the strategy and the handbook.")


@transaction.atomic
def document_save_draft(*, document: Document, actor, revision: int, title: str, body: str) -> Document:
    require_adviser(actor, HandbookError, ONLY_ADVISERS)
    current = locked(document)
    if current.draft_revision != revision:
        raise DraftConflict(current)
    if len(body) > BODY_LIMIT:
        raise HandbookError(_("The text is too long."))
    current.draft_title, current.draft_body = clean_name(title), body
    current.draft_revision += 1
    current.draft_updated_by = actor
    current.save()
    audit_log(current, "handbook.draft_saved", actor=actor, data={"revision": current.draft_revision})
    return current


def _new_version(document: Document, *, title: str, body: str, actor, restored_from=None) -> DocumentVersion:
    html = render_markdown(body)
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DocumentVersion.objects.create(
        document=document,
        number=number,
        title=title,
        body=body,
        body_html=html,
        search_text=plain_text(html),
        published_by=actor if actor is not None and actor.is_authenticated else None,
        restored_from=restored_from,
    )
    document.published = version
    document.draft_title, document.draft_body = title, body
    document.draft_revision += 1
    document.save()
    return version


@transaction.atomic
def document_publish(*, document: Document, actor) -> DocumentVersion:
    require_adviser(actor, HandbookError, ONLY_ADVISERS)
    current = locked(document)
    if current.published and not current.has_unpublished_changes:
        raise HandbookError(_("There is nothing new to publish: the draft is the same as the published text."))
    if not current.draft_title.strip():
        raise HandbookError(_("The text needs a title before it can be published."))
    version = _new_version(current, title=current.draft_title, body=current.draft_body, actor=actor)
    audit_log(current, "handbook.published", actor=actor, data={"version": version.number})
    document_published.announce(document=current, version=version, actor=actor)
    return version


@transaction.atomic
def document_restore(*, document: Document, actor, number: int) -> DocumentVersion:
    """Publish an older version again, as a new version; nothing is thrown away."""
    require_adviser(actor, HandbookError, ONLY_ADVISERS)
    current = locked(document)
    old = current.versions.get(number=number)
    if current.published and (old.title, old.body) == (current.published.title, current.published.body):
        raise HandbookError(_("Version %(number)s is what is published now; nothing was changed.") % {"number": number})
    version = _new_version(current, title=old.title, body=old.body, actor=actor, restored_from=number)
    audit_log(current, "handbook.restored", actor=actor, data={"version": version.number, "from": number})
    document_published.announce(document=current, version=version, actor=actor)
    return version


@transaction.atomic
def chapter_create(*, actor, title: str) -> Document:
    require_adviser(actor, HandbookError, ONLY_ADVISERS)
    title = clean_name(title)
    if not title:
        raise HandbookError(_("Give the new chapter a title."))
    # One new chapter per title, however many times "create" is pressed at once.
    hold("handbook:new-chapter")
    existing = Document.objects.chapters().filter(draft_title__iexact=title).first()
    if existing is not None:
        raise ChapterExists(existing)
    base = slugify(title.replace("ø", "o").replace("æ", "ae").replace("å", "a"))[:90] or "kapittel"
    slug, n = base, 2
    while Document.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    last = Document.objects.chapters().aggregate(p=Max("position"))["p"] or 0
    document = Document.objects.create(
        kind=Document.Kind.CHAPTER, slug=slug, position=last + 10, draft_title=title, draft_updated_by=actor
    )
    audit_log(document, "handbook.chapter_created", actor=actor)
    chapters_changed.announce(actor=actor)
    return document


@transaction.atomic
def chapter_move(*, document: Document, actor, up: bool) -> None:
    require_adviser(actor, HandbookError, ONLY_ADVISERS)
    chapters = list(Document.objects.chapters().select_for_update())
    index = next(i for i, c in enumerate(chapters) if c.pk == document.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(chapters):
        raise HandbookError(_("The chapter is already at that end of the handbook."))
    chapters[index], chapters[other] = chapters[other], chapters[index]
    for position, chapter in enumerate(chapters, start=1):
        if chapter.position != position * 10:
            Document.objects.filter(pk=chapter.pk).update(position=position * 10)
    audit_log(document, "handbook.chapter_moved", actor=actor, data={"up": up})
    chapters_changed.announce(actor=actor)
