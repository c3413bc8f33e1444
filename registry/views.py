from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import organisations
from core import caching
from core.access import adviser_required, get_visible_or_404
from core.confirm import confirmation_page, is_confirmed
from core.models import AuditEntry
from core.pagecache import number, public_page, slug, text
from core.pagination import page_of
from plans.models import Plan, PlanStatus
from platforms.models import Platform
from platforms.profiles import NotAProfile

from . import competence, notices, selectors, services, verification
from .forms import AccountForm, ActionDateForm, PublicFilterForm, RegisterFilterForm, VerifyForm
from .models import CHECKLIST, COMPUTED_CHECKS, Account, AccountStatus

PUBLIC_PAGE_SIZE = 25
PUBLIC_LIST_FIELDS = [
    "code",
    "display_name",
    "handle",
    "live_since",
    "platform__name",
    "platform__icon",
    "unit__name",
    "unit__organisation",
]
REGISTER_PAGE_SIZE = 50
DATED_ACTIONS = ("activate", "close")


# The public pages: no login, and never a person's name or e-mail.


@public_page(q=text(200), platform=slug, unit=number, organisation=slug, page=number)
def public_list(request):
    """Every organisation's official accounts, or one organisation's (?organisation=<slug>). On a
    host name of one organisation (some.helse-stavanger.no) the list is that organisation's unless
    the visitor chooses otherwise ("organisation=" is every organisation's)."""
    data = request.GET.copy()
    if "organisation" not in data:
        own = organisations.for_host(request.get_host())
        if own is not None:
            data["organisation"] = own.slug
    form = PublicFilterForm(data or None)
    accounts = form.filter(Account.objects.public()) if data else Account.objects.public()
    filters = tuple(sorted((k, v) for k, v in data.items() if k != "page"))
    page = page_of(
        accounts,
        request.GET.get("page"),
        PUBLIC_PAGE_SIZE,
        order_by=("display_name", "id"),
        fetch=lambda rows: rows.select_related("platform", "unit").only(*PUBLIC_LIST_FIELDS),
        # Counting every official account took longer than the rest of the page. A refused filter
        # finds nothing, and is not remembered (a visitor's junk would be a row each).
        count=lambda: (
            caching.remembered(verification.CACHE_NAME, ("public count", filters), accounts.count)
            if not form.is_bound or form.is_valid()
            else 0
        ),
    )
    chosen = form.chosen_organisation() if form.is_bound else None
    return render(request, "registry/public_list.html", {"form": form, "page": page, "chosen": chosen})


@public_page
def public_account(request, code):
    account = get_object_or_404(Account.objects.select_related("platform", "unit"), code=code.lower())
    owner = organisations.get(account.unit.organisation_id)
    # The page is the owner's public face: its header and footer name the owner and its mailbox.
    request.organisation = owner
    context = {"account": account, "public_url": public_url(account), "owner": owner}
    return render(request, "registry/public_account.html", context)


ORGANISATION_PAGE_ACCOUNTS = 10


@public_page
def organisation_home(request, slug):
    """An organisation's public start page (/o/<slug>/): its name, its official accounts, its
    strategy and handbook, and the portal-wide check of an account. The page is the organisation's
    whatever the visitor's own or the host name's organisation."""
    organisation = organisations.by_slug(slug)
    if organisation is None or not organisation.is_active:
        raise Http404
    request.organisation = organisation  # the header, the footer and the texts name it
    members = [o for o in organisations.all_organisations() if o.region_id == organisation.pk and o.is_active]
    accounts = Account.objects.public().of_organisation(organisation)
    context = {
        "shown": organisation,
        "members": members,
        "accounts": list(
            accounts.select_related("platform", "unit")
            .only(*PUBLIC_LIST_FIELDS)
            .order_by("display_name", "id")[:ORGANISATION_PAGE_ACCOUNTS]
        ),
        "account_count": caching.remembered(
            verification.CACHE_NAME, ("organisation count", organisation.pk), accounts.count
        ),
        "form": VerifyForm(),
    }
    return render(request, "registry/organisation_home.html", context)


def public_url(account) -> str:
    return settings.SITE_URL + reverse("registry:public_account", args=[account.code])


@public_page(q=text(500), platform=slug)
def verify(request):
    """ "Er denne kontoen offisiell?": official, closed, or not in the register."""
    form = VerifyForm(request.GET if "q" in request.GET else None)
    context = {"form": form}
    if form.is_bound and form.is_valid():
        context.update(_verdict(form))
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "registry/verify.html", context, status=status)


def _verdict(form) -> dict:
    text, platform = form.cleaned_data["q"], form.cleaned_data["platform"]
    outcome = verification.remembered(
        "page", text, platform.pk if platform else None, lambda: _verdict_outcome(text, platform)
    )
    if outcome[0] == "error":
        form.add_error(outcome[1], outcome[2])
        return {}
    return outcome[1]


def _verdict_outcome(text, platform) -> tuple:
    """("verdict", what the page shows) or ("error", field, message): either is remembered."""
    try:
        verdict = verification.verify(
            text, platform=platform, rows=lambda accounts: accounts.select_related("platform", "unit")
        )
    except verification.HandleOnSeveralPlatforms:
        return (
            "error",
            "platform",
            _("The register has this handle on more than one platform. Choose the platform you saw it on."),
        )
    except NotAProfile as error:
        return ("error", "q", str(error.message))
    return (
        "verdict",
        {
            "verdict": verdict.result,
            "account": verdict.account,
            "profile": verdict.profile,
            "handle": text.strip(),
            "lookalikes": verdict.profile.lookalikes if verdict.profile else verdict.lookalikes,
            "resembles": verdict.resembles,
        },
    )


# The Communications Department's register.


@login_required
def register(request):
    form = RegisterFilterForm(request.GET or None, user=request.user)
    visible = Account.objects.visible_to(request.user)
    accounts = form.filter(visible) if request.GET else visible
    filters = tuple(sorted((k, v) for k, v in request.GET.items() if k != "page"))
    advised = tuple(sorted(request.user.advised_organisation_ids()))
    page = page_of(
        accounts,
        request.GET.get("page"),
        REGISTER_PAGE_SIZE,
        order_by=("display_name", "id"),
        # An organisation's register is counted once per change (for its advisers, who all see the same).
        count=(
            (lambda: caching.remembered(selectors.OVERVIEW_CACHE, ("count", advised, filters), accounts.count))
            if advised
            else None
        ),
        fetch=lambda rows: (
            rows.select_related("platform", "unit")
            .only(*PUBLIC_LIST_FIELDS, "status", "needs_new_editor", "training_missing")
            .annotate(plan_status=F("plan__status"))
        ),
    )
    return render(
        request,
        "registry/register.html",
        {"form": form, "page": page, "overview": _overview(request.user, visible), "approved": PlanStatus.APPROVED},
    )


def _overview(user, visible) -> dict:
    advised = tuple(sorted(user.advised_organisation_ids()))
    if not advised:
        return selectors.register_overview(visible)
    # The organisation's register, the same for each of its advisers: counted once per change, not per view.
    return caching.remembered(
        selectors.OVERVIEW_CACHE, ("organisation", advised), lambda: selectors.register_overview(visible)
    )


def _account(pk, user) -> Account:
    accounts = Account.objects.select_related("platform", "unit", "plan", "editor").prefetch_related("deputies")
    return get_visible_or_404(accounts, user, pk=pk)


@login_required
def account_detail(request, pk):
    """The unit's own people may read their accounts; the department also acts on them."""
    account = _account(pk, request.user)
    checks = {c.item: c for c in account.checks.select_related("checked_by") if c.item not in COMPUTED_CHECKS}
    manual = [(key, label, checks.get(key)) for key, label in CHECKLIST if key not in COMPUTED_CHECKS]
    # Who lacks training, each with what this reader may do about it (sign them up, send them
    # the self-study course, see their record), coming back to this page.
    training_gaps = competence.gaps_with_remedies(
        competence.account_people(account), viewer=request.user, back_to=request.path + "#training"
    )
    decides = request.user.advises(account.unit.organisation_id)
    transitions = selectors.available_transitions(account) if decides else []
    context = {
        "account": account,
        "checklist": manual,
        "training_label": dict(CHECKLIST)["course"],
        "training_gaps": training_gaps,
        "checklist_done": len(checks) == len(manual) and not training_gaps,
        "transitions": transitions,
        # Activating and closing may be dated back: typed as dd.mm.åååå, like every date in the portal.
        "date_fields": {
            t.name: ActionDateForm(auto_id=f"%s-{t.name}")["on"] for t in transitions if t.name in DATED_ACTIONS
        },
        "may_change": decides,
        "timeline": AuditEntry.objects.for_object(account),
        "public_url": public_url(account),
        "plan_missing": account.plan is None or account.plan.status != PlanStatus.APPROVED,
        "confirm_close": CONFIRM_CLOSE,
        "notices": notices.for_account(account) if decides else [],
    }
    return render(request, "registry/account_detail.html", context)


CONFIRM_CLOSE = {
    "title": gettext_lazy("Close the account?"),
    "consequences": [
        gettext_lazy("The account leaves the public list of official accounts at once."),
        gettext_lazy("It stays in the register as closed, with the date; it cannot be made active again."),
        gettext_lazy("Anyone who checks it on the verify page is told it is closed."),
    ],
    "button": gettext_lazy("Yes, close the account"),
}


def _save(request, form, save, template, context):
    """Validate, call the service, and map its refusals onto the form's fields."""
    if request.method == "POST" and form.is_valid():
        try:
            return save(form)
        except services.InvalidDetails as error:
            for name, message in error.errors.items():
                form.add_error(name if name in form.fields else None, message)
        except services.AlreadyRegistered as error:
            form.add_error("address", error.message)
            context["existing"] = error.account
    if request.method == "POST":
        messages.error(
            request, _("Some fields need attention. Nothing you wrote has been lost: see the messages below.")
        )
    return render(request, template, {**context, "form": form}, status=400 if request.method == "POST" else 200)


@adviser_required
def account_create(request):
    """Register an account: from an approved plan's platform, or an existing account
    of a unit (which then counts as "plan missing" until a plan is approved)."""
    # The form posts the plan or unit back; the address it was opened with has it too.
    source = {key: request.POST.get(key) or request.GET.get(key, "") for key in ("plan", "unit", "platform")}
    plan = unit = None
    if source.get("plan"):
        plan = get_visible_or_404(Plan.objects.select_related("unit"), request.user, pk=_int(source["plan"]))
        if not request.user.advises(plan.unit.organisation_id):
            raise Http404  # another organisation's plan
        if plan.status != PlanStatus.APPROVED:
            messages.error(request, _("Accounts are made from approved plans. This plan is not approved."))
            return redirect("plans:detail", pk=plan.pk)
        unit = plan.unit
    elif source.get("unit"):
        unit = get_object_or_404(selectors.units_for_register(request.user), pk=_int(source["unit"]))
    if unit is None:
        units = selectors.units_for_register(request.user).order_by("name")
        return render(request, "registry/account_choose_unit.html", {"units": units})

    initial = {}
    if plan is not None:
        organisation = organisations.get(unit.organisation_id)
        initial = {
            "platform": Platform.objects.filter(slug=source.get("platform", "")).first(),
            "display_name": f"{unit.name} – {organisation.name}"[:120],
            "editor": plan.editor,
            "deputies": list(plan.deputies.all()),
        }
    form = AccountForm(request.POST or None, unit=unit, fixed_plan=plan, initial=initial)

    def save(form):
        account = services.account_register(
            actor=request.user,
            profile=form.profile,
            details=form.details(),
            live_since=form.cleaned_data.get("live_since"),
        )
        messages.success(request, _("The account is in the register. Go through the checklist with the unit."))
        return redirect("registry:detail", pk=account.pk)

    return _save(request, form, save, "registry/account_form.html", {"unit": unit, "plan": plan, "account": None})


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


@adviser_required
def account_edit(request, pk):
    account = _account(pk, request.user)
    form = AccountForm(
        request.POST or None, unit=account.unit, account=account, initial=AccountForm.initial_for(account)
    )

    def save(form):
        services.account_update(account=account, actor=request.user, profile=form.profile, details=form.details())
        messages.success(request, _("The account was saved."))
        return redirect("registry:detail", pk=account.pk)

    context = {"unit": account.unit, "plan": None, "account": account}
    return _save(request, form, save, "registry/account_form.html", context)


@require_POST
@adviser_required
def account_check(request, pk):
    account = _account(pk, request.user)
    try:
        services.account_check(
            account=account,
            actor=request.user,
            item=request.POST.get("item", ""),
            checked=request.POST.get("checked") == "1",
        )
    except services.AccountError as error:
        messages.error(request, error.message)
    return redirect(reverse("registry:detail", args=[account.pk]) + "#checklist")


@require_POST
@adviser_required
def account_action(request, pk, action):
    account = _account(pk, request.user)
    date = ActionDateForm(request.POST)
    if not date.is_valid():
        messages.error(request, " ".join(date.errors["on"]))
        return redirect("registry:detail", pk=account.pk)
    on = date.cleaned_data["on"]
    if action == "close" and account.status != AccountStatus.CLOSED and not is_confirmed(request):
        return confirmation_page(
            request,
            what=CONFIRM_CLOSE,
            action_url=reverse("registry:action", args=[account.pk, action]),
            cancel_url=reverse("registry:detail", args=[account.pk]),
            subject=f"{account.display_name} ({account.platform.name} @{account.handle})",
        )
    try:
        account = services.account_transition(account=account, actor=request.user, action=action, on=on)
    except services.ChecklistIncomplete as error:
        missing = "; ".join(str(label) for label in error.missing)
        messages.error(
            request, _("%(problem)s Not yet ticked: %(missing)s.") % {"problem": error.message, "missing": missing}
        )
        if competence.gaps_in_words(competence.account_people(account)):
            # The gate names who lacks what; the checklist offers what can be done about it.
            messages.info(
                request,
                _(
                    "Under the checklist's training item you can sign each of them up for the next session, "
                    "send them the self-study course, or see their courses."
                ),
            )
            return redirect(reverse("registry:detail", args=[account.pk]) + "#training")
    except services.AccountError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The account is now “%(status)s”.") % {"status": account.get_status_display()})
    return redirect("registry:detail", pk=account.pk)
