"""What waits for a person in the evaluation cycle ("Mine oppgåver").

- The unit's own people (editors, members, the leader): evaluations due within 14 days or
  overdue for their units' active accounts, and drafts they have started.
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

from core.worklist import WorkItem, capped, work_asked

from .models import Evaluation, EvaluationStatus, Schedule
from .services import REMIND_BEFORE_DAYS

LIMIT = 5  # of each kind; one more item stands for the rest (see core.worklist.capped)
DRAFTS = 50
# What a task about an account's schedule shows; only these are read (an account and its
# platform have many fields, the platform's rules among them, and a schedule has its figures).
SCHEDULE_FIELDS = ("pk", "due_on", "closure_reason", "account__display_name", "account__platform__name", "unit__name")


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
            .filter(unit_id__in=units, due_on__lte=today + timedelta(days=REMIND_BEFORE_DAYS))
            .order_by("due_on", "account_id")
        )
        # A draft of an account that is due is reached from the task to evaluate it; the others
        # are tasks of their own.
        drafts = {
            e.account_id: e
            for e in Evaluation.objects.filter(status=EvaluationStatus.DRAFT, account__unit_id__in=units)
            .annotate(is_due=Exists(due.filter(account_id=OuterRef("account_id"))))
            .only("pk", "account_id", "created_at")[:DRAFTS]
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
    if user.is_adviser:
        found += capped(
            Evaluation.objects.awaiting_feedback()
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
            Schedule.objects.filter(closure_candidate=True).exclude(status="closed").order_by("due_on", "account_id"),
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
