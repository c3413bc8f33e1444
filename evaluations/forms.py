"""The evaluation's forms. Numbers are typed as people write them ("1 234", "12,5"), so
the figure fields are text fields that read Norwegian and English forms alike (numbers.py)
and say in plain words what they could not read."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput, FastSelect, FastTextarea, FastTextInput

from . import importing
from .models import MAX_HOURS_PER_WEEK, Attainment, Decision
from .numbers import NotANumber, parse_count, parse_number
from .services import EvaluationContent, GoalContent

TEXT_LIMIT = 5000


def _number_input(mode="numeric"):
    return FastTextInput(attrs={"inputmode": mode, "autocomplete": "off", "size": 12})


class CountField(forms.CharField):
    """A whole number of zero or more: posts, followers, views."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(widget=_number_input(), max_length=30, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            number = parse_number(value, whole=True)
        except NotANumber:
            raise forms.ValidationError(_("Write a whole number, such as 1 234."), code="not_a_number") from None
        if number is not None and number < 0:
            raise forms.ValidationError(_("A count cannot be negative."), code="negative")
        try:
            return parse_count(value)
        except NotANumber:
            raise forms.ValidationError(_("Write a whole number, such as 1 234."), code="not_a_number") from None


class NumberField(forms.CharField):
    """A number with decimals ("12,5"); negative only where the figure can fall below zero."""

    def __init__(self, *, allow_negative=False, max_value=None, places=1, **kwargs):
        kwargs.setdefault("required", False)
        self.places = places
        self.allow_negative = allow_negative
        self.max_value = max_value
        super().__init__(widget=_number_input("decimal"), max_length=30, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            number = parse_number(value)
        except NotANumber:
            raise forms.ValidationError(_("Write a number, such as 412 or 12,5."), code="not_a_number") from None
        if number is None:
            return None
        if number < 0 and not self.allow_negative:
            raise forms.ValidationError(_("The number cannot be negative."), code="negative")
        if self.max_value is not None and number > self.max_value:
            raise forms.ValidationError(_("At most %(max)s.") % {"max": self.max_value}, code="too_large")
        if abs(number) >= 10**12:
            raise forms.ValidationError(_("The number is too large."), code="too_large")
        return round(number, self.places)


def _text(label, *, help_text="", rows=3):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=TEXT_LIMIT,
        widget=FastTextarea(attrs={"rows": rows}),
    )


class EvaluationForm(forms.Form):
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period to"), widget=DateInput())

    hours_per_week = NumberField(
        label=_("Hours per week actually spent"),
        max_value=MAX_HOURS_PER_WEEK,
        help_text=_("On average, for this account."),
    )
    people_involved = CountField(label=_("People involved"))
    money_spent = NumberField(
        label=_("Money spent (NOK)"), help_text=_("Paid promotion, equipment, help from outside.")
    )
    money_note = forms.CharField(label=_("What the money went to"), required=False, max_length=300)

    posts_photo = CountField(label=_("Posts with pictures"))
    posts_video = CountField(label=_("Videos"))
    posts_text = CountField(label=_("Text posts"))
    posts_link = CountField(label=_("Links and articles"))
    posts_other = CountField(label=_("Other posts"))

    followers_start = CountField(label=_("Followers at the start"))
    followers_end = CountField(label=_("Followers at the end"), help_text=_("Fewer than at the start is fine: say so."))
    views = CountField(label=_("Views"))
    reach = CountField(label=_("Reach"), help_text=_("Summed over the posts, as the platform counts it."))
    engagement = CountField(label=_("Engagement"), help_text=_("Reactions, comments, shares and saves."))
    messages_received = CountField(label=_("Messages received"))
    messages_answered = CountField(label=_("Messages answered"))
    comments_received = CountField(label=_("Comments received"))
    comments_answered = CountField(label=_("Comments answered"))
    median_response_hours = NumberField(label=_("Median response time (hours)"))

    impact = _text(
        _("Organisational impact"),
        help_text=_("What the activity meant for the hospital: recruitment, reputation, blood donors, fewer calls."),
    )
    result = _text(_("Result"), rows=5)
    worked_well = _text(_("What worked"))
    did_not_work = _text(_("What did not work"))

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts. Check the dates."))
        for received, answered in [
            ("messages_received", "messages_answered"),
            ("comments_received", "comments_answered"),
        ]:
            if data.get(received) is not None and data.get(answered) is not None and data[answered] > data[received]:
                self.add_error(answered, _("More answered than received. Check the figures."))
        return data

    def content(self, goals: list[GoalContent]) -> EvaluationContent:
        values = {name: self.cleaned_data.get(name) for name in self.fields}
        for name in ("money_note", "impact", "result", "worked_well", "did_not_work"):
            values[name] = values[name] or ""
        return EvaluationContent(**values, goals=goals)


class GoalForm(forms.Form):
    reached_value = NumberField(
        label=_("Value reached"),
        allow_negative=True,
        places=2,
        help_text=_("A number, as the indicator counts it."),
    )
    attainment = forms.ChoiceField(
        label=_("Was the goal met?"), choices=Attainment.choices, required=False, widget=forms.RadioSelect
    )
    comment = _text(_("Comment"), rows=2)
    outcome = _text(
        _("What changed"),
        help_text=_("The outcome for the goal, such as new blood donors registered or applicants."),
        rows=2,
    )
    outcome_source = forms.CharField(
        label=_("Source of the figure"),
        required=False,
        max_length=300,
        help_text=_("Where the figure comes from: a register, a survey, the platform."),
    )

    def content(self) -> GoalContent:
        data = self.cleaned_data
        return GoalContent(
            reached_value=data.get("reached_value"),
            attainment=data.get("attainment") or "",
            comment=data.get("comment") or "",
            outcome=data.get("outcome") or "",
            outcome_source=data.get("outcome_source") or "",
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("What happens next"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what happens next.")},
    )


class ConfirmForm(forms.Form):
    """The leader's confirmation: the revision they read, so a changed text is not sent."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the writer change?"),
        max_length=TEXT_LIMIT,
        widget=FastTextarea(attrs={"rows": 4}),
        error_messages={"required": _("Write a comment that says what the writer should change.")},
    )


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("Feedback to the unit"),
        max_length=TEXT_LIMIT,
        widget=FastTextarea(attrs={"rows": 5}),
        error_messages={"required": _("Write the feedback.")},
    )


class DueForm(forms.Form):
    due_on = forms.DateField(label=_("Next evaluation due"), widget=DateInput())
    note = forms.CharField(label=_("Why this date"), required=False, max_length=300)

    def clean_due_on(self):
        from django.utils import timezone

        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later date."))
        return due_on


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Statistics file"),
        error_messages={"required": _("Choose a file to upload."), "empty": _("The file is empty.")},
        widget=forms.FileInput(attrs={"accept": ".csv,.xls,.xlsx,.zip,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "The export from Meta Business Suite (CSV), LinkedIn (.xls or .xlsx), YouTube Studio (.zip), or "
            "another CSV file. At most %(size)d MB."
        ) % {"size": max(importing.max_bytes() // (1024 * 1024), 1)}

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > importing.max_bytes():
            raise forms.ValidationError(importing.too_large_message())
        return uploaded


MAPPING_LABELS = {
    "date": _("Date (required)"),
    "post_id": _("Post id (when the file has one row per post)"),
    "kind": _("Kind of post"),
    "views": _("Views"),
    "reach": _("Reach"),
    "reactions": _("Reactions and likes"),
    "comments": _("Comments"),
    "shares": _("Shares"),
    "clicks": _("Clicks"),
    "followers": _("Followers (total on the day)"),
    "new_followers": _("New followers"),
    "posts": _("Number of posts (when the file has one row per day)"),
}


class MappingForm(forms.Form):
    """Which of the file's columns holds which figure."""

    day_first = forms.BooleanField(
        label=_("Dates like 03/04/2026 are day first (3 April), not month first"), required=False
    )

    def __init__(self, *args, header: list[str], initial_mapping: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("– not in the file –"))] + [(h, h) for h in header if h]
        keys = {importing.header_key(h): h for h in header}
        guess = dict(initial_mapping or {})
        for name in importing.GENERIC_FIELDS:
            if name not in guess and importing.header_key(name) in keys:
                guess[name] = keys[importing.header_key(name)]
            self.fields[name] = forms.ChoiceField(
                label=MAPPING_LABELS[name], choices=choices, required=name == "date", initial=guess.get(name, "")
            )
        self.fields["day_first"].initial = bool(guess.get("day_first"))
        self.order_fields([*importing.GENERIC_FIELDS, "day_first"])
        self.fields["date"].error_messages["required"] = _("Choose the column that holds the date.")

    def clean(self):
        data = super().clean()
        chosen = [data[name] for name in importing.GENERIC_FIELDS if data.get(name)]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError(_("Each column can hold only one figure. Choose each column once."))
        if len(chosen) < 2:
            raise forms.ValidationError(_("Choose the date and at least one figure."))
        return data

    def mapping(self) -> dict:
        mapping = {name: self.cleaned_data[name] for name in importing.GENERIC_FIELDS if self.cleaned_data.get(name)}
        if self.cleaned_data.get("day_first"):
            mapping["day_first"] = True
        return mapping


class FastDateInput(DateInput):
    """The portal's date field, built in Python (core.widgets.FastTextInput's way)."""

    def render(self, name, value, attrs=None, renderer=None):
        return FastTextInput.render(self, name, value, attrs, renderer)


class OverviewFilterForm(forms.Form):
    # Built in Python: the overview is the portal's busiest page for its size.
    unit = forms.TypedChoiceField(
        label=_("Unit (with the units below it)"), coerce=int, required=False, widget=FastSelect()
    )
    start = forms.DateField(label=_("Period from"), widget=FastDateInput(), required=False)
    end = forms.DateField(label=_("Period to"), widget=FastDateInput(), required=False)

    def __init__(self, *args, units: list, whole_label: str | None, **kwargs):
        """`whole_label` names the choice of every unit (the organisation's name), when offered."""
        super().__init__(*args, **kwargs)
        choices = [("", whole_label)] if whole_label else []
        self.fields["unit"].choices = choices + [(u.pk, u.label) for u in units]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period ends before it starts. Check the dates."))
        return data


def period_default(today: date) -> tuple[date, date]:
    """The last twelve months, whole months and this month so far."""
    from .services import add_months

    return add_months(today.replace(day=1), -11), today
