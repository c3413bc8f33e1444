from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import NameField

from .models import BODY_LIMIT

TOO_LONG = _(
    "The text is too long: at most %(limit_value)d characters are allowed, and it has %(show_value)d. "
    "Nothing has been saved yet; split it into two chapters."
)


class DraftForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    title = NameField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        strip=False,
        max_length=BODY_LIMIT,
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 24, "data-preview-source": ""}),
        help_text=_(
            "Markdown: ## for a subheading, - for a list, [text](https://…) for a link, [text](kapittel:slug) for another chapter."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs.pop("maxlength", None)


class NewChapterForm(forms.Form):
    title = NameField(label=_("Title of the new chapter"), max_length=200)
