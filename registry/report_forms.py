from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.widgets import FastSelect, FastTextarea, FastTextInput
from platforms.models import Platform

from .models import ReportStatus

# A text field a person never sees. People leave it empty; form-filling robots do not.
HONEYPOT = "website"

TOO_LONG = _(
    "This text is too long: at most %(limit_value)d characters are allowed, and it has "
    "%(show_value)d. Shorten it; nothing has been sent yet."
)


class LongTextField(forms.CharField):
    """Text with a clear length limit. The browser is not told the limit: it would
    silently cut a long paste, and we would rather keep every character and say so."""

    def __init__(self, *, max_length, **kwargs):
        super().__init__(
            max_length=max_length, error_messages={"max_length": TOO_LONG, **kwargs.pop("errors", {})}, **kwargs
        )

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ReportForm(forms.Form):
    organisation = OrganisationChoiceField(
        queryset=Organisation.objects.trusts().filter(is_active=True),
        required=False,  # not chosen: the page's (see report_views)
        label=_("Which organisation does the account pretend to be?"),
        help_text=_("The report goes to that organisation's Communications Department."),
        empty_label=None,
        widget=FastSelect,
        error_messages={"invalid_choice": _("Choose one of the organisations in the list.")},
    )
    url = LongTextField(
        max_length=500,
        label=_("The account's address or @handle"),
        help_text=_(
            "Copy the address from the browser, for example https://www.instagram.com/name/, or write the @handle."
        ),
        widget=FastTextInput(attrs={"autocomplete": "url", "spellcheck": "false"}),
        errors={"required": _("Write the address or the @handle of the account you are reporting.")},
    )
    platform = forms.ModelChoiceField(
        queryset=Platform.objects.all(),
        required=False,
        label=_("Platform (optional)"),
        help_text=_("Choose the platform if you only have a @handle."),
        empty_label=_("Don't know, or it is in the address"),
        widget=FastSelect,
    )
    what_is_wrong = LongTextField(
        max_length=2000,
        label=_("What is wrong"),
        help_text=_(
            "For example: it uses the organisation's name or logo, it asks for personal details or money, or it "
            "claims to speak for a unit. Do not write anything about your own or anyone else's health."
        ),
        widget=FastTextarea(attrs={"rows": 5}),
        errors={"required": _("Tell us briefly what makes you think the account is fake or unofficial.")},
    )
    contact_email = forms.EmailField(
        required=False,
        max_length=254,
        label=_("Your e-mail (optional)"),
        help_text=_("Only if we may contact you with questions about this report. It is not shown to anyone else."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Write a whole e-mail address, like name@example.no, or leave the field empty.")},
    )


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        choices=ReportStatus.choices,
        label=_("Outcome"),
        widget=FastSelect,
        error_messages={"invalid_choice": _("Choose one of the outcomes in the list.")},
    )
    note = LongTextField(
        max_length=2000,
        label=_("Note"),
        help_text=_("What you found and what was done, for example that the platform was asked to remove it."),
        widget=FastTextarea(attrs={"rows": 4}),
        errors={"required": _("Write a short note on what you found, so others can see why.")},
    )
