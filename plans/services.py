"""Every change to a plan goes through here: one function per action, each atomic and
audited. Views, the demo loader and tests call these; nothing else sets a status."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import organisations
from core.access import require_adviser
from core.audit import audit_log
from core.emails import Attachment, email_people, email_queue
from core.errors import DomainError
from core.locks import locked
from core.text import clean_name

from .answer_time import answer_due
from .events import plan_changed, plan_decided, plan_sent
from .models import (
    MAX_CHANNELS,
    MAX_GOALS,
    TITLE_LIMIT,
    Decision,
    Plan,
    PlanChannel,
    PlanComment,
    PlanGoal,
    PlanStatus,
    PlanVersion,
)
from .pdf import plan_pdf_filename
from .readiness import plan_problems
from .snapshot import plan_snapshot
from .workflow import EDITABLE_STATES, TRANSITIONS, Role, Transition, may, roles_for


class PlanError(DomainError):
    pass


class NotAllowed(PlanError):
    pass


class WrongState(PlanError):
    pass


class NotReady(PlanError):
    def __init__(self, problems):
        super().__init__(_("The plan is not ready to be sent yet. See what to fix below."))
        self.problems = problems


class CommentRequired(PlanError):
    pass


class ChangedSinceSeen(PlanError):
    """The leader confirms what they read; the plan was saved again in the meantime."""

    def __init__(self):
        super().__init__(
            _(
                "The plan was changed after you opened it, so it was not sent. Read it again as it "
                "stands now, then confirm."
            )
        )


class EditConflict(PlanError):
    def __init__(self, plan):
        super().__init__(
            _(
                "Someone else saved this plan while you were writing. Your text is still in "
                "the form: compare it with the saved plan below, then save again."
            )
        )
        self.plan = plan


@dataclass
class PlanContent:
    """What the plan form collected, already validated."""

    title: str | None = None  # None keeps the title the plan has
    main_target_group: str = ""
    secondary_target_groups: str = ""
    content_types: str = ""
    content_themes: str = ""
    content_frequency: str = ""
    editor: object = None
    deputies: list = field(default_factory=list)
    hours_per_week: object = None
    other_resources: str = ""
    change_note: str = ""  # what the unit changed, while changes are requested
    goals: list[dict] = field(default_factory=list)
    channels: list[dict] = field(default_factory=list)  # {"platform": Platform, "justification": str}


# The plan's own fields the form writes, besides the title, the people and the rows.
SAVED_FIELDS = (
    "main_target_group",
    "secondary_target_groups",
    "content_types",
    "content_themes",
    "content_frequency",
    "editor",
    "hours_per_week",
    "other_resources",
    "change_note",
)


def _state_of(source, *, title: str | None = None) -> tuple:
    """What a save writes, from the stored plan or from the form's content, in a form the
    two can be compared in."""
    if isinstance(source, Plan):
        title = source.title
        deputies = [d.pk for d in source.deputies.all()]
        goals = [g.as_dict() for g in source.goals.all()]
        channels = [(c.platform_id, c.justification) for c in source.channels.all()]
    else:
        deputies = [d.pk for d in source.deputies]
        goals = [{name: goal.get(name, "") for name in PlanGoal.TEXT_FIELDS} for goal in source.goals]
        channels = [(c["platform"].pk, c["justification"]) for c in source.channels]
    editor = source.editor_id if isinstance(source, Plan) else getattr(source.editor, "pk", None)
    fields = [getattr(source, name) for name in SAVED_FIELDS if name != "editor"]
    return (title, editor, *fields, sorted(deputies), goals, channels)


@transaction.atomic
def plan_create(*, unit, author, title: str = "") -> Plan:
    """A new draft. People name it when they start it (the form requires a title); a caller
    that gives none (a script, an import) gets the unit's name as the title."""
    if unit.pk not in author.unit_ids():
        raise NotAllowed(_("You can only write plans for your own units."))
    title = clean_name(title) or f"Plan for sosiale medier for: {unit.name}"[:TITLE_LIMIT]
    plan = Plan(unit=unit, author=author, title=title)
    plan.full_clean()
    plan.save()
    audit_log(plan, "plan.created", actor=author, data={"title": plan.title})
    plan_changed.announce(plan=plan, actor=author)
    return plan


@transaction.atomic
def plan_delete(*, plan: Plan, actor) -> None:
    """Delete a draft nobody has sent. The audit log keeps what it was and who deleted it."""
    current = locked(plan, "unit")
    if Role.UNIT not in roles_for(actor, current):
        raise NotAllowed(_("Only the unit's own people can delete its draft."))
    if current.status != PlanStatus.DRAFT or current.current_version:
        raise WrongState(
            _("Only a draft that has never been sent can be deleted. Withdraw the plan instead; nothing was changed.")
        )
    if current.accounts.exists():
        raise WrongState(
            _("An account in the register is tied to this draft, so it cannot be deleted. Nothing was changed.")
        )
    audit_log(
        current,
        "plan.deleted",
        actor=actor,
        data={"title": current.title, "unit": current.unit.name, "unit_id": current.unit_id},
    )
    # Announced while the row is still there, so a subscriber can still read it.
    plan_changed.announce(plan=current, actor=actor)
    current.delete()


@transaction.atomic
def plan_update(*, plan: Plan, actor, revision: int, content: PlanContent) -> Plan:
    """Save the unit's text. `revision` is what the writer's form was based on."""
    current = locked(plan, "unit")
    if Role.UNIT not in roles_for(actor, current):
        raise NotAllowed(_("Only the unit's own people can edit its plan."))
    if current.status not in EDITABLE_STATES:
        raise WrongState(
            _("This plan is “%(status)s” and cannot be edited now.") % {"status": current.get_status_display()}
        )
    if current.revision != revision:
        raise EditConflict(current)
    if len(content.goals) > MAX_GOALS or len(content.channels) > MAX_CHANNELS:
        raise PlanError(
            _("A plan can have at most %(goals)d goals and %(channels)d channels.")
            % {"goals": MAX_GOALS, "channels": MAX_CHANNELS}
        )
    title = clean_name(content.title) or current.title if content.title is not None else current.title
    if _state_of(current) == _state_of(content, title=title):
        # Nothing new, as when a saved plan is sent with the same text: no second
        # "saved" in the timeline, and another editor's form is not made stale.
        return current
    current.title = title
    for name in SAVED_FIELDS:
        setattr(current, name, getattr(content, name))
    current.revision += 1
    current.full_clean(exclude=["unit", "author"])
    current.save()
    current.deputies.set(content.deputies)
    current.goals.all().delete()
    PlanGoal.objects.bulk_create(PlanGoal(plan=current, position=i, **goal) for i, goal in enumerate(content.goals))
    current.channels.all().delete()
    PlanChannel.objects.bulk_create(
        PlanChannel(plan=current, position=i, platform=c["platform"], justification=c["justification"])
        for i, c in enumerate(content.channels)
    )
    audit_log(current, "plan.saved", actor=actor, data={"revision": current.revision})
    plan_changed.announce(plan=current, actor=actor)
    return current


def _transition(plan: Plan, name: str, actor, comment: str = "", *, also=None) -> tuple[Plan, Transition]:
    """Move the plan to the transition's target and save it once. `also(plan)` gives more
    fields to write in the same save (a decision's date, the reviewer), so a decision is one
    write of the plan, not two. The caller announces what happened."""
    transition = TRANSITIONS[name]
    current = locked(plan, "unit")
    if not may(transition, roles_for(actor, current)):
        raise NotAllowed(_("You are not allowed to do this with this plan."))
    if current.status not in transition.sources:
        raise WrongState(
            _("This plan is “%(status)s”, so “%(action)s” is not possible now. Nothing was changed.")
            % {"status": current.get_status_display(), "action": transition.label}
        )
    if transition.needs_comment and not comment.strip():
        raise CommentRequired(_("Write a comment that says why."))
    if transition.needs_ready:
        problems = plan_problems(Plan.objects.with_details().get(pk=current.pk))
        if problems:
            raise NotReady(problems)
    previous = current.status
    current.status = transition.target
    more = also(current) if also else {}
    for field_name, value in more.items():
        setattr(current, field_name, value)
    current.save(update_fields=["status", *more, "updated_at"])
    audit_log(
        current,
        f"plan.{name}",
        actor=actor,
        data={"from": previous, "to": current.status, "comment": comment.strip()},
    )
    return current, transition


def organisation_of(plan: Plan):
    """The plan's organisation (its unit's), which names every e-mail and PDF about it."""
    return organisations.get(plan.unit.organisation_id)


def _require_adviser_of(plan: Plan, actor) -> None:
    """Only an adviser of the plan's own organisation takes and decides on it."""
    require_adviser(
        actor,
        NotAllowed,
        _("Only the Communications Department of the plan's organisation can do this."),
        organisation_id=plan.unit.organisation_id,
    )


def _recipients_in_unit(plan: Plan) -> list:
    leader = plan.unit.effective_leader()
    people = {plan.author.pk: plan.author}
    if leader:
        people[leader.pk] = leader
    return [p for p in people.values() if p.is_active]


def _freeze_version(plan: Plan, *, submitted_by, confirmed_by, change_note: str = "") -> PlanVersion:
    detailed = Plan.objects.with_details().get(pk=plan.pk)
    plan.current_version += 1
    plan.submitted_at = timezone.now()
    change_note = change_note.strip() or plan.change_note.strip()
    plan.change_note = ""
    plan.save(update_fields=["current_version", "submitted_at", "change_note", "updated_at"])
    version = PlanVersion.objects.create(
        plan=plan,
        number=plan.current_version,
        snapshot=plan_snapshot(detailed),
        submitted_by=submitted_by,
        confirmed_by=confirmed_by,
        change_note=change_note.strip(),
    )
    pdf = Attachment(
        plan_pdf_filename(plan, version.number),
        "application/pdf",
        generator="plans.pdf.version_pdf",
        generator_arg=version.pk,
    )
    context = {"plan": plan, "version": version, "due": answer_due(plan.submitted_at)}
    organisation = organisation_of(plan)
    # To the Communications Department of the unit's own organisation, in its language.
    email_queue(
        template="plan_submitted",
        to=[organisation.mailbox],
        context=context,
        attachments=(pdf,),
        language=organisation.language or settings.LANGUAGE_CODE,
        organisation=organisation,
    )
    email_people(_recipients_in_unit(plan), template="plan_receipt", context=context, organisation=organisation)
    if plan.reviewer and plan.status == PlanStatus.IN_REVIEW:
        email_people([plan.reviewer], template="plan_resubmitted", context=context, organisation=organisation)
    return version


@transaction.atomic
def plan_send_to_leader(*, plan: Plan, actor) -> Plan:
    plan, _t = _transition(plan, "send_to_leader", actor)
    leader = plan.unit.effective_leader()
    email_people(
        [leader],
        template="plan_awaiting_leader",
        context={"plan": plan, "sender": actor},
        organisation=organisation_of(plan),
    )
    plan_changed.announce(plan=plan, actor=actor)
    return plan


@transaction.atomic
def plan_submit(*, plan: Plan, actor, revision: int | None = None) -> PlanVersion:
    """The leader confirms the plan and sends it to the Communications Department.

    `revision` is the saved state the leader read: if the plan was saved again since,
    nothing is sent, so a leader never confirms text they have not seen."""
    if revision is not None and locked(plan, "unit").revision != revision:
        raise ChangedSinceSeen()
    plan, _t = _transition(plan, "submit", actor)
    version = _freeze_version(plan, submitted_by=plan.author, confirmed_by=actor)
    plan_sent.announce(plan=plan, version=version, actor=actor)
    return version


@transaction.atomic
def plan_return_to_author(*, plan: Plan, actor, comment: str) -> Plan:
    plan, _t = _transition(plan, "return_to_author", actor, comment)
    _add_comment(plan, actor, comment, PlanComment.Kind.RETURNED)
    email_people(
        [plan.author],
        template="plan_returned",
        context={"plan": plan, "comment": comment, "leader": actor},
        organisation=organisation_of(plan),
    )
    plan_changed.announce(plan=plan, actor=actor)
    return plan


@transaction.atomic
def plan_resubmit(*, plan: Plan, actor, change_note: str = "") -> PlanVersion:
    """The unit sends the revised plan straight back to its adviser. Only when the leader
    sends it themselves is the new version confirmed by them."""
    plan, _t = _transition(plan, "resubmit", actor)
    leader = plan.unit.effective_leader()
    confirmed_by = actor if leader is not None and leader.pk == actor.pk else None
    version = _freeze_version(plan, submitted_by=actor, confirmed_by=confirmed_by, change_note=change_note)
    plan_sent.announce(plan=plan, version=version, actor=actor)
    return version


@transaction.atomic
def plan_withdraw(*, plan: Plan, actor) -> Plan:
    plan, _t = _transition(plan, "withdraw", actor)
    if plan.reviewer:
        email_people(
            [plan.reviewer],
            template="plan_withdrawn",
            context={"plan": plan, "actor": actor},
            organisation=organisation_of(plan),
        )
    plan_changed.announce(plan=plan, actor=actor)
    return plan


@transaction.atomic
def plan_reopen(*, plan: Plan, actor) -> Plan:
    plan, _t = _transition(plan, "reopen", actor)
    plan_changed.announce(plan=plan, actor=actor)
    return plan


@transaction.atomic
def plan_take(*, plan: Plan, actor) -> Plan:
    _require_adviser_of(plan, actor)
    plan, _t = _transition(plan, "take", actor, also=lambda plan: {"reviewer": actor})
    plan_changed.announce(plan=plan, actor=actor)
    return plan


DECISION_OF = {
    "request_changes": Decision.CHANGES_REQUESTED,
    "approve": Decision.APPROVED,
    "reject": Decision.REJECTED,
}


def _decide(plan: Plan, name: str, actor, comment: str, kind) -> Plan:
    _require_adviser_of(plan, actor)
    now = timezone.now()

    def decided(plan: Plan) -> dict:
        # Written with the new status in one save: the plan is saved once per decision.
        final = plan.status in (PlanStatus.APPROVED, PlanStatus.REJECTED)
        return {"decided_at": now if final else plan.decided_at, "reviewer": plan.reviewer or actor}

    plan, _t = _transition(plan, name, actor, comment, also=decided)
    # The decision belongs to the version under review (the newest one).
    plan.versions.filter(number=plan.current_version).update(
        decision=DECISION_OF[name], decided_by=actor, decided_at=now
    )
    if comment.strip():
        _add_comment(plan, actor, comment, kind)
    version = plan.versions.select_related("submitted_by", "confirmed_by").get(number=plan.current_version)
    email_people(
        _recipients_in_unit(plan),
        template="plan_decision",
        context={
            "plan": plan,
            "version": version,
            "confirmed": version.last_confirmed(),
            "decision": name,
            "comment": comment.strip(),
            "adviser": actor,
            "evaluation_months": settings.EVALUATION_FIRST_MONTHS,
        },
        organisation=organisation_of(plan),
    )
    plan_decided.announce(plan=plan, decision=DECISION_OF[name].value, comment=comment.strip(), actor=actor)
    return plan


@transaction.atomic
def plan_request_changes(*, plan: Plan, actor, comment: str) -> Plan:
    return _decide(plan, "request_changes", actor, comment, PlanComment.Kind.CHANGES_REQUESTED)


@transaction.atomic
def plan_approve(*, plan: Plan, actor, comment: str = "") -> Plan:
    return _decide(plan, "approve", actor, comment, PlanComment.Kind.APPROVED)


@transaction.atomic
def plan_reject(*, plan: Plan, actor, comment: str) -> Plan:
    return _decide(plan, "reject", actor, comment, PlanComment.Kind.REJECTED)


def _add_comment(plan: Plan, actor, body: str, kind) -> PlanComment:
    return PlanComment.objects.create(
        plan=plan, author=actor, body=body.strip(), kind=kind, version_number=plan.current_version or None
    )


@transaction.atomic
def plan_comment_add(*, plan: Plan, actor, body: str) -> PlanComment:
    roles = roles_for(actor, plan)
    if not roles:
        raise NotAllowed(_("You are not allowed to do this with this plan."))
    if not body.strip():
        raise CommentRequired(_("The comment is empty."))
    comment = _add_comment(plan, actor, body, PlanComment.Kind.COMMENT)
    audit_log(plan, "plan.commented", actor=actor, data={"comment": comment.pk})
    organisation = organisation_of(plan)
    context = {"plan": plan, "comment": comment}
    if Role.ADVISER in roles and Role.UNIT not in roles:
        email_people(_recipients_in_unit(plan), template="plan_comment", context=context, organisation=organisation)
    elif plan.reviewer and plan.reviewer.pk != actor.pk:
        email_people([plan.reviewer], template="plan_comment", context=context, organisation=organisation)
    return comment


ACTIONS = {
    "send_to_leader": plan_send_to_leader,
    "submit": plan_submit,
    "return_to_author": plan_return_to_author,
    "resubmit": plan_resubmit,
    "withdraw": plan_withdraw,
    "reopen": plan_reopen,
    "take": plan_take,
    "request_changes": plan_request_changes,
    "approve": plan_approve,
    "reject": plan_reject,
}


@transaction.atomic
def plan_draft_from(*, plan: Plan, actor, result: str = "") -> Plan:
    """A new draft for the same unit, pre-filled from an approved plan: how a unit adjusts
    its plan after an evaluation. The approved plan stays as it is (its accounts keep
    serving it) until the new one is approved. `result` fills the template's "Resultat"."""
    if plan.status != PlanStatus.APPROVED:
        raise WrongState(_("Only an approved plan can be the start of a new draft."))
    if plan.unit_id not in actor.unit_ids():
        raise NotAllowed(_("You can only write plans for your own units."))
    source = Plan.objects.with_details().get(pk=plan.pk)
    title = _("%(title)s (revised)") % {"title": source.title}
    draft = Plan(unit=source.unit, author=actor, title=title[:TITLE_LIMIT], result=result.strip())
    for name in SAVED_FIELDS:
        if name != "change_note":  # the new plan's changes are its own
            setattr(draft, name, getattr(source, name))
    draft.full_clean(exclude=["unit", "author"])
    draft.save()
    draft.deputies.set(source.deputies.all())
    PlanGoal.objects.bulk_create(
        PlanGoal(plan=draft, position=goal.position, **goal.as_dict()) for goal in source.goals.all()
    )
    PlanChannel.objects.bulk_create(
        PlanChannel(plan=draft, position=c.position, platform=c.platform, justification=c.justification)
        for c in source.channels.all()
    )
    audit_log(draft, "plan.created", actor=actor, data={"from_plan": source.pk})
    plan_changed.announce(plan=draft, actor=actor)
    return draft
