from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.text import NameField
from core.widgets import DateInput, FastSelect, FastTextarea, FastTextInput
from handbook.models import Document

from .models import Course, CourseFormat
from .services import CourseDetails, QuestionDetails, SessionDetails

# Addresses under /kurs/ that are pages of their own, not courses.
RESERVED_SLUGS = {"nytt", "mine", "kompetanse", "kalender", "bevis", "okt", "sporsmal", "quiz", "person"}
CHOICES_IN_FORM = 5


class CourseForm(forms.Form):
    title = NameField(label=_("Title"), max_length=200, widget=FastTextInput)
    slug = forms.SlugField(
        label=_("Short name in the address"),
        max_length=80,
        required=False,
        widget=FastTextInput,
        help_text=_("Letters, digits and hyphens, as in /kurs/grunnkurs/. Empty: made from the title."),
    )
    description = forms.CharField(label=_("Description"), max_length=4000, widget=FastTextarea(attrs={"rows": 5}))
    audience = forms.CharField(label=_("Who it is for"), max_length=300, widget=FastTextInput)
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=5, max_value=60 * 24 * 5, widget=forms.NumberInput
    )
    format = forms.ChoiceField(label=_("Format"), choices=CourseFormat.choices, widget=FastSelect)
    required_for_editors = forms.BooleanField(
        label=_("Required for account editors"),
        required=False,
        help_text=_("Editors and deputies of official accounts must hold a valid completion of it."),
    )
    valid_months = forms.IntegerField(
        label=_("Valid for (months)"),
        min_value=1,
        max_value=240,
        required=False,
        widget=forms.NumberInput,
        help_text=_("How long a completion stays valid. Empty: for ever."),
    )
    counts_as = forms.ModelChoiceField(
        label=_("Completing it counts as"),
        queryset=Course.objects.none(),
        required=False,
        empty_label=_("Nothing else"),
        widget=FastSelect,
        help_text=_("For a self-study version of a course: a completion of this one counts as that course."),
    )
    chapters = forms.ModelMultipleChoiceField(
        label=_("Handbook chapters to read"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For self-study: what to read before the quiz."),
    )
    is_published = forms.BooleanField(label=_("Shown to staff"), required=False, initial=True)

    def __init__(self, *args, course=None, organisation=None, offer_regional=False, only_regional=False, **kwargs):
        """`organisation`: the one that runs the course (None: a regional course, which each
        organisation requires or not on the course's page). `offer_regional`: a new course may be
        made a regional one (for a super-administrator)."""
        super().__init__(*args, **kwargs)
        self.course = course
        if offer_regional:
            self.fields["regional"] = forms.BooleanField(
                label=_("Regional course"),
                required=False,
                help_text=_(
                    "Offered to the staff of every organisation, not only %(name)s. Each organisation says on "
                    "the course's page whether its gate requires it."
                )
                % {"name": organisation.name},
            )
            if only_regional:
                self.fields["regional"].initial = True
                self.fields["regional"].disabled = True
            self.order_fields(["title", "regional"])
        others = (
            Course.objects.offered_to(organisation.pk) if organisation is not None else Course.objects.offered_to(None)
        )
        if course is not None:
            others = others.exclude(pk=course.pk)
        self.fields["counts_as"].queryset = others
        if organisation is None or only_regional:
            # A regional course: each organisation says on the course's page whether its gate requires it.
            del self.fields["required_for_editors"]
        else:
            self.fields["required_for_editors"].label = _("Required for account editors of %(name)s") % {
                "name": organisation.name
            }
        # The region's shared chapters: each reader's link opens their organisation's version.
        self.fields["chapters"].queryset = Document.objects.chapters().base()

    @staticmethod
    def initial_for(course: Course) -> dict:
        return {
            **{
                name: getattr(course, name)
                for name in (
                    "title",
                    "slug",
                    "description",
                    "audience",
                    "duration_minutes",
                    "format",
                    "valid_months",
                    "is_published",
                )
            },
            "required_for_editors": course.organisation_id is not None
            and course.required_by.filter(pk=course.organisation_id).exists(),
            "counts_as": course.counts_as_id,
            "chapters": list(course.chapters.values_list("pk", flat=True)),
        }

    def clean(self):
        data = super().clean()
        if data.get("regional"):
            data["required_for_editors"] = False  # a regional course: each organisation says on its page
            counts_as = data.get("counts_as")
            if counts_as is not None and counts_as.organisation_id is not None:
                self.add_error("counts_as", _("A regional course can count only as another regional course."))
        return data

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or slugify(self.data.get("title", ""))[:80]
        if not slug:
            raise forms.ValidationError(_("Give the course a short name of letters and digits."))
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This name is taken by a page of the portal. Choose another."))
        taken = Course.objects.filter(slug=slug)
        if self.course is not None:
            taken = taken.exclude(pk=self.course.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another course has this name in its address. Choose another."))
        return slug

    def details(self) -> CourseDetails:
        data = self.cleaned_data
        return CourseDetails(
            title=data["title"].strip(),
            slug=data["slug"],
            description=data["description"].strip(),
            audience=data["audience"].strip(),
            duration_minutes=data["duration_minutes"],
            format=data["format"],
            required_for_editors=data.get("required_for_editors", False),
            valid_months=data["valid_months"],
            counts_as=data["counts_as"],
            chapters=list(data["chapters"]),
            is_published=data["is_published"],
        )


class SessionForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput)
    start = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(format="%H.%M", attrs={"placeholder": "09.00", "size": 5})
    )
    end = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(format="%H.%M", attrs={"placeholder": "12.00", "size": 5})
    )
    place = NameField(
        label=_("Place"),
        max_length=300,
        required=False,
        widget=FastTextInput,
        help_text=_("Building, floor and room. Empty for an online session."),
    )
    video_link = forms.URLField(
        label=_("Video link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        widget=FastTextInput,
        help_text=_("For an online session: the Teams or video meeting address."),
    )
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=1000, widget=forms.NumberInput)
    instructors = forms.ModelMultipleChoiceField(
        label=_("Instructors"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("They may mark attendance. Hold Ctrl (or ⌘) to choose more than one."),
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=FastTextarea(attrs={"rows": 3}))

    def __init__(self, *args, organisation_id=None, session=None, **kwargs):
        """`organisation_id`: the organisation that holds the session; its people teach it."""
        super().__init__(*args, **kwargs)
        self.session = session
        people = User.objects.filter(is_active=True, organisation_id=organisation_id)
        self.fields["instructors"].queryset = people.order_by("full_name")

    def clean(self):
        """A session starts in the future: nobody could sign up for one in the past. A session
        that has run may still be edited (a note, the instructors) as long as its time stays."""
        data = super().clean()
        if data.get("day") and data.get("start"):
            starts_at = datetime.combine(data["day"], data["start"], tzinfo=timezone.get_current_timezone())
            moved = self.session is None or starts_at != self.session.starts_at.replace(second=0, microsecond=0)
            if moved and starts_at <= timezone.now():
                self.add_error(
                    "day",
                    _("The session would start in the past, so nobody could sign up. Choose a later day or time."),
                )
        return data

    @staticmethod
    def initial_for(session) -> dict:
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        return {
            "day": start.date(),
            "start": start.time(),
            "end": end.time(),
            "place": session.place,
            "video_link": session.video_link,
            "capacity": session.capacity,
            "instructors": list(session.instructors.values_list("pk", flat=True)),
            "note": session.note,
        }

    def details(self) -> SessionDetails:
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        return SessionDetails(
            starts_at=datetime.combine(data["day"], data["start"], tzinfo=zone),
            ends_at=datetime.combine(data["day"], data["end"], tzinfo=zone),
            capacity=data["capacity"],
            place=data["place"],
            video_link=data["video_link"],
            note=data["note"],
            instructors=list(data["instructors"]),
        )


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=1000, widget=FastTextarea(attrs={"rows": 2}))
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    right = forms.TypedChoiceField(
        label=_("Right answer"),
        coerce=int,
        choices=[(i, str(i + 1)) for i in range(CHOICES_IN_FORM)],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(CHOICES_IN_FORM):
            self.fields[f"choice_{i}"] = forms.CharField(
                label=_("Answer %(number)s") % {"number": i + 1}, max_length=500, required=False, widget=FastTextInput
            )

    @property
    def choice_fields(self):
        return [self[f"choice_{i}"] for i in range(CHOICES_IN_FORM)]

    @staticmethod
    def initial_for(question) -> dict:
        initial = {"text": question.text, "is_active": question.is_active}
        for i, choice in enumerate(question.choices.all()[:CHOICES_IN_FORM]):
            initial[f"choice_{i}"] = choice.text
            if choice.is_correct:
                initial["right"] = i
        return initial

    def details(self) -> QuestionDetails:
        data = self.cleaned_data
        return QuestionDetails(
            text=data["text"],
            is_active=data["is_active"],
            choices=[(data[f"choice_{i}"], i == data["right"]) for i in range(CHOICES_IN_FORM)],
        )


class CompetenceFilterForm(forms.Form):
    only_missing = forms.BooleanField(label=_("Only those who lack training"), required=False)
    q = forms.CharField(label=_("Name"), max_length=100, required=False)
