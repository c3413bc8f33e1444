from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput

from .models import Placeholder, PlatformTerms


class PlatformTermsForm(forms.Form):
    policy = forms.ChoiceField(label=_("The hospital's position"), choices=PlatformTerms.Policy.choices)
    reason = forms.CharField(
        label=_("Reason and conditions"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6, "lang": "nn"}),
        help_text=_("In Nynorsk, as the handbook. Name the source of any fact, with the year."),
    )
    assessed_on = forms.DateField(
        label=_("Assessed on"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "The day the hospital made this assessment. It is shown beside the position, so readers see its age."
        ),
    )

    def clean_assessed_on(self):
        day = self.cleaned_data.get("assessed_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("An assessment cannot be made on a day that has not come yet."))
        return day


class PlaceholderForm(forms.Form):
    label = forms.CharField(
        label=_("What it is"),
        max_length=200,
        widget=forms.TextInput(attrs={"lang": "nn"}),
        help_text=_("In Nynorsk; shown in the handbook while it is missing."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Placeholder.Kind.choices)
    value = forms.CharField(
        label=_("Value"),
        max_length=500,
        required=False,
        help_text=_(
            "Leave it empty and the handbook says that it is missing. Never write a number you have not checked."
        ),
    )

    def clean(self):
        data = super().clean()
        value = (data.get("value") or "").strip()
        if value and data.get("kind") == Placeholder.Kind.LINK:
            try:
                URLValidator(schemes=["https", "http"])(value)
            except forms.ValidationError:
                self.add_error("value", _("A link must be a whole web address that starts with https://."))
        return data
