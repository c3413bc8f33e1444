from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import adviser_required

from . import selectors
from .forms import ArchiveSettingsForm
from .models import Package, PackageStatus
from .services import ArchiveError, archive_settings, archive_settings_update, package_send_again

PAGE_SIZE = 25
ALL = "all"


@adviser_required
def index(request):
    status = request.GET.get("status") or ALL
    if status not in PackageStatus.values:
        status = ALL
    page = Paginator(selectors.packages(None if status == ALL else status), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.overview()
    return render(
        request,
        "archive/index.html",
        {
            "page": page,
            "status": status,
            "statuses": [(ALL, _("All")), *PackageStatus.choices],
            "counts": counts,
            "outbox_error": selectors.last_outbox_error() if counts["stuck"] else "",
            "settings": archive_settings(),
            "receipt_hours": int(selectors.unacknowledged_after().total_seconds() // 3600),
        },
    )


@require_POST
@adviser_required
def send_again(request, pk):
    package = get_object_or_404(Package, pk=pk)
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
    current = archive_settings()
    form = ArchiveSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            archive_settings_update(actor=request.user, **{name: form.cleaned_data[name] for name in form.Meta.fields})
        except ArchiveError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The archive settings are saved."))
            return redirect("archive:index")
    return render(request, "archive/settings.html", {"form": form}, status=400 if form.errors else 200)
