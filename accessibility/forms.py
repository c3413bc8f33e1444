from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import FastTextarea, FastTextInput
from registry.report_forms import LongTextField

from .addresses import MAX_LENGTH, portal_path


class BarrierReportForm(forms.Form):
    what_was_hard = LongTextField(
        max_length=2000,
        label=_("What was hard to do or to perceive?"),
        help_text=_(
            "For example: a button I could not reach with the keyboard, text my screen reader did not read, "
            "or a page I had to scroll sideways on my phone. Say what you use, if it helps: the browser, a "
            "screen reader, magnification."
        ),
        widget=FastTextarea(attrs={"rows": 6}),
        errors={"required": _("Tell us briefly what was hard, so we can find and fix it.")},
    )
    page = forms.CharField(
        required=False,
        max_length=MAX_LENGTH,
        label=_("The page's address (optional)"),
        help_text=_(
            "Filled in from the page you came from. Change it if the problem was on another page of the portal, "
            "or leave it empty."
        ),
        widget=FastTextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "url"}),
        error_messages={"max_length": _("The address is too long. Give the address of one page of the portal.")},
    )
    contact_email = forms.EmailField(
        required=False,
        max_length=254,
        label=_("Your e-mail (optional)"),
        help_text=_("Give it to get a receipt, and if we may ask you about the problem. It is shown to nobody else."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Write a whole e-mail address, like name@example.no, or leave the field empty.")},
    )

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_page(self):
        address = self.cleaned_data["page"].strip()
        if not address:
            return ""
        path = portal_path(address, self.request)
        if path is None:
            raise forms.ValidationError(
                _("Give the address of a page in this portal, or leave the field empty."), code="not_ours"
            )
        return path


class CloseForm(forms.Form):
    note = LongTextField(
        max_length=2000,
        label=_("What was done"),
        help_text=_("For example: fixed in the release of 14 December, or why the page works as it does."),
        widget=FastTextarea(attrs={"rows": 4}),
        errors={"required": _("Write a short note on what was done, so others can see it.")},
    )
