"""What waits for a person in the evaluation cycle ("Mine oppgåver").

- The unit's own people (editors, members, the leader): evaluations due within 14 days or
  overdue for their units' active accounts, and drafts they have started.
- The writer of an evaluation the leader returned: the return, with the leader's comment.
- The unit's leader (or the nearest leader above): evaluations waiting for their confirmation.
- Advisers: evaluations waiting for feedback, and accounts flagged as candidates for closure.

A fixed number of queries, whatever the number of accounts: the first few of each kind,
then one item that stands for (and counts) the rest."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.worklist import Sentence, WorkItem, Written, capped, work_asked

from .models import Evaluation, EvaluationStatus, Schedule
from .services import remind_before_days

LIMIT = 5  # of each kind; one more item stands for the rest (see core.worklist.capped)
DRAFTS = 50
# What a task about an account's schedule shows; only these are read (an account and its
# platform have many fields, the platform's rules among them, and a schedule has its figures).
SCHEDULE_FIELDS = ("pk", "due_on", "closure_reason", "account__display_name", "account__platform__name", "unit__name")


# What a task about an evaluation waiting for the leader shows.
CONFIRM_FIELDS = (
    "pk",
    "sent_to_leader_at",
    "decision",
    "account__display_name",
    "account__platform__name",
    "account__unit__name",
    "sent_to_leader_by__full_name",
)


def _shown_waiting(evaluations):
    return evaluations.select_related("account__platform", "account__unit", "sent_to_leader_by").only(*CONFIRM_FIELDS)


def _awaiting_confirmation(led: set[int]) -> list[WorkItem]:
    def item(evaluation):
        writer = evaluation.sent_to_leader_by
        return WorkItem(
            kind="evaluation.confirm",
            text=_("Confirm the evaluation of “%(name)s”") % {"name": evaluation.account.display_name},
            url=reverse("evaluations:detail", args=[evaluation.pk]) + "#confirm",
            since=evaluation.sent_to_leader_at,
            detail=_("%(platform)s · %(unit)s · sent to you by %(name)s · decision: %(decision)s")
            % {
                "platform": evaluation.account.platform.name,
                "unit": evaluation.account.unit.name,
                "name": writer.full_name if writer else "–",
                "decision": evaluation.get_decision_display(),
            },
        )

    return capped(
        Evaluation.objects.awaiting_leader().filter(account__unit_id__in=led).order_by("sent_to_leader_at", "pk"),
        LIMIT,
        item,
        lambda count, _first: WorkItem(
            kind="evaluation.confirm",
            text=ngettext(
                "%(count)s more evaluation waits for your confirmation",
                "%(count)s more evaluations wait for your confirmation",
                count,
            )
            % {"count": count},
            url=reverse("evaluations:index") + "#confirm-heading",
            count=count,
        ),
        read=_shown_waiting,
    )


def _shown(schedules):
    """What a task about a schedule reads with it; both kinds are read so, in one query."""
    return schedules.select_related("account__platform", "unit").only(*SCHEDULE_FIELDS)


@work_asked.subscribe
def items(user) -> list[WorkItem]:
    today = timezone.localdate()
    found = []
    units = user.unit_ids()
    if units:
        due = (
            Schedule.objects.active()
            .filter(unit_id__in=units, due_on__lte=today + timedelta(days=remind_before_days()))
            .order_by("due_on", "account_id")
        )
        # A draft of an account that is due is reached from the task to evaluate it; the others
        # are tasks of their own.
        drafts = {
            e.account_id: e
            for e in Evaluation.objects.filter(status=EvaluationStatus.DRAFT, account__unit_id__in=units)
            .annotate(is_due=Exists(due.filter(account_id=OuterRef("account_id"))))
            .only("pk", "account_id", "created_at", "returned_at", "return_comment", "sent_to_leader_by_id")[:DRAFTS]
        }

        def due_item(schedule):
            account = schedule.account
            overdue = schedule.due_on < today
            draft = drafts.get(account.pk)
            text = (
                _("Evaluate “%(name)s”: it is overdue") if overdue else _("Evaluate “%(name)s” by the due date")
            ) % {"name": account.display_name}
            url = (
                reverse("evaluations:edit", args=[draft.pk])
                if draft
                else reverse("evaluations:account", args=[account.pk])
            )
            return WorkItem(
                kind="evaluation.overdue" if overdue else "evaluation.due",
                text=text,
                url=url,
                due=schedule.due_on,
                urgent=overdue,
                detail=_("%(platform)s · %(unit)s · due %(date)s")
                % {
                    "platform": account.platform.name,
                    "unit": schedule.unit.name,
                    "date": date_format(schedule.due_on),
                },
            )

        def more_due(count, first):
            overdue = first.due_on < today
            return WorkItem(
                kind="evaluation.overdue" if overdue else "evaluation.due",
                text=ngettext("%(count)s more account to evaluate", "%(count)s more accounts to evaluate", count)
                % {"count": count},
                url=reverse("evaluations:index") + ("?show=overdue" if overdue else "?show=soon"),
                urgent=overdue,
                count=count,
            )

        found += capped(due, LIMIT, due_item, more_due, read=_shown)
        for draft in drafts.values():
            if draft.returned_at and draft.sent_to_leader_by_id in (user.pk, None):
                # Returned by the leader: the writer's task, with the leader's comment.
                found.append(
                    WorkItem(
                        kind="evaluation.returned",
                        text=_("Revise the evaluation: the leader returned it to you"),
                        url=reverse("evaluations:edit", args=[draft.pk]),
                        since=draft.returned_at,
                        detail=Sentence(_("The leader's comment: %(comment)s"), comment=Written(draft.return_comment)),
                    )
                )
                continue
            if draft.is_due:
                continue
            found.append(
                WorkItem(
                    kind="evaluation.draft",
                    text=_("Finish the evaluation you have started"),
                    url=reverse("evaluations:edit", args=[draft.pk]),
                    since=draft.created_at,
                )
            )
    led = user.led_unit_ids()
    if led:
        found += _awaiting_confirmation(led)
    advised = user.advised_organisation_ids()
    if advised:  # the department's work, in the organisations the person advises
        found += capped(
            Evaluation.objects.awaiting_feedback()
            .of_organisations(advised)
            .select_related("account__platform", "unit")
            .only("pk", "submitted_at", "account__display_name", "account__platform__name", "unit__name")
            .order_by("submitted_at", "pk"),
            LIMIT,
            lambda evaluation: WorkItem(
                kind="evaluation.feedback",
                text=_("Give feedback on the evaluation of “%(name)s”") % {"name": evaluation.account.display_name},
                url=reverse("evaluations:detail", args=[evaluation.pk]),
                since=evaluation.submitted_at,
                detail=f"{evaluation.account.platform.name} · {evaluation.unit.name}",
            ),
            lambda count, first: WorkItem(
                kind="evaluation.feedback",
                text=ngettext(
                    "%(count)s more evaluation waits for feedback",
                    "%(count)s more evaluations wait for feedback",
                    count,
                )
                % {"count": count},
                url=reverse("evaluations:index") + "#feedback-heading",
                count=count,
            ),
        )
        found += capped(
            Schedule.objects.of_organisations(advised)
            .filter(closure_candidate=True)
            .exclude(status="closed")
            .order_by("due_on", "account_id"),
            LIMIT,
            lambda schedule: WorkItem(
                kind="evaluation.closure",
                text=_("Decide whether to close “%(name)s”") % {"name": schedule.account.display_name},
                url=reverse("evaluations:account", args=[schedule.account_id]),
                urgent=True,
                detail=str(schedule.get_closure_reason_display()),
            ),
            lambda count, first: WorkItem(
                kind="evaluation.closure",
                text=ngettext(
                    "%(count)s more account is a candidate for closure",
                    "%(count)s more accounts are candidates for closure",
                    count,
                )
                % {"count": count},
                url=reverse("evaluations:index") + "?show=closure",
                urgent=True,
                count=count,
            ),
            read=_shown,
        )
    return found
