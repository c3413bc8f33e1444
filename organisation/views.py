from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Unit
from core import held as holding
from core.access import adviser_required
from core.confirm import confirmation_page, is_confirmed
from core.errors import DomainError

from . import services
from .forms import SyncFileForm
from .models import SyncRun
from .reader import MAX_BYTES
from .sync import mass_change


def administrator_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_administrator:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _upload_page(request, form, problem="", status=200):
    runs = SyncRun.objects.select_related("created_by", "organisation")[:10]
    return render(request, "organisation/upload.html", {"form": form, "problem": problem, "runs": runs}, status=status)


@administrator_required
def _too_large(request):
    return _upload_page(request, SyncFileForm.too_large())


@holding.size_limited(lambda: MAX_BYTES, too_large=_too_large)
@administrator_required
def sync_upload(request):
    """The file is read no further than its size limit (core/held.py) and held for the
    administrator who uploaded it, with its dry run."""
    form = SyncFileForm(request.POST or None, request.FILES or None)  # reads the body, cut off at the limit
    if request.upload_too_large:
        return _too_large(request)
    problem = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = services.sync_preview(
                content=upload.read(),
                filename=upload.name,
                actor=request.user,
                organisation=form.cleaned_data.get("organisation"),
            )
        except DomainError as error:
            problem = error.message
        else:
            return redirect("organisation:run", pk=run.pk)
    return _upload_page(request, form, problem)


COUNT_LABELS = [
    ("created", gettext_lazy("New units")),
    ("adopted", gettext_lazy("Units kept by hand, now linked to the register")),
    ("renamed", gettext_lazy("Renamed")),
    ("moved", gettext_lazy("Moved in the tree")),
    ("kind_changed", gettext_lazy("New level")),
    ("new_leader", gettext_lazy("New leader")),
    ("closed", gettext_lazy("Closed")),
    ("reopened", gettext_lazy("Opened again")),
    ("members_added", gettext_lazy("Memberships added")),
    ("members_removed", gettext_lazy("Memberships ended")),
    ("people_left", gettext_lazy("People who have left (deactivated)")),
    ("people_back", gettext_lazy("People who are back")),
    ("people_placed", gettext_lazy("People placed in another organisation")),
    ("unknown_people", gettext_lazy("People in the file not yet in the portal")),
]


def _mass_confirmation(mass: dict) -> dict:
    """The warning before a file that closes or deactivates a large share is applied."""
    return {
        "title": _("Close %(closed)s of %(units)s units and deactivate %(left)s of %(people)s people?") % mass,
        "consequences": [
            _(
                "The file would close %(closed)s of %(units)s open units (%(closed_share)s %%) and deactivate "
                "%(left)s of %(people)s people in the register (%(left_share)s %%): more than the %(percent)s %% "
                "the scheduled sync applies by itself."
            )
            % mass,
            _("A file that has been cut short looks like this. Check it with the organisation register first."),
            _(
                "The people deactivated cannot log in, and the accounts they edit are marked as needing a new "
                "editor; their leaders and the advisers are told by e-mail."
            ),
        ],
        "button": _("Yes, apply the file"),
    }


def _confirmable(run: SyncRun) -> bool:
    return run.status in services.CONFIRMABLE


def _may_confirm(run: SyncRun, user) -> bool:
    """An uploaded file is confirmed by the administrator who uploaded it; a file the portal
    picked up itself (the scheduled sync's, held back) by any administrator."""
    return run.created_by_id is None or run.created_by_id == user.pk


@administrator_required
def sync_run(request, pk):
    run = get_object_or_404(SyncRun, pk=pk)
    closing = []
    confirmable = _confirmable(run) and _may_confirm(run, request.user)
    mass = mass_change(run.summary) if confirmable and not run.mass_change_confirmed else None
    if run.status in (SyncRun.Status.PREVIEW, SyncRun.Status.HELD):
        pks = [entry["pk"] for entry in run.summary.get("closed", [])]
        closing = services.owned_by(Unit.objects.filter(pk__in=pks))
    summary = run.summary
    if run.status == SyncRun.Status.INVALID:
        summary = {**summary, "problems": services.run_problems(run)}
    found = summary.get("counts", {})
    counts = [(label, found[key]) for key, label in COUNT_LABELS if found.get(key)]
    context = {
        "run": run,
        "s": summary,
        "closing": closing,
        "counts": counts,
        "mass": mass,
        "confirm_mass": _mass_confirmation(mass) if mass else None,
        "confirmable": confirmable,
    }
    return render(request, "organisation/run.html", context)


@require_POST
@administrator_required
def sync_confirm(request, pk):
    run = get_object_or_404(SyncRun, pk=pk)
    if not _may_confirm(run, request.user):
        raise Http404  # someone else's upload: as if it were not there
    mass = mass_change(run.summary) if _confirmable(run) and not run.mass_change_confirmed else None
    if mass and not is_confirmed(request):
        # Without JavaScript (or with the dialog bypassed): the same warning on a page of its own.
        return confirmation_page(
            request,
            what=_mass_confirmation(mass),
            action_url=reverse("organisation:confirm", args=[run.pk]),
            cancel_url=reverse("organisation:run", args=[run.pk]),
            subject=run.filename,
        )
    try:
        services.sync_confirm(run=run, actor=request.user, mass_change_confirmed=bool(mass))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The file is being applied. This page shows how far it has come."))
    return redirect("organisation:run", pk=run.pk)


@adviser_required
def closed_units(request):
    entries = services.closed_units_to_hand_over(user=request.user)
    return render(request, "organisation/closed_units.html", {"entries": entries})
