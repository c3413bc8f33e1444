from django import forms
from django.db import connection
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from accounts import organisations
from accounts.forms import UnitChoiceField
from accounts.models import Unit, units_below
from core.widgets import DateInput, FastSelect, FastTextarea, FastTextInput, _attributes
from plans.forms import unit_people
from plans.models import Plan
from platforms.forms import PlatformChoiceField
from platforms.profiles import NotAProfile, read_profile

from .models import LANGUAGES, RESPONSE_HOURS_DEFAULT, RESPONSE_TIME_DEFAULT, Account, AccountStatus
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
        help_text=_("Only needed when you paste a @handle instead of the whole address."),
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
    functional_mailbox = forms.BooleanField(
        label=_("This is a functional mailbox"),
        required=False,
        help_text=_(
            "Tick only when you have checked that an address that looks like a person's name is a "
            "mailbox the hospital owns, not a person's own."
        ),
    )
    # The standard response text as the starting point, the same text the handbook quotes.
    response_hours = _text(
        _("When it answers"), 200, initial=RESPONSE_HOURS_DEFAULT, help_text=_("For example: weekdays 08–15.")
    )
    response_time = _text(
        _("How fast it answers"),
        200,
        initial=RESPONSE_TIME_DEFAULT,
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
            functional_mailbox=data.get("functional_mailbox", False),
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
            "functional_mailbox": account.functional_mailbox,
            "response_hours": account.response_hours,
            "response_time": account.response_time,
        }


def public_units(organisation_id=None) -> list[tuple[int, str, str, int | None, bool, bool]]:
    """Every unit that has an official account the public sees, and every unit above them:
    (id, name, kind, parent id, active, has such an account of its own); of one organisation when
    `organisation_id` is given. One recursive query, however deep the tree, from the accounts up."""
    account = connection.ops.quote_name(Account._meta.db_table)
    unit = connection.ops.quote_name(Unit._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH RECURSIVE above(id) AS (
                    SELECT unit_id FROM {account} WHERE status = %s
                    UNION
                    SELECT unit.parent_id FROM {unit} unit JOIN above ON unit.id = above.id
                    WHERE unit.parent_id IS NOT NULL
                )
                SELECT unit.id, unit.name, unit.kind, unit.parent_id, unit.is_active,
                    EXISTS (SELECT 1 FROM {account} account WHERE account.unit_id = unit.id AND account.status = %s)
                FROM {unit} unit WHERE unit.id IN (SELECT id FROM above)"""
            + (" AND unit.organisation_id = %s" if organisation_id is not None else ""),
            [AccountStatus.ACTIVE.value, AccountStatus.ACTIVE.value]
            + ([organisation_id] if organisation_id is not None else []),
        )
        return [(pk, name, kind, parent, bool(active), bool(own)) for pk, name, kind, parent, active, own in cursor]


def public_unit_choices(chosen: str = "", organisation_id=None) -> list:
    """The units the public can filter the official accounts by: the health trusts, then each
    clinic (or centre) as a group of itself and every department and section under it that has an
    official account; of one organisation when `organisation_id` is given. A trust's units that
    are in no clinic are a group under the trust's name. A unit from a link that is not among them
    is offered too, so it shows as chosen."""
    rows = public_units(organisation_id)
    units = {pk: (name, kind, parent, active, own) for pk, name, kind, parent, active, own in rows}

    def head(pk):
        """The clinic a unit belongs to (itself, if it is one), or else the top of its tree."""
        for _step in range(len(units)):
            _name, kind, parent, _active, _own = units[pk]
            if kind == Unit.Kind.CLINIC or parent is None or parent not in units:
                break
            pk = parent
        return pk

    trusts, groups = [], {}
    for pk, (name, kind, parent, active, own) in units.items():
        if not active:
            continue
        if kind == Unit.Kind.TRUST and parent is None:
            trusts.append((pk, name))
            if not own:
                continue  # offered above; a group only for the units directly under it
        top = head(pk)
        group = groups.setdefault(top, [])
        if pk != top and own:
            group.append((pk, name))
    choices = sorted(trusts, key=lambda choice: (choice[1].casefold(), choice[0]))
    offered = {pk for pk, _name in choices}
    grouped = []
    for top, members in groups.items():
        name, kind, _parent, active, _own = units[top]
        if kind == Unit.Kind.TRUST and not members:
            continue  # the trust's own accounts: the trust's option above
        options = [] if kind == Unit.Kind.TRUST or not active else [(top, _("All of %(unit)s") % {"unit": name})]
        options += sorted(members, key=lambda choice: (choice[1].casefold(), choice[0]))
        offered.update(pk for pk, _name in options)
        grouped.append((name, options))
    grouped.sort(key=lambda group: group[0].casefold())
    if chosen.isascii() and chosen.isdigit() and len(chosen) <= 9 and int(chosen) not in offered:
        choices += Unit.objects.filter(pk=chosen, is_active=True).values_list("pk", "name")
    return choices + grouped


class GroupedSelect(FastSelect):
    """A <select> whose choices may be grouped: (label, [(value, name), …]) is an <optgroup>."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        attrs = self.build_attrs(self.attrs, attrs)

        def options(choices):
            return format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((v, " selected" if str(v) in chosen else "", label) for v, label in choices),
            )

        parts = []
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', option_value, options(label)))
            else:
                parts.append(options([(option_value, label)]))
        return format_html(
            "<select{}>{}</select>",
            _attributes({"name": name, **attrs}),
            format_html_join("", "{}", ((part,) for part in parts)),
        )


class PublicFilterForm(forms.Form):
    """The filters on the public list of official accounts. A unit stands for itself and every
    unit under it: a clinic's accounts are mostly its departments' and sections'."""

    q = forms.CharField(label=_("Search by name"), required=False, max_length=200)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False, widget=FastSelect)
    platform = PlatformChoiceField(label=_("Platform"), required=False, empty_label=_("All platforms"))
    unit = UnitChoiceField(label=_("Unit"), required=False, empty_label=_("All units"), widget=GroupedSelect)
    # The units offered: those with an official account, each under its clinic, and the trusts
    # and clinics above them, the names the public knows. Every unit of the organisation would be
    # a list of thousands, most with nothing to show. Any active unit is still accepted.
    public_units_only = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "organisation" in self.fields:
            self.fields["organisation"].choices = [
                ("", _("All organisations")),
                *((o.slug, o.name) for o in organisations.all_organisations() if o.is_active and not o.is_region),
            ]
        if self.public_units_only:
            # The units of the organisation the list is kept to, or every organisation's.
            field = self.fields["unit"]
            chosen = self.data.get("unit", "") if self.is_bound else ""
            kept_to = organisations.by_slug(self.data.get("organisation") or "") if self.is_bound else None
            field.widget.choices = [("", field.empty_label), *public_unit_choices(chosen, getattr(kept_to, "pk", None))]

    def chosen_organisation(self):
        """The organisation the list is kept to, or None for every organisation's accounts."""
        if "organisation" not in self.fields or not self.is_valid():
            return None
        return organisations.by_slug(self.cleaned_data["organisation"]) if self.cleaned_data["organisation"] else None

    def filter(self, accounts):
        if not self.is_valid():
            return accounts.none()
        data = self.cleaned_data
        chosen = self.chosen_organisation()
        if chosen is not None:
            accounts = accounts.of_organisation(chosen)
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
    public_units_only = False  # every unit: the department works with all of them
    organisation = None  # the register is the adviser's organisation's already
    needs_new_editor = forms.BooleanField(label=_("Needs new editor"), required=False)
    plan_missing = forms.BooleanField(label=_("Plan missing"), required=False)
    training_missing = forms.BooleanField(label=_("Training missing"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The units of the register the person sees: their organisation's (an adviser's), or their own.
        self.fields["unit"].queryset = self.fields["unit"].queryset.seen_by(user)

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
