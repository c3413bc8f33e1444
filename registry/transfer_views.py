"""Export of the register as CSV or Excel, and import of existing accounts from CSV.
For the Communications Department only."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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
    accounts = RegisterFilterForm(request.GET).filter(transfer_export.accounts_for_export())
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
            raise forms.ValidationError(_("The file is larger than 2 MB. Split it into smaller files."))
        try:
            self.text = transfer_import.decode_upload(uploaded.read())
            self.table = transfer_import.read_table(self.text)
        except transfer_import.FileProblem as problem:
            raise forms.ValidationError(problem.messages) from None
        return uploaded


def _upload_page(request, form, problems=(), status=200):
    context = {"form": form, "problems": problems, "columns": transfer_import.IMPORT_COLUMNS}
    return render(request, "registry/transfer/import_upload.html", context, status=status)


@adviser_required
def register_import(request):
    """Step 1 (a file is posted): check it and show what would happen; nothing is written.
    Step 2 (the checked file comes back signed, with action=import): check it again
    and register every account in one transaction, or none."""
    if request.method != "POST":
        return _upload_page(request, UploadForm())

    if "payload" in request.POST:
        try:
            upload = transfer_import.unsign_upload(request.POST["payload"], user=request.user)
            name, text = upload.get("name", ""), upload["text"]
            table = transfer_import.read_table(text)
        except signing.SignatureExpired:
            problem = _("The checked file is too old to import. Upload it again.")
            return _upload_page(request, UploadForm(), [problem], status=400)
        except signing.BadSignature:
            problem = _("The file could not be read back unchanged after the check. Upload it again.")
            return _upload_page(request, UploadForm(), [problem], status=400)
        except transfer_import.FileProblem as problem:
            return _upload_page(request, UploadForm(), problem.messages, status=400)
    else:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return _upload_page(request, form, status=400)
        name, text, table = form.cleaned_data["file"].name, form.text, form.table

    check = transfer_import.check_table(table)
    status = 200
    if request.POST.get("action") == "import":
        if check.is_valid:
            try:
                accounts = transfer_import.accounts_import(actor=request.user, check=check)
            except AccountError:
                messages.error(request, _("Nothing was imported: a line failed while saving. See the lines below."))
                status = 400
            else:
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
        "name": name,
        "payload": transfer_import.sign_upload(name=name, text=text, user=request.user),
        "form": UploadForm(),
        "columns": transfer_import.IMPORT_COLUMNS,
    }
    return render(request, "registry/transfer/import_check.html", context, status=status)
