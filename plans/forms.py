from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts import organisations
from accounts.forms import UnitChoiceField
from accounts.models import Unit, User
from core.text import NameField
from core.widgets import FastSelect, FastTextarea, FastTextInput
from facts.models import PlatformTerms
from platforms.forms import PlatformChoiceField
from platforms.models import Platform

from .models import LINE_LIMIT, MAX_CHANNELS, MAX_GOALS, MAX_HOURS_PER_WEEK, TITLE_LIMIT, PlanStatus

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


def TitleField():
    return NameField(
        label=_("Title"),
        max_length=TITLE_LIMIT,
        help_text=_(
            "A short name your colleagues will recognise among the unit's plans, for example "
            "“Instagram for unge blodgivarar”."
        ),
        error_messages={
            "required": _("Give the plan a short title, for example “Instagram for unge blodgivarar”."),
            "max_length": _("Keep the title to at most %(limit_value)d characters; it has %(show_value)d."),
        },
        widget=FastTextInput(),
    )


class PlanCreateForm(forms.Form):
    title = TitleField()
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        label=_("Unit"),
        empty_label=None,
        widget=FastSelect,
        error_messages={"invalid_choice": _("Choose one of your own units.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.for_user(user)
        self.fields["unit"].queryset = units
        # With one unit to choose from there is nothing to ask: the page names it instead.
        self.only_unit = units.first() if len(user.unit_ids()) == 1 else None
        if self.only_unit is not None:
            self.fields["unit"].widget = forms.HiddenInput()
            self.fields["unit"].initial = self.only_unit.pk


class PlanForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    title = TitleField()
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
    # Asked for beside the button that sends the revision, outside the form element itself.
    change_note = TextField(
        label=_("What did you change? (optional)"),
        widget=FastTextarea(attrs={"rows": 3, "form": "plan-form"}),
        help_text=_("A few words for the adviser, shown beside what changed when you send the revised plan."),
    )

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

    def __init__(self, *args, platforms=None, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The plan's organisation: its Communications Department assesses platforms again.
        self.organisation = organisation
        if platforms is not None:
            self.fields["platform"].queryset = platforms

    def clean_platform(self):
        # "Not approved" is a refusal: only a changed assessment opens the platform, never a
        # plan. The writer is told where to ask for one, so the refusal is not a dead end.
        platform = self.cleaned_data["platform"]
        if PlatformTerms.objects.filter(platform=platform, policy=PlatformTerms.Policy.NOT_APPROVED).exists():
            organisation = self.organisation or organisations.default()
            raise forms.ValidationError(
                _(
                    "%(organisation)s has not approved %(platform)s, so a plan cannot use it. If the unit needs "
                    "it, ask the Communications Department to assess it again: %(mailbox)s."
                )
                % {"organisation": organisation.name, "platform": platform.name, "mailbox": organisation.mailbox},
                code="not_approved",
            )
        return platform


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


# No empty row after every save: the form adds one only when there is none yet, or when
# the writer asks for another (a button that adds it in place, or saves and reloads).
# validate_max: the server keeps the limit too, not only the number of rows the page shows;
# absolute_max: a post claiming thousands of rows is not even read row by row.
GoalFormSet = forms.formset_factory(
    GoalForm,
    formset=BaseGoalFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_GOALS,
    validate_max=True,
    absolute_max=MAX_GOALS * 10,
)
ChannelFormSet = forms.formset_factory(
    ChannelForm,
    formset=BaseChannelFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_CHANNELS,
    validate_max=True,
    absolute_max=MAX_CHANNELS * 10,
)


class CommentForm(forms.Form):
    body = TextField(label=_("Comment"), rows=4)


class ActionForm(forms.Form):
    comment = TextField(label=_("Comment"), rows=3)
    # What the unit says it changed, when it sends a revised plan (optional).
    change_note = TextField(label=_("What did you change?"), rows=3)
    # The saved state the leader read before confirming.
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)


class DecisionForm(forms.Form):
    """The adviser's one decision on a version: approve, ask for changes or not approve, with one
    comment that is required for the last two."""

    CHOICES = [
        ("approve", _("Approve")),
        ("request_changes", _("Ask for changes")),
        ("reject", _("Do not approve")),
    ]
    HINTS = {
        "approve": _("The unit is told, and the department helps set up the account. A comment is optional."),
        "request_changes": _("The plan goes back to the unit to be revised. Say what to change."),
        "reject": _("The plan ends here; the unit can write a new one. Give the reason and what a new plan needs."),
    }
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose approve, ask for changes or do not approve."),
            "invalid_choice": _("Choose approve, ask for changes or do not approve."),
        },
    )
    comment = TextField(label=_("Comment to the unit"), rows=5)

    def clean(self):
        data = super().clean()
        decision, comment = data.get("decision"), (data.get("comment") or "").strip()
        if decision == "request_changes" and not comment:
            self.add_error("comment", _("Write what the unit should change."))
        elif decision == "reject" and not comment:
            self.add_error(
                "comment", _("Write why the plan is not approved and what a new plan needs; the unit reads it.")
            )
        return data

    def choices_with_hints(self):
        return [(value, label, self.HINTS[value]) for value, label in self.CHOICES]


class QueueFilterForm(forms.Form):
    """The review queue's filters. They live in the address only, so a link to the queue
    shows the same list to anyone, and nothing is remembered from one visit to the next."""

    WHO = [("all", _("All")), ("mine", _("Mine")), ("untaken", _("Not taken"))]
    STATUSES = [
        ("", _("Waiting for the department")),
        (PlanStatus.SUBMITTED, PlanStatus.SUBMITTED.label),
        (PlanStatus.IN_REVIEW, PlanStatus.IN_REVIEW.label),
        (PlanStatus.CHANGES_REQUESTED, PlanStatus.CHANGES_REQUESTED.label),
    ]
    SORTS = [
        ("waited", _("Waited longest")),
        ("newest", _("Newest first")),
        ("unit", _("Unit")),
        ("title", _("Title")),
    ]
    ORDER = {
        "waited": ("submitted_at", "pk"),
        "newest": ("-submitted_at", "-pk"),
        "unit": ("unit__name", "submitted_at", "pk"),
        "title": ("title", "pk"),
    }

    q = forms.CharField(label=_("Search title and unit"), required=False, max_length=200)
    who = forms.ChoiceField(label=_("Whose"), choices=WHO, required=False, widget=FastSelect)
    status = forms.ChoiceField(label=_("Status"), choices=STATUSES, required=False, widget=FastSelect)
    # The whole organisation is thousands of units: offered as (id, name) pairs, not objects.
    unit = UnitChoiceField(label=_("Unit"), required=False, empty_label=_("All"))
    platform = PlatformChoiceField(label=_("Platform"), required=False, empty_label=_("All"))
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False, widget=FastSelect)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the units of the organisations the adviser reviews for.
        self.fields["unit"].queryset = self.fields["unit"].queryset.advised_by(user)

    def filter(self, plans, user):
        """The plans the filters choose, in the chosen order. Filters that do not make
        sense (a unit that no longer exists) are left out rather than emptying the list."""
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status")
        plans = (
            plans.filter(status=status)
            if status
            else plans.filter(status__in=[PlanStatus.SUBMITTED, PlanStatus.IN_REVIEW])
        )
        who = data.get("who") or "all"
        if who == "mine":
            plans = plans.filter(reviewer=user)
        elif who == "untaken":
            plans = plans.filter(status=PlanStatus.SUBMITTED)
        if data.get("unit"):
            plans = plans.filter(unit=data["unit"])
        if data.get("platform"):
            plans = plans.filter(channels__platform=data["platform"])
        if data.get("q"):
            words = data["q"].split()
            for word in words:
                plans = plans.filter(Q(title__icontains=word) | Q(unit__name__icontains=word))
        return plans.order_by(*self.ORDER[data.get("sort") or "waited"])
