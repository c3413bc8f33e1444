"""What waits for a person in the plan workflow: a leader's confirmations, an author's
returned plans, an adviser's queue and replies. See core/worklist.py."""

from datetime import timedelta

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.worklist import Sentence, WorkItem, Written, capped, work_asked

from .answer_time import answer_due, is_overdue
from .models import Plan, PlanComment, PlanStatus

LIMIT = 5
# What a task about a plan shows. Every kind but the replies is read so (see _shown), and the
# front page reads the plans of all those kinds in one query (core.worklist.capped).
PLAN_FIELDS = (
    "pk",
    "title",
    "status",
    "updated_at",
    "submitted_at",
    "current_version",
    "unit__name",
    "author__full_name",
)
# A plan waiting for its leader longer than this holds the unit up.
CONFIRM_URGENT_AFTER = timedelta(days=3)


@work_asked.subscribe
def plan_tasks(user) -> list[WorkItem]:
    items = []
    led = user.led_unit_ids()
    if led:
        items += _awaiting_confirmation(led)
    items += _for_the_author(user)
    advised = user.advised_organisation_ids()
    if advised:  # an adviser of an organisation: its queue (a regional adviser decides nothing)
        items += _untaken(user) + _in_review(user) + _replies(user)
    return items


def _shown(plans):
    """What a task about a plan reads with it."""
    return plans.select_related("unit", "author").only(*PLAN_FIELDS)


def _detail_url(plan) -> str:
    return reverse("plans:detail", args=[plan.pk])


def _about(plan, extra: str = "") -> str:
    return f"{plan.unit.name} · {extra}" if extra else plan.unit.name


def _awaiting_confirmation(led: set[int]) -> list[WorkItem]:
    rows = Plan.objects.filter(status=PlanStatus.AWAITING_LEADER, unit_id__in=led).order_by("updated_at", "pk")
    now = timezone.now()
    return capped(
        rows,
        LIMIT,
        lambda plan: WorkItem(
            kind="plan.confirm",
            text=Sentence(_("Confirm the plan “%(title)s”"), title=Written(plan.title)),
            url=_detail_url(plan) + "#actions",
            since=plan.updated_at,
            urgent=now - plan.updated_at > CONFIRM_URGENT_AFTER,
            detail=_about(plan, _("sent to you by %(name)s") % {"name": plan.author.full_name}),
        ),
        lambda count, _first: WorkItem(
            kind="plan.confirm",
            text=ngettext(
                "%(count)s more plan waits for your confirmation",
                "%(count)s more plans wait for your confirmation",
                count,
            )
            % {"count": count},
            url=reverse("plans:list") + f"?status={PlanStatus.AWAITING_LEADER}",
            count=count,
        ),
        read=_shown,
    )


def _for_the_author(user) -> list[WorkItem]:
    # The author revises; if the author has left, everyone in the unit sees it, so it is not lost.
    whose = Q(author=user) | Q(unit_id__in=user.unit_ids(), author__is_active=False)
    rows = (
        Plan.objects.filter(whose, status__in=[PlanStatus.CHANGES_REQUESTED, PlanStatus.DRAFT])
        .with_last_step(read=False)
        .filter(Q(status=PlanStatus.CHANGES_REQUESTED) | Q(last_step="plan.return_to_author"))
        .order_by("updated_at", "pk")
    )

    def item(plan):
        if plan.status == PlanStatus.CHANGES_REQUESTED:
            text = _("Revise “%(title)s”: the Communications Department asks for changes")
        else:
            text = _("Revise “%(title)s”: the leader returned it to you")
        return WorkItem(
            kind="plan.revise",
            text=Sentence(text, title=Written(plan.title)),
            url=reverse("plans:edit", args=[plan.pk]),
            since=plan.updated_at,
            detail=_about(plan),
        )

    return capped(
        rows,
        LIMIT,
        item,
        lambda count, _first: WorkItem(
            kind="plan.revise",
            text=ngettext("%(count)s more plan to revise", "%(count)s more plans to revise", count) % {"count": count},
            url=reverse("plans:list"),
            count=count,
        ),
        read=_shown,
    )


def _answer(plan) -> dict:
    """What a task about a plan waiting for the department says of its answer deadline."""
    due = answer_due(plan.sent_at)
    detail = _about(plan, _("answer due %(date)s") % {"date": date_format(due)})
    return {"since": plan.sent_at, "due": due, "urgent": is_overdue(plan.sent_at), "detail": detail}


def _untaken(user) -> list[WorkItem]:
    """The plans of the adviser's own organisation that nobody has taken yet."""
    rows = Plan.objects.in_queue_of(user).filter(status=PlanStatus.SUBMITTED).order_by("submitted_at", "pk")
    return capped(
        rows,
        LIMIT,
        lambda plan: WorkItem(
            kind="plan.untaken",
            text=Sentence(_("New plan nobody has taken: “%(title)s”"), title=Written(plan.title)),
            url=reverse("plans:review", args=[plan.pk]),
            **_answer(plan),
        ),
        lambda count, first: WorkItem(
            kind="plan.untaken",
            text=ngettext("%(count)s more plan nobody has taken", "%(count)s more plans nobody has taken", count)
            % {"count": count},
            url=reverse("plans:queue") + "?who=untaken",
            urgent=is_overdue(first.submitted_at),
            count=count,
        ),
        read=_shown,
    )


def _in_review(user) -> list[WorkItem]:
    rows = Plan.objects.filter(status=PlanStatus.IN_REVIEW, reviewer=user).order_by("submitted_at", "pk")

    def item(plan):
        if plan.current_version > 1:
            text = Sentence(
                _("Revised plan to decide on: “%(title)s”, version %(number)s"),
                title=Written(plan.title),
                number=plan.current_version,
            )
        else:
            text = Sentence(_("Decide on “%(title)s”"), title=Written(plan.title))
        return WorkItem(
            kind="plan.review",
            text=text,
            url=reverse("plans:review", args=[plan.pk]),
            **_answer(plan),
        )

    return capped(
        rows,
        LIMIT,
        item,
        lambda count, first: WorkItem(
            kind="plan.review",
            text=ngettext(
                "%(count)s more plan you review waits for your decision",
                "%(count)s more plans you review wait for your decision",
                count,
            )
            % {"count": count},
            url=reverse("plans:queue") + "?who=mine",
            urgent=is_overdue(first.submitted_at),
            count=count,
        ),
        read=_shown,
    )


def _replies(user) -> list[WorkItem]:
    """Plans the adviser asked changes to, where the unit has since written a comment."""
    newest = PlanComment.objects.filter(plan=OuterRef("pk")).order_by("-created_at", "-pk")
    rows = (
        Plan.objects.filter(status=PlanStatus.CHANGES_REQUESTED, reviewer=user)
        .alias(last_kind=Subquery(newest.values("kind")[:1]), last_author=Subquery(newest.values("author_id")[:1]))
        .annotate(last_at=Subquery(newest.values("created_at")[:1]))
        .filter(last_kind=PlanComment.Kind.COMMENT)
        .exclude(last_author=user.pk)
        .select_related("unit")
        .only("pk", "title", "unit__name")
        .order_by("last_at", "pk")
    )
    return capped(
        rows,
        LIMIT,
        lambda plan: WorkItem(
            kind="plan.reply",
            text=Sentence(_("New reply from the unit on “%(title)s”"), title=Written(plan.title)),
            url=_detail_url(plan) + "#comments-heading",
            since=plan.last_at,
            detail=_about(plan, _("changes requested")),
        ),
        lambda count, first: WorkItem(
            kind="plan.reply",
            text=ngettext("%(count)s more plan with a new reply", "%(count)s more plans with a new reply", count)
            % {"count": count},
            url=reverse("plans:queue") + "?who=mine&status=changes_requested",
            count=count,
        ),
    )
