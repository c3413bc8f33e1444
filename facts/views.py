import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import organisations
from handbook.access import base_editor_required, editor_required
from handbook.models import Document, shown_for
from platforms.models import Platform

from . import services
from .directives import PLATFORM_LIST
from .forms import PlaceholderForm, PlatformTermsForm
from .models import Placeholder

USED = re.compile(r"\{\{\s*([a-z0-9-]+)\s*\}\}|\]\(felt:([a-z0-9-]+)\)")


def _usage(organisation_id=None) -> dict[str, list[Document]]:
    """Which published chapters use which marker, in the handbook's order: the shared text's
    (organisation_id None), or as the organisation shows it (its own versions in place)."""
    documents = (
        Document.objects.base().published().order_by("kind", "position")
        if organisation_id is None
        else shown_for(organisations.get(organisation_id))
    )
    used: dict[str, list[Document]] = {}
    for document in documents:
        for key in dict.fromkeys(a or b for a, b in USED.findall(document.published.body)):
            used.setdefault(key, []).append(document)
    return used


@base_editor_required
def platform_list(request):
    platforms = Platform.objects.select_related("terms", "terms__updated_by").order_by("-is_active", "position", "name")
    usage = _usage().get(PLATFORM_LIST, [])
    return render(request, "facts/platform_list.html", {"platforms": platforms, "shown_in": usage})


@base_editor_required
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


def _kept_organisation(user):
    """The organisation whose values this person keeps (None: the region's shared values)."""
    try:
        return services.placeholder_organisation(user)
    except services.FactsError:
        raise PermissionDenied from None


@editor_required
def placeholder_list(request):
    organisation_id = _kept_organisation(request.user)
    usage = _usage(organisation_id)
    own = {p.key: p for p in Placeholder.objects.editable_by(request.user).select_related("updated_by")}
    shared = own if organisation_id is None else {p.key: p for p in Placeholder.objects.base()}
    rows = []
    for key in sorted(set(shared) | set(own) | (set(usage) - {PLATFORM_LIST})):
        mine = own.get(key) if organisation_id is not None else None
        shown = mine if mine is not None and not mine.missing else shared.get(key)
        rows.append(
            {
                "key": key,
                "placeholder": shown,
                "label": (shared.get(key) or mine).label if (shared.get(key) or mine) else "",
                "own": mine is not None and not mine.missing,
                "used_in": usage.get(key, []),
            }
        )
    rows.sort(key=lambda row: (row["placeholder"] is not None and not row["placeholder"].missing, row["key"]))
    missing = sum(1 for row in rows if row["placeholder"] is None or row["placeholder"].missing)
    return render(
        request,
        "facts/placeholder_list.html",
        {"rows": rows, "missing": missing, "kept_organisation": organisations.get(organisation_id)},
    )


@editor_required
def placeholder_edit(request, key):
    organisation_id = _kept_organisation(request.user)
    placeholder = Placeholder.objects.editable_by(request.user).filter(key=key).first()
    shared = placeholder if organisation_id is None else Placeholder.objects.base().filter(key=key).first()
    used_in = _usage(organisation_id).get(key, [])
    if placeholder is None and shared is None and not used_in:
        raise Http404
    start = placeholder or shared
    initial = (
        {"label": start.label, "kind": start.kind, "value": placeholder.value if placeholder else ""}
        if start
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
        {
            "key": key,
            "placeholder": placeholder,
            "shared": shared if organisation_id is not None else None,
            "kept_organisation": organisations.get(organisation_id),
            "used_in": used_in,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )
