from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation

from .reader import MAX_BYTES


class SyncFileForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.trusts().filter(is_active=True),
        required=False,
        empty_label=_("As the file names it (an organisation column), or the portal's default"),
        help_text=_(
            "A file for one organisation changes that organisation's units only: units of other organisations are "
            "never moved or closed."
        ),
    )
    file = forms.FileField(
        label=_("The organisation file (CSV or Excel)"),
        help_text=_(
            "The export from the organisation register: one line per unit. Nothing changes before you confirm."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.fields["organisation"].queryset.count() < 2:
            del self.fields["organisation"]  # the portal's only organisation: nothing to choose

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Choose a CSV file (.csv) or an Excel workbook (.xlsx)."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(too_large_message())
        return upload

    @classmethod
    def too_large(cls) -> "SyncFileForm":
        """The form as it answers a file over the limit, which was not read at all."""
        form = cls(data={}, files={})
        form.is_valid()
        form.errors["file"] = form.error_class([too_large_message()])
        return form


def too_large_message() -> str:
    return gettext("The file is larger than 20 MB.")
