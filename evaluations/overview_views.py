"""The overview page and its tables as CSV or Excel. Advisers see the whole hospital; a
leader sees the units they lead and everything below them; anyone else gets 403."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import overview as ov
from .access import led_scope, may_see_overview
from .export import table_csv, table_filename, table_xlsx
from .forms import OverviewFilterForm, period_default

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _build(request):
    if not may_see_overview(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    tree = ov.UnitTree.load()
    allowed = None if request.user.is_adviser else led_scope(request.user)
    form = OverviewFilterForm(
        request.GET or None, units=tree.options(allowed), whole_hospital=allowed is None or len(tree.tops(allowed)) > 1
    )
    start, end = period_default(today)
    chosen = None
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        chosen = form.cleaned_data["unit"] or None
    if chosen is not None and (chosen not in tree.names or (allowed is not None and chosen not in allowed)):
        raise Http404
    if end < start:
        start, end = period_default(today)
    try:
        account_id = int(request.GET.get("account", "") or 0) or None
    except ValueError:
        account_id = None
    scope = ov.scope_for(tree, allowed, chosen)
    return form, ov.build(tree=tree, scope=scope, start=start, end=end, today=today, account_id=account_id)


ORDER = [
    ("accounts", ["accounts_platform", "accounts_unit"]),
    ("governance", ["governance", "governance_trend"]),
    ("work", ["plans", "evaluations", "flags"]),
    ("hours", ["hours_unit", "hours_platform"]),
    ("goals", ["goals_unit", "goals_platform", "followers"]),
]


@login_required
def overview(request):
    form, data = _build(request)
    sections = [(key, [data.tables[name] for name in names]) for key, names in ORDER]
    return render(request, "evaluations/overview.html", {"form": form, "data": data, "sections": sections})


@login_required
def export(request):
    form, data = _build(request)
    kind = request.GET.get("format", "csv")
    if kind not in ("csv", "xlsx"):
        return HttpResponseBadRequest(_("Choose the format csv or xlsx."), content_type="text/plain; charset=utf-8")
    table = data.tables.get(request.GET.get("table", ""))
    if table is None:
        raise Http404
    name = table_filename(table, data.today, kind)
    if kind == "csv":
        response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(table_xlsx(table), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
