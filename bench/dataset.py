"""A national-scale dataset for the load benchmark, in a database of its own.

    python bench/dataset.py build DATABASE_URL [--scale 1.0]
    python bench/dataset.py queries DATABASE_URL < requests.json

`build` fills an empty database (migrations, the demo data, then each part of PARTS in bulk)
and prints, as JSON, how long each part took and the `fixtures`: the ids, codes and addresses
the benchmark's pages are built from. At scale 1 there are 20 health trusts of one region (the
demo's Helse Bergen and Helse Stavanger among them, each its own organisation with a share of the
units, people, plans, accounts and reports), 2,000 units, 20,000 users, 50,000
plans with their versions and reviews, 100,000 accounts across the platforms, reports and the
handbook with its history. The dataset is the same on SQLite and PostgreSQL.

`queries` reads a list of {"user": email or null, "paths": [...]} and prints the number of SQL
queries each path costs, asked in-process with Django's test client against the same database.

A new app's data is one more entry in PARTS and one function `part(build) -> int` that adds
its rows in bulk (`bulk_create` in batches; ids from `build.ids`) and returns how many it made;
fixtures its pages need go into `build.fixtures`.
"""

import io
import json
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BATCH = 2000
PASSWORD = "demo"  # the demo people's password; the benchmark logs in as them


@dataclass
class Build:
    scale: float
    ids: dict[str, list[int]] = field(default_factory=dict)
    fixtures: dict = field(default_factory=dict)

    def count(self, national: int) -> int:
        return max(1, round(national * self.scale))


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def batches(items, size=BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert(model, rows, **options) -> list:
    """Bulk insert in batches; the rows come back with their ids."""
    made = []
    for batch in batches(rows):
        made.extend(model.objects.bulk_create(batch, **options))
    return made


ATTAINMENTS = ["met", "met", "partly", "not_met"]


def goal_results(evaluations, goal: str) -> None:
    """Two goal results for each evaluation (met, met, partly met or not met in turn), with the
    unit, platform and date the overview counts them by. Also used by bench/evaluations.py."""
    from evaluations.models import GoalResult

    GoalResult.objects.bulk_create(
        GoalResult(
            evaluation=e,
            position=g,
            goal=goal,
            attainment=ATTAINMENTS[(e.pk + g) % 4],
            unit_id=e.unit_id,
            platform_id=e.platform_id,
            evaluated_on=e.submitted_on,
        )
        for e in evaluations
        for g in range(2)
    )


def goal_tallies_recount() -> list:
    """The monthly goal tallies counted afresh from the goal results, as evaluation_submit keeps
    them one evaluation at a time. Also used by bench/evaluations.py."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from evaluations.models import GoalResult, GoalTally

    GoalTally.objects.all().delete()
    return insert(
        GoalTally,
        [
            GoalTally(
                month=r["month"],
                unit_id=r["unit_id"],
                platform_id=r["platform_id"],
                attainment=r["attainment"],
                n=r["n"],
            )
            for r in GoalResult.objects.exclude(attainment="")
            .annotate(month=TruncMonth("evaluated_on"))
            .values("month", "unit_id", "platform_id", "attainment")
            .order_by()
            .annotate(n=Count("*"))
        ],
    )


# -- The parts -------------------------------------------------------------------------------


def people(build: Build) -> int:
    from django.contrib.auth.hashers import make_password

    from accounts.models import User

    password = make_password(PASSWORD)  # hashed once: hashing 20,000 times would take minutes
    total = build.count(20_000)
    languages = ["nb"] * 6 + ["nn"] * 3 + ["en"]
    users = insert(
        User,
        [
            User(
                email=f"tilsett{i:05d}@helse.example",
                full_name=f"Tilsett {i:05d}",
                password=password,
                language=languages[i % len(languages)],
                is_active=i % 50 != 0,  # some have left
            )
            for i in range(total)
        ],
    )
    build.ids["users"] = [u.pk for u in users if u.is_active]
    return total


def organisations(build: Build) -> int:
    """About twenty health trusts of one region, one for each trust in the unit tree: the demo's
    (Helse Bergen, Helse Stavanger) and as many more as needed, all in the demo's region."""
    from accounts import organisations as catalogue
    from accounts.models import Organisation

    region = Organisation.objects.get(is_region=True)
    existing = list(Organisation.objects.trusts().order_by("pk").values_list("pk", flat=True))
    wanted = min(20, max(len(existing), build.count(2_000) // 100))
    made = insert(
        Organisation,
        [
            Organisation(
                name=f"Helseføretak {n:02d}",
                short_name=f"HF {n:02d}",
                slug=f"helseforetak-{n:02d}",
                region=region,
                mailbox=f"kommunikasjon@hf{n:02d}.example",
                sender=f"some@hf{n:02d}.example",
            )
            for n in range(len(existing) + 1, wanted + 1)
        ],
    )
    catalogue.forget()  # bulk_create does not save one by one
    build.ids["organisations"] = existing + [o.pk for o in made]
    return len(made)


def units(build: Build) -> int:
    """Trusts → clinics → departments → sections, with leaders and members: each trust is one
    organisation's (in turn), and every unit below it and every person in it are that one's."""
    from accounts.models import Membership, Unit, User, default_organisation

    total = build.count(2_000)
    users = build.ids["users"]
    organisation_ids = build.ids["organisations"]
    levels = [
        (Unit.Kind.TRUST, max(len(organisation_ids), total // 100)),
        (Unit.Kind.CLINIC, max(1, total // 10)),
        (Unit.Kind.DEPARTMENT, max(1, total * 39 // 100)),
    ]
    levels.append((Unit.Kind.SECTION, max(1, total - sum(n for _kind, n in levels))))
    parents, made = [], []
    organisation_of: dict[int, int] = {}
    for kind, count in levels:
        rows = [
            Unit(
                name=f"{kind.label} {i + 1:04d}",
                kind=kind,
                parent_id=parents[i % len(parents)] if parents else None,
                organisation_id=organisation_of[parents[i % len(parents)]]
                if parents
                else organisation_ids[i % len(organisation_ids)],
                leader_id=users[(len(made) + i) * 7 % len(users)] if i % 5 else None,  # some lead through a parent
            )
            for i in range(count)
        ]
        parents = [u.pk for u in insert(Unit, rows)]
        organisation_of.update((u.pk, u.organisation_id) for u in rows)
        made.extend(parents)
    build.ids["units"] = made
    build.ids["unit_organisations"] = [organisation_of[pk] for pk in made]
    insert(Membership, [Membership(user_id=pk, unit_id=made[n % len(made)]) for n, pk in enumerate(users)])
    # People are their unit's organisation's; those in no unit (who left) the default's.
    for organisation_id in organisation_ids:
        User.objects.filter(organisation__isnull=True, memberships__unit__organisation_id=organisation_id).update(
            organisation_id=organisation_id
        )
    User.objects.filter(organisation__isnull=True).update(organisation_id=default_organisation().pk)
    return len(made)


def plans(build: Build) -> int:
    """Plans in every state, each submission a version, each decision a review comment."""
    from django.utils import timezone

    from accounts.models import default_organisation
    from plans.models import Plan, PlanChannel, PlanComment, PlanGoal, PlanStatus, PlanVersion
    from platforms.models import Platform

    total = build.count(50_000)
    units, users = build.ids["units"], build.ids["users"]
    platforms = list(Platform.objects.values_list("pk", flat=True))
    # A real plan's frozen version, from the demo data.
    snapshot = PlanVersion.objects.order_by("pk").values_list("snapshot", flat=True).first() or {}
    statuses = [
        (PlanStatus.DRAFT, 0),
        (PlanStatus.AWAITING_LEADER, 0),
        (PlanStatus.SUBMITTED, 1),
        (PlanStatus.IN_REVIEW, 1),
        (PlanStatus.CHANGES_REQUESTED, 1),
        (PlanStatus.IN_REVIEW, 2),
        (PlanStatus.APPROVED, 1),
        (PlanStatus.APPROVED, 2),
        (PlanStatus.APPROVED, 3),
        (PlanStatus.REJECTED, 1),
        (PlanStatus.WITHDRAWN, 1),
    ]
    comment_kind = {
        PlanStatus.CHANGES_REQUESTED: PlanComment.Kind.CHANGES_REQUESTED,
        PlanStatus.APPROVED: PlanComment.Kind.APPROVED,
        PlanStatus.REJECTED: PlanComment.Kind.REJECTED,
    }
    now = timezone.now()
    reviewers = users[:40]
    made = []
    for batch in batches(range(total)):
        rows = []
        for i in batch:
            status, versions = statuses[i % len(statuses)]
            rows.append(
                Plan(
                    unit_id=units[i % len(units)],
                    author_id=users[i % len(users)],
                    editor_id=users[(i + 1) % len(users)],
                    reviewer_id=reviewers[i % len(reviewers)] if versions else None,
                    status=status,
                    main_target_group=f"Pasientar og pårørande, gruppe {i}",
                    content_types="Bilete, video og korte tekstar",
                    hours_per_week=3,
                    current_version=versions,
                    submitted_at=now - timedelta(minutes=i) if versions else None,
                    decided_at=now - timedelta(minutes=i // 2) if status in comment_kind else None,
                )
            )
        plans = Plan.objects.bulk_create(rows)
        made.extend(p.pk for p in plans)
        PlanGoal.objects.bulk_create(
            PlanGoal(plan=p, goal="Fleire blodgjevarar", indicator="Nye givarar", target_value="200", time_frame="2027")
            for p in plans
        )
        PlanChannel.objects.bulk_create(
            PlanChannel(plan=p, platform_id=platforms[p.pk % len(platforms)], justification="Der målgruppa er")
            for p in plans
        )
        Plan.deputies.through.objects.bulk_create(
            Plan.deputies.through(plan_id=p.pk, user_id=users[(p.pk + 2) % len(users)]) for p in plans
        )
        PlanVersion.objects.bulk_create(
            PlanVersion(plan=p, number=n, snapshot=snapshot, submitted_by_id=p.author_id)
            for p in plans
            for n in range(1, p.current_version + 1)
        )
        PlanComment.objects.bulk_create(
            [
                PlanComment(
                    plan=p,
                    author_id=p.reviewer_id,
                    kind=comment_kind.get(p.status, PlanComment.Kind.CHANGES_REQUESTED)
                    if n == p.current_version
                    else PlanComment.Kind.CHANGES_REQUESTED,
                    body="Tydelegare mål, takk." if n < p.current_version else "Ser bra ut.",
                    version_number=n,
                )
                for p in plans
                if p.current_version and (p.status in comment_kind or p.current_version > 1)
                for n in range(1, p.current_version + 1)
                if n < p.current_version or p.status in comment_kind
            ]
        )
    build.ids["plans"] = made
    build.ids["approved_plans"] = list(
        Plan.objects.filter(pk__in=made[:5000], status=PlanStatus.APPROVED).values_list("pk", flat=True)
    )
    # One the demo's adviser may open: a plan of their organisation's (the default one's).
    build.fixtures["plan_with_versions"] = Plan.objects.filter(
        pk__in=made, current_version=3, unit__organisation=default_organisation()
    ).values_list("pk", flat=True)[0]
    return total


def _address_makers():
    """For each platform whose rules read a plain handle, how an account's address and handle
    key look: read once per platform, then filled in per account (reading 100,000 would be slow)."""
    from platforms.models import Platform
    from platforms.profiles import NotAProfile, read_profile

    sample = "konto7777777"
    makers = []
    for platform in Platform.objects.all():
        try:
            profile = read_profile(platform.profile_url_pattern.replace("{handle}", sample), platform=platform)
        except NotAProfile:
            continue
        if sample in profile.url and profile.handle == sample:
            makers.append((platform, profile.url.replace(sample, "{}")))
    return makers


def accounts(build: Build) -> int:
    """Accounts on every platform: most active, some being set up, paused or closed; one in
    five without an approved plan."""
    from registry.models import CODE_ALPHABET, Account, AccountStatus

    total = build.count(100_000)
    units, users, plans = build.ids["units"], build.ids["users"], build.ids["approved_plans"]
    makers = _address_makers()
    statuses = [AccountStatus.ACTIVE] * 7 + [AccountStatus.SETUP, AccountStatus.PAUSED, AccountStatus.CLOSED]

    def code(i: int) -> str:
        letters = []
        for _ in range(6):
            i, r = divmod(i, len(CODE_ALPHABET))
            letters.append(CODE_ALPHABET[r])
        return "".join(letters)

    made = []
    for batch in batches(range(total)):
        rows = []
        for i in batch:
            platform, url = makers[i % len(makers)]
            handle = f"konto{i:07d}"
            status = statuses[i % len(statuses)]
            name = f"Konto {i:06d} ved {['Blodbanken', 'Barneklinikken', 'Kreftavdelinga', 'Hudavdelinga'][i % 4]}"
            rows.append(
                Account(
                    code=code(i + 10_000_000),
                    platform=platform,
                    handle=handle,
                    handle_key=handle,
                    url=url.format(handle),
                    display_name=name,
                    search_name=name.casefold(),
                    purpose="Informasjon til pasientar og pårørande",
                    languages=["nb", "nn"],
                    unit_id=units[i % len(units)],
                    plan_id=plans[i % len(plans)] if i % 5 and plans else None,
                    editor_id=users[i % len(users)],
                    login_email=f"konto{i}@helse.example",
                    response_hours="Kvardagar 08–15",
                    response_time="Innan éin arbeidsdag",
                    status=status,
                    live_since="2024-01-01" if status != AccountStatus.SETUP else None,
                    closed_on="2025-06-01" if status == AccountStatus.CLOSED else None,
                )
            )
        accounts = Account.objects.bulk_create(rows)
        made.extend(accounts)
        Account.deputies.through.objects.bulk_create(
            Account.deputies.through(account_id=a.pk, user_id=users[(n + 1) % len(users)])
            for n, a in enumerate(accounts)
        )
    chosen = made[len(made) // 2 : len(made) // 2 + 40]
    official = [a for a in chosen if a.status == AccountStatus.ACTIVE]
    closed = [a for a in chosen if a.status == AccountStatus.CLOSED]
    build.fixtures.update(
        official_url=official[0].url,
        official_code=official[0].code,
        official_handle=official[0].handle,
        official_urls=[a.url for a in official[:8]],
        closed_urls=[a.url for a in closed[:2]],
        account_id=official[0].pk,
        unit_with_accounts=official[0].unit_id,
        platform_slug=official[0].platform.slug,
    )
    return total


def reports(build: Build) -> int:
    """The public's reports, all older than the rate limit's hour."""
    from django.utils import timezone

    from registry.models import Report, ReportStatus

    total = build.count(5_000)
    statuses = list(ReportStatus)
    organisation_ids = build.ids["organisations"]
    made = insert(
        Report,
        [
            Report(
                url=f"https://www.instagram.com/falsk_konto_{i}/",
                profile_url=f"https://www.instagram.com/falsk_konto_{i}/",
                what_is_wrong="Brukar logoen til sjukehuset utan løyve.",
                organisation_id=organisation_ids[i % len(organisation_ids)],
                status=statuses[i % len(statuses)],
                client_key=f"{i % 997:064x}",
            )
            for i in range(total)
        ],
    )
    Report.objects.filter(pk__in=[r.pk for r in made]).update(created_at=timezone.now() - timedelta(days=3))
    return total


def handbook(build: Build) -> int:
    """The shipped handbook with a history: each chapter published a few times over."""
    from handbook.models import Document, DocumentVersion

    made = []
    for document in Document.objects.published():
        version = document.published
        made.extend(
            DocumentVersion(
                document=document,
                number=version.number + n,
                title=version.title,
                body=version.body,
                body_html=version.body_html,
                search_text=version.search_text,
            )
            for n in range(1, 5)
        )
    made = insert(DocumentVersion, made)
    latest = {}
    for version in made:
        latest[version.document_id] = version.pk
    for document_id, pk in latest.items():
        Document.objects.filter(pk=document_id).update(published_id=pk)
    build.fixtures["chapter"] = (
        Document.objects.published().chapters().values_list("slug", flat=True)[3]
    )  # "Dette gjer vi ikkje …"
    return len(made)


def audit(build: Build) -> int:
    """An audit trail as long as the register's and the plans' lives."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import AuditEntry
    from plans.models import Plan
    from registry.models import Account

    account_type = ContentType.objects.get_for_model(Account)
    plan_type = ContentType.objects.get_for_model(Plan)
    actor = build.ids["users"][0]
    rows = [
        AuditEntry(target_type=account_type, target_id=pk, action="account.registered", actor_id=actor)
        for pk in Account.objects.values_list("pk", flat=True).iterator()
    ] + [
        AuditEntry(target_type=plan_type, target_id=pk, action="plan.submitted", actor_id=actor)
        for pk in build.ids["plans"]
    ]
    insert(AuditEntry, rows)
    return len(rows)


def courses(build: Build) -> int:
    """Training: most editors and deputies hold the basic course (one in eight does not, and
    their accounts say so), a year of sessions with a few sign-ups each, one session with 200
    participants and a waiting list, and each editor's competence status."""
    from django.utils import timezone

    from courses.models import Completion, Course, Enrollment, EnrollmentStatus, Session
    from courses.services import editor_status_refresh
    from registry.models import Account

    today = timezone.localdate()
    now = timezone.now()
    from accounts.models import User, default_organisation

    users = build.ids["users"]
    adviser_id = User.objects.get(email="radgivar@eksempel.no").pk
    # The courses some organisation's gate requires (the demo's: the basic course).
    required = list(
        Course.objects.filter(is_published=True, required_by__isnull=False).distinct().values_list("pk", flat=True)
    )
    course_ids = list(Course.objects.filter(is_published=True).values_list("pk", flat=True))
    # Editors and deputies are drawn from every user (accounts: users[i]; deputies: users[i + 1]).
    untrained = set(users[::8])
    rows = [
        Completion(
            user_id=pk,
            course_id=course,
            completed_on=today - timedelta(days=30 + n % 700),
            valid_until=today + timedelta(days=30 + n % 700),
            recorded_by_id=adviser_id,
        )
        for n, pk in enumerate(users)
        if pk not in untrained
        for course in required
    ]
    made = len(insert(Completion, rows))
    # The accounts whose editor lacks the course carry the mark the periodic job keeps.
    for batch in batches(sorted(untrained), 500):
        Account.objects.filter(editor_id__in=batch).update(training_missing=True)

    total = build.count(400)
    # A course's sessions are held by its organisation; a regional course's, by the default one.
    default_id = default_organisation().pk
    held_by = {pk: organisation or default_id for pk, organisation in Course.objects.values_list("pk", "organisation")}
    sessions = insert(
        Session,
        [
            Session(
                course_id=course_ids[n % len(course_ids)],
                organisation_id=held_by[course_ids[n % len(course_ids)]],
                starts_at=now + timedelta(days=n - total // 2, hours=n % 5),
                ends_at=now + timedelta(days=n - total // 2, hours=n % 5 + 3),
                place=f"Møterom {n % 30 + 1}",
                capacity=20,
            )
            for n in range(total)
        ],
    )
    Session.instructors.through.objects.bulk_create(
        Session.instructors.through(session_id=s.pk, user_id=adviser_id) for s in sessions
    )
    enrollments = [
        Enrollment(
            session_id=s.pk,
            user_id=users[(n * 13 + k) % len(users)],
            status=EnrollmentStatus.CONFIRMED,
            signed_up_at=now - timedelta(days=60),
            confirmed_at=now - timedelta(days=60),
        )
        for n, s in enumerate(sessions)
        for k in range(8)
    ]
    participants = min(200, len(users) - 20)
    start = now + timedelta(days=40)
    big_course = required[0] if required else course_ids[0]
    big = Session.objects.create(
        course_id=big_course,
        organisation_id=held_by[big_course],
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        place="Auditoriet",
        capacity=participants,
    )
    big.instructors.set([adviser_id])
    enrollments += [
        Enrollment(
            session_id=big.pk,
            user_id=pk,
            status=EnrollmentStatus.CONFIRMED if n < participants else EnrollmentStatus.WAITING,
            signed_up_at=now - timedelta(days=10) + timedelta(seconds=n),
            confirmed_at=now - timedelta(days=10) if n < participants else None,
            sequence=0,
        )
        for n, pk in enumerate(users[-(participants + 20) :])
    ]
    made += len(insert(Enrollment, enrollments))
    build.fixtures["big_session"] = big.pk
    editor_status_refresh(day=today)
    return made + len(sessions) + 1


def evaluations(build: Build) -> int:
    """Each account's evaluation schedule, a year of evaluations (one in four active accounts,
    two goals each; some waiting for the department's feedback), the monthly tallies and
    governance figures, and key figures (follower counts and posts) for the accounts."""
    from decimal import Decimal

    from django.utils import timezone

    from evaluations import services
    from evaluations.models import (
        DailyFigure,
        Evaluation,
        EvaluationStatus,
        GovernanceMonth,
        PostFigure,
        Schedule,
    )
    from registry.models import Account, AccountStatus

    today = timezone.localdate()
    now = timezone.now()
    # One schedule per account, as services.schedules_refresh makes them, with what the periodic
    # job and the evaluations would have left: due dates from four months overdue to a year
    # ahead, follower counts, the hours reported (written directly: the service reads and
    # compares every row, which takes minutes at this size), then the tallies counted by the service.
    schedules = []
    for pk, unit_id, platform_id, status, plan_id, training_missing, needs_editor in (
        Account.objects.order_by("pk")
        .values_list("pk", "unit_id", "platform_id", "status", "plan_id", "training_missing", "needs_new_editor")
        .iterator(chunk_size=BATCH)
    ):
        active = status == AccountStatus.ACTIVE
        due = today + timedelta(days=-120 + pk % 12 * 40) if active else None
        schedules.append(
            Schedule(
                account_id=pk,
                unit_id=unit_id,
                platform_id=platform_id,
                status=status,
                plan_approved=plan_id is not None,
                training_missing=training_missing,
                needs_new_editor=needs_editor,
                hours_planned=Decimal(3) if active and plan_id else None,
                due_on=due,
                followers=pk * 37 % 20_000 + 100 if active else None,
                hours_reported=Decimal(pk % 8) if active else None,
                closure_candidate=active and due < today - timedelta(days=60),
            )
        )
    insert(Schedule, schedules, ignore_conflicts=True)  # the demo's accounts have theirs
    services.tallies_recount()

    active = list(
        Account.objects.filter(status=AccountStatus.ACTIVE).order_by("pk").values_list("pk", "unit_id", "platform_id")
    )
    creator = build.ids["users"][0]
    made = 0
    for batch in batches(active[::4]):
        rows = []
        for pk, unit_id, platform_id in batch:
            sent = today - timedelta(days=pk % 360)
            waiting = pk % 10 == 0  # sent, not yet answered by the department
            rows.append(
                Evaluation(
                    account_id=pk,
                    unit_id=unit_id,
                    platform_id=platform_id,
                    status=EvaluationStatus.SUBMITTED if waiting else EvaluationStatus.REVIEWED,
                    feedback="" if waiting else "Godt arbeid.",
                    feedback_at=None if waiting else now - timedelta(days=pk % 300),
                    period_start=sent - timedelta(days=365),
                    period_end=sent,
                    hours_per_week=Decimal(pk % 9),
                    followers_start=1000 + pk % 3000,
                    followers_end=1100 + pk % 3500,
                    result="Fleire følgjarar og raskare svar.",
                    decision="continue",
                    created_by_id=creator,
                    submitted_by_id=creator,
                    submitted_on=sent,
                    submitted_at=now - timedelta(days=pk % 360),
                )
            )
        evaluations = Evaluation.objects.bulk_create(rows)
        goal_results(evaluations, "Fleire blodgjevarar")
        made += len(evaluations) * 3
    build.fixtures["evaluation"] = Evaluation.objects.order_by("pk").values_list("pk", flat=True).first()
    # The monthly tallies, counted again (the demo's with them).
    tallies = goal_tallies_recount()
    units = build.ids["units"]
    months = insert(
        GovernanceMonth,
        [
            GovernanceMonth(
                month=services.add_months(today.replace(day=1), -back),
                unit_id=u,
                active=35,
                plan_approved=28,
                trained=29 + back % 3,
                on_time=30 - back % 4,
            )
            for back in range(1, 12)
            for u in units
        ],
        ignore_conflicts=True,
    )
    services.governance_record(now=now)

    # Key figures: a follower count at each month's end for a year, and a few posts, for one in
    # twenty active accounts (what importing their exports would have left).
    demo = set(DailyFigure.objects.values_list("account_id", flat=True)) | set(
        PostFigure.objects.values_list("account_id", flat=True)
    )
    counted = [pk for pk, _u, _p in active[::20] if pk not in demo]
    days = insert(
        DailyFigure,
        [
            DailyFigure(
                account_id=pk,
                day=services.add_months(today.replace(day=1), -back) - timedelta(days=1),
                followers=500 + pk % 3000 + 40 * (12 - back),
            )
            for pk in counted
            for back in range(12)
        ],
    )
    posts = insert(
        PostFigure,
        [
            PostFigure(
                account_id=pk,
                post_id=f"post-{pk}-{n}",
                published_on=today - timedelta(days=n * 30 + pk % 30),
                kind=["photo", "video", "link", "text"][(pk + n) % 4],
                views=1000 + pk % 5000,
                reach=800 + pk % 4000,
                reactions=pk % 200,
                comments=pk % 30,
                shares=pk % 20,
            )
            for pk in counted
            for n in range(3)
        ],
    )
    build.fixtures["clinic"] = _clinic_with_most_units(build)
    build.fixtures["leader"] = _leader_of(build.fixtures["clinic"])
    return made + len(tallies) + len(months) + len(days) + len(posts)


def _leader_of(unit_id: int) -> str:
    """The e-mail of a clinic's leader (one of the dataset's people; they log in with PASSWORD)."""
    from accounts.models import Unit

    return Unit.objects.select_related("leader").get(pk=unit_id).leader.email


def _clinic_with_most_units(build: Build) -> int:
    from accounts.models import Unit

    clinics = list(Unit.objects.filter(kind=Unit.Kind.CLINIC, pk__in=build.ids["units"]).values_list("pk", flat=True))
    below = {}
    for parent in Unit.objects.filter(parent_id__in=clinics).values_list("parent_id", flat=True):
        below[parent] = below.get(parent, 0) + 1
    led = set(Unit.objects.filter(pk__in=clinics, leader__isnull=False).values_list("pk", flat=True))
    return max(led, key=lambda pk: (below.get(pk, 0), -pk))


# name, and the function that adds it. Later parts may use what earlier ones put in build.ids.
PARTS = [
    ("users", people),
    ("organisations", organisations),
    ("units", units),
    ("plans", plans),
    ("accounts", accounts),
    ("reports", reports),
    ("handbook", handbook),
    ("audit trail", audit),
    ("courses", courses),
    ("evaluations", evaluations),
]


def demo_fixtures(build: Build) -> None:
    """What the pages need from the demo data: the people who log in, a plan to review."""
    from plans.models import Plan, PlanStatus

    blood = Plan.objects.filter(unit__name="Blodbanken i Bergen", current_version__gte=2).order_by("pk").first()
    build.fixtures.update(
        adviser="radgivar@eksempel.no",
        # The region's adviser keeps the shared handbook text (a trust's adviser only its own versions).
        regional_adviser="radgivar.helsevest@eksempel.no",
        member="medlem@eksempel.no",
        admin="admin@eksempel.no",
        password=PASSWORD,
        demo_plan=blood.pk,
        demo_draft=Plan.objects.filter(status=PlanStatus.DRAFT).order_by("pk").values_list("pk", flat=True)[0],
    )


def build_dataset(scale: float) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction

    from core.periodic import refresh_query_statistics

    timings = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    timings["migrate"] = time.perf_counter() - started
    mark = time.perf_counter()
    call_command("demo_load", verbosity=0, stdout=io.StringIO())
    timings["demo data"] = time.perf_counter() - mark
    build = Build(scale=scale)
    counts = {}
    for name, part in PARTS:
        mark = time.perf_counter()
        with transaction.atomic():
            counts[name] = part(build)
        timings[name] = time.perf_counter() - mark
        print(f"  {name:12} {counts[name]:>8,} rows  {timings[name]:6.1f} s", file=sys.stderr, flush=True)
    mark = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would have by now
    else:
        refresh_query_statistics()
    timings["statistics"] = time.perf_counter() - mark
    demo_fixtures(build)
    return {
        "vendor": connection.vendor,
        "scale": scale,
        "rows": counts,
        "seconds": {k: round(v, 2) for k, v in timings.items()},
        "total_seconds": round(time.perf_counter() - started, 1),
        "fixtures": build.fixtures,
    }


def count_queries(requests: list[dict]) -> list[list[int]]:
    """The queries of each path, asked twice so that first-request work is not counted."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    counts = []
    for request in requests:
        client = Client(headers={"x-forwarded-proto": "https"})
        if request["user"]:
            client.force_login(User.objects.get(email=request["user"]))
        row = []
        for path in request["paths"]:
            client.get(path)
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            row.append(len(queries))
        counts.append(row)
    return counts


# -- Helpers for the two-node checks of bench/load.py: a third process beside the nodes -------


def platform_form(slug: str) -> dict:
    """A platform's fields as its administration form posts them."""
    from platforms.models import Platform

    platform = Platform.objects.get(slug=slug)
    form = {
        "name": platform.name,
        "slug": platform.slug,
        "profile_url_pattern": platform.profile_url_pattern,
        "icon": platform.icon,
        "url_rules": json.dumps(platform.url_rules),
        "position": platform.position,
    }
    if platform.is_active:
        form["is_active"] = "on"
    return {"id": platform.pk, "name": platform.name, "form": form}


def document_draft(slug: str) -> dict:
    from handbook.models import Document

    document = Document.objects.get(slug=slug)
    return {"revision": document.draft_revision, "title": document.draft_title, "body": document.draft_body}


def forget_reports(url: str) -> dict:
    """Take the checks' own reports away again, so the next run's limit starts from nothing."""
    from registry.models import Report

    return {"deleted": Report.objects.filter(url=url).delete()[0]}


def account_step(step: str, url: str) -> dict:
    """Change the register as an adviser would, through the services."""
    from django.utils import timezone

    from accounts.models import Unit, User
    from core.models import AuditEntry
    from platforms.profiles import read_profile
    from registry import services
    from registry.models import Account

    adviser = User.objects.get(email="radgivar@eksempel.no")
    profile = read_profile(url)
    account = Account.objects.filter(url=profile.url).first()
    details = services.AccountDetails(
        display_name="Ny konto",
        purpose="Informasjon",
        unit=Unit.objects.get(name="Blodbanken i Bergen"),
        editor=User.objects.get(email="medlem@eksempel.no"),
        deputies=[User.objects.get(email="leiar@eksempel.no")],
        login_email="blodbanken@helse.example",
        response_hours="Kvardagar",
        response_time="Innan éin dag",
    )
    if step == "register":
        if account is not None:  # left by an earlier run: the checks start from nothing
            AuditEntry.objects.filter(target_id=account.pk, action__startswith="account.").delete()
            account.delete()
        account = services.account_register(
            actor=adviser, profile=profile, details=details, live_since=timezone.localdate()
        )
    elif step == "rename":
        details.display_name = "Nytt namn"
        services.account_update(account=account, actor=adviser, profile=profile, details=details)
    elif step == "close":
        services.account_transition(account=account, actor=adviser, action="close")
    return {"status": Account.objects.get(url=profile.url).status}


def main():
    command, database_url, *rest = sys.argv[1:]
    setup(database_url)
    if command == "build":
        scale = float(rest[rest.index("--scale") + 1]) if "--scale" in rest else 1.0
        print(json.dumps(build_dataset(scale), default=str))
    elif command == "queries":
        print(json.dumps(count_queries(json.load(sys.stdin))))
    elif command == "platform":
        print(json.dumps(platform_form(rest[0])))
    elif command == "document":
        print(json.dumps(document_draft(rest[0])))
    elif command == "forget-reports":
        print(json.dumps(forget_reports(rest[0])))
    elif command == "account":
        print(json.dumps(account_step(rest[0], rest[1])))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
