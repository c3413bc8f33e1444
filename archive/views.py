from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import organisations
from core.access import adviser_required, get_visible_or_404

from . import selectors
from .forms import ArchiveSettingsForm
from .models import Package, PackageStatus
from .services import ArchiveError, archive_settings, archive_settings_update, package_send_again

PAGE_SIZE = 25
ALL = "all"


def _organisation(request):
    """The organisation whose archive the adviser keeps: the page's, which is their own."""
    advised = request.user.advised_organisation_ids()
    if request.organisation.pk in advised:
        return request.organisation
    return organisations.get(min(advised))


@adviser_required
def index(request):
    status = request.GET.get("status") or ALL
    if status not in PackageStatus.values:
        status = ALL
    rows = selectors.packages(request.user, None if status == ALL else status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.overview(request.user)
    return render(
        request,
        "archive/index.html",
        {
            "page": page,
            "status": status,
            "statuses": [(ALL, _("All")), *PackageStatus.choices],
            "counts": counts,
            "outbox_error": selectors.last_outbox_error(request.user) if counts["stuck"] else "",
            "settings": archive_settings(_organisation(request)),
            "receipt_hours": int(selectors.unacknowledged_after().total_seconds() // 3600),
        },
    )


@require_POST
@adviser_required
def send_again(request, pk):
    package = get_visible_or_404(Package.objects, request.user, pk=pk)
    try:
        package_send_again(package=package, actor=request.user)
    except ArchiveError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The package is sent again: “%(title)s”.") % {"title": package.title})
    back = request.POST.get("status", "")
    return redirect(reverse("archive:index") + (f"?status={back}" if back in PackageStatus.values else ""))


@adviser_required
def settings_edit(request):
    organisation = _organisation(request)
    current = archive_settings(organisation)
    form = ArchiveSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            archive_settings_update(
                actor=request.user,
                organisation=organisation,
                **{name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except ArchiveError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The archive settings are saved."))
            return redirect("archive:index")
    return render(
        request,
        "archive/settings.html",
        {"form": form, "archive_organisation": organisation},
        status=400 if form.errors else 200,
    )
