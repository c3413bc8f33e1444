from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField
from accounts.models import Unit, units_below
from core.widgets import DateInput, FastSelect, FastTextarea, FastTextInput
from plans.forms import unit_people
from plans.models import Plan
from platforms.forms import PlatformChoiceField
from platforms.profiles import NotAProfile, read_profile

from .models import LANGUAGES, Account, AccountStatus
from .services import AccountDetails

TOO_LONG = _(
    "This text is too long: at most %(limit_value)d characters are allowed, and it has "
    "%(show_value)d. Shorten it; nothing has been saved yet."
)


def _text(label, max_length, *, required=True, help_text="", rows=None, initial=None):
    widget = FastTextarea(attrs={"rows": rows}) if rows else FastTextInput()
    field = forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=widget,
        initial=initial,
        error_messages={"max_length": TOO_LONG},
    )
    # Keep every character the person pasted and say what is too long, rather than
    # letting the browser cut it silently.
    field.widget.attrs.pop("maxlength", None)
    return field


class AccountForm(forms.Form):
    """The account's details, as the Communications Department fills them in with the unit."""

    platform = PlatformChoiceField(
        label=_("Platform"),
        required=False,
        empty_label=_("Find it from the address"),
        help_text=_("Only needed when you paste a handle such as @haukeland instead of the whole address."),
    )
    address = _text(
        _("Profile address"),
        500,
        help_text=_("Paste the address of the profile as it appears in the browser, or the @handle."),
    )
    display_name = _text(
        _("Display name"),
        120,
        help_text=_("As it appears on the platform. Follow the naming rules in the handbook."),
    )
    purpose = _text(
        _("What the account is for"),
        1000,
        rows=3,
        help_text=_("One or two sentences for the public: who it is for and what it posts."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGES, required=False, widget=forms.CheckboxSelectMultiple
    )
    plan = forms.ModelChoiceField(
        label=_("Plan"),
        queryset=Plan.objects.none(),
        required=False,
        empty_label=_("No plan yet (plan missing)"),
        widget=FastSelect,
        help_text=_("The unit's plan for social media that this account serves."),
    )
    editor = forms.ModelChoiceField(
        label=_("Responsible editor"), queryset=None, empty_label=_("Choose a person"), widget=FastSelect
    )
    deputies = forms.ModelMultipleChoiceField(
        label=_("Deputies"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least one person, not the editor, who takes over when the editor is away."),
    )
    login_email = forms.EmailField(
        label=_("Login e-mail"),
        max_length=254,
        help_text=_("A functional mailbox the hospital owns, never a person's own address."),
    )
    response_hours = _text(
        _("When it answers"), 200, initial=_("Weekdays 08–15"), help_text=_("For example: weekdays 08–15.")
    )
    response_time = _text(
        _("How fast it answers"),
        200,
        initial=_("Within one working day. We never answer questions about individual patients."),
        help_text=_("For example: within one working day. Say that it never answers about individual patients."),
    )
    live_since = forms.DateField(
        label=_("Already live since"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Only for an account that is already open. It goes straight into the public register; "
            "leave empty for a new account, which is set up first."
        ),
    )

    def __init__(self, *args, unit, account: Account | None = None, fixed_plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fixed_plan = fixed_plan
        people_also = [account.editor, *account.deputies.all()] if account else []
        self.fields["editor"].queryset = unit_people(unit, also=people_also)
        self.fields["deputies"].queryset = unit_people(unit, also=people_also)
        if fixed_plan is not None:
            del self.fields["plan"]
        else:
            self.fields["plan"].queryset = Plan.objects.filter(unit=unit).order_by("-updated_at")
        if account is not None:
            del self.fields["live_since"]

    def clean_address(self):
        text = self.cleaned_data["address"]
        platform = self.cleaned_data.get("platform")
        try:
            self.profile = read_profile(text, platform=platform)
        except NotAProfile as error:
            raise forms.ValidationError(error.message) from None
        return text

    def details(self) -> AccountDetails:
        data = self.cleaned_data
        return AccountDetails(
            display_name=data["display_name"],
            purpose=data["purpose"],
            unit=self.unit,
            plan=self.fixed_plan if self.fixed_plan is not None else data.get("plan"),
            editor=data["editor"],
            deputies=list(data["deputies"]),
            login_email=data["login_email"],
            response_hours=data["response_hours"],
            response_time=data["response_time"],
            languages=list(data["languages"]),
        )

    @staticmethod
    def initial_for(account: Account) -> dict:
        return {
            "platform": account.platform,
            "address": account.url,
            "display_name": account.display_name,
            "purpose": account.purpose,
            "languages": account.languages,
            "plan": account.plan,
            "editor": account.editor,
            "deputies": list(account.deputies.all()),
            "login_email": account.login_email,
            "response_hours": account.response_hours,
            "response_time": account.response_time,
        }


class PublicFilterForm(forms.Form):
    """The filters on the public list of official accounts. A unit stands for itself and every
    unit under it: a clinic's accounts are mostly its departments' and sections'."""

    q = forms.CharField(label=_("Search by name"), required=False, max_length=200)
    platform = PlatformChoiceField(label=_("Platform"), required=False, empty_label=_("All platforms"))
    unit = UnitChoiceField(label=_("Unit"), required=False, empty_label=_("All units"))
    # The units offered in the list: the health trusts and the clinics, the names the public
    # knows. Every department and section as well would be a list of thousands nobody can use
    # (and most of the page). Any active unit is still accepted, and one from a link stays chosen.
    offered_kinds = (Unit.Kind.TRUST, Unit.Kind.CLINIC)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.offered_kinds:
            field = self.fields["unit"]
            offered = Q(kind__in=self.offered_kinds)
            chosen = self.data.get("unit", "") if self.is_bound else ""
            if chosen.isdigit():
                offered |= Q(pk=chosen)
            field.widget.choices = [("", field.empty_label), *field.queryset.filter(offered).values_list("pk", "name")]

    def filter(self, accounts):
        if not self.is_valid():
            return accounts.none()
        data = self.cleaned_data
        if data["q"]:
            accounts = accounts.named(data["q"])
        if data["platform"]:
            accounts = accounts.filter(platform=data["platform"])
        if data["unit"]:
            accounts = accounts.filter(unit_id__in=units_below(ids=[data["unit"].pk]))
        return accounts


class RegisterFilterForm(PublicFilterForm):
    """The filters on the department's register page (also used by the export)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + AccountStatus.choices, widget=FastSelect
    )
    platform = PlatformChoiceField(label=_("Platform"), required=False, empty_label=_("All"))
    unit = UnitChoiceField(label=_("Unit"), required=False, empty_label=_("All"))
    offered_kinds = ()  # every unit: the department works with all of them
    needs_new_editor = forms.BooleanField(label=_("Needs new editor"), required=False)
    plan_missing = forms.BooleanField(label=_("Plan missing"), required=False)
    training_missing = forms.BooleanField(label=_("Training missing"), required=False)

    def filter(self, accounts):
        accounts = super().filter(accounts)
        if not self.is_valid():
            return accounts
        data = self.cleaned_data
        if data["status"]:
            accounts = accounts.filter(status=data["status"])
        if data["needs_new_editor"]:
            accounts = accounts.filter(needs_new_editor=True)
        if data["plan_missing"]:
            accounts = accounts.plan_missing()
        if data["training_missing"]:
            accounts = accounts.filter(training_missing=True)
        return accounts


class VerifyForm(forms.Form):
    q = forms.CharField(
        label=_("Address or @handle"),
        max_length=500,
        help_text=_("Paste the address of the profile, or its @handle."),
        error_messages={
            "required": _("Paste the address of the account, or its @handle."),
            "max_length": _("This is too long to be the address of a profile."),
        },
    )
    platform = PlatformChoiceField(
        label=_("Platform"),
        required=False,
        empty_label=_("Any platform"),
        help_text=_("Choose it if you paste only a @handle."),
    )


class ActionDateForm(forms.Form):
    """The day an account went live or was closed, when it was not today."""

    on = forms.DateField(
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Write the date as day, month and year, for example 26.11.2026.")},
    )
