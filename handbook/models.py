import re

from django.conf import settings
from django.db import models
from django.db.models import ExpressionWrapper, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.access import advised_rows
from core.models import TimeStampedModel

from .rendering import contents, expand

BODY_LIMIT = 200_000  # characters of Markdown in one chapter


class DocumentQuerySet(models.QuerySet):
    def chapters(self):
        return self.filter(kind=Document.Kind.CHAPTER).order_by("position", "pk")

    def published(self):
        return self.filter(published__isnull=False).select_related("published")

    def base(self):
        """The region's shared text: what every organisation reads unless it uses its own version."""
        return self.filter(organisation__isnull=True)

    def read_by(self, organisation):
        """The published documents an organisation's pages may show: the shared text and the
        organisation's own versions in use (`shown_for` picks one of each)."""
        own = Q(organisation_id=organisation.pk, is_used=True) if organisation is not None else Q(pk__in=[])
        return self.published().filter(Q(organisation__isnull=True) | own)

    def editable_by(self, user):
        """The documents this person keeps: the shared text for those who edit it (a region's
        advisers; in a portal without a region, the default organisation's), otherwise the own
        versions of the organisation they advise. Nothing for anyone else."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if edits_base(user):
            return self.base()
        return advised_rows(self, user)


def edits_base(user) -> bool:
    """Whether this person edits the region's shared text: an adviser of a region, or, in a
    portal with no region, an adviser of the default organisation (so a one-organisation portal
    works as it always has). Everyone else's organisation uses its own versions."""
    from accounts import organisations

    if not getattr(user, "is_authenticated", False) or not user.is_adviser:
        return False
    if user.is_regional_adviser:
        return True
    if any(organisation.is_region for organisation in organisations.all_organisations()):
        return False
    return user.advises(organisations.default().pk)


# What a list of chapters needs of each (not their texts).
LISTED = ("kind", "slug", "position", "organisation_id", "draft_title", "published__title", "published__published_at")


def shown_for(organisation, *, listed: bool = False) -> list["Document"]:
    """The published strategy and chapters as `organisation` shows them, in the shared order:
    each chapter the organisation has its own version of in use replaced by that version
    (`is_own` set on it). One query. `organisation` None: the default organisation. `listed`:
    without the texts, for a list of chapters."""
    from accounts import organisations

    organisation = organisation or organisations.default()
    query = Document.objects.read_by(organisation).order_by("kind", "position", "pk")
    found = list(query.only(*LISTED) if listed else query)
    own = {document.slug: document for document in found if document.organisation_id is not None}
    shown = []
    for document in found:
        if document.organisation_id is None:
            document = own.get(document.slug, document)
            document.is_own = document.organisation_id is not None
            shown.append(document)
    return shown


class Document(TimeStampedModel):
    """The strategy, or one chapter of the handbook: a working draft and its published versions."""

    class Kind(models.TextChoices):
        STRATEGY = "strategy", _("Strategy")
        CHAPTER = "chapter", _("Chapter")

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CHAPTER)
    # None: the region's shared text. Else an organisation's own version of the shared
    # document with the same slug, with its own draft and history.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handbook_documents",
    )
    # An organisation's own version is shown once it is published, until the organisation goes
    # back to the shared text; its history is kept either way. Always set on the shared text.
    is_used = models.BooleanField(_("in use"), default=True)
    slug = models.SlugField(max_length=100)
    position = models.PositiveIntegerField(default=0)
    draft_title = models.CharField(_("title"), max_length=200)
    draft_body = models.TextField(_("text (Markdown)"), blank=True)
    # Bumped on every save of the draft, so a second editor's stale form is caught.
    draft_revision = models.PositiveIntegerField(default=1)
    draft_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published = models.ForeignKey("DocumentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("handbook document")
        verbose_name_plural = _("handbook documents")
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=Q(organisation__isnull=True), name="unique_shared_document_slug"
            ),
            models.UniqueConstraint(fields=["organisation", "slug"], name="unique_own_document_slug"),
        ]

    def __str__(self):
        return self.draft_title

    def get_absolute_url(self):
        if self.kind == self.Kind.STRATEGY:
            return reverse("handbook:strategy")
        return reverse("handbook:chapter", args=[self.slug])

    @property
    def is_shared(self) -> bool:
        return self.organisation_id is None

    @property
    def has_unpublished_changes(self) -> bool:
        return self.published is None or (self.draft_title, self.draft_body) != (
            self.published.title,
            self.published.body,
        )


class DocumentVersion(models.Model):
    """A published version, kept for good: who published what, and when."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    body_html = models.TextField()  # rendered and sanitised once, when published
    search_text = models.TextField()  # plain text, for search
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)
    restored_from = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="unique_document_version")]
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")

    def __str__(self):
        return f"{self.title} v{self.number}"

    @property
    def shown_html(self) -> str:
        """The body as pages show it: links to portal pages made now (see rendering.PORTAL_LINKS)."""
        return expand(self.body_html)

    def shown_html_for(self, organisation) -> str:
        """The body as `organisation`'s pages and PDF show it (its own facts filled in)."""
        return expand(self.body_html, organisation=organisation)

    @property
    def contents(self) -> list[tuple[str, str]]:
        """The sections listed at the top of a long chapter (none for a short one)."""
        return contents(self.body_html, self.search_text)


class HandbookPdf(models.Model):
    """The whole handbook of one organisation as PDF, made once per set of published versions."""

    key = models.CharField(max_length=64, unique=True)
    organisation = models.ForeignKey("accounts.Organisation", null=True, on_delete=models.CASCADE, related_name="+")
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.key


def chapter_links(slugs_by_key: dict[str, str], organisation=None) -> dict[str, tuple[str, str]]:
    """For each key, the address and title of its chapter (published chapters only), as
    `organisation` shows it (None: the default organisation)."""
    from accounts import organisations

    organisation = organisation or organisations.default()
    titles = {}
    rows = (
        Document.objects.read_by(organisation)
        .filter(slug__in=set(slugs_by_key.values()))
        .values_list("slug", "published__title", "organisation_id")
    )
    # The shared text first, the organisation's own version after it (and so winning).
    for slug, title, _owner in sorted(rows, key=lambda row: row[2] is not None):
        titles[slug] = title
    return {
        key: (reverse("handbook:chapter", args=[slug]), titles[slug])
        for key, slug in slugs_by_key.items()
        if slug in titles
    }


def chapter_using(text: str, organisation=None) -> tuple[str, str] | None:
    """The address and title of the first published chapter, as `organisation` shows its
    handbook (None: the default organisation), whose text holds `text` (a marker such as
    "{{plattformliste}}"); None when no chapter does. One query, without the texts."""
    from accounts import organisations

    organisation = organisation or organisations.default()
    rows = (
        Document.objects.read_by(organisation)
        .chapters()
        .annotate(holds=ExpressionWrapper(Q(published__body__contains=text), output_field=models.BooleanField()))
        .values_list("slug", "organisation_id", "published__title", "holds")
    )
    shown: dict[str, tuple] = {}
    for slug, _owner, title, holds in sorted(rows, key=lambda row: row[1] is not None):
        shown[slug] = (title, holds)  # the organisation's own version after the shared text, so it wins
    for slug, (title, holds) in shown.items():
        if holds:
            return reverse("handbook:chapter", args=[slug]), title
    return None


def chapter_points(slug: str, heading: str, organisation=None) -> list[str]:
    """The bullet points under `heading` in the published chapter `slug`, as plain text:
    how the portal quotes the handbook's own words (a leader's duties, say) where they
    matter, so the quote follows the handbook when it is edited. [] when not found. The
    chapter as `organisation` shows it (None: the default organisation)."""
    from accounts import organisations

    organisation = organisation or organisations.default()
    bodies = dict(
        Document.objects.read_by(organisation).filter(slug=slug).values_list("organisation_id", "published__body")
    )
    body = bodies.get(organisation.pk) or bodies.get(None)
    if not body:
        return []
    points, inside = [], False
    for line in body.splitlines():
        text = line.strip()
        if text.startswith("#"):
            if inside:
                break
            inside = text.lstrip("#").strip().casefold() == heading.casefold()
            continue
        if inside and text[:2] in ("- ", "* "):
            points.append(_plain(text[2:]))
        elif inside and points and text:
            break
    return points


def _plain(markdown: str) -> str:
    """Inline Markdown as plain text: links keep their text, emphasis marks go."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return re.sub(r"(\*\*|__|\*|_|`)", "", text).strip()
