"""Two organisations with the same shape of data, for tests/test_organisations_apart.py.

Each organisation has units, a member (with a deputy), a leader and an adviser, plans in every
state, accounts on the register in every state, reports of fake accounts, evaluations (one with
figures read in), a course with a session, enrollments, a completion and its certificate, a quiz
attempt, a calendar feed, archive packages, a barrier report and an organisation sync run. Every
name and text of an organisation carries its marker, so a page that shows another organisation's
data can be caught by a plain search of what it answered:

- `private` ("Stavanger-MARKER"): what only the organisation's own people may see (plan titles,
  people's names and e-mail addresses, reports, evaluations, courses, packages);
- `public` ("StavangerOPEN"): what the region's one public register shows everyone (the names
  and purposes of accounts, the units that own them, the department's mailbox and host name).

Everything is made through the services, as the pages make it, except rows whose service is a
public form (a barrier report's rate limits are not what is tested here).
"""

import hashlib
import importlib
import inspect
import io
import re
import subprocess
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone


@dataclass
class Side:
    """One organisation and what it holds."""

    key: str  # "a" or "b"
    organisation: object
    private: str  # the marker of what only its own people may see
    public: str  # the marker of what the public register shows everyone
    people: dict = field(default_factory=dict)
    units: dict = field(default_factory=dict)
    plans: dict = field(default_factory=dict)  # status → Plan
    accounts: dict = field(default_factory=dict)  # status → Account
    objects: dict = field(default_factory=dict)  # kind → object (or token, code, …)

    def markers(self, *, public_too: bool = True) -> list[str]:
        return [self.private, self.public] if public_too else [self.private]


# ---------------------------------------------------------------------------------------------
# The URL configuration, walked


@dataclass(frozen=True)
class Pattern:
    name: str  # "plans:detail"
    route: str  # "planer/<int:pk>/"
    arguments: tuple  # ("pk",)


def _walk(patterns, namespace="", prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            name = f"{namespace}:{inner}".strip(":") if inner else namespace
            yield from _walk(entry.url_patterns, name, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
            route = prefix + str(entry.pattern)
            arguments = tuple(entry.pattern.converters) or tuple(re.findall(r"\(\?P<(\w+)>", route))
            yield Pattern(name, route, arguments)


def url_patterns() -> list[Pattern]:
    """Every named pattern of the URL configuration (a name that appears twice, once)."""
    seen, found = set(), []
    for pattern in _walk(get_resolver().url_patterns):
        if pattern.name not in seen:
            seen.add(pattern.name)
            found.append(pattern)
    return found


# ---------------------------------------------------------------------------------------------
# What a response says, as text


_read_files: dict[str, str] = {}  # a file's digest → its text (the same PDF is read once)


def text_of(response) -> str:
    """The body as text: HTML, JSON, CSV and calendars as they are; PDFs through pdftotext,
    Excel and Word files through their XML."""
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if not body.startswith((b"%PDF", b"PK\x03\x04")):
        return body.decode("utf-8", "replace")
    digest = hashlib.sha256(body).hexdigest()
    if digest not in _read_files:
        _read_files[digest] = _file_text(body, response.get("Content-Type", ""))
    return _read_files[digest]


def _file_text(body: bytes, kind: str) -> str:
    if body.startswith(b"%PDF"):
        done = subprocess.run(["pdftotext", "-q", "-", "-"], input=body, capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.decode("utf-8", "replace")
    if body.startswith(b"PK\x03\x04"):
        if "spreadsheet" in kind or "excel" in kind:
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(body), read_only=True)
            cells = [
                str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
            ]
            return "\n".join(cells)
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if name.endswith((".xml", ".txt", ".csv", ".json", ".html", ".ics"))
            )
    return body.decode("utf-8", "replace")


def leaks(text: str, markers) -> list[str]:
    """Each place where one of `markers` is found (case-insensitive), with what is around it."""
    found = []
    for marker in markers:
        for match in re.finditer(re.escape(marker), text, re.I):
            around = " ".join(text[max(0, match.start() - 60) : match.end() + 40].split())
            found.append(f"{marker!r} in «…{around}…»")
            if len(found) > 4:
                return found
    return found


# ---------------------------------------------------------------------------------------------
# The data


def _catalogue():
    from django.apps import apps

    from platforms.models import Platform

    if not Platform.objects.exists():
        importlib.import_module("platforms.migrations.0002_catalogue").load(apps, None)
        importlib.import_module("platforms.migrations.0003_profile_rules").load(apps, None)
    return {p.slug: p for p in Platform.objects.all()}


def _organisation(key: str, name: str, slug: str, domain: str, region):
    from accounts.models import Organisation, default_organisation
    from accounts.organisations import forget

    organisation = default_organisation() if key == "a" else Organisation(slug=slug)
    organisation.name = name
    organisation.short_name = name
    organisation.mailbox = f"kommunikasjon@{domain}"
    organisation.sender = f"some@{domain}"
    organisation.region = region
    organisation.host_names = f"some.{domain}"
    organisation.save()
    forget()
    return organisation


def _people(side: Side, domain: str) -> None:
    from accounts.models import Membership, Unit, User

    org, mark, open_mark = side.organisation, side.private, side.public

    def person(role, name, **extra):
        # No password: the test logs people in directly (and hashing one is slow).
        user = User.objects.create_user(f"{role}@{domain}", None, full_name=f"{name} {mark}", organisation=org, **extra)
        side.people[role] = user
        return user

    trust = Unit.objects.create(name=f"Foretaket {open_mark}", kind=Unit.Kind.TRUST, organisation=org)
    clinic = Unit.objects.create(name=f"Klinikken {open_mark}", kind=Unit.Kind.CLINIC, parent=trust)
    unit = Unit.objects.create(name=f"Blodbanken {open_mark}", kind=Unit.Kind.SECTION, parent=clinic)
    other_unit = Unit.objects.create(name=f"Hjarteavdelinga {open_mark}", kind=Unit.Kind.DEPARTMENT, parent=trust)
    side.units.update(trust=trust, clinic=clinic, unit=unit, other_unit=other_unit)
    member = person("member", "Silje")
    deputy = person("deputy", "Jonas")
    leader = person("leader", "Håkon")
    other = person("other", "Lene")
    person("adviser", "Marte", is_adviser=True)
    # The organisation's own administrator: keeps its units and people in the administration.
    from django.contrib.auth.models import Permission

    administrator = person("administrator", "Per", is_staff=True)
    administrator.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    Membership.objects.create(user=member, unit=unit)
    Membership.objects.create(user=deputy, unit=unit)
    Membership.objects.create(user=other, unit=other_unit)
    unit.leader = leader
    unit.save()


PLAN_STEPS = {
    "draft": [],
    "awaiting_leader": [("send_to_leader", "member")],
    "submitted": [("submit", "leader")],
    "in_review": [("submit", "leader"), ("take", "adviser")],
    "changes_requested": [("submit", "leader"), ("take", "adviser"), ("request_changes", "adviser")],
    "approved": [("submit", "leader"), ("take", "adviser"), ("approve", "adviser")],
    "rejected": [("submit", "leader"), ("take", "adviser"), ("reject", "adviser")],
    "withdrawn": [("submit", "leader"), ("withdraw", "member")],
}


def _plan_content(side: Side, platform, title: str):
    from plans import services

    people = side.people
    return services.PlanContent(
        title=title,
        main_target_group=f"Unge vaksne {side.private}",
        secondary_target_groups="Blodgivarar vi har",
        content_types="Korte videoar frå tappinga",
        content_themes="Kvifor blod trengst",
        content_frequency="To gonger i veka",
        editor=people["member"],
        deputies=[people["deputy"]],
        hours_per_week=Decimal("4"),
        other_resources="",
        goals=[
            {
                "goal": f"Fleire blodgivarar {side.private}",
                "effect": "Unge melder seg",
                "indicator": "Nye givarar",
                "target_value": "400",
                "time_frame": "2027",
                "evaluation": "Teljing kvart kvartal",
            }
        ],
        channels=[{"platform": platform, "justification": "Der er dei unge"}],
    )


def make_plan(side: Side, status: str, platform, *, title: str | None = None):
    from plans import services
    from plans.models import Plan

    people = side.people
    title = title or f"Plan {status} {side.private}"
    plan = services.plan_create(unit=side.units["unit"], author=people["member"], title=title)
    plan = services.plan_update(
        plan=plan, actor=people["member"], revision=plan.revision, content=_plan_content(side, platform, title)
    )
    for action, role in PLAN_STEPS[status]:
        kwargs = {"plan": plan, "actor": people[role]}
        if action in ("request_changes", "reject"):
            kwargs["comment"] = f"Skriv meir om ressursane {side.private}."
        services.ACTIONS[action](**kwargs)
    return Plan.objects.get(pk=plan.pk)


def _plans(side: Side, platform) -> None:
    for status in PLAN_STEPS:
        side.plans[status] = make_plan(side, status, platform)


def _accounts(side: Side) -> None:
    from platforms.profiles import read_profile
    from registry import services
    from registry.models import CHECKLIST_KEYS

    adviser = side.people["adviser"]
    handle = side.public.lower()
    for status in ("setup", "active", "paused", "closed"):
        details = services.AccountDetails(
            display_name=f"Blodbanken {side.public} {status}",
            purpose=f"Vi rekrutterer nye blodgivarar {side.public}.",  # shown to the public
            unit=side.units["unit"],
            editor=side.people["member"],
            deputies=[side.people["deputy"]],
            login_email=f"blodbanken.{status}@{side.objects['domain']}",
            response_hours="Kvardagar 08–15",
            response_time="Innan éin arbeidsdag",
            languages=["nn", "nb"],
            plan=side.plans["approved"] if status == "active" else None,
        )
        profile = read_profile(f"https://www.instagram.com/{handle}_{status}/")
        account = services.account_register(actor=adviser, profile=profile, details=details)
        if status != "setup":
            for item in CHECKLIST_KEYS:
                services.account_check(account=account, actor=adviser, item=item, checked=True)
            services.account_transition(account=account, actor=adviser, action="activate")
        if status == "closed":
            services.account_transition(account=account, actor=adviser, action="close")
        account.refresh_from_db()
        side.accounts[status] = account


def _reports(side: Side) -> None:
    from registry import reports

    for n, url in enumerate(
        [
            f"https://www.instagram.com/{side.public.lower()}_active_copy/",
            f"https://www.instagram.com/{side.public.lower()}_fake/",
        ]
    ):
        side.objects[f"report{n}"] = reports.report_submit(
            url=url,
            what_is_wrong=f"Falsk konto {side.private} {n}",
            client_key=f"{side.key}{n}" * 16,
            network_key=f"net-{side.key}{n}",
            organisation=side.organisation,
            contact_email=f"tipsar{n}@{side.objects['domain']}",
        )


def _evaluations(side: Side) -> None:
    from evaluations import services

    from .evaluation_files import instagram_csv
    from .evaluation_steps import send_through_leader

    member = side.people["member"]
    account = side.accounts["active"]
    evaluation = services.evaluation_start(account=account, actor=member)
    side.objects["evaluation_draft"] = evaluation
    figures = services.figures_read(evaluation=evaluation, actor=member, filename="ig.csv", content=instagram_csv())
    side.objects["figure_import"] = figures
    # A sent one, of the paused account, with the department's feedback.
    paused = side.accounts["paused"]
    sent = services.evaluation_start(account=paused, actor=member)
    services.evaluation_save(
        evaluation=sent,
        actor=member,
        content=services.EvaluationContent(
            period_start=sent.period_start,
            period_end=sent.period_end,
            result=f"Resultat {side.private}",
            worked_well=f"Det gjekk bra {side.private}",
            goals=[services.GoalContent(attainment="met")],
        ),
    )
    from evaluations.models import Decision

    sent = send_through_leader(sent, writer=member, decision=Decision.CONTINUE)
    side.objects["evaluation_sent"] = sent
    from registry import services as registry

    registry.account_transition(account=paused, actor=side.people["adviser"], action="pause")
    paused.refresh_from_db()


def _courses(side: Side) -> None:
    from courses import services
    from courses.models import Attendance, CourseFormat

    adviser, member = side.people["adviser"], side.people["member"]
    slug = f"kurs-{side.key}-{side.private.lower()}"
    course = services.course_save(
        actor=adviser,
        details=services.CourseDetails(
            title=f"Grunnkurs {side.private}",
            slug=slug,
            description=f"Det du må kunne {side.private}.",
            audience="Redaktørar",
            duration_minutes=180,
            format=CourseFormat.CLASSROOM,
            valid_months=24,
        ),
    )
    side.objects["course"] = course
    side.objects["question"] = services.question_save(
        actor=adviser,
        course=course,
        details=services.QuestionDetails(
            text=f"Kva er rett {side.private}?", choices=[("Rett", True), ("Feil", False), ("Også feil", False)]
        ),
    )
    start = (timezone.now() + timedelta(days=7)).replace(microsecond=0)
    session = services.session_create(
        actor=adviser,
        course=course,
        details=services.SessionDetails(
            starts_at=start, ends_at=start + timedelta(hours=3), capacity=10, place=f"Auditoriet {side.private}"
        ),
    )
    side.objects["session"] = session
    services.enroll(actor=member, session=session)
    # A session that has been held, with the member's attendance: a completion and its certificate.
    past = (timezone.now() - timedelta(days=3)).replace(microsecond=0)
    held = services.session_create(
        actor=adviser,
        course=course,
        details=services.SessionDetails(
            starts_at=past + timedelta(days=1),
            ends_at=past + timedelta(days=1, hours=3),
            capacity=10,
            place=f"Møterommet {side.private}",
        ),
    )
    enrollment = services.enroll(actor=adviser, session=held, person=side.people["deputy"], now=past)
    completions = services.attendance_mark(
        actor=adviser, session=held, marks={enrollment.pk: Attendance.ATTENDED}, now=timezone.now()
    )
    side.objects["held_session"] = held
    side.objects["completion"] = completions[0]
    # A self-study course with its quiz, done once by the member.
    self_study = services.course_save(
        actor=adviser,
        details=services.CourseDetails(
            title=f"Sjølvstudium {side.private}",
            slug=f"sjolv-{side.key}-{side.private.lower()}",
            description="Les og svar.",
            audience="Alle",
            duration_minutes=60,
            format=CourseFormat.SELF_STUDY,
            counts_as=course,
            valid_months=24,
        ),
    )
    from courses.models import MIN_QUESTIONS

    for n in range(MIN_QUESTIONS):
        services.question_save(
            actor=adviser,
            course=self_study,
            details=services.QuestionDetails(
                text=f"Spørsmål {n} {side.private}?", choices=[("Rett", True), ("Feil", False), ("Feil òg", False)]
            ),
        )
    from .courses_helpers import right_answers

    attempt = services.quiz_start(user=member, course=self_study)
    side.objects["attempt"] = services.quiz_submit(user=member, attempt=attempt, answers=right_answers(attempt))
    side.objects["self_study"] = self_study
    for role in ("member", "adviser"):
        _feed, token = services.feed_create(user=side.people[role])
        side.objects[f"feed_{role}"] = token


def _archive(side: Side) -> None:
    from archive import services

    plan = side.plans["approved"]
    package, _new = services.package_queue(
        kind="plan_decision",
        source=f"test:plan:{plan.pk}",
        title=f"Vedtak {side.private}",
        plan=plan,
        decision="approved",
        comment=f"Godkjend {side.private}",
        actor=side.people["adviser"],
        deliver=False,
    )
    side.objects["package"] = package


def _barrier(side: Side) -> None:
    from accessibility.models import BarrierReport

    fields = {
        "what_was_hard": f"Knappen manglar namn {side.private}",
        "contact_email": f"innbyggjar@{side.objects['domain']}",
        "client_key": side.key * 64,
        "sender": side.people["member"],
    }
    if any(f.name == "organisation" for f in BarrierReport._meta.get_fields()):
        fields["organisation"] = side.organisation
    side.objects["barrier"] = BarrierReport.objects.create(**fields)


def _sync_run(side: Side) -> None:
    from organisation import services

    top = side.units["trust"]
    content = (
        "enhet_id;navn;overordnet_id;nivå;leder\n"
        f"{side.key}-100;{top.name};;helseføretak;\n"
        f"{side.key}-101;Ny seksjon {side.public};{side.key}-100;seksjon;\n"
    ).encode()
    kwargs = {"content": content, "filename": f"org-{side.key}.csv", "actor": side.people["administrator"]}
    if "organisation" in inspect.signature(services.sync_preview).parameters:
        kwargs["organisation"] = side.organisation
    side.objects["sync_run"] = services.sync_preview(**kwargs)


def _handbook(side: Side) -> None:
    """The organisation's own version of a chapter of the region's shared handbook (where the
    handbook has own versions), with the organisation's marker in it."""
    from handbook import services
    from handbook.models import Document

    shared = Document.objects.filter(published__isnull=False).order_by("pk")
    if hasattr(Document, "organisation"):
        shared = shared.filter(organisation__isnull=True)
    chapter = shared.exclude(slug="strategi").first() or shared.first()
    side.objects["chapter"] = chapter.slug
    if not hasattr(services, "document_make_own"):
        return
    adviser = side.people["adviser"]
    own = services.document_make_own(document=chapter, actor=adviser)
    own = services.document_save_draft(
        document=own,
        actor=adviser,
        revision=own.draft_revision,
        title=f"{own.draft_title} {side.private}",
        body=f"{own.draft_body}\n\nVår eigen regel {side.private}.\n",
    )
    services.document_publish(document=own, actor=adviser)


def _facts(side: Side) -> None:
    """The organisation's own value of a fact the handbook uses (where facts are per organisation)."""
    from facts import services
    from facts.models import Placeholder

    key = Placeholder.objects.order_by("pk").values_list("key", flat=True).first()
    side.objects["placeholder"] = key
    if any(f.name == "organisation" for f in Placeholder._meta.get_fields()):
        services.placeholder_update(key=key, actor=side.people["adviser"], value=f"55 00 00 00 {side.private}")


def build_world() -> dict:
    """Organisation A (Helse Bergen, the default) and B (Helse Stavanger), with a region
    above both, each with the same shape of data. Returns {"a": Side, "b": Side, "region": …}."""
    from accounts.models import Organisation, User

    platforms = _catalogue()
    region = Organisation.objects.filter(is_region=True).first() or Organisation.objects.create(
        name="Helse Vest RHF",
        short_name="Helse Vest",
        slug="helse-vest-test",
        is_region=True,
        mailbox="kommunikasjon@helse-vest-rhf.example",
    )
    world = {"region": region}
    for key, name, slug, domain, private, public in [
        ("a", "Helse Bergen", "helse-bergen", "bergen-marker.example", "Bergen-MARKER", "BergenOPEN"),
        ("b", "Helse Stavanger", "helse-stavanger", "stavanger-marker.example", "Stavanger-MARKER", "StavangerOPEN"),
    ]:
        # The department's mailbox, sender and host name are public (every account's page names
        # the mailbox); the people's addresses are the organisation's own.
        organisation = _organisation(key, name, slug, f"{public.lower()}.example", region)
        side = Side(key, organisation, private, public)
        side.objects["domain"] = domain
        # A word of the organisation's names to search for (the marker itself would be found in
        # the search box that repeats it).
        side.objects["word"] = private.split("-")[0]
        _people(side, domain)
        world[key] = side
    world["regional_adviser"] = User.objects.create_user(
        "regional@helse-vest-rhf.example", None, full_name="Rita Regional", organisation=region, is_adviser=True
    )
    for key in ("a", "b"):
        side = world[key]
        _plans(side, platforms["instagram"])
        _accounts(side)
        _reports(side)
        _evaluations(side)
        _courses(side)
        _archive(side)
        _barrier(side)
        _sync_run(side)
        _handbook(side)
        _facts(side)
    return world
