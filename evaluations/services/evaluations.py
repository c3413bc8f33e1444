"""Evaluations: started with the goals of the account's approved plan, written by the unit,
confirmed by the unit's leader with its decision (continue, adjust the plan, close the
account), sent to the department and answered there.

The leader answers for the evaluation as for the plan: a member sends it to the leader
(`evaluation_send_to_leader`), who confirms and sends it (`evaluation_confirm`) or returns it
with a comment (`evaluation_return`). A leader who writes it confirms and sends it in one step."""

from collections import Counter
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_log
from core.emails import email_people
from core.locks import locked
from plans.models import PlanStatus
from plans.services import plan_draft_from
from registry import services as registry_services
from registry.models import Account, AccountStatus

from ..access import may_confirm, may_write
from ..events import evaluation_answered, evaluation_sent
from ..models import (
    ClosureReason,
    DailyFigure,
    Decision,
    Evaluation,
    EvaluationStatus,
    GoalResult,
    GoalTally,
)
from ..selectors import figures_for, latest_followers, schedule_for, submit_problems
from .base import (
    ChangedSinceSeen,
    DraftExists,
    InvalidEvaluation,
    NotActive,
    NotAllowed,
    NotReady,
    WrongState,
    _check_writable,
    _locked,
    _today,
)
from .dates import add_months, next_due
from .department import advisers_of, organisation_of, require_adviser_of
from .schedules import tallies_recount


@dataclass
class GoalContent:
    reached_value: Decimal | None = None
    attainment: str = ""
    comment: str = ""
    outcome: str = ""
    outcome_source: str = ""


@dataclass
class EvaluationContent:
    """What the evaluation form collected, already validated field by field."""

    period_start: date
    period_end: date
    hours_per_week: Decimal | None = None
    people_involved: int | None = None
    money_spent: Decimal | None = None
    money_note: str = ""
    posts_photo: int | None = None
    posts_video: int | None = None
    posts_text: int | None = None
    posts_link: int | None = None
    posts_other: int | None = None
    followers_start: int | None = None
    followers_end: int | None = None
    views: int | None = None
    reach: int | None = None
    engagement: int | None = None
    messages_received: int | None = None
    messages_answered: int | None = None
    comments_received: int | None = None
    comments_answered: int | None = None
    median_response_hours: Decimal | None = None
    impact: str = ""
    result: str = ""
    worked_well: str = ""
    did_not_work: str = ""
    goals: list[GoalContent] = field(default_factory=list)


CONTENT_FIELDS = [f.name for f in fields(EvaluationContent) if f.name != "goals"]
GOAL_FIELDS = [f.name for f in fields(GoalContent)]


def _approved_plan(account: Account):
    plan = account.plan
    return plan if plan is not None and plan.status == PlanStatus.APPROVED else None


@transaction.atomic
def evaluation_start(*, account: Account, actor, now=None) -> Evaluation:
    """A new evaluation of an active account, with the goals of its approved plan."""
    account = locked(account, "plan", "unit", "platform", of=("self",))
    if not may_write(actor, account):
        raise NotAllowed(_("Only the account's own unit writes its evaluations."))
    if account.status != AccountStatus.ACTIVE:
        raise NotActive(
            _("Only an active account is evaluated. This account is “%(status)s”.")
            % {"status": account.get_status_display()}
        )
    draft = Evaluation.objects.filter(account=account, status=EvaluationStatus.DRAFT).first()
    if draft:
        raise DraftExists(draft)
    today = _today(now)
    schedule = schedule_for(account)
    previous = (
        Evaluation.objects.filter(account=account)
        .exclude(status=EvaluationStatus.DRAFT)
        .order_by("-period_end")
        .first()
    )
    if previous:
        start = previous.period_end + timedelta(days=1)
    else:
        start = account.live_since or add_months(today, -settings.EVALUATION_INTERVAL_MONTHS)
    start = min(start, today)
    plan = _approved_plan(account)
    version = plan.versions.order_by("-number").first() if plan else None
    evaluation = Evaluation.objects.create(
        account=account,
        unit=account.unit,
        platform=account.platform,
        plan=plan,
        plan_version=version,
        due_on=schedule.due_on,
        period_start=start,
        period_end=today,
        created_by=actor,
    )
    goals = version.snapshot["goals"] if version else [g.as_dict() for g in plan.goals.all()] if plan else []
    GoalResult.objects.bulk_create(
        GoalResult(
            evaluation=evaluation,
            position=i,
            goal=g.get("goal", ""),
            indicator=g.get("indicator", "")[:300],
            target_value=g.get("target_value", "")[:300],
            time_frame=g.get("time_frame", "")[:300],
        )
        for i, g in enumerate(goals)
    )
    evaluation = fill_from_figures(evaluation)  # figures already imported for the period
    audit_log(evaluation, "evaluation.started", actor=actor, data={"plan": plan.pk if plan else None})
    return evaluation


@transaction.atomic
def evaluation_save(*, evaluation: Evaluation, actor, content: EvaluationContent) -> Evaluation:
    current = _locked(evaluation)
    _check_writable(current, actor)
    if content.period_start and content.period_end and content.period_end < content.period_start:
        raise InvalidEvaluation({"period_end": _("The period ends before it starts. Check the dates.")})
    for name in CONTENT_FIELDS:
        setattr(current, name, getattr(content, name))
    try:
        current.full_clean(exclude=["account", "unit", "platform", "plan", "plan_version", "created_by"])
    except Exception as error:
        raise InvalidEvaluation(getattr(error, "message_dict", {"__all__": [str(error)]})) from None
    current.revision += 1
    current.save()
    goals = list(current.goals.all())
    for goal, values in zip(goals, content.goals, strict=False):
        for name in GOAL_FIELDS:
            setattr(goal, name, getattr(values, name))
        goal.full_clean(exclude=["evaluation", "unit", "platform"])
    GoalResult.objects.bulk_update(goals, GOAL_FIELDS)
    audit_log(current, "evaluation.saved", actor=actor)
    return current


def _check_ready(current: Evaluation, decision: str) -> None:
    if decision not in Decision.values:
        raise NotReady([str(_("Choose what happens next: continue, adjust the plan or close the account."))])
    problems = submit_problems(current)
    if decision == Decision.ADJUST and current.plan is None:
        problems.append(str(_("The account has no approved plan to adjust. Write a new plan instead.")))
    if problems:
        raise NotReady(problems)


@transaction.atomic
def evaluation_send_to_leader(*, evaluation: Evaluation, actor, decision: str, now=None) -> Evaluation:
    """A member sends the evaluation, with the decision they propose, to the unit's leader
    (or the nearest leader above), who confirms it or returns it. The leader is told by e-mail;
    the evaluation cannot be changed while it waits."""
    current = _locked(evaluation)
    _check_writable(current, actor)
    if may_confirm(actor, current.account):
        raise NotAllowed(_("You lead the unit: confirm the evaluation and send it yourself."))
    _check_ready(current, decision)
    leader = current.account.unit.effective_leader()
    if leader is None or not leader.is_active:
        raise NotReady(
            [
                str(
                    _(
                        "The unit has no leader to confirm the evaluation. Ask the Communications "
                        "Department to register the unit's leader."
                    )
                )
            ]
        )
    current.status = EvaluationStatus.AWAITING_LEADER
    current.decision = decision
    current.revision += 1
    current.sent_to_leader_by = actor
    current.sent_to_leader_at = now or timezone.now()
    current.returned_by, current.returned_at, current.return_comment = None, None, ""
    current.save()
    audit_log(
        current, "evaluation.sent_to_leader", actor=actor, data={"decision": decision, "revision": current.revision}
    )
    email_people(
        [leader],
        template="evaluation_awaiting_leader",
        context={"evaluation": current, "account": current.account, "sender": actor},
        organisation=organisation_of(current.account),
    )
    return current


@transaction.atomic
def evaluation_confirm(
    *, evaluation: Evaluation, actor, decision: str | None = None, revision: int | None = None, now=None
) -> Evaluation:
    """The leader confirms the evaluation and its decision and sends it to the department.

    From a draft the leader wrote themselves, in the same step (`decision` is theirs); from
    one waiting for them, as it was sent to them (`decision`, if given, must be the one they
    read). `revision` is the saved state the leader read: if the evaluation was saved again
    since, nothing is sent. The record keeps who confirmed which revision, and when."""
    current = _locked(evaluation)
    if not may_confirm(actor, current.account):
        raise NotAllowed(_("Only the unit's leader confirms its evaluations."))
    if current.status == EvaluationStatus.AWAITING_LEADER:
        if decision not in (None, "", current.decision):
            raise WrongState(
                _("The decision was changed after you opened the evaluation. Return it to the writer instead.")
            )
        decision = current.decision
    else:
        _check_writable(current, actor)
    if revision is not None and current.revision != revision:
        raise ChangedSinceSeen()
    _check_ready(current, decision)
    now = now or timezone.now()
    current.confirmed_by = actor
    current.confirmed_at = now
    current.confirmed_revision = current.revision
    audit_log(current, "evaluation.confirmed", actor=actor, data={"decision": decision, "revision": current.revision})
    return _send(current, actor=actor, decision=decision, now=now, writer=current.sent_to_leader_by or actor)


@transaction.atomic
def evaluation_return(*, evaluation: Evaluation, actor, comment: str, now=None) -> Evaluation:
    """The leader returns the evaluation to its writer with a comment that says why; it is
    a draft again, and the writer sees the comment in their tasks and on the evaluation."""
    current = _locked(evaluation)
    if not may_confirm(actor, current.account):
        raise NotAllowed(_("Only the unit's leader can return an evaluation."))
    if current.status != EvaluationStatus.AWAITING_LEADER:
        raise WrongState(_("The evaluation is not waiting for the leader's confirmation. Nothing was changed."))
    if not comment.strip():
        raise InvalidEvaluation({"comment": _("Write a comment that says what the writer should change.")})
    current.status = EvaluationStatus.DRAFT
    current.returned_by = actor
    current.returned_at = now or timezone.now()
    current.return_comment = comment.strip()
    current.save()
    audit_log(current, "evaluation.returned", actor=actor, data={"comment": current.return_comment})
    email_people(
        [current.sent_to_leader_by],
        template="evaluation_returned",
        context={"evaluation": current, "account": current.account, "leader": actor, "comment": current.return_comment},
        organisation=organisation_of(current.account),
    )
    return current


def _send(current: Evaluation, *, actor, decision: str, now, writer) -> Evaluation:
    """To the department with the decision: continue; adjust the plan (a new draft of the
    plan, pre-filled from the approved one); or close the account (an adviser closes it in the
    register; when an adviser decides, at once)."""
    today = _today(now)
    current.status = EvaluationStatus.SUBMITTED
    current.decision = decision
    current.submitted_by = writer
    current.submitted_at = now
    current.submitted_on = today
    current.unit_id = current.account.unit_id
    current.platform_id = current.account.platform_id
    if decision == Decision.ADJUST:
        current.new_plan = plan_draft_from(plan=current.plan, actor=writer, result=current.result)
    current.save()
    current.goals.update(unit_id=current.unit_id, platform_id=current.platform_id, evaluated_on=today)
    _count_goals(current, today)
    _record_followers(current)

    schedule = locked(schedule_for(current.account))
    schedule.last_evaluated_on = today
    schedule.due_on = next_due(today)
    schedule.due_set_by, schedule.due_note = None, ""
    schedule.hours_reported = current.hours_per_week
    schedule.followers = latest_followers(current.account_id)
    schedule.closure_candidate, schedule.closure_reason = False, ""
    if decision == Decision.CLOSE:
        schedule.closure_candidate, schedule.closure_reason = True, ClosureReason.DECIDED
    schedule.save()
    tallies_recount(unit_ids={schedule.unit_id})
    audit_log(current, "evaluation.submitted", actor=actor, data={"decision": decision})
    evaluation_sent.announce(evaluation=current, actor=actor)

    if decision == Decision.CLOSE:
        if actor.advises(current.account.unit.organisation_id):
            registry_services.account_transition(account=current.account, actor=actor, action="close")
        else:
            email_people(
                advisers_of(current.account),
                template="evaluation_close_requested",
                context={"evaluation": current, "account": current.account},
                organisation=organisation_of(current.account),
            )
    return current


def _count_goals(evaluation: Evaluation, today: date) -> None:
    """Add the evaluation's goals to the month's tally (GoalTally), under a row lock."""
    counts = Counter(evaluation.goals.exclude(attainment="").values_list("attainment", flat=True))
    for attainment, n in counts.items():
        key = {
            "month": today.replace(day=1),
            "unit_id": evaluation.unit_id,
            "platform_id": evaluation.platform_id,
            "attainment": attainment,
        }
        try:
            with transaction.atomic():
                GoalTally.objects.get_or_create(**key)
        except IntegrityError:
            pass  # made at the same moment by another evaluation sent
        GoalTally.objects.filter(**key).update(n=F("n") + n)


def _record_followers(evaluation: Evaluation) -> None:
    """Typed follower counts are key figures too: they draw the followers over time."""
    for day, count in [
        (evaluation.period_start, evaluation.followers_start),
        (evaluation.period_end, evaluation.followers_end),
    ]:
        if count is not None:
            DailyFigure.objects.update_or_create(
                account_id=evaluation.account_id, day=day, defaults={"followers": count}
            )


@transaction.atomic
def evaluation_feedback(*, evaluation: Evaluation, actor, text: str, now=None) -> Evaluation:
    """An adviser's feedback on a sent evaluation; the unit is told and reads it on the evaluation."""
    current = _locked(evaluation)
    require_adviser_of(actor, current.account)
    if current.status == EvaluationStatus.DRAFT:
        raise WrongState(_("The evaluation has not been sent yet."))
    if not text.strip():
        raise InvalidEvaluation({"feedback": _("Write the feedback.")})
    current.feedback = text.strip()
    current.feedback_by = actor
    current.feedback_at = now or timezone.now()
    current.status = EvaluationStatus.REVIEWED
    current.save(update_fields=["feedback", "feedback_by", "feedback_at", "status", "updated_at"])
    audit_log(current, "evaluation.feedback", actor=actor)
    account = current.account
    email_people(
        [current.submitted_by, account.editor, account.unit.effective_leader()],
        template="evaluation_feedback",
        context={"evaluation": current, "account": account, "adviser": actor},
        organisation=organisation_of(account),
    )
    evaluation_answered.announce(evaluation=current, actor=actor)
    return current


@transaction.atomic
def evaluation_close_account(*, evaluation: Evaluation, actor) -> Account:
    """Close the account in the register, as the unit decided in its evaluation."""
    current = _locked(evaluation)
    require_adviser_of(actor, current.account)
    if current.decision != Decision.CLOSE:
        raise WrongState(_("The unit did not decide to close the account in this evaluation."))
    account = registry_services.account_transition(account=current.account, actor=actor, action="close")
    audit_log(current, "evaluation.account_closed", actor=actor)
    return account


POST_KIND_FIELDS = {
    "photo": "posts_photo",
    "video": "posts_video",
    "text": "posts_text",
    "link": "posts_link",
    "other": "posts_other",
}


def fill_from_figures(evaluation: Evaluation) -> Evaluation:
    """Fill the evaluation's outputs and out-takes from the stored figures of its period:
    per-post figures where there are any, otherwise the per-day figures."""
    totals = figures_for(evaluation)
    days = totals["days"]
    changed = []

    def put(name, value):
        if value is not None:
            setattr(evaluation, name, value)
            changed.append(name)

    if totals["posts"]:
        for kind, name in POST_KIND_FIELDS.items():
            put(name, totals["by_kind"].get(kind, 0))
        put("views", totals["views"])
        put("reach", totals["reach"])
        put("comments_received", totals["comments"])
        engagement = [totals[n] for n in ("reactions", "comments", "shares", "saves") if totals[n] is not None]
        put("engagement", sum(engagement) if engagement else None)
    else:
        put("views", days["views"])
        put("reach", days["reach"])
        put("comments_received", days["comments"])
        engagement = [days[n] for n in ("reactions", "comments", "shares") if days[n] is not None]
        put("engagement", sum(engagement) if engagement else None)
        if days["posts"] is not None:
            put("posts_other", days["posts"])
    put("followers_start", totals["followers_start"])
    end = totals["followers_end"]
    start = totals["followers_start"] if totals["followers_start"] is not None else evaluation.followers_start
    if days["new_followers"] is not None and start is not None and (end is None or end == start):
        end = max(start + days["new_followers"], 0)
    put("followers_end", end)
    if changed:
        evaluation.save(update_fields=[*set(changed), "updated_at"])
    return evaluation
