import difflib
from dataclasses import replace
from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import organisations
from core.access import adviser_required
from core.pagecache import public_page, text
from core.pagecache import slug as slug_value

from . import services
from .access import base_editor_required, editor_required
from .forms import DraftForm, NewChapterForm
from .models import Document, edits_base, shown_for
from .pdf import handbook_pdf
from .rendering import editor_help_templates, expand, render_markdown
from .search import search, suggestions


def _organisation(slug):
    """The organisation a public address under /o/<slug>/ is for (404 for one that is not)."""
    found = organisations.by_slug(slug)
    if found is None or not found.is_active:
        raise Http404
    return found


def _for_organisation(view):
    """The same page for the organisation the address names: the page, its header and its
    footer are that organisation's (`request.organisation`)."""

    @wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        request.organisation = _organisation(slug)
        return view(request, *args, organisation_slug=slug, **kwargs)

    return wrapper


def _urls(organisation_slug):
    """How the pages of one organisation's handbook link to each other: under /o/<slug>/ on its
    own public pages, else at the portal's own addresses (for the request's organisation)."""
    if organisation_slug:
        return {
            "index": reverse("handbook:org_index", args=[organisation_slug]),
            "strategy": reverse("handbook:org_strategy", args=[organisation_slug]),
            "pdf": reverse("handbook:org_pdf", args=[organisation_slug]),
            "chapter": lambda slug: reverse("handbook:org_chapter", args=[organisation_slug, slug]),
        }
    return {
        "index": reverse("handbook:index"),
        "strategy": reverse("handbook:strategy"),
        "pdf": reverse("handbook:pdf"),
        "chapter": lambda slug: reverse("handbook:chapter", args=[slug]),
    }


def _tools(user, organisation) -> str:
    """Which editing tools this person gets on this organisation's pages: "shared" for those who
    keep the shared text (on their own organisation's pages), "own" for the organisation's own
    advisers (make and keep their own versions), "" for everyone else."""
    if not user.is_authenticated:
        return ""
    if edits_base(user):
        return "shared" if user.organisation_id == organisation.pk else ""
    return "own" if user.advises(organisation.pk) else ""


def _with_urls(documents, urls):
    for document in documents:
        document.url = urls["strategy"] if document.kind == Document.Kind.STRATEGY else urls["chapter"](document.slug)
    return documents


def _index(request, *, organisation_slug=None):
    organisation = request.organisation
    urls = _urls(organisation_slug)
    documents = _with_urls(shown_for(organisation, listed=True), urls)
    strategy = next((d for d in documents if d.kind == Document.Kind.STRATEGY), None)
    chapters = [d for d in documents if d.kind == Document.Kind.CHAPTER]
    tools = _tools(request.user, organisation)
    drafts = (
        Document.objects.editable_by(request.user).filter(published__isnull=True).order_by("position") if tools else []
    )
    return render(
        request,
        "handbook/index.html",
        {
            "organisation": organisation,
            "strategy": strategy,
            "chapters": chapters,
            "own_count": sum(1 for d in documents if d.is_own),
            "tools": tools,
            "urls": urls,
            "organisation_slug": organisation_slug or "",
            "drafts": drafts,
            "new_form": NewChapterForm(),
            "editor_help": editor_help_templates(),
        },
    )


def _document_page(request, document, *, organisation_slug, number=None, previous=None, next_=None):
    organisation = request.organisation
    tools = _tools(request.user, organisation)
    context = {
        "organisation": organisation,
        "document": document,
        "version": document.published,
        "number": number,
        "previous": previous,
        "next": next_,
        "tools": tools,
        "urls": _urls(organisation_slug),
        "organisation_slug": organisation_slug or "",
    }
    if tools == "own" and not document.is_own:
        # A draft of the organisation's own version begun (or dropped) before.
        context["own_draft"] = Document.objects.editable_by(request.user).filter(slug=document.slug).first()
    return render(request, "handbook/document.html", context)


def _strategy(request, *, organisation_slug=None):
    document = next((d for d in shown_for(request.organisation) if d.kind == Document.Kind.STRATEGY), None)
    if document is None:
        raise Http404
    return _document_page(request, document, organisation_slug=organisation_slug)


def _chapter(request, slug, *, organisation_slug=None):
    urls = _urls(organisation_slug)
    chapters = [d for d in shown_for(request.organisation, listed=True) if d.kind == Document.Kind.CHAPTER]
    index = next((i for i, c in enumerate(chapters) if c.slug == slug), None)
    if index is None:
        raise Http404
    _with_urls(chapters[max(index - 1, 0) : index + 2], urls)
    document = Document.objects.published().get(pk=chapters[index].pk)
    document.is_own = chapters[index].is_own
    return _document_page(
        request,
        document,
        organisation_slug=organisation_slug,
        number=index + 1,
        previous=chapters[index - 1] if index > 0 else None,
        next_=chapters[index + 1] if index + 1 < len(chapters) else None,
    )


@public_page
def index(request):
    return _index(request)


@public_page
def strategy(request):
    return _strategy(request)


@public_page
def chapter(request, slug):
    return _chapter(request, slug)


@public_page
@_for_organisation
def org_index(request, *, organisation_slug):
    return _index(request, organisation_slug=organisation_slug)


@public_page
@_for_organisation
def org_strategy(request, *, organisation_slug):
    return _strategy(request, organisation_slug=organisation_slug)


@public_page
@_for_organisation
def org_chapter(request, chapter, *, organisation_slug):
    return _chapter(request, chapter, organisation_slug=organisation_slug)


@public_page(q=text(500), o=slug_value)
def search_view(request):
    query = request.GET.get("q", "")
    # The search box on an organisation's own pages (/o/<slug>/) searches that organisation's text.
    organisation = organisations.by_slug(request.GET.get("o", "")) or request.organisation
    hits, message = search(query, organisation)
    if request.GET.get("o") and organisation.slug == request.GET["o"]:
        # The organisation's own addresses, /o/<slug>/ before the portal's own.
        prefix = reverse("handbook:org_strategy", args=[organisation.slug]).removesuffix("strategi/")
        hits = [replace(hit, url=prefix + hit.url.lstrip("/")) for hit in hits]
    context = {"query": query[:200], "hits": hits, "message": message, "organisation_slug": request.GET.get("o", "")}
    if query.strip() and not hits:
        # Nothing found: offer other spellings that do find something, and the chapters to browse.
        context["suggestions"] = suggestions(query, organisation)
        context["chapters"] = [d for d in shown_for(organisation, listed=True) if d.kind == Document.Kind.CHAPTER]
    return render(request, "handbook/search.html", context)


def _pdf_response(organisation):
    response = HttpResponse(handbook_pdf(organisation), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="handbok-sosiale-media.pdf"'
    return response


def pdf(request):
    return _pdf_response(request.organisation)


def org_pdf(request, slug):
    return _pdf_response(_organisation(slug))


def _editable(request, slug) -> Document:
    """The document of this slug that the person keeps: the shared one for those who keep the
    shared text, else their organisation's own version (404 when it has none)."""
    return get_object_or_404(
        Document.objects.editable_by(request.user).select_related("published", "draft_updated_by"), slug=slug
    )


@editor_required
def edit(request, slug):
    document = _editable(request, slug)
    conflict = None
    initial = {"revision": document.draft_revision, "title": document.draft_title, "body": document.draft_body}
    form = DraftForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                document = services.document_save_draft(
                    document=document,
                    actor=request.user,
                    revision=form.cleaned_data["revision"],
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
                if "publish" in request.POST:
                    version = services.document_publish(document=document, actor=request.user)
                    messages.success(request, _("Version %(number)s is published.") % {"number": version.number})
                    return redirect(document)
            except services.DraftConflict as error:
                conflict = error.document
                messages.error(request, error.message)
            except services.HandbookError as error:
                messages.error(request, error.message)
                return redirect("handbook:edit", slug=document.slug)
            else:
                messages.success(request, _("The draft was saved. It is not published yet."))
                return redirect("handbook:edit", slug=document.slug)
        else:
            messages.error(request, _("Check the fields marked below. Nothing you wrote has been lost."))
    return render(
        request,
        "handbook/edit.html",
        {
            "document": document,
            "form": form,
            "conflict": conflict,
            "preview": expand(
                render_markdown(form["body"].value() or ""), for_editors=True, organisation=request.organisation
            ),
            "editor_help": editor_help_templates(),
        },
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )


@require_POST
@editor_required
def preview(request):
    html = render_markdown(request.POST.get("body", "")[:300_000])
    return HttpResponse(expand(html, for_editors=True, organisation=request.organisation))


@editor_required
def versions(request, slug):
    document = _editable(request, slug)
    return render(
        request,
        "handbook/versions.html",
        {"document": document, "versions": document.versions.select_related("published_by").order_by("-number")},
    )


def _side_by_side(old: str, new: str):
    a, b = old.splitlines(), new.splitlines()
    rows = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        left = mark_safe("<br>".join(escape(line) for line in a[i1:i2]))
        right = mark_safe("<br>".join(escape(line) for line in b[j1:j2]))
        rows.append({"op": op, "left": left, "right": right})
    return rows


@editor_required
def compare(request, slug):
    document = _editable(request, slug)
    versions = {v.number: v for v in document.versions.select_related("published_by")}
    try:
        new = versions[int(request.GET.get("til") or max(versions))]
        old = versions[int(request.GET.get("fra") or new.number - 1)]
    except (ValueError, KeyError):
        messages.info(request, _("Choose two versions that exist to compare them."))
        return redirect("handbook:versions", slug=slug)
    rows = _side_by_side(f"# {old.title}\n\n{old.body}", f"# {new.title}\n\n{new.body}")
    return render(
        request,
        "handbook/compare.html",
        {"document": document, "old": old, "new": new, "rows": rows, "numbers": sorted(versions)},
    )


@require_POST
@editor_required
def restore(request, slug, number):
    document = _editable(request, slug)
    get_object_or_404(document.versions, number=number)
    try:
        version = services.document_restore(document=document, actor=request.user, number=number)
    except services.HandbookError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Version %(old)s is published again as version %(new)s.") % {"old": number, "new": version.number},
        )
    return redirect("handbook:versions", slug=slug)


@require_POST
@base_editor_required
def chapter_new(request):
    form = NewChapterForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["title"][0])
        return redirect("handbook:index")
    try:
        document = services.chapter_create(actor=request.user, title=form.cleaned_data["title"])
    except services.ChapterExists as error:
        messages.info(request, error.message)
        return redirect("handbook:edit", slug=error.document.slug)
    except services.HandbookError as error:
        messages.error(request, error.message)
        return redirect("handbook:index")
    messages.success(request, _("The chapter was created as a draft. Write it, then publish it."))
    return redirect("handbook:edit", slug=document.slug)


@require_POST
@base_editor_required
def chapter_move(request, slug):
    document = get_object_or_404(Document.objects.base().chapters(), slug=slug)
    try:
        services.chapter_move(document=document, actor=request.user, up=request.POST.get("direction") == "up")
    except services.HandbookError as error:
        messages.error(request, error.message)
    return redirect("handbook:index")


@require_POST
@adviser_required
def make_own(request, slug):
    """ "Make our own version": a draft of the organisation's own version, copied from the shared text."""
    shared = get_object_or_404(Document.objects.base().published(), slug=slug)
    try:
        own = services.document_make_own(document=shared, actor=request.user)
    except services.HandbookError as error:
        messages.error(request, error.message)
        return redirect(shared)
    messages.success(
        request,
        _(
            "Your own version is a draft, copied from the shared text. Change it and publish it: only "
            "then does it replace the shared text on your organisation's pages."
        ),
    )
    return redirect("handbook:edit", slug=own.slug)


@adviser_required
def use_shared(request, slug):
    """ "Go back to the shared text": says what happens, and does it when confirmed (POST)."""
    document = get_object_or_404(
        Document.objects.editable_by(request.user).filter(organisation__isnull=False).select_related("published"),
        slug=slug,
        is_used=True,
        published__isnull=False,
    )
    if request.method == "POST":
        try:
            services.document_use_shared(document=document, actor=request.user)
        except services.HandbookError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Your organisation's pages show the shared text again. Your own version is kept under Versions."),
            )
        return redirect(document)
    shared = Document.objects.base().published().filter(slug=slug).first()
    return render(
        request,
        "handbook/use_shared.html",
        {"document": document, "shared": shared, "organisation": request.organisation},
    )
