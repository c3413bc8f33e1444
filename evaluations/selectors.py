"""Read-only queries of the evaluation cycle: the key figures of a period, what an
evaluation still lacks before it can be sent, an account's schedule."""

from datetime import date

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from registry.models import Account

from .models import METRICS, DailyFigure, Evaluation, PostFigure, Schedule


def schedule_for(account: Account) -> Schedule:
    """The account's schedule. An account registered a moment ago may not have one yet: then it
    is made now, from the register (the one write here, the same the periodic job would do)."""
    schedule = Schedule.objects.filter(pk=account.pk).first()
    if schedule is None:
        from .services.schedules import schedules_refresh

        schedules_refresh(account_ids=[account.pk])
        schedule = Schedule.objects.get(pk=account.pk)
    return schedule


def _figures_in(account_id: int, start: date, end: date) -> dict:
    posts = PostFigure.objects.filter(account_id=account_id, published_on__gte=start, published_on__lte=end)
    totals = posts.aggregate(posts=Count("pk"), **{name: Sum(name) for name in METRICS})
    totals["by_kind"] = dict(posts.values_list("kind").annotate(n=Count("pk")).order_by())
    days = DailyFigure.objects.filter(account_id=account_id, day__gte=start, day__lte=end)
    day_metrics = ("views", "reach", "reactions", "comments", "shares", "clicks", "new_followers", "posts")
    totals["days"] = days.aggregate(**{name: Sum(name) for name in day_metrics})
    known = DailyFigure.objects.filter(account_id=account_id, followers__isnull=False)
    totals["followers_start"] = (
        known.filter(day__lte=start).order_by("-day").values_list("followers", flat=True).first()
    )
    totals["followers_end"] = known.filter(day__lte=end).order_by("-day").values_list("followers", flat=True).first()
    return totals


def figures_for(evaluation: Evaluation) -> dict:
    """The key figures stored for the evaluation's account within its period."""
    return _figures_in(evaluation.account_id, evaluation.period_start, evaluation.period_end)


def submit_problems(evaluation: Evaluation) -> list[str]:
    problems = []
    if not evaluation.result.strip():
        problems.append(str(_("Write the “Resultat”: has the account reached the goals set for it?")))
    for number, goal in enumerate(evaluation.goals.all(), start=1):
        if not goal.attainment:
            problems.append(str(_("Say whether goal %(number)s was met, partly met or not met.") % {"number": number}))
    return problems


def latest_followers(account_id: int) -> int | None:
    """The account's follower count as last known (for the overview's largest accounts)."""
    return (
        DailyFigure.objects.filter(account_id=account_id, followers__isnull=False)
        .order_by("-day")
        .values_list("followers", flat=True)
        .first()
    )
