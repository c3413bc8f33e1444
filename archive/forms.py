from django import forms

from .models import ArchiveSettings
from .services import EDITABLE_SETTINGS


class ArchiveSettingsForm(forms.ModelForm):
    """Validates only; the service saves (archive_settings_update)."""

    class Meta:
        model = ArchiveSettings
        fields = EDITABLE_SETTINGS

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("screening_code")) != bool(cleaned.get("screening_basis")):
            from django.utils.translation import gettext as _

            raise forms.ValidationError(
                _("Screening needs both the access restriction and its legal basis, or neither.")
            )
        return cleaned
