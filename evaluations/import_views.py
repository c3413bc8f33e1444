"""Key figures from a file: upload, check what was read (and, for a file we do not know,
say which column is which), then save. Nothing is saved before the person confirms."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core import held as holding
from core.errors import DomainError

from . import examples, importing, services
from .access import account_for, may_write
from .forms import MappingForm, UploadForm
from .models import Evaluation, EvaluationStatus, FigureImport


def _writable(request, pk) -> Evaluation:
    evaluation = get_object_or_404(Evaluation.objects.select_related("account__platform", "account__unit"), pk=pk)
    account_for(request.user, evaluation.account)
    if not may_write(request.user, evaluation.account):
        raise PermissionDenied
    return evaluation


def _upload_page(request, evaluation, form, problems=(), expected=(), status=200):
    context = {
        "evaluation": evaluation,
        "form": form,
        "problems": problems,
        "expected": expected,
        "example": _example_offered(evaluation),
    }
    return render(request, "evaluations/import_upload.html", context, status=status)


def _too_large(request, pk):
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    evaluation = _writable(request, pk)
    return _upload_page(request, evaluation, UploadForm(), [importing.too_large_message()], status=413)


@holding.size_limited(importing.max_bytes, too_large=_too_large)
@login_required
def upload(request, pk):
    """The size limit is checked before anything reads the request's body, and the file is
    read no further than the limit (core/held.py)."""
    evaluation = _writable(request, pk)
    if evaluation.status != EvaluationStatus.DRAFT:
        messages.info(request, _("The evaluation has been sent and can no longer be changed."))
        return redirect("evaluations:detail", pk=evaluation.pk)
    if request.method != "POST":
        return _upload_page(request, evaluation, UploadForm())
    uploaded_files = request.FILES  # reads the body, cut off at the size limit
    if request.upload_too_large:
        return _upload_page(request, evaluation, UploadForm(), [importing.too_large_message()], status=413)
    form = UploadForm(request.POST, uploaded_files)
    if not form.is_valid():
        return _upload_page(request, evaluation, form, status=400)
    uploaded = form.cleaned_data["file"]
    try:
        figure_import = services.figures_read(
            evaluation=evaluation, actor=request.user, filename=uploaded.name, content=uploaded.read()
        )
    except importing.ImportProblem as problem:
        return _upload_page(request, evaluation, UploadForm(), problem.messages, problem.expected, status=400)
    except services.EvaluationError as error:
        messages.error(request, error.message)
        return redirect("evaluations:detail", pk=evaluation.pk)
    return redirect("evaluations:import_check", pk=evaluation.pk, import_pk=figure_import.pk)


def _pending(request, pk, import_pk):
    evaluation = _writable(request, pk)
    figure_import = get_object_or_404(
        FigureImport, pk=import_pk, evaluation=evaluation, status=FigureImport.Status.PENDING
    )
    return evaluation, figure_import


# The formats a person reads with their own choice of columns: a file the portal did not
# recognise, or one read with columns chosen before (then the form shows that choice).
MAPPED_FORMATS = ("unrecognised", "generic")


@login_required
def check(request, pk, import_pk):
    """What the file gave, before anything is saved. For a file the portal does not
    recognise, or one read with columns the person chose, the column mapping too (GET
    shows it, POST reads the file again with the columns chosen). A file in a format the
    portal knows gets no mapping form: its columns were found by their names."""
    evaluation, figure_import = _pending(request, pk, import_pk)
    header = figure_import.table.get("header", []) if figure_import.table else []
    mapping_form = None
    status = 200
    if header and figure_import.file_format in MAPPED_FORMATS:
        mapping_form = MappingForm(
            request.POST if request.method == "POST" else None, header=header, initial_mapping=figure_import.mapping
        )
        if request.method == "POST":
            if mapping_form.is_valid():
                try:
                    figure_import = services.figures_map(
                        figure_import=figure_import, actor=request.user, mapping=mapping_form.mapping()
                    )
                except DomainError as error:  # the held file has expired, or was saved meanwhile
                    messages.error(request, error.message)
                return redirect("evaluations:import_check", pk=evaluation.pk, import_pk=figure_import.pk)
            status = 400
    elif request.method == "POST":
        return redirect("evaluations:import_check", pk=evaluation.pk, import_pk=figure_import.pk)
    rows = figure_import.rows or {}
    preview = (
        services.import_preview(figure_import, evaluation) if figure_import.file_format != "unrecognised" else None
    )
    context = {
        "evaluation": evaluation,
        "figure_import": figure_import,
        "preview": preview,
        "read": what_was_read(preview) if preview else [],
        "mapping_form": mapping_form,
        "unrecognised": rows.get("unrecognised", []),
        "expected": rows.get("expected", []),
        "problems": rows.get("problems", []),
        "notes": rows.get("notes", []),
        "mapping": rows.get("mapping", []),
        "samples": _samples(figure_import.table) if mapping_form else [],
        "labels": importing.LABELS,
    }
    return render(request, "evaluations/import_check.html", context, status=status)


def _span(first, last) -> str:
    """A period as people say it: "on 3 November 2026", "from 3 November 2026 to 7 November 2026"."""
    if first == last:
        return _("on %(day)s") % {"day": date_format(first, "DATE_FORMAT")}
    return _("from %(first)s to %(last)s") % {
        "first": date_format(first, "DATE_FORMAT"),
        "last": date_format(last, "DATE_FORMAT"),
    }


def what_was_read(preview: services.Preview) -> list[str]:
    """What the file gave, in words: the posts and when they were published, and the days
    with figures for the account as a whole (a file may have either, or both)."""
    lines = []
    if preview.posts:
        lines.append(
            ngettext("%(count)s post, published %(span)s", "%(count)s posts, published %(span)s", preview.posts)
            % {"count": preview.posts, "span": _span(preview.posts_first, preview.posts_last)}
        )
    if preview.days:
        lines.append(
            ngettext("Figures for %(count)s day, %(span)s", "Figures for %(count)s days, %(span)s", preview.days)
            % {"count": preview.days, "span": _span(preview.days_first, preview.days_last)}
        )
    return lines


def _samples(table: dict) -> list:
    """The first rows of the file, so the person can see which column is which."""
    return [row for _line, row in table.get("rows", [])[:3]]


@require_POST
@login_required
def save(request, pk, import_pk):
    evaluation, figure_import = _pending(request, pk, import_pk)
    try:
        services.figures_save(figure_import=figure_import, actor=request.user)
    except services.EvaluationError as error:
        messages.error(request, error.message)
        return redirect("evaluations:import_check", pk=evaluation.pk, import_pk=figure_import.pk)
    messages.success(
        request,
        _("The figures were saved, and the evaluation's figures are filled in from them. Check them below."),
    )
    return redirect("evaluations:edit", pk=evaluation.pk)


def _example_offered(evaluation) -> bool:
    return settings.DEMO and evaluation.account.platform.slug in examples.PLATFORMS


@login_required
def example(request, pk):
    """In the demo: an export shaped like Meta Business Suite's, of the evaluation's
    account and period, to try the import with."""
    if not settings.DEMO:
        raise Http404
    evaluation = _writable(request, pk)
    if not _example_offered(evaluation):
        raise Http404
    account, platform = evaluation.account, evaluation.account.platform.slug
    start, end = evaluation.period_start, evaluation.period_end
    content = examples.meta_export(platform, start, end, username=account.handle, name=account.display_name)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{examples.example_filename(platform, start, end)}"'
    response["Cache-Control"] = "private, no-store"
    return response
