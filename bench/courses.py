"""The courses at hospital scale: the course list, a session page with 200 participants,
and the competence overview of the whole hospital with 20,000 staff (each target
50 ms), with query counts compared at a tenth of the size and at full size.

Uses the same database and method as bench/pages.py (in-process test client; median
and 95th percentile of REPEAT requests; the trivial health page as the baseline in the
same run). Editors and deputies are drawn from the staff: one in five runs an account,
and one in eight of those lacks valid training.

    python bench/courses.py                # 20,000 staff
    BENCH_STAFF=5000 python bench/courses.py
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.utils import timezone  # noqa: E402
from pages import REPEAT, CaptureQueriesContext, Client, connection, fill, measure, reverse, settings, transaction  # noqa: E402

from accounts.models import Membership, Unit, User  # noqa: E402
from core.periodic import refresh_query_statistics  # noqa: E402
from courses.models import Completion, Course, Enrollment, EnrollmentStatus, Session  # noqa: E402
from courses.services import editor_status_refresh  # noqa: E402
from platforms.models import Platform  # noqa: E402
from registry.models import Account, AccountStatus  # noqa: E402

STAFF = int(os.environ.get("BENCH_STAFF", 20_000))
PARTICIPANTS = 200
TARGET_MS = 50


def fill_staff(total: int) -> None:
    """Staff up to `total`, each in a unit; one in five runs an account; completions for
    the trained ones."""
    existing = User.objects.filter(email__startswith="tilsett").count()
    missing = total - existing
    if missing <= 0:
        return
    units = list(Unit.objects.all())
    basic = Course.objects.get(slug="grunnkurs")
    instagram = Platform.objects.get(slug="instagram")
    password = make_password(None)
    today = timezone.localdate()
    with transaction.atomic():
        for first in range(existing, existing + missing, 2000):
            numbers = range(first, min(first + 2000, existing + missing))
            User.objects.bulk_create(
                User(email=f"tilsett{i:06d}@eksempel.no", full_name=f"Tilsett {i:06d}", password=password)
                for i in numbers
            )
            people = list(User.objects.filter(email__in=[f"tilsett{i:06d}@eksempel.no" for i in numbers]))
            Membership.objects.bulk_create(Membership(user=p, unit=units[n % len(units)]) for n, p in enumerate(people))
            for organisation_id in {unit.organisation_id for unit in units}:  # each their unit's organisation's
                User.objects.filter(
                    pk__in=[p.pk for p in people], memberships__unit__organisation_id=organisation_id
                ).update(organisation_id=organisation_id)
            editors = people[::5]
            accounts = [
                Account(
                    code=f"k{p.pk:07d}"[:12],
                    platform=instagram,
                    handle=f"bench_{p.pk}",
                    handle_key=f"bench_{p.pk}",
                    url=f"https://www.instagram.com/bench_{p.pk}/",
                    display_name=f"Konto for {p.full_name}",
                    purpose="Informasjon",
                    unit=units[n % len(units)],
                    editor=p,
                    login_email=f"bench{p.pk}@helse-bergen.example",
                    response_hours="Kvardagar",
                    response_time="Ein dag",
                    status=AccountStatus.ACTIVE,
                    training_missing=n % 8 == 0,
                )
                for n, p in enumerate(editors)
            ]
            Account.objects.bulk_create(accounts)
            saved = Account.objects.filter(code__in=[a.code for a in accounts]).only("pk", "editor_id")
            by_editor = {a.editor_id: a.pk for a in saved}
            deputies = people[1::5]
            Account.deputies.through.objects.bulk_create(
                Account.deputies.through(account_id=by_editor[e.pk], user_id=d.pk)
                for e, d in zip(editors, deputies, strict=False)
            )
            Completion.objects.bulk_create(
                Completion(
                    user=p,
                    course=basic,
                    completed_on=today - timedelta(days=100),
                    valid_until=today + timedelta(days=600),
                )
                for n, p in enumerate(editors + deputies)
                if n % 8
            )
    refresh_query_statistics()


def big_session(adviser) -> Session:
    session = Session.objects.filter(note="bench: 200 participants").first()
    if session:
        return session
    start = timezone.now() + timedelta(days=40)
    course = Course.objects.get(slug="grunnkurs")
    session = Session.objects.create(
        course=course,
        organisation_id=course.organisation_id or adviser.organisation_id,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        place="Auditoriet",
        capacity=PARTICIPANTS,
        note="bench: 200 participants",
    )
    session.instructors.set([adviser])
    people = User.objects.filter(email__startswith="tilsett").order_by("pk")[: PARTICIPANTS + 20]
    now = timezone.now()
    Enrollment.objects.bulk_create(
        Enrollment(
            session=session,
            user=p,
            status=EnrollmentStatus.CONFIRMED if n < PARTICIPANTS else EnrollmentStatus.WAITING,
            signed_up_at=now + timedelta(seconds=n),
            confirmed_at=now if n < PARTICIPANTS else None,
            sequence=0,
        )
        for n, p in enumerate(people)
    )
    return session


def pages(adviser, leader, session):
    T = TARGET_MS
    return [
        ("health (baseline)", None, reverse("core:health"), None),
        ("course list", adviser, reverse("courses:list"), T),
        ("course page", adviser, reverse("courses:detail", args=["grunnkurs"]), T),
        (f"session, {PARTICIPANTS} participants", adviser, reverse("courses:session", args=[session.pk]), T),
        ("attendance form", adviser, reverse("courses:attendance", args=[session.pk]), T),
        ("competence, whole hospital", adviser, reverse("courses:competence"), T),
        ("competence, only missing", adviser, reverse("courses:competence") + "?only_missing=on", T),
        ("competence, page 20", adviser, reverse("courses:competence") + "?page=20", T),
        ("competence, a leader", leader, reverse("courses:competence"), T),
        ("my courses", leader, reverse("courses:record"), T),
    ]


def cpu_ms(client, url) -> float:
    """The median processor time of a request in this process (the server's own work,
    SQLite's included): steadier than wall time when other programs share the cores."""
    times = []
    for _ in range(REPEAT // 2):
        start = time.process_time()
        client.get(url)
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def main():
    fill()
    settings.ALLOWED_HOSTS = ["testserver"]
    adviser = User.objects.get(email="radgivar@eksempel.no")
    leader = User.objects.get(email="leiar@eksempel.no")
    fill_staff(STAFF // 10)
    editor_status_refresh(day=timezone.localdate())
    session = big_session(adviser)
    small = {}
    for name, user, url, _target in pages(adviser, leader, session):
        client = Client()
        if user:
            client.force_login(user)
        small[name] = count(client, url)
    fill_staff(STAFF)
    # What the periodic job keeps up to date in the running portal: each editor's status
    # (the register's benchmark adds accounts behind the services' back).
    editor_status_refresh(day=timezone.localdate())
    staff = User.objects.filter(email__startswith="tilsett").count()
    print(f"{staff:,} staff, {Account.objects.count():,} accounts ({connection.vendor}); {REPEAT} requests per page\n")
    print(f"{'page':30} {'median ms':>10} {'p95 ms':>8} {'cpu ms':>7} {'queries':>8} {'× health':>9} {'target':>7}")
    baseline, slow, slow_cpu, large = None, [], [], {}
    for name, user, url, target in pages(adviser, leader, session):
        client = Client()
        if user:
            client.force_login(user)
        median, p95, queries = measure(client, url)
        cpu = cpu_ms(client, url)
        baseline = baseline or median
        large[name] = queries
        print(f"{name:30} {median:10.2f} {p95:8.2f} {cpu:7.2f} {queries:8d} {median / baseline:9.1f} {target or '':>7}")
        if target and median > target:
            slow.append(name)
        if target and cpu > target:
            slow_cpu.append(name)
    print("\nEvery page within its target (median)." if not slow else f"\nOver target (median): {', '.join(slow)}")
    print("Every page within its target (cpu)." if not slow_cpu else f"Over target (cpu): {', '.join(slow_cpu)}")
    grew = [name for name in large if large[name] > small[name]]
    print(
        f"Queries with {STAFF // 10:,} and with {STAFF:,} staff: "
        + ("the same on every page." if not grew else f"more on {', '.join(grew)}")
    )


if __name__ == "__main__":
    main()
