"""Every change to the strategy and the handbook: save a draft, publish, restore, add, move,
and an organisation's own version of a chapter (make one, go back to the shared text).
What the public sees changing (a publishing, the list of chapters, an own version dropped)
is announced (handbook/events.py).

Who keeps which text: the region's shared text is kept by those `models.edits_base` names;
an organisation's own version of a document by that organisation's advisers."""

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.audit import audit_log
from core.errors import DomainError
from core.locks import hold, locked
from core.text import clean_name

from .events import chapters_changed, document_published, own_version_dropped
from .models import BODY_LIMIT, Document, DocumentVersion, edits_base
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
ONLY_BASE_EDITORS = _("Only the advisers who keep the shared text can change it.")


def _require_editor(actor, document: Document) -> None:
    """The shared text: those who keep it. An organisation's own version: its advisers."""
    if not getattr(actor, "is_authenticated", False):
        raise HandbookError(ONLY_ADVISERS)
    if document.organisation_id is None:
        if not edits_base(actor):
            raise HandbookError(ONLY_BASE_EDITORS if actor.is_adviser else ONLY_ADVISERS)
    elif not actor.advises(document.organisation_id):
        raise HandbookError(ONLY_ADVISERS)


def _require_base_editor(actor) -> None:
    if not edits_base(actor):
        raise HandbookError(ONLY_BASE_EDITORS if getattr(actor, "is_adviser", False) else ONLY_ADVISERS)


@transaction.atomic
def document_save_draft(*, document: Document, actor, revision: int, title: str, body: str) -> Document:
    _require_editor(actor, document)
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
    document.is_used = True  # an organisation's own version is its text once it is published
    document.draft_title, document.draft_body = title, body
    document.draft_revision += 1
    document.save()
    return version


@transaction.atomic
def document_publish(*, document: Document, actor) -> DocumentVersion:
    _require_editor(actor, document)
    current = locked(document)
    if current.published and not current.has_unpublished_changes and current.is_used:
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
    _require_editor(actor, document)
    current = locked(document)
    old = current.versions.get(number=number)
    if (
        current.is_used
        and current.published
        and (old.title, old.body) == (current.published.title, current.published.body)
    ):
        raise HandbookError(_("Version %(number)s is what is published now; nothing was changed.") % {"number": number})
    version = _new_version(current, title=old.title, body=old.body, actor=actor, restored_from=number)
    audit_log(current, "handbook.restored", actor=actor, data={"version": version.number, "from": number})
    document_published.announce(document=current, version=version, actor=actor)
    return version


@transaction.atomic
def chapter_create(*, actor, title: str) -> Document:
    """A new chapter of the shared text (every organisation gets it once it is published)."""
    _require_base_editor(actor)
    title = clean_name(title)
    if not title:
        raise HandbookError(_("Give the new chapter a title."))
    # One new chapter per title, however many times "create" is pressed at once.
    hold("handbook:new-chapter")
    existing = Document.objects.base().chapters().filter(draft_title__iexact=title).first()
    if existing is not None:
        raise ChapterExists(existing)
    base = slugify(title.replace("ø", "o").replace("æ", "ae").replace("å", "a"))[:90] or "kapittel"
    slug, n = base, 2
    while Document.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    last = Document.objects.base().chapters().aggregate(p=Max("position"))["p"] or 0
    document = Document.objects.create(
        kind=Document.Kind.CHAPTER, slug=slug, position=last + 10, draft_title=title, draft_updated_by=actor
    )
    audit_log(document, "handbook.chapter_created", actor=actor)
    chapters_changed.announce(actor=actor)
    return document


@transaction.atomic
def chapter_move(*, document: Document, actor, up: bool) -> None:
    """Move a chapter of the shared text: the order is the region's, for every organisation."""
    _require_base_editor(actor)
    chapters = list(Document.objects.base().chapters().select_for_update())
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


@transaction.atomic
def document_make_own(*, document: Document, actor) -> Document:
    """Start the organisation's own version of a shared document: a draft copied from the shared
    text as published now, for the organisation's advisers to edit and publish (only then is it
    shown). Started again after going back to the shared text, it keeps its history and starts
    from the shared text once more; a draft never published is kept as it is."""
    organisation_id = next(iter(actor.advised_organisation_ids()), None) if actor.is_authenticated else None
    if organisation_id is None or edits_base(actor):
        raise HandbookError(_("Only an organisation's own advisers can make its own version of a text."))
    if document.organisation_id is not None or document.published_id is None:
        raise HandbookError(_("Only a published text shared by the region can have an organisation's own version."))
    hold(f"handbook:own:{organisation_id}:{document.slug}")
    shared = document.published
    own = Document.objects.select_for_update().filter(organisation_id=organisation_id, slug=document.slug).first()
    if own is not None and own.is_used and own.published_id is not None:
        raise HandbookError(_("Your organisation already uses its own version of this text."))
    if own is None:
        own = Document(
            organisation_id=organisation_id,
            slug=document.slug,
            kind=document.kind,
            position=document.position,
            is_used=False,
            draft_title=shared.title,
            draft_body=shared.body,
            draft_updated_by=actor,
        )
        own.save()
        started_from = shared.number
    elif own.published_id is not None:
        own.draft_title, own.draft_body = shared.title, shared.body
        own.draft_revision += 1
        own.draft_updated_by = actor
        own.save()
        started_from = shared.number
    else:
        started_from = None  # the draft begun before is kept
    audit_log(own, "handbook.own_version_started", actor=actor, data={"shared_version": started_from})
    return own


@transaction.atomic
def document_use_shared(*, document: Document, actor) -> Document:
    """Go back to the shared text: the organisation's own version stops being shown, and its
    draft and every published version are kept (publishing it again brings it back)."""
    if document.organisation_id is None:
        raise HandbookError(_("This is the shared text already."))
    _require_editor(actor, document)
    current = locked(document)
    if not current.is_used or current.published_id is None:
        raise HandbookError(_("Your organisation already uses the shared text here."))
    current.is_used = False
    current.save(update_fields=["is_used", "updated_at"])
    audit_log(current, "handbook.shared_text_used", actor=actor, data={"own_version": current.published.number})
    own_version_dropped.announce(document=current, actor=actor)
    return current
