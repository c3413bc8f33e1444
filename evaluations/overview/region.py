"""A region's organisations side by side: the governance score, the plans' lead times and the
goals met, for each organisation and for the whole region. Read by a region's advisers, who
decide nothing in the organisations.

Five grouped queries (one per kind of figure, grouped by organisation), so the page costs the
same for two organisations as for twenty."""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.models import Plan, PlanStatus, PlanVersion
from registry.models import AccountStatus

from ..models import AccountTally, Attainment, GoalTally, Schedule
from .parts import DaysBetween, Table, _share

ORG = "unit__organisation_id"


@dataclass
class RegionRow:
    """One organisation's figures (or the whole region's)."""

    name: str
    slug: str = ""
    active: int = 0
    plan: int = 0
    trained: int = 0
    overdue: int = 0
    waiting: int = 0
    days: list = field(default_factory=list)
    goals: dict = field(default_factory=lambda: dict.fromkeys(KINDS, 0))

    @property
    def on_time(self) -> int:
        return self.active - self.overdue

    @property
    def median_days(self):
        return round(statistics.median(self.days), 1) if self.days else None

    @property
    def goals_met_share(self):
        return _share(self.goals[Attainment.MET], sum(self.goals.values()))

    def cells(self) -> list:
        return [
            self.name,
            self.active,
            _share(self.plan, self.active),
            _share(self.trained, self.active),
            _share(self.on_time, self.active),
            self.waiting,
            len(self.days),
            self.median_days,
            *[self.goals[k] for k in KINDS],
            self.goals_met_share,
        ]


KINDS = [Attainment.MET, Attainment.PARTLY, Attainment.NOT_MET]


@dataclass
class Region:
    start: date
    end: date
    today: date
    rows: list[RegionRow]
    total: RegionRow
    tables: dict[str, Table] = field(default_factory=dict)


def region_build(*, organisations: list, start: date, end: date, today: date, whole_label: str) -> Region:
    """The figures of `organisations` (accounts.Organisation, in the order shown) in the period."""
    by_id = {o.pk: RegionRow(o.label, o.slug) for o in organisations}
    ids = list(by_id)

    for row in (
        AccountTally.objects.filter(status=AccountStatus.ACTIVE, unit__organisation_id__in=ids)
        .values(ORG)
        .order_by()
        .annotate(n=Sum("n"), plan=Sum("plan_approved"), trained=Sum("trained"))
    ):
        target = by_id[row[ORG]]
        target.active, target.plan, target.trained = row["n"] or 0, row["plan"] or 0, row["trained"] or 0

    overdue = Schedule.objects.overdue(today).of_organisations(ids).values(ORG).order_by().annotate(n=Count("pk"))
    for row in overdue:
        by_id[row[ORG]].overdue = row["n"]

    waiting = (
        Plan.objects.of_organisations(ids)
        .filter(status__in=[PlanStatus.SUBMITTED, PlanStatus.IN_REVIEW])
        .values(ORG)
        .order_by()
        .annotate(n=Count("pk"))
    )
    for row in waiting:
        by_id[row[ORG]].waiting = row["n"]

    # From the first submission to the decision, as on each organisation's own overview.
    since = timezone.make_aware(datetime.combine(start, time.min))
    until = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    decided = (
        PlanVersion.objects.filter(
            number=1,
            plan__unit__organisation_id__in=ids,
            plan__status__in=[PlanStatus.APPROVED, PlanStatus.REJECTED],
            plan__decided_at__gte=since,
            plan__decided_at__lt=until,
        )
        .exclude(plan__decided_at=None)
        .values_list("plan__unit__organisation_id", DaysBetween("plan__decided_at", "created_at"))
    )
    for organisation_id, days in decided:
        by_id[organisation_id].days.append(days)

    goals = (
        GoalTally.objects.filter(unit__organisation_id__in=ids, month__gte=start.replace(day=1), month__lte=end)
        .values(ORG, "attainment")
        .order_by()
        .annotate(n=Sum("n"))
    )
    for row in goals:
        by_id[row[ORG]].goals[row["attainment"]] += row["n"] or 0

    rows = list(by_id.values())
    total = RegionRow(whole_label)
    for row in rows:
        total.active += row.active
        total.plan += row.plan
        total.trained += row.trained
        total.overdue += row.overdue
        total.waiting += row.waiting
        total.days += row.days
        for kind in KINDS:
            total.goals[kind] += row.goals[kind]
    region = Region(start, end, today, rows, total)
    labels = dict(Attainment.choices)
    columns = [
        _("Organisation"),
        _("Active accounts"),
        _("With an approved plan (%)"),
        _("With all editors trained (%)"),
        _("Evaluated on time (%)"),
        _("Plans waiting for review"),
        _("Plans decided in the period"),
        _("Median days from submission to decision"),
        *[str(labels[k]) for k in KINDS],
        _("Goals met (%)"),
    ]
    table_rows = [row.cells() for row in rows] + [total.cells()]
    region.tables["region"] = Table(
        "region",
        _("The organisations side by side"),
        columns,
        table_rows,
        chart={
            "type": "bar",
            "labels": [r.name for r in rows],
            "datasets": [{"label": str(columns[i]), "data": [r[i] for r in table_rows[:-1]]} for i in (2, 3, 4)],
            "percent": True,
            "stacked": False,
            "colors": "",
        },
        description=_(
            "The governance score is the share of each organisation's active accounts with an approved plan, "
            "with all editors trained and evaluated on time. Goals: those of the evaluations sent in the period."
        ),
    )
    return region
