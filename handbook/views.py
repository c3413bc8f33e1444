import difflib

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import adviser_required
from core.pagecache import public_page, text

from . import services
from .forms import DraftForm, NewChapterForm
from .models import Document
from .pdf import handbook_pdf
from .rendering import editor_help_templates, expand, render_markdown
from .search import search, suggestions


def _published(slug) -> Document:
    return get_object_or_404(Document.objects.published(), slug=slug)


@public_page
def index(request):
    documents = list(Document.objects.published().order_by("kind", "position"))
    strategy = next((d for d in documents if d.kind == Document.Kind.STRATEGY), None)
    chapters = [d for d in documents if d.kind == Document.Kind.CHAPTER]
    drafts = (
        Document.objects.filter(published__isnull=True)
        if request.user.is_authenticated and request.user.is_adviser
        else []
    )
    return render(
        request,
        "handbook/index.html",
        {
            "strategy": strategy,
            "chapters": chapters,
            "drafts": drafts,
            "new_form": NewChapterForm(),
            "editor_help": editor_help_templates(),
        },
    )


@public_page
def strategy(request):
    document = get_object_or_404(Document.objects.published(), kind=Document.Kind.STRATEGY)
    return render(request, "handbook/document.html", {"document": document, "version": document.published})


@public_page
def chapter(request, slug):
    chapters = list(
        Document.objects.published()
        .chapters()
        .only("slug", "draft_title", "published__title", "published__published_at", "position")
    )
    index = next((i for i, c in enumerate(chapters) if c.slug == slug), None)
    if index is None:
        raise Http404
    document = _published(slug)
    return render(
        request,
        "handbook/document.html",
        {
            "document": document,
            "version": document.published,
            "number": index + 1,
            "previous": chapters[index - 1] if index > 0 else None,
            "next": chapters[index + 1] if index + 1 < len(chapters) else None,
        },
    )


@public_page(q=text(500))
def search_view(request):
    query = request.GET.get("q", "")
    hits, message = search(query)
    context = {"query": query[:200], "hits": hits, "message": message}
    if query.strip() and not hits:
        # Nothing found: offer other spellings that do find something, and the chapters to browse.
        context["suggestions"] = suggestions(query)
        context["chapters"] = Document.objects.published().chapters().only("slug", "published__title")
    return render(request, "handbook/search.html", context)


def pdf(request):
    response = HttpResponse(handbook_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="handbok-sosiale-media.pdf"'
    return response


def _editable(slug) -> Document:
    return get_object_or_404(Document.objects.select_related("published", "draft_updated_by"), slug=slug)


@adviser_required
def edit(request, slug):
    document = _editable(slug)
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
            "preview": expand(render_markdown(form["body"].value() or ""), for_editors=True),
            "editor_help": editor_help_templates(),
        },
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )


@require_POST
@adviser_required
def preview(request):
    return HttpResponse(expand(render_markdown(request.POST.get("body", "")[:300_000]), for_editors=True))


@adviser_required
def versions(request, slug):
    document = _editable(slug)
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


@adviser_required
def compare(request, slug):
    document = _editable(slug)
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
@adviser_required
def restore(request, slug, number):
    document = _editable(slug)
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
@adviser_required
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
@adviser_required
def chapter_move(request, slug):
    document = get_object_or_404(Document.objects.chapters(), slug=slug)
    try:
        services.chapter_move(document=document, actor=request.user, up=request.POST.get("direction") == "up")
    except services.HandbookError as error:
        messages.error(request, error.message)
    return redirect("handbook:index")
