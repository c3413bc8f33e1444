import html

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


class NameChoices(ModelChoiceIterator):
    """A model choice field's choices as (value, name) pairs read straight from the database, for
    models whose `name` is what they are called: one plain query, no model object per choice
    (and no server-side cursor on PostgreSQL). Set it as the field's `iterator`."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list(self.field.to_field_name or "pk", "name")


class FastSelect(forms.Select):
    """A <select> built in Python: the same HTML as Django's, without rendering a
    template for every option (which made long forms slow)."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = [choice for choice in self.choices]  # noqa: C416 (list() would count a queryset first)
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return self._render_groups(name, value, attrs)
        # Straight from the choices: a list of 2,000 units is one string join, not 2,000 dicts.
        chosen = set(self.format_value(value))
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        options, selected_one = [], False
        for option_value, label in choices:
            option_value = "" if option_value is None else str(option_value)
            selected = option_value in chosen and (self.allow_multiple_selected or not selected_one)
            selected_one = selected_one or selected
            options.append(
                f'<option value="{_escape(option_value)}"{" selected" if selected else ""}>{_escape(label)}</option>'
            )
        return format_html("<select{}>{}</select>", _attributes({"name": name, **attrs}), mark_safe("".join(options)))

    def _render_groups(self, name, value, attrs):
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


def _escape(text) -> str:
    # Django's conditional_escape without its lazy-string wrapper, which cost more than the
    # escaping itself in a list of thousands of options; most names need no escaping at all.
    if hasattr(text, "__html__"):
        return text.__html__()
    text = str(text)
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return html.escape(text)
    return text


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
