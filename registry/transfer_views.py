"""Export of the register as CSV or Excel, and import of existing accounts from CSV.
For the Communications Department only."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import held as holding
from core.access import adviser_required

from . import transfer_export, transfer_import
from .forms import RegisterFilterForm
from .services import AccountError

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@adviser_required
def register_export(request):
    kind = request.GET.get("format", "csv")
    if kind not in ("csv", "xlsx"):
        return HttpResponseBadRequest(_("Choose the format csv or xlsx."), content_type="text/plain; charset=utf-8")
    # The same filters as the register page, so the file holds what the page showed.
    accounts = RegisterFilterForm(request.GET, user=request.user).filter(
        transfer_export.accounts_for_export(request.user)
    )
    if kind == "csv":
        response = StreamingHttpResponse(
            transfer_export.export_csv_chunks(accounts, site_url=settings.SITE_URL),
            content_type="text/csv; charset=utf-8",
        )
    else:
        response = HttpResponse(
            transfer_export.export_xlsx(accounts, site_url=settings.SITE_URL), content_type=XLSX_TYPE
        )
    response["Content-Disposition"] = f'attachment; filename="{transfer_export.export_filename(kind)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@adviser_required
def import_template(request):
    response = HttpResponse(transfer_import.example_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kontoregister-import-eksempel.csv"'
    return response


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("Saved as “CSV UTF-8”, comma- or semicolon-separated, at most 2 MB."),
        error_messages={
            "required": gettext_lazy("Choose a file to upload."),
            "empty": gettext_lazy("The file is empty."),
        },
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > transfer_import.MAX_BYTES:
            raise forms.ValidationError(too_large_message())
        try:
            self.content = uploaded.read()
            self.table = transfer_import.read_table(transfer_import.decode_upload(self.content))
        except transfer_import.FileProblem as problem:
            raise forms.ValidationError(problem.messages) from None
        return uploaded

    @classmethod
    def too_large(cls) -> "UploadForm":
        """The form as it answers a file over the limit, which was not read at all."""
        form = cls(data={}, files={})
        form.is_valid()
        form.errors["file"] = form.error_class([too_large_message()])
        return form


def too_large_message() -> str:
    return _("The file is larger than 2 MB. Split it into smaller files.")


def _upload_page(request, form, problems=(), status=200):
    context = {"form": form, "problems": problems, "columns": transfer_import.IMPORT_COLUMNS}
    return render(request, "registry/transfer/import_upload.html", context, status=status)


@adviser_required
def _too_large(request):
    return _upload_page(request, UploadForm.too_large(), status=400)


@holding.size_limited(lambda: transfer_import.MAX_BYTES, too_large=_too_large)
@adviser_required
def register_import(request):
    """Step 1 (a file is posted): check it and show what would happen; nothing is written,
    and the file is held for the person (core/held.py). Step 2 (the held file's id comes
    back, with action=import): check it again and register every account in one
    transaction, or none. Someone else's held file, or a forged id, is a 404."""
    if request.method != "POST":
        return _upload_page(request, UploadForm())

    if "payload" in request.POST:  # the held file's id
        try:
            held = holding.held_for(
                owner=request.user, purpose=transfer_import.HELD_PURPOSE, pk=request.POST["payload"]
            )
            table = transfer_import.read_table(transfer_import.decode_upload(holding.content_of(held)))
        except holding.HeldUploadExpired:
            problem = _("The checked file is too old to import. Upload it again.")
            return _upload_page(request, UploadForm(), [problem], status=400)
        except transfer_import.FileProblem as problem:
            return _upload_page(request, UploadForm(), problem.messages, status=400)
    else:
        form = UploadForm(request.POST, request.FILES)
        if request.upload_too_large:
            return _too_large(request)
        if not form.is_valid():
            return _upload_page(request, form, status=400)
        uploaded, table = form.cleaned_data["file"], form.table
        held = holding.hold(
            owner=request.user,
            purpose=transfer_import.HELD_PURPOSE,
            filename=uploaded.name,
            content=form.content,
            lifetime=transfer_import.HELD_FOR,
            max_bytes=transfer_import.MAX_BYTES,
        )

    check = transfer_import.check_table(table, user=request.user)
    status = 200
    if request.POST.get("action") == "import":
        if check.is_valid:
            try:
                accounts = transfer_import.accounts_import(actor=request.user, check=check)
            except AccountError:
                messages.error(request, _("Nothing was imported: a line failed while saving. See the lines below."))
                status = 400
            else:
                # The held file is left to expire: a second "import" (the back button) gets
                # the register's own answer, that these accounts are registered already.
                count = len(accounts)
                messages.success(
                    request,
                    ngettext(
                        "%(count)d account was imported into the register.",
                        "%(count)d accounts were imported into the register.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("registry:register")
        else:
            messages.error(request, _("Nothing was imported: some lines have problems. See the lines below."))
            status = 400

    context = {
        "check": check,
        "name": held.filename,
        "payload": held.pk,
        "form": UploadForm(),
        "columns": transfer_import.IMPORT_COLUMNS,
    }
    return render(request, "registry/transfer/import_check.html", context, status=status)
