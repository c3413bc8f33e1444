"""The overview built section by section: the accounts, governance, hours, plans,
evaluations, flags, goals, the trend and the followers. Each section adds its tables from a
fixed number of grouped queries (see the package's description)."""

import statistics
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Min, Sum, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.models import Plan, PlanStatus, PlanVersion
from platforms.models import Platform
from registry.models import Account, AccountStatus

from ..models import AccountTally, Attainment, DailyFigure, Evaluation, GoalTally, GovernanceMonth, Schedule
from ..services import add_months, remind_before_days
from .parts import (
    MAX_MONTHS,
    STATUSES,
    TALLY_SUMS,
    TOP_ACCOUNTS,
    DaysBetween,
    Overview,
    Scope,
    Table,
    UnitTree,
    _in_units,
    _month_label,
    _months,
    _share,
)


def build(
    *, tree: UnitTree, scope: Scope, start: date, end: date, today: date, account_id: int | None = None
) -> Overview:
    overview = Overview(scope, start, end, today)
    platforms = dict(Platform.objects.values_list("pk", "name"))
    unit_of_group = {}
    for index, (_name, units) in enumerate(scope.groups):
        for unit in units:
            unit_of_group.setdefault(unit, index)

    # The tallies summed by the database twice: per unit and status (for the tables by unit) and
    # per platform and status (for the tables by platform and every total). Reading the 22,000
    # rows of 2,000 units × platforms × statuses into Python to add them up cost more.
    # Both in one query (a union), so the page's query count stays as it was.
    tallies = _in_units(AccountTally.objects.all(), scope).order_by()
    summed = (
        tallies.values(by=Value("unit"), key=F("unit_id"), state=F("status"))
        .annotate(**TALLY_SUMS)
        .union(
            tallies.values(by=Value("platform"), key=F("platform_id"), state=F("status")).annotate(**TALLY_SUMS),
            all=True,
        )
    )
    # Each row: "key" is the unit's or the platform's id, "state" the accounts' status.
    per_unit, per_platform = [], []
    for row in summed:
        (per_unit if row["by"] == "unit" else per_platform).append(row)
    # What depends on today's date is counted from the schedules' (status, due_on, unit) index.
    active = _in_units(Schedule.objects.active(), scope)
    overview.due = {
        "overdue": active.filter(due_on__lt=today).count(),
        "due_soon": active.filter(due_on__gte=today, due_on__lte=today + timedelta(days=remind_before_days())).count(),
    }
    _accounts_tables(overview, per_unit, per_platform, platforms, unit_of_group)
    _governance(overview, per_platform)
    _hours(overview, per_unit, per_platform, platforms, unit_of_group)
    _plans(overview)
    _evaluations(overview)
    _flags(overview, per_platform)
    _goals(overview, platforms, unit_of_group)
    _trend(overview)
    _followers(overview, account_id)
    return overview


def _group_names(overview) -> list[str]:
    return [name for name, _units in overview.scope.groups]


def _accounts_tables(overview, per_unit, per_platform, platforms, unit_of_group) -> None:
    labels = dict(AccountStatus.choices)
    by_platform = defaultdict(lambda: dict.fromkeys(STATUSES, 0))
    by_group = defaultdict(lambda: dict.fromkeys(STATUSES, 0))
    for row in per_platform:
        by_platform[row["key"]][row["state"]] += row["accounts"]
    for row in per_unit:
        if row["key"] in unit_of_group:
            by_group[unit_of_group[row["key"]]][row["state"]] += row["accounts"]
    columns = [str(labels[s]) for s in STATUSES] + [_("Total")]
    platform_rows = [
        [platforms[p], *[counts[s] for s in STATUSES], sum(counts.values())]
        for p, counts in sorted(by_platform.items(), key=lambda item: (-sum(item[1].values()), platforms[item[0]]))
    ]
    overview.tables["accounts_platform"] = Table(
        "accounts_platform",
        _("Accounts by platform and status"),
        [_("Platform"), *columns],
        platform_rows,
        chart=_bar(
            [r[0] for r in platform_rows],
            [(columns[i], [r[i + 1] for r in platform_rows]) for i in range(4)],
            stacked=True,
        ),
    )
    names = _group_names(overview)
    unit_rows = [[names[i], *[c[s] for s in STATUSES], sum(c.values())] for i, c in sorted(by_group.items())]
    overview.tables["accounts_unit"] = Table(
        "accounts_unit", _("Accounts by unit and status"), [_("Unit"), *columns], unit_rows
    )
    totals = dict.fromkeys(STATUSES, 0)
    for counts in by_platform.values():
        for status, n in counts.items():
            totals[status] += n
    overview.headline["accounts"] = totals


def _governance(overview, per_platform) -> None:
    active = [row for row in per_platform if row["state"] == AccountStatus.ACTIVE]
    n = sum(r["accounts"] for r in active)
    plan_ok, trained = (sum(r[k] for r in active) for k in ("plan_ok", "trained"))
    on_time = n - overview.due["overdue"]
    overview.governance = {
        "active": n,
        "plan": _share(plan_ok, n),
        "trained": _share(trained, n),
        "on_time": _share(on_time, n),
        "counts": {"plan": plan_ok, "trained": trained, "on_time": on_time},
    }
    overview.tables["governance"] = Table(
        "governance",
        _("The governance score: shares of the active accounts"),
        [_("Share"), _("Accounts"), _("Active accounts"), _("Per cent")],
        [
            [_("With an approved plan"), plan_ok, n, _share(plan_ok, n)],
            [_("With all editors trained"), trained, n, _share(trained, n)],
            [_("Evaluated on time"), on_time, n, _share(on_time, n)],
        ],
    )


def _hours(overview, per_unit, per_platform, platforms, unit_of_group) -> None:
    names = _group_names(overview)
    by_group = defaultdict(lambda: [0, 0])
    by_platform = defaultdict(lambda: [0, 0])
    for row in per_unit:
        if row["state"] == AccountStatus.ACTIVE and row["key"] in unit_of_group:
            by_group[unit_of_group[row["key"]]][0] += row["planned"] or 0.0
            by_group[unit_of_group[row["key"]]][1] += row["reported"] or 0.0
    for row in per_platform:
        if row["state"] == AccountStatus.ACTIVE:
            by_platform[row["key"]][0] += row["planned"] or 0.0
            by_platform[row["key"]][1] += row["reported"] or 0.0
    columns = [_("Planned hours per week"), _("Reported hours per week")]
    unit_rows = [[names[i], round(p, 1), round(r, 1)] for i, (p, r) in sorted(by_group.items())]
    platform_rows = [
        [platforms[k], round(p, 1), round(r, 1)] for k, (p, r) in sorted(by_platform.items(), key=lambda i: -i[1][0])
    ]
    total = [round(sum(v[0] for v in by_platform.values()), 1), round(sum(v[1] for v in by_platform.values()), 1)]
    overview.headline["hours"] = total
    overview.tables["hours_unit"] = Table(
        "hours_unit",
        _("Hours per week on social media by unit: planned and reported"),
        [_("Unit"), *columns],
        unit_rows,
        chart=_bar(
            [r[0] for r in unit_rows],
            [(columns[0], [r[1] for r in unit_rows]), (columns[1], [r[2] for r in unit_rows])],
        ),
        description=_(
            "Planned: each active account's share of its approved plan's hours. Reported: the hours in each "
            "account's latest evaluation."
        ),
    )
    overview.tables["hours_platform"] = Table(
        "hours_platform",
        _("Hours per week on social media by platform: planned and reported"),
        [_("Platform"), *columns],
        platform_rows,
        chart=_bar(
            [r[0] for r in platform_rows],
            [(columns[0], [r[1] for r in platform_rows]), (columns[1], [r[2] for r in platform_rows])],
        ),
    )


def _plans(overview) -> None:
    plans = _in_units(Plan.objects.all(), overview.scope)
    waiting = plans.filter(status__in=[PlanStatus.SUBMITTED, PlanStatus.IN_REVIEW]).aggregate(
        n=Count("pk"), oldest=Min("submitted_at")
    )
    # From the first version (the first submission) to the decision, read from the versions'
    # side with the plans joined: a plan's own submitted_at moves with every resubmission.
    since = timezone.make_aware(datetime.combine(overview.start, time.min))
    until = timezone.make_aware(datetime.combine(overview.end + timedelta(days=1), time.min))
    decided = (
        _in_units(PlanVersion.objects.filter(number=1), overview.scope, "plan__unit")
        .filter(
            plan__status__in=[PlanStatus.APPROVED, PlanStatus.REJECTED],
            plan__decided_at__gte=since,
            plan__decided_at__lt=until,
        )
        .exclude(plan__decided_at=None)
        # The days worked out by the database: reading two timestamps per plan and parsing them
        # in Python cost more than the rest of the overview together.
        .values_list(DaysBetween("plan__decided_at", "created_at"), flat=True)
    )
    days = list(decided)
    median = round(statistics.median(days), 1) if days else None
    longest = (timezone.now() - waiting["oldest"]).days if waiting["oldest"] else None
    overview.headline["plans_waiting"] = waiting["n"]
    overview.headline["median_days"] = median
    overview.tables["plans"] = Table(
        "plans",
        _("Plans"),
        [_("What"), _("Figure")],
        [
            [_("Plans waiting for review"), waiting["n"]],
            [_("Days the longest-waiting plan has waited"), longest],
            [_("Plans decided in the period"), len(days)],
            [_("Median days from submission to decision"), median],
        ],
    )


def _evaluations(overview) -> None:
    # A draft has no date sent, so the date alone picks the evaluations sent (read from its index).
    sent = (
        _in_units(Evaluation.objects.all(), overview.scope)
        .filter(submitted_on__gte=overview.start, submitted_on__lte=overview.end)
        .count()
    )
    due_soon, overdue = overview.due["due_soon"], overview.due["overdue"]
    overview.headline.update({"due_soon": due_soon, "overdue": overdue})
    overview.tables["evaluations"] = Table(
        "evaluations",
        _("Evaluations"),
        [_("What"), _("Accounts")],
        [
            [_("Due within 14 days"), due_soon],
            [_("Overdue"), overdue],
            [_("Evaluations sent in the period"), sent],
        ],
    )


def _flags(overview, per_platform) -> None:
    live = [row for row in per_platform if row["state"] != AccountStatus.CLOSED]
    plan_missing = sum(r["accounts"] - r["plan_ok"] for r in live)
    rows = [
        [_("Need a new editor"), sum(r["needs_editor"] for r in live)],
        [_("Plan missing"), plan_missing],
        [_("Training missing or expired"), sum(r["lacking_training"] for r in live)],
        [_("Candidates for closure"), sum(r["closure"] for r in live)],
    ]
    overview.headline["flagged"] = {str(r[0]): r[1] for r in rows}
    overview.tables["flags"] = Table(
        "flags",
        _("Accounts flagged (not closed)"),
        [_("Flag"), _("Accounts")],
        rows,
    )


def _goals(overview, platforms, unit_of_group) -> None:
    counts = (
        _in_units(GoalTally.objects.all(), overview.scope)
        .filter(month__gte=overview.start.replace(day=1), month__lte=overview.end)
        .values("unit_id", "platform_id", "attainment")
        .order_by()
        .annotate(n=Sum("n"))
    )
    kinds = [Attainment.MET, Attainment.PARTLY, Attainment.NOT_MET]
    by_group = defaultdict(lambda: dict.fromkeys(kinds, 0))
    by_platform = defaultdict(lambda: dict.fromkeys(kinds, 0))
    for row in counts:
        if row["unit_id"] in unit_of_group:
            by_group[unit_of_group[row["unit_id"]]][row["attainment"]] += row["n"]
        by_platform[row["platform_id"]][row["attainment"]] += row["n"]
    labels = dict(Attainment.choices)
    columns = [str(labels[k]) for k in kinds]
    names = _group_names(overview)
    unit_rows = [[names[i], *[c[k] for k in kinds]] for i, c in sorted(by_group.items())]
    platform_rows = [
        [platforms[p], *[c[k] for k in kinds]] for p, c in sorted(by_platform.items(), key=lambda i: platforms[i[0]])
    ]
    totals = dict.fromkeys(kinds, 0)
    for c in by_platform.values():
        for k in kinds:
            totals[k] += c[k]
    overview.headline["goals"] = totals
    overview.tables["goals_unit"] = Table(
        "goals_unit",
        _("Goals met, partly met and not met, by unit"),
        [_("Unit"), *columns],
        unit_rows,
        chart=_bar(
            [r[0] for r in unit_rows],
            [(columns[i], [r[i + 1] for r in unit_rows]) for i in range(3)],
            stacked=True,
            colors="attainment",
        ),
        description=_("The goals of the evaluations sent in the months of the period."),
    )
    overview.tables["goals_platform"] = Table(
        "goals_platform",
        _("Goals met, partly met and not met, by platform"),
        [_("Platform"), *columns],
        platform_rows,
        chart=_bar(
            [r[0] for r in platform_rows],
            [(columns[i], [r[i + 1] for r in platform_rows]) for i in range(3)],
            stacked=True,
            colors="attainment",
        ),
    )


def _trend(overview) -> None:
    months = _months(overview.start, overview.end)
    stored = {
        row["month"]: row
        for row in _in_units(GovernanceMonth.objects.all(), overview.scope)
        .filter(month__gte=months[0], month__lte=months[-1])
        .values("month")
        .order_by("month")
        .annotate(active=Sum("active"), plan=Sum("plan_approved"), trained=Sum("trained"), on_time=Sum("on_time"))
    }
    this_month = overview.today.replace(day=1)
    g = overview.governance
    rows = []
    for month in months:
        if month == this_month:
            n, plan, trained, on_time = g["active"], g["counts"]["plan"], g["counts"]["trained"], g["counts"]["on_time"]
        elif month in stored:
            row = stored[month]
            n, plan, trained, on_time = row["active"], row["plan"], row["trained"], row["on_time"]
        else:
            continue
        rows.append([_month_label(month), n, _share(plan, n), _share(trained, n), _share(on_time, n)])
    columns = [_("With an approved plan (%)"), _("With all editors trained (%)"), _("Evaluated on time (%)")]
    overview.tables["governance_trend"] = Table(
        "governance_trend",
        _("The governance score by month"),
        [_("Month"), _("Active accounts"), *columns],
        rows,
        chart={
            "type": "line",
            "labels": [r[0] for r in rows],
            "datasets": [{"label": str(columns[i]), "data": [r[i + 2] for r in rows]} for i in range(3)],
            "percent": True,
        },
        description=_("Each month as it ended; this month so far."),
    )


def follower_series(account_ids: list[int], start: date | None, end: date | None) -> dict:
    """Followers at the end of each month, per account: the last count known by then."""
    figures = DailyFigure.objects.filter(account_id__in=account_ids, followers__isnull=False)
    if end is not None:
        figures = figures.filter(day__lte=end)
    points = list(figures.order_by("day").values_list("account_id", "day", "followers"))
    if not points:
        return {"months": [], "series": {}}
    first = start or points[0][1]
    last = end or points[-1][1]
    months = _months(max(first, add_months(last.replace(day=1), -(MAX_MONTHS - 1))), last)
    series = {}
    for account_id in account_ids:
        own = [(d, f) for a, d, f in points if a == account_id]
        values, known, i = [], None, 0
        for month in months:
            month_end = add_months(month, 1) - timedelta(days=1)
            while i < len(own) and own[i][0] <= month_end:
                known = own[i][1]
                i += 1
            values.append(known)
        series[account_id] = values
    return {"months": months, "series": series}


def _followers(overview, account_id) -> None:
    top = _in_units(Schedule.objects.active(), overview.scope).filter(followers__isnull=False)
    ids = list(top.order_by("-followers").values_list("account_id", flat=True)[:TOP_ACCOUNTS])
    if account_id and account_id not in ids:
        allowed = _in_units(Schedule.objects.all(), overview.scope).filter(pk=account_id).exists()
        if allowed:
            ids = [account_id, *ids[: TOP_ACCOUNTS - 1]]
    named = {
        pk: (name, platform)
        for pk, name, platform in Account.objects.filter(pk__in=ids).values_list("pk", "display_name", "platform__name")
    }
    data = follower_series(ids, overview.start, overview.end) if ids else {"months": [], "series": {}}
    labels = [_month_label(m) for m in data["months"]]
    rows = [[f"{named[a][0]} ({named[a][1]})", *data["series"].get(a, [])] for a in ids]
    overview.tables["followers"] = Table(
        "followers",
        _("Followers over time"),
        [_("Account"), *labels],
        rows,
        chart={"type": "line", "labels": labels, "datasets": [{"label": r[0], "data": r[1:]} for r in rows]},
        description=_("The accounts with the most followers, at the end of each month."),
    )


def _bar(labels, datasets, *, stacked=False, colors="") -> dict:
    return {
        "type": "bar",
        "labels": [str(label) for label in labels],
        "datasets": [{"label": str(name), "data": values} for name, values in datasets],
        "stacked": stacked,
        "colors": colors,
    }
