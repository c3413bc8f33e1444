import re

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import adviser_required
from handbook.models import Document
from platforms.models import Platform

from . import services
from .directives import PLATFORM_LIST
from .forms import PlaceholderForm, PlatformTermsForm
from .models import Placeholder

USED = re.compile(r"\{\{\s*([a-z0-9-]+)\s*\}\}|\]\(felt:([a-z0-9-]+)\)")


def _usage() -> dict[str, list[Document]]:
    """Which published chapters use which marker, in the handbook's order."""
    used: dict[str, list[Document]] = {}
    for document in Document.objects.published().order_by("kind", "position"):
        for key in dict.fromkeys(a or b for a, b in USED.findall(document.published.body)):
            used.setdefault(key, []).append(document)
    return used


@adviser_required
def platform_list(request):
    platforms = Platform.objects.select_related("terms", "terms__updated_by").order_by("-is_active", "position", "name")
    usage = _usage().get(PLATFORM_LIST, [])
    return render(request, "facts/platform_list.html", {"platforms": platforms, "shown_in": usage})


@adviser_required
def platform_edit(request, slug):
    platform = get_object_or_404(Platform.objects.select_related("terms"), slug=slug)
    terms = getattr(platform, "terms", None)
    # New terms are assessed today; saved ones keep the day they were assessed until the adviser changes it.
    initial = (
        {"policy": terms.policy, "reason": terms.reason, "assessed_on": terms.assessed_on}
        if terms
        else {"assessed_on": timezone.localdate()}
    )
    form = PlatformTermsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.platform_terms_update(platform=platform, actor=request.user, **form.cleaned_data)
            except services.FactsError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The terms for %(platform)s are saved.") % {"platform": platform.name})
                return redirect("facts:platforms")
        else:
            messages.error(request, _("Check the fields marked below. Nothing you wrote has been lost."))
    return render(
        request,
        "facts/platform_edit.html",
        {"platform": platform, "terms": terms, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@adviser_required
def placeholder_list(request):
    usage = _usage()
    placeholders = {p.key: p for p in Placeholder.objects.select_related("updated_by")}
    rows = [
        {"key": key, "placeholder": placeholders.get(key), "used_in": usage.get(key, [])}
        for key in sorted(set(placeholders) | (set(usage) - {PLATFORM_LIST}))
    ]
    rows.sort(key=lambda row: (row["placeholder"] is not None and not row["placeholder"].missing, row["key"]))
    missing = sum(1 for row in rows if row["placeholder"] is None or row["placeholder"].missing)
    return render(request, "facts/placeholder_list.html", {"rows": rows, "missing": missing})


@adviser_required
def placeholder_edit(request, key):
    placeholder = Placeholder.objects.filter(key=key).first()
    used_in = _usage().get(key, [])
    if placeholder is None and not used_in:
        raise Http404
    initial = (
        {"label": placeholder.label, "kind": placeholder.kind, "value": placeholder.value}
        if placeholder
        else {"label": key, "kind": Placeholder.Kind.TEXT}
    )
    form = PlaceholderForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.placeholder_update(key=key, actor=request.user, **form.cleaned_data)
            except services.FactsError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Saved. The handbook shows it from now on."))
                return redirect("facts:placeholders")
        else:
            messages.error(request, _("Check the fields marked below. Nothing you wrote has been lost."))
    return render(
        request,
        "facts/placeholder_edit.html",
        {"key": key, "placeholder": placeholder, "used_in": used_in, "form": form},
        status=400 if request.method == "POST" else 200,
    )
