from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _


class FastSelect(forms.Select):
    """A <select> built in Python: the same HTML as Django's, without rendering a
    template for every option (which made long forms slow)."""

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)["widget"]
        options = [option for _group, group_options, _index in context["optgroups"] for option in group_options]
        return format_html(
            "<select{}>{}</select>",
            _attributes({"name": context["name"], **context["attrs"]}),
            format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((option["value"], " selected" if option["selected"] else "", option["label"]) for option in options),
            ),
        )


def _attributes(attrs: dict):
    """Attributes in the order given, as Django's widget templates write them."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(' {}="{}"', key, value) if value is not True else format_html(" {}", key),)
            for key, value in attrs.items()
            if value is not None and value is not False
        ),
    )


class FastTextarea(forms.Textarea):
    """Django's <textarea>, built in Python (see FastSelect)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        return format_html(
            "<textarea{}>\n{}</textarea>",
            _attributes({"name": widget["name"], **widget["attrs"]}),
            widget["value"] or "",
        )


class FastTextInput(forms.TextInput):
    """Django's <input type="text">, built in Python (see FastSelect)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value_attr = {} if widget["value"] is None else {"value": str(widget["value"])}
        return format_html(
            "<input{}>",
            _attributes({"type": widget["type"], "name": widget["name"], **value_attr, **widget["attrs"]}),
        )


class DateInput(forms.DateInput):
    """A date typed as dd.mm.åååå in every language.

    Not `type="date"`: a browser draws that in its own language's order (mm/dd/yyyy in an
    English browser), which people here misread. The field accepts what the language's
    DATE_INPUT_FORMATS list (config/formats/)."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={
                "placeholder": _("dd.mm.yyyy"),
                "inputmode": "numeric",
                "autocomplete": "off",
                "size": 10,
                "maxlength": 10,
                **(attrs or {}),
            },
            format="%d.%m.%Y",
        )
