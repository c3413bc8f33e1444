"""Server time and query count of each page: the plan flow with 10,000 plans (target
50 ms), the front page with an adviser's tasks among 10,000 plans and 1,000 open reports of
fake accounts (50 ms, its query count the same as with the demo's few), and the handbook
(chapter 20 ms, search 50 ms, the PDF from cache 20 ms).

Runs in-process with Django's test client against its own SQLite file (or the
database in BENCH_DATABASE_URL), so the figures are the server's own time: URL
routing, middleware, queries and templates, without the network. Prints, per page,
the median and 95th percentile of REPEAT requests, the number of SQL queries, and the
time relative to the trivial health page measured in the same run (machines are
noisy; compare ratios within one run).

    python bench/pages.py            # 10,000 plans
    BENCH_PLANS=2000 python bench/pages.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Organisation, Unit, User  # noqa: E402
from plans.models import Plan, PlanChannel, PlanGoal, PlanStatus, PlanVersion  # noqa: E402
from platforms.models import Platform  # noqa: E402
from registry.models import Report, ReportStatus  # noqa: E402

PLANS = int(os.environ.get("BENCH_PLANS", 10_000))
OPEN_REPORTS = int(os.environ.get("BENCH_REPORTS", 1_000))
REPEAT = int(os.environ.get("BENCH_REPEAT", 40))
PLAN_TARGET_MS = 50


def front_page_queries(adviser) -> int:
    client = Client()
    client.force_login(adviser)
    client.get(reverse("core:home"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("core:home"))
    return len(queries)


def fill():
    call_command("migrate", verbosity=0)
    if not User.objects.exists():
        call_command("demo_load", verbosity=0)
    fill_plans()
    fill_reports()


def fill_reports():
    """Open reports of fake accounts, as the public sends them (no two from one sender)."""
    missing = OPEN_REPORTS - Report.objects.filter(status=ReportStatus.NEW).count()
    if missing <= 0:
        return
    organisations = [o.pk for o in Organisation.objects.trusts()]
    Report.objects.bulk_create(
        Report(
            organisation_id=organisations[n % len(organisations)],
            url=f"https://www.instagram.com/falsk_blodbank_{n}/",
            profile_url=f"https://www.instagram.com/falsk_blodbank_{n}/",
            what_is_wrong="Brukar logoen til sjukehuset og ber om pengar.",
            client_key=f"bench-{n}",
        )
        for n in range(missing)
    )


def fill_plans():
    missing = PLANS - Plan.objects.count()
    if missing <= 0:
        return
    units = list(Unit.objects.all())
    people = list(User.objects.all())
    platforms = list(Platform.objects.all())
    statuses = list(PlanStatus)
    snapshot = Plan.objects.filter(current_version__gt=0).first().versions.first().snapshot
    now = timezone.now()
    with transaction.atomic():
        for start in range(0, missing, 1000):
            batch = [
                Plan(
                    title=f"Plan nummer {i}",
                    unit=units[i % len(units)],
                    author=people[i % len(people)],
                    status=statuses[i % len(statuses)],
                    main_target_group=f"Målgruppe {i}",
                    content_types="Bilete og video",
                    editor=people[(i + 1) % len(people)],
                    hours_per_week=3,
                    current_version=1,
                    submitted_at=now - timezone.timedelta(minutes=i),
                )
                for i in range(start, min(start + 1000, missing))
            ]
            Plan.objects.bulk_create(batch)
            PlanGoal.objects.bulk_create(
                PlanGoal(plan=p, goal="Mål", indicator="Indikator", target_value="10", time_frame="2027") for p in batch
            )
            PlanChannel.objects.bulk_create(
                PlanChannel(plan=p, platform=platforms[n % len(platforms)], justification="Fordi")
                for n, p in enumerate(batch)
            )
            PlanVersion.objects.bulk_create(PlanVersion(plan=p, number=1, snapshot=snapshot) for p in batch)


def measure(client, url):
    """Median and 95th percentile of the wall time, the median CPU time of this process
    (the server's own work, which other programs on a busy machine do not inflate; SQLite
    runs in-process, so its work counts too), and the number of queries."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times, cpu = [], []
    for _ in range(REPEAT):
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], statistics.median(cpu), len(queries)


def main():
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    demo_only = None
    if not User.objects.exists():
        call_command("demo_load", verbosity=0)
        demo_only = front_page_queries(User.objects.get(email="radgivar@eksempel.no"))
    fill()
    member = User.objects.get(email="medlem@eksempel.no")
    leader = User.objects.get(email="leiar@eksempel.no")
    adviser = User.objects.get(email="radgivar@eksempel.no")
    blood = Plan.objects.filter(unit__name="Blodbanken i Bergen", current_version=2).get()
    draft = Plan.objects.filter(unit__name="Blodbanken i Bergen", status=PlanStatus.DRAFT).first()
    T = PLAN_TARGET_MS
    pages = [
        ("health (baseline)", None, reverse("core:health"), None),
        ("front page, member", member, reverse("core:home"), T),
        ("front page, leader", leader, reverse("core:home"), T),
        ("front page, adviser (tasks)", adviser, reverse("core:home"), T),
        ("plan list, member", member, reverse("plans:list"), T),
        ("plan list, adviser (all plans)", adviser, reverse("plans:list"), T),
        ("plan list, adviser, filtered", adviser, reverse("plans:list") + "?status=submitted&page=3", T),
        ("review queue", adviser, reverse("plans:queue"), T),
        ("review queue, page 40", adviser, reverse("plans:queue") + "?page=40", T),
        ("plan page, member", member, reverse("plans:detail", args=[blood.pk]), T),
        ("plan page, adviser", adviser, reverse("plans:detail", args=[blood.pk]), T),
        ("edit form", member, reverse("plans:edit", args=[draft.pk]), T),
        ("review page", adviser, reverse("plans:review", args=[blood.pk]), T),
        ("version", adviser, reverse("plans:version", args=[blood.pk, 1]), T),
        ("compare versions", adviser, reverse("plans:compare", args=[blood.pk]), T),
        ("new plan page", member, reverse("plans:create"), T),
        ("handbook chapter", None, reverse("handbook:chapter", args=["evaluering"]), 20),
        ("strategy", None, reverse("handbook:strategy"), 20),
        ("handbook contents", None, reverse("handbook:index"), 20),
        ("handbook search", None, reverse("handbook:search") + "?q=teieplikt+pasient", 50),
        (
            "handbook search, three words",
            None,
            reverse("handbook:search") + "?q=evaluering+m%C3%A5l+f%C3%B8lgjarar",
            50,
        ),
        # Nothing found: other spellings that do find something, and the chapters.
        ("handbook search, no hits", None, reverse("handbook:search") + "?q=taushetsplikt", 50),
        ("handbook PDF (from cache)", None, reverse("handbook:pdf"), 20),
    ]
    reports = Report.objects.filter(status=ReportStatus.NEW).count()
    print(
        f"{Plan.objects.count():,} plans and {reports:,} open reports in the database ({connection.vendor}); "
        f"{REPEAT} requests per page\n"
    )
    print(f"{'page':34} {'median ms':>10} {'p95 ms':>8} {'cpu ms':>7} {'queries':>8} {'× health':>9} {'target':>7}")
    baseline = None
    slow = []
    for name, user, url, target in pages:
        client = Client()
        if user:
            client.force_login(user)
        median, p95, cpu, queries = measure(client, url)
        baseline = baseline or median
        print(f"{name:34} {median:10.1f} {p95:8.1f} {cpu:7.1f} {queries:8d} {median / baseline:9.1f} {target or '':>7}")
        if target and median > target:
            slow.append(name)
    print("\nEvery page within its target (median)." if not slow else f"\nOver target: {', '.join(slow)}")
    full = front_page_queries(adviser)
    if demo_only is not None:
        verdict = "flat" if full == demo_only else "GROWS"
        print(
            f"Adviser's front page: {demo_only} queries with the demo data, {full} with the full dataset ({verdict})."
        )
    else:
        print(f"Adviser's front page: {full} queries (delete var/bench.sqlite3 to compare with the demo data alone).")


if __name__ == "__main__":
    main()
