"""The overview page and its tables as CSV or Excel.

- An adviser sees their own organisation, every unit of it.
- A regional adviser sees the region's organisations side by side, and can open each one's
  figures, read-only (the overview decides nothing, and they are let into no adviser page).
- A leader sees the units they lead and everything below them.
- Anyone else gets 403; an organisation the person may not read is a 404."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import organisations

from . import overview as ov
from .access import led_scope, may_see_overview
from .export import table_csv, table_filename, table_xlsx
from .forms import OverviewFilterForm, period_default
from .overview.region import region_build

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The address's choice of organisation: ?organisasjon=<the organisation's address name>.
ORGANISATION_KEY = "organisasjon"


def _readable(user) -> list:
    """The organisations whose figures the person reads as an adviser, by name."""
    ids = user.read_organisation_ids()
    return [o for o in organisations.all_organisations() if o.pk in ids]


def _period(form, today):
    start, end = period_default(today)
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    if end < start:
        start, end = period_default(today)
    return start, end


def _build(request) -> dict:
    """What the page shows: one organisation's (or a leader's units') figures, or a region's
    organisations side by side."""
    user = request.user
    if not may_see_overview(user):
        raise PermissionDenied
    today = timezone.localdate()
    readable = _readable(user)
    slug = request.GET.get(ORGANISATION_KEY, "")
    if slug:
        organisation = next((o for o in readable if o.slug == slug), None)
        if organisation is None:
            raise Http404
    elif user.is_regional_adviser or len(readable) > 1:
        form = OverviewFilterForm(request.GET or None, units=[], whole_label=None)
        start, end = _period(form, today)
        whole = organisations.get(user.organisation_id)
        region = region_build(
            organisations=readable,
            start=start,
            end=end,
            today=today,
            whole_label=_("%(region)s, all organisations") % {"region": whole.label if whole else _("The region")},
        )
        return {"form": form, "region": region, "tables": region.tables, "region_organisation": whole}
    else:
        organisation = readable[0] if readable else organisations.get(user.organisation_id)

    # An adviser sees every unit; a leader the units they lead, in their organisation.
    allowed = None if readable else led_scope(user)
    tree = ov.UnitTree.load({organisation.pk})
    if allowed is not None:
        allowed = allowed & set(tree.names)
    whole_label = organisation.name
    form = OverviewFilterForm(
        request.GET or None,
        units=tree.options(allowed),
        whole_label=whole_label if allowed is None or len(tree.tops(allowed)) > 1 else None,
    )
    start, end = _period(form, today)
    chosen = (form.cleaned_data["unit"] or None) if form.is_bound and form.is_valid() else None
    if chosen is not None and (chosen not in tree.names or (allowed is not None and chosen not in allowed)):
        raise Http404
    try:
        account_id = int(request.GET.get("account", "") or 0) or None
    except ValueError:
        account_id = None
    scope = ov.scope_for(tree, allowed, chosen, organisations={organisation.pk}, whole_label=whole_label)
    data = ov.build(tree=tree, scope=scope, start=start, end=end, today=today, account_id=account_id)
    return {
        "form": form,
        "data": data,
        "tables": data.tables,
        "figures_of": organisation,
        # A regional adviser reads another organisation's figures; its own advisers decide there.
        "read_only": bool(readable) and not user.advises(organisation.pk),
        "chosen_organisation": slug,
    }


ORDER = [
    ("accounts", ["accounts_platform", "accounts_unit"]),
    ("governance", ["governance", "governance_trend"]),
    ("work", ["plans", "evaluations", "flags"]),
    ("hours", ["hours_unit", "hours_platform"]),
    ("goals", ["goals_unit", "goals_platform", "followers"]),
]


@login_required
def overview(request):
    built = _build(request)
    if "region" in built:
        return render(request, "evaluations/overview_region.html", built)
    sections = [(key, [built["tables"][name] for name in names]) for key, names in ORDER]
    return render(request, "evaluations/overview.html", {**built, "sections": sections})


@login_required
def export(request):
    built = _build(request)
    kind = request.GET.get("format", "csv")
    if kind not in ("csv", "xlsx"):
        return HttpResponseBadRequest(_("Choose the format csv or xlsx."), content_type="text/plain; charset=utf-8")
    table = built["tables"].get(request.GET.get("table", ""))
    if table is None:
        raise Http404
    name = table_filename(table, timezone.localdate(), kind)
    if kind == "csv":
        response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(table_xlsx(table), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
