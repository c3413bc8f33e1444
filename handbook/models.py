import re

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

from .rendering import contents, expand

BODY_LIMIT = 200_000  # characters of Markdown in one chapter


class DocumentQuerySet(models.QuerySet):
    def chapters(self):
        return self.filter(kind=Document.Kind.CHAPTER).order_by("position", "pk")

    def published(self):
        return self.filter(published__isnull=False).select_related("published")


class Document(TimeStampedModel):
    """The strategy, or one chapter of the handbook: a working draft and its published versions."""

    class Kind(models.TextChoices):
        STRATEGY = "strategy", _("Strategy")
        CHAPTER = "chapter", _("Chapter")

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CHAPTER)
    slug = models.SlugField(max_length=100, unique=True)
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

    def __str__(self):
        return self.draft_title

    def get_absolute_url(self):
        if self.kind == self.Kind.STRATEGY:
            return reverse("handbook:strategy")
        return reverse("handbook:chapter", args=[self.slug])

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

    @property
    def contents(self) -> list[tuple[str, str]]:
        """The sections listed at the top of a long chapter (none for a short one)."""
        return contents(self.body_html, self.search_text)


class HandbookPdf(models.Model):
    """The whole handbook as PDF, made once per set of published versions."""

    key = models.CharField(max_length=64, unique=True)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.key


def chapter_links(slugs_by_key: dict[str, str]) -> dict[str, tuple[str, str]]:
    """For each key, the address and title of its chapter (published chapters only)."""
    titles = dict(
        Document.objects.published().filter(slug__in=set(slugs_by_key.values())).values_list("slug", "published__title")
    )
    return {
        key: (reverse("handbook:chapter", args=[slug]), titles[slug])
        for key, slug in slugs_by_key.items()
        if slug in titles
    }


def chapter_points(slug: str, heading: str) -> list[str]:
    """The bullet points under `heading` in the published chapter `slug`, as plain text:
    how the portal quotes the handbook's own words (a leader's duties, say) where they
    matter, so the quote follows the handbook when it is edited. [] when not found."""
    body = Document.objects.filter(slug=slug, published__isnull=False).values_list("published__body", flat=True).first()
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
