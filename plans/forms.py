from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, User
from core.widgets import FastSelect, FastTextarea, FastTextInput
from platforms.models import Platform

from .models import LINE_LIMIT, MAX_CHANNELS, MAX_GOALS, MAX_HOURS_PER_WEEK

TOO_LONG = _(
    "This text is too long: at most %(limit_value)d characters are allowed, and it has "
    "%(show_value)d. Shorten it; nothing has been saved yet."
)


class TextField(forms.CharField):
    """Free text with a clear length limit. The browser is not told the limit: it would
    silently cut a long paste, and we would rather keep every character and say so."""

    def __init__(self, *, max_length=settings.PLAN_TEXT_LIMIT, rows=4, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", FastTextarea(attrs={"rows": rows}))
        super().__init__(max_length=max_length, error_messages={"max_length": TOO_LONG}, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


def LineField(**kwargs):
    return TextField(max_length=LINE_LIMIT, widget=FastTextInput(), **kwargs)


def unit_people(unit, also=()):
    ids = [p.pk for p in also if p is not None]
    return (
        User.objects.filter(Q(memberships__unit=unit) | Q(led_units=unit) | Q(pk__in=ids), is_active=True)
        .distinct()
        .order_by("full_name")
    )


class PlanCreateForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Unit"), empty_label=None, widget=FastSelect)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.for_user(user)


class PlanForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    main_target_group = TextField(label=_("Main target group"), rows=3)
    secondary_target_groups = TextField(label=_("Secondary target groups"), rows=3)
    content_types = TextField(
        label=_("Kinds of content"),
        help_text=_("For example pictures from everyday work, short videos, advice, events, job openings."),
    )
    content_themes = TextField(label=_("Themes"), rows=3)
    content_frequency = LineField(label=_("How often"), help_text=_("For example two posts a week."))
    editor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("Responsible editor"),
        empty_label=_("Choose a person"),
        widget=FastSelect,
    )
    deputies = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("Deputies"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least one person who takes over when the editor is away."),
    )
    hours_per_week = forms.DecimalField(
        required=False,
        label=_("Hours per week set aside"),
        max_digits=4,
        decimal_places=1,
        min_value=0,
        max_value=MAX_HOURS_PER_WEEK,
        localize=True,
        widget=FastTextInput(attrs={"inputmode": "decimal", "size": 6}),
        error_messages={
            "min_value": _("Hours per week cannot be negative."),
            "max_value": _(
                "%(limit_value)s hours per week is the most a plan can set aside (two full-time "
                "posts). Check the number."
            ),
            "invalid": _("Write the hours per week as a number, for example 4 or 2,5."),
            "max_digits": _("Write the hours per week as a number, for example 4 or 2,5."),
            "max_whole_digits": _("Write the hours per week as a number, for example 4 or 2,5."),
            "max_decimal_places": _("Use at most one decimal, for example 2,5."),
        },
    )
    other_resources = TextField(label=_("Other resources"), rows=3)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        people = unit_people(plan.unit, also=[plan.editor, *plan.deputies.all()])
        self.fields["editor"].queryset = people
        self.fields["deputies"].queryset = people

    def clean(self):
        data = super().clean()
        editor, deputies = data.get("editor"), data.get("deputies") or []
        if editor is not None and editor in deputies:
            self.add_error(
                "deputies",
                _("%(name)s cannot be both the editor and a deputy: choose two different people.")
                % {"name": editor.full_name},
            )
        return data


class GoalForm(forms.Form):
    goal = TextField(label=_("Goal"), rows=2)
    effect = TextField(label=_("Effect wanted"), rows=2)
    indicator = LineField(
        label=_("Indicator"),
        help_text=_("What you will measure, e.g. the number of new blood donors who name Instagram."),
    )
    target_value = LineField(label=_("Target value"))
    time_frame = LineField(label=_("Time frame"), help_text=_("For example by the end of 2027."))
    evaluation = TextField(label=_("How it will be evaluated"), rows=2)


class ChannelForm(forms.Form):
    platform = forms.ModelChoiceField(
        queryset=Platform.objects.active(),
        label=_("Channel or platform"),
        empty_label=_("Choose a platform"),
        widget=FastSelect,
    )
    justification = TextField(label=_("Why it fits the goals and target groups"), rows=2)

    def __init__(self, *args, platforms=None, **kwargs):
        super().__init__(*args, **kwargs)
        if platforms is not None:
            self.fields["platform"].queryset = platforms


class BaseGoalFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": _("A plan can have at most %(num)d goals. Remove some, then save; nothing has been lost."),
    }

    def cleaned_rows(self):
        return [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data
            and not f.cleaned_data.get("DELETE")
            and any(v for k, v in f.cleaned_data.items() if k != "DELETE")
        ]


class BaseChannelFormSet(BaseGoalFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": _("A plan can have at most %(num)d channels. Remove some, then save; nothing has been lost."),
    }

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for row in self.cleaned_rows():
            platform = row["platform"]
            if platform.pk in seen:
                raise forms.ValidationError(
                    _("%(platform)s is chosen twice. Describe each platform once.") % {"platform": platform.name}
                )
            seen.add(platform.pk)


# validate_max: the server keeps the limit too, not only the number of rows the page shows;
# absolute_max: a post claiming thousands of rows is not even read row by row.
GoalFormSet = forms.formset_factory(
    GoalForm,
    formset=BaseGoalFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_GOALS,
    validate_max=True,
    absolute_max=MAX_GOALS * 10,
)
ChannelFormSet = forms.formset_factory(
    ChannelForm,
    formset=BaseChannelFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_CHANNELS,
    validate_max=True,
    absolute_max=MAX_CHANNELS * 10,
)


class CommentForm(forms.Form):
    body = TextField(label=_("Comment"), rows=4)


class ActionForm(forms.Form):
    comment = TextField(label=_("Comment"), rows=3)
