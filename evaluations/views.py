"""The evaluation pages: the list of what is due, an account's cycle, the form, the
department's feedback, and the PDF. Thin views: access helper, form, service, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.models import AuditEntry
from plans import template_text as tt
from plans.models import PlanStatus
from plans.snapshot import plan_sections
from registry.models import Account, AccountStatus

from . import services
from .access import (
    account_for,
    advises_account,
    may_confirm,
    may_see_overview,
    may_write,
    require_adviser_or_404,
    unit_scope,
)
from .forms import ConfirmForm, DecisionForm, DueForm, EvaluationForm, FeedbackForm, GoalForm, ReturnForm
from .models import AccountTally, Decision, Evaluation, EvaluationStatus, FigureImport, Schedule
from .overview import Table, follower_series
from .pdf import evaluation_pdf, evaluation_pdf_filename

PAGE_SIZE = 50
LIVE = [AccountStatus.ACTIVE, AccountStatus.PAUSED]  # accounts in the cycle (being set up: not yet)
OUT = [AccountStatus.SETUP, AccountStatus.CLOSED]
# Written as exclusions: SQLite then walks the (due_on, account) index in order and stops at
# the page's end, where a list of statuses to include makes it sort every row first.
LISTS = {
    "overdue": lambda qs, today: qs.overdue(today),
    "soon": lambda qs, today: qs.due_within(today, services.remind_before_days()),
    "closure": lambda qs, today: qs.filter(closure_candidate=True).exclude(status__in=OUT),
    "all": lambda qs, today: qs.exclude(status__in=OUT),
}


class _CountedPaginator(Paginator):
    """A paginator told its count (from the tallies), so a long list is not counted row by row."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self._known = count

    @property
    def count(self):
        return self._known


@login_required
def index(request):
    """What is due: the person's own units (or, for advisers, their whole organisation)."""
    today = timezone.localdate()
    show = request.GET.get("show", "all")
    if show not in LISTS:
        show = "all"
    advised = request.user.advised_organisation_ids()
    if advised:
        schedules = Schedule.objects.of_organisations(advised)
        tallies = AccountTally.objects.of_organisations(advised)
    else:
        scope = unit_scope(request.user)
        schedules, tallies = Schedule.objects.in_units(scope), AccountTally.objects.in_units(scope)
    tallies = tallies.filter(status__in=LIVE)
    totals = tallies.aggregate(n=Sum("n"), closure=Sum("closure_candidate"))
    counts = {
        "overdue": schedules.overdue(today).count(),
        "soon": schedules.due_within(today, services.remind_before_days()).count(),
        "closure": totals["closure"] or 0,
        "all": totals["n"] or 0,
    }
    # The page's ids from the (due_on, account) index, then those rows with what they show.
    ids = LISTS[show](schedules, today).order_by("due_on", "account_id").values_list("pk", flat=True)
    page = _CountedPaginator(ids, PAGE_SIZE, counts[show]).get_page(request.GET.get("page"))
    wanted = list(page.object_list)
    rows = Schedule.objects.select_related("account__platform", "unit").in_bulk(wanted)
    page.object_list = [rows[pk] for pk in wanted if pk in rows]
    context = {
        "page": page,
        "show": show,
        "counts": counts,
        "soon_days": services.remind_before_days(),
        "today": today,
        "may_see_overview": may_see_overview(request.user),
        "awaiting_feedback": (
            Evaluation.objects.awaiting_feedback()
            .of_organisations(advised)
            .select_related("account__platform", "unit")
            .order_by("submitted_at")[:20]
            if advised
            else []
        ),
        # For the unit's leader (or the nearest leader above): what waits for their confirmation.
        "to_confirm": Evaluation.objects.awaiting_leader()
        .filter(account__unit_id__in=request.user.led_unit_ids())
        .select_related("account__platform")
        .order_by("sent_to_leader_at")[:20],
        "drafts": Evaluation.objects.filter(
            status=EvaluationStatus.DRAFT, account__unit_id__in=request.user.unit_ids()
        ).select_related("account__platform")[:20],
    }
    return render(request, "evaluations/index.html", context)


def _account(request, pk, *, act=False) -> Account:
    account = get_object_or_404(Account.objects.select_related("platform", "unit", "plan", "editor"), pk=pk)
    return account_for(request.user, account, act=act)


@login_required
def account_page(request, pk):
    account = _account(request, pk)
    schedule = services.schedule_for(account)
    evaluations = Evaluation.objects.filter(account=account).select_related("submitted_by").order_by("-period_end")
    series = follower_series([account.pk], None, None)
    values = series["series"].get(account.pk, [])
    followers = Table(
        "followers",
        _("Followers over time"),
        [_("Month"), _("Followers")],
        [[date_format(m, "YEAR_MONTH_FORMAT"), v] for m, v in zip(series["months"], values, strict=False)],
    )
    followers.chart = {
        "type": "line",
        "labels": [row[0] for row in followers.rows],
        "datasets": [{"label": str(_("Followers")), "data": values}],
    }
    context = {
        "account": account,
        "schedule": schedule,
        "evaluations": evaluations,
        "may_write": may_write(request.user, account),
        "due_form": DueForm(initial={"due_on": schedule.due_on}) if advises_account(request.user, account) else None,
        "plan_approved": account.plan is not None and account.plan.status == PlanStatus.APPROVED,
        "followers": followers,
        "today": timezone.localdate(),
        "timeline": [e for e in AuditEntry.objects.for_object(account) if e.action.startswith("evaluation.")],
    }
    return render(request, "evaluations/account.html", context)


@require_POST
@login_required
def start(request, pk):
    account = _account(request, pk, act=True)
    try:
        evaluation = services.evaluation_start(account=account, actor=request.user)
    except services.DraftExists as error:
        messages.info(request, error.message)
        return redirect("evaluations:edit", pk=error.evaluation.pk)
    except services.EvaluationError as error:
        messages.error(request, error.message)
        return redirect("evaluations:account", pk=account.pk)
    messages.success(request, _("The evaluation is started. Save as often as you like; send it when it is done."))
    return redirect("evaluations:edit", pk=evaluation.pk)


@require_POST
@login_required
def schedule_set(request, pk):
    account = get_object_or_404(Account.objects.select_related("unit"), pk=pk)
    require_adviser_or_404(request.user, account)
    form = DueForm(request.POST)
    if form.is_valid():
        try:
            services.schedule_set_due(
                account=account, actor=request.user, due_on=form.cleaned_data["due_on"], note=form.cleaned_data["note"]
            )
        except services.EvaluationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The next evaluation is now due on the date you chose."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("evaluations:account", pk=account.pk)


def _evaluation(request, pk, *, act=False) -> Evaluation:
    evaluation = get_object_or_404(
        Evaluation.objects.select_related(
            "account__platform",
            "account__unit",
            "account__editor",
            "plan",
            "plan_version",
            "new_plan",
            "feedback_by",
            "submitted_by",
            "sent_to_leader_by",
            "confirmed_by",
            "returned_by",
        ),
        pk=pk,
    )
    account_for(request.user, evaluation.account, act=act)
    return evaluation


# What each decision means for the account, as the leader reads it before confirming.
DECISION_MEANS = {
    Decision.CONTINUE: gettext_lazy(
        "The account carries on under its approved plan. The next evaluation is due a cycle from when it is sent."
    ),
    Decision.ADJUST: gettext_lazy(
        "A new draft of the plan, filled in from the approved one, is opened for the unit. The changed plan "
        "goes through the leader and the Communications Department again."
    ),
    Decision.CLOSE: gettext_lazy(
        "The account is to be closed: the Communications Department closes it in the register, and the unit "
        "takes down or hands over the profile on the platform."
    ),
}


@login_required
def detail(request, pk):
    evaluation = _evaluation(request, pk)
    leads = may_confirm(request.user, evaluation.account)
    advises = advises_account(request.user, evaluation.account)
    waiting = evaluation.status == EvaluationStatus.AWAITING_LEADER
    context = {
        "leads": leads,
        "confirm_form": ConfirmForm(initial={"revision": evaluation.revision}) if leads and waiting else None,
        "return_form": ReturnForm() if leads and waiting else None,
        "decision_means": DECISION_MEANS.get(evaluation.decision, ""),
        "evaluation": evaluation,
        "goals": evaluation.goals.all(),
        "may_write": may_write(request.user, evaluation.account) and evaluation.status == EvaluationStatus.DRAFT,
        "feedback_form": FeedbackForm(initial={"feedback": evaluation.feedback})
        if advises and evaluation.status != EvaluationStatus.DRAFT
        else None,
        "may_close": advises
        and evaluation.decision == Decision.CLOSE
        and evaluation.account.status != AccountStatus.CLOSED,
        "plan_sections": plan_sections(evaluation.plan_version.snapshot) if evaluation.plan_version else [],
        "imports": evaluation.imports.filter(status=FigureImport.Status.SAVED),
        "timeline": AuditEntry.objects.for_object(evaluation),
        "result_field": tt.RESULT,
    }
    return render(request, "evaluations/detail.html", context)


def _goal_forms(evaluation, data=None):
    return [
        (goal, GoalForm(data, prefix=f"goal-{goal.pk}", initial=_goal_initial(goal))) for goal in evaluation.goals.all()
    ]


def _goal_initial(goal) -> dict:
    return {
        "reached_value": _shown(goal.reached_value),
        "attainment": goal.attainment,
        "comment": goal.comment,
        "outcome": goal.outcome,
        "outcome_source": goal.outcome_source,
    }


def _shown(value):
    """A stored number as a person would type it (1234.50 → 1234,5)."""
    from django.utils.formats import number_format

    if value is None:
        return ""
    text = number_format(
        value.normalize() if hasattr(value, "normalize") else value, use_l10n=True, force_grouping=True
    )
    return text


def _initial(evaluation) -> dict:
    initial = {}
    for name in EvaluationForm.base_fields:
        value = getattr(evaluation, name)
        initial[name] = value if name in ("period_start", "period_end") or isinstance(value, str) else _shown(value)
    return initial


@login_required
def edit(request, pk):
    """The form; "Save" keeps the draft, "Send" saves and sends it with the decision."""
    evaluation = _evaluation(request, pk)
    if not may_write(request.user, evaluation.account):
        raise PermissionDenied
    if evaluation.status == EvaluationStatus.AWAITING_LEADER:
        messages.info(
            request,
            _("The evaluation waits for the leader's confirmation. The leader can return it to you for changes."),
        )
        return redirect("evaluations:detail", pk=evaluation.pk)
    if evaluation.status != EvaluationStatus.DRAFT:
        messages.info(request, _("The evaluation has been sent and can no longer be changed."))
        return redirect("evaluations:detail", pk=evaluation.pk)
    data = request.POST if request.method == "POST" else None
    form = EvaluationForm(data, initial=_initial(evaluation))
    goal_forms = _goal_forms(evaluation, data)
    decision_form = DecisionForm(data if data and data.get("action") == "submit" else None)
    problems = []
    status = 200
    if request.method == "POST":
        valid = form.is_valid() & all([f.is_valid() for _goal, f in goal_forms])
        if valid:
            try:
                evaluation = services.evaluation_save(
                    evaluation=evaluation,
                    actor=request.user,
                    content=form.content([f.content() for _g, f in goal_forms]),
                )
                if request.POST.get("action") != "submit":
                    messages.success(request, _("The evaluation was saved."))
                    return redirect("evaluations:edit", pk=evaluation.pk)
                if decision_form.is_valid():
                    # The leader confirms and sends in one step; a member sends it to the leader.
                    send = (
                        services.evaluation_confirm
                        if may_confirm(request.user, evaluation.account)
                        else services.evaluation_send_to_leader
                    )
                    evaluation = send(
                        evaluation=evaluation, actor=request.user, decision=decision_form.cleaned_data["decision"]
                    )
                    messages.success(request, _sent_message(evaluation))
                    return redirect("evaluations:detail", pk=evaluation.pk)
            except services.InvalidEvaluation as error:
                for name, message in error.errors.items():
                    form.add_error(name if name in form.fields else None, message)
            except services.NotReady as error:
                problems = error.problems
            except services.EvaluationError as error:
                messages.error(request, error.message)
                return redirect("evaluations:detail", pk=evaluation.pk)
        status = 400
        messages.error(
            request,
            _("The evaluation was saved as far as it could be. Some fields need attention: see the messages below.")
            if form.is_valid() and all(f.is_valid() for _g, f in goal_forms)
            else _("Some fields need attention. Nothing you wrote has been lost: see the messages below."),
        )
    schedule = services.schedule_for(evaluation.account)
    context = {
        "evaluation": evaluation,
        "form": form,
        "goal_forms": goal_forms,
        "decision_form": decision_form,
        "problems": problems,
        "schedule": schedule,
        "figures": services.figures_for(evaluation),
        "result_field": tt.RESULT,
        "plan_hours": evaluation.plan.hours_per_week if evaluation.plan else None,
        "leads": may_confirm(request.user, evaluation.account),
    }
    return render(request, "evaluations/edit.html", context, status=status)


def _sent_message(evaluation) -> str:
    if evaluation.status == EvaluationStatus.AWAITING_LEADER:
        return _(
            "The evaluation was sent to the leader, who confirms it before it goes to the Communications Department."
        )
    if evaluation.decision == Decision.ADJUST:
        return _("The evaluation was sent. A new draft of the plan is ready for your changes.")
    if evaluation.decision == Decision.CLOSE and evaluation.account.status != AccountStatus.CLOSED:
        return _("The evaluation was sent. The Communications Department will close the account in the register.")
    return _("The evaluation was sent to the Communications Department.")


def _leader_only(request, evaluation) -> None:
    """Outsiders 404 (from _evaluation); the unit's members and advisers 403: only the unit's
    leader, or the nearest leader above, confirms or returns."""
    if not may_confirm(request.user, evaluation.account):
        raise PermissionDenied


@require_POST
@login_required
def confirm(request, pk):
    evaluation = _evaluation(request, pk)
    _leader_only(request, evaluation)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Open the evaluation again and confirm what you read."))
        return redirect("evaluations:detail", pk=evaluation.pk)
    try:
        evaluation = services.evaluation_confirm(
            evaluation=evaluation, actor=request.user, revision=form.cleaned_data["revision"]
        )
    except services.EvaluationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _sent_message(evaluation))
    return redirect("evaluations:detail", pk=evaluation.pk)


@require_POST
@login_required
def return_to_writer(request, pk):
    evaluation = _evaluation(request, pk)
    _leader_only(request, evaluation)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a comment that says what the writer should change."))
        return redirect(reverse("evaluations:detail", args=[evaluation.pk]) + "#confirm")
    try:
        services.evaluation_return(evaluation=evaluation, actor=request.user, comment=form.cleaned_data["comment"])
    except services.EvaluationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The evaluation was returned to the writer with your comment."))
    return redirect("evaluations:detail", pk=evaluation.pk)


@require_POST
@login_required
def feedback(request, pk):
    evaluation = _evaluation(request, pk)
    require_adviser_or_404(request.user, evaluation.account)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.evaluation_feedback(evaluation=evaluation, actor=request.user, text=form.cleaned_data["feedback"])
        except services.EvaluationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The feedback was saved, and the unit has been told."))
    else:
        messages.error(request, _("Write the feedback."))
    return redirect("evaluations:detail", pk=evaluation.pk)


@require_POST
@login_required
def close_account(request, pk):
    evaluation = _evaluation(request, pk)
    require_adviser_or_404(request.user, evaluation.account)
    try:
        services.evaluation_close_account(evaluation=evaluation, actor=request.user)
    except DomainError as error:  # ours, or the register's own (already closed …)
        messages.error(request, error.message)
    else:
        messages.success(request, _("The account is closed in the register."))
    return redirect("evaluations:detail", pk=evaluation.pk)


@login_required
def pdf(request, pk):
    evaluation = _evaluation(request, pk)
    response = HttpResponse(evaluation_pdf(evaluation), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{evaluation_pdf_filename(evaluation)}"'
    response["Cache-Control"] = "private, no-store"
    return response
