"""The demo's region: Helse Vest RHF, with two of its health trusts in the portal. Helse Bergen
holds the demo's big organisation (demo_load's ORGANISATION); Helse Stavanger, made here, has a
small unit tree with its own member, leader and adviser, a plan waiting for its adviser, an
approved one and accounts on the register; and the region has one regional adviser, who reads
both trusts' figures and decides nothing. Each has its own Communications Department mailbox.
The administrator runs one regional course, which Helse Stavanger's gate requires and Helse
Bergen's does not (it requires its own basic course).

Everything goes through the portal's own services, as in the rest of the demo."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organisation, Unit, User
from accounts.services import membership_add, organisation_save, unit_save
from courses import services as course_services
from courses.models import CourseFormat
from plans import services as plan_services
from plans.models import Plan
from platforms.models import Platform
from registry import services as registry_services
from registry.models import CHECKLIST_KEYS

from .register import registrar

REGION = {
    "name": "Helse Vest RHF",
    "short_name": "Helse Vest",
    "slug": "helse-vest",
    "mailbox": "kommunikasjon.helsevest@eksempel.no",
    "sender": "some.helsevest@eksempel.no",
    "colour": "#00509e",
}
BERGEN = {"short_name": "Helse Bergen", "sender": "some.bergen@eksempel.no", "colour": "#0062ba"}
STAVANGER = {
    "name": "Helse Stavanger",
    "short_name": "Helse Stavanger",
    "slug": "helse-stavanger",
    "mailbox": "kommunikasjon.stavanger@eksempel.no",
    "sender": "some.stavanger@eksempel.no",
    "colour": "#005f73",
    "register_id": "983974678",
}

# (name, level, parent name, leader name, members), as demo_load's ORGANISATION
STAVANGER_UNITS = [
    ("Helse Stavanger HF", Unit.Kind.TRUST, None, "Eirik Tjelta", []),
    (
        "Kommunikasjonsavdelinga i Stavanger",
        Unit.Kind.DEPARTMENT,
        "Helse Stavanger HF",
        "Kjersti Vatne",
        ["Siv Hetland"],
    ),
    ("Kvinne- og barneklinikken", Unit.Kind.CLINIC, "Helse Stavanger HF", "Ola Bø", []),
    ("Nyfødtintensiv", Unit.Kind.DEPARTMENT, "Kvinne- og barneklinikken", "Anne Lea", ["Ingrid Sola", "Tor Espeland"]),
    ("Psykiatrisk divisjon", Unit.Kind.CLINIC, "Helse Stavanger HF", "Geir Nærland", ["Hege Tjora", "Pål Rygg"]),
]
STAVANGER_LOGINS = {
    "Ingrid Sola": "medlem.stavanger@eksempel.no",
    "Anne Lea": "leiar.stavanger@eksempel.no",
    "Siv Hetland": "radgivar.stavanger@eksempel.no",
}
STAVANGER_ADVISERS = {"Siv Hetland"}
REGIONAL_ADVISER = ("Liv Helland", "radgivar.helsevest@eksempel.no")


def stavanger_email(name: str) -> str:
    if name in STAVANGER_LOGINS:
        return STAVANGER_LOGINS[name]
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", " ": "."})
    return f"{name.lower().translate(table)}@eksempel.no"


def stavanger_people() -> list[tuple[str, str, bool]]:
    """(name, e-mail, adviser) of everyone in Helse Stavanger's demo tree."""
    names = []
    for _name, _kind, _parent, leader, members in STAVANGER_UNITS:
        names += ([leader] if leader else []) + members
    return [(name, stavanger_email(name), name in STAVANGER_ADVISERS) for name in dict.fromkeys(names)]


def set_up(bergen: Organisation) -> dict[str, Organisation]:
    """The region and Helse Stavanger, and Helse Bergen (the portal's default organisation) put
    in the region."""
    region = organisation_save(organisation=Organisation(**REGION, is_region=True), actor=None)
    for field, value in BERGEN.items():
        setattr(bergen, field, value)
    bergen.region = region
    organisation_save(organisation=bergen, actor=None, changed=[*BERGEN, "region"])
    stavanger = organisation_save(organisation=Organisation(**STAVANGER, region=region), actor=None)
    return {"region": region, "bergen": bergen, "stavanger": stavanger}


def load(organisations: dict[str, Organisation], *, password_hash: str, subject_for) -> dict:
    """Helse Stavanger's units, people, plans and accounts, and the regional adviser."""
    stavanger = organisations["stavanger"]
    people: dict[str, User] = {}
    for name, email, adviser in stavanger_people():
        people[name] = User.objects.create(
            email=email,
            password=password_hash,
            full_name=name,
            is_adviser=adviser,
            organisation=stavanger,
            sso_subject=subject_for(email),
        )
    regional_name, regional_email = REGIONAL_ADVISER
    people[regional_name] = User.objects.create(
        email=regional_email,
        password=password_hash,
        full_name=regional_name,
        is_adviser=True,
        organisation=organisations["region"],
        sso_subject=subject_for(regional_email),
    )
    units: dict[str, Unit] = {}
    for name, kind, parent, leader, members in STAVANGER_UNITS:
        units[name] = unit_save(
            unit=Unit(
                name=name,
                kind=kind,
                parent=units.get(parent),
                organisation=stavanger,
                leader=people[leader] if leader else None,
            ),
            actor=None,
        )
        for member in members:
            membership_add(user=people[member], unit=units[name], actor=None)
    _regional_course(stavanger, people)
    _plans_and_accounts(units, people)
    return {"units": units, "people": people}


def _regional_course(stavanger: Organisation, p) -> None:
    """A regional course, offered to every trust: Helse Stavanger's gate requires it, and the
    editors and deputies of its demo accounts have completed it."""
    administrator = User.objects.filter(is_superuser=True).order_by("pk").first()
    course = course_services.course_save(
        actor=administrator,
        regional=True,
        details=course_services.CourseDetails(
            title="Sosiale media i Helse Vest – felles innføring",
            slug="helse-vest-innforing",
            description="Felles innføring for alle føretaka i regionen: planen, teieplikt og personvern, "
            "svartid, arkivering og kva du gjer når noko går gale.",
            audience="Redaktørar og stadfortredarar i føretak som krev kurset.",
            duration_minutes=120,
            format=CourseFormat.ONLINE,
            valid_months=24,
        ),
    )
    adviser = p["Siv Hetland"]
    course_services.course_requirement_set(actor=adviser, course=course, organisation_id=stavanger.pk, required=True)
    for name in ("Hege Tjora", "Pål Rygg", "Ingrid Sola", "Tor Espeland"):
        course_services.completion_record(
            actor=adviser, user=p[name], course=course, on=timezone.localdate() - timedelta(days=120)
        )


def plan_content(platform, editor, deputy, *, title, target_group, goal, hours="3") -> plan_services.PlanContent:
    """A demo plan's content: the same kind of plan for every demo unit, with its own title, target group and goal."""
    return plan_services.PlanContent(
        title=title,
        main_target_group=target_group,
        content_types="Bilete og korte videoar frå kvardagen, råd og svar på vanlege spørsmål.",
        content_themes="Kvardagen på avdelinga, gode råd, folka som jobbar her.",
        content_frequency="To innlegg i veka",
        editor=editor,
        deputies=[deputy],
        hours_per_week=Decimal(hours),
        goals=[
            {
                "goal": goal,
                "effect": goal,
                "indicator": "Tal på førespurnader og svar i ei kort spørjeundersøking",
                "target_value": "20 % betre enn i dag",
                "time_frame": "Eitt år etter oppstart",
                "evaluation": "Evaluering saman med Kommunikasjonsavdelinga etter seks og tolv månader.",
            }
        ],
        channels=[
            {"platform": platform, "justification": f"Målgruppa «{target_group.lower()}» brukar {platform.name}."}
        ],
    )


def _plan(unit, author, content) -> Plan:
    plan = plan_services.plan_create(unit=unit, author=author, title=content.title)
    return plan_services.plan_update(plan=plan, actor=author, revision=plan.revision, content=content)


def _plans_and_accounts(units, p) -> None:
    platform = {pl.slug: pl for pl in Platform.objects.all()}
    adviser = p["Siv Hetland"]
    # Nyfødtintensiv: a plan waiting in Helse Stavanger's queue, for its adviser only.
    waiting = _plan(
        units["Nyfødtintensiv"],
        p["Ingrid Sola"],
        plan_content(
            platform["instagram"],
            p["Ingrid Sola"],
            p["Tor Espeland"],
            title="Instagram for foreldre på nyfødtintensiv",
            target_group="Foreldre til for tidleg fødde born",
            goal="Tryggare foreldre før og etter utskriving.",
        ),
    )
    plan_services.plan_submit(plan=waiting, actor=p["Anne Lea"])

    # Psykiatrisk divisjon: approved by Helse Stavanger's adviser, and its account on the register.
    approved = _plan(
        units["Psykiatrisk divisjon"],
        p["Hege Tjora"],
        plan_content(
            platform["facebook"],
            p["Hege Tjora"],
            p["Pål Rygg"],
            title="Facebook for pårørande i psykisk helsevern",
            target_group="Pårørande til pasientar i psykisk helsevern",
            goal="Fleire pårørande finn tilboda til dei.",
        ),
    )
    plan_services.plan_submit(plan=approved, actor=p["Geir Nærland"])
    plan_services.plan_take(plan=approved, actor=adviser)
    plan_services.plan_approve(plan=approved, actor=adviser, comment="Godkjent. Vi set opp kontoen saman med dykk.")

    account = registrar(adviser, units, p, ticks=(), languages=["nb"])

    relatives = account(
        "Psykiatrisk divisjon",
        "https://www.facebook.com/parorande.sus.demo",
        "Pårørande i psykisk helsevern, Helse Stavanger",
        "Tilbod, kurs og råd til pårørande.",
        "Hege Tjora",
        "Pål Rygg",
        "parorande.some@eksempel.no",
        plan=approved,
        ticks=CHECKLIST_KEYS,
    )
    registry_services.account_transition(account=relatives, actor=adviser, action="activate", on=date(2026, 4, 6))
    # Opened before the register existed: live, but no approved plan yet.
    account(
        "Nyfødtintensiv",
        "https://www.instagram.com/nyfodtintensiv_stavanger_demo",
        "Nyfødtintensiv i Stavanger",
        "Kvardagen på nyfødtintensiv, for foreldre og nye kollegaer.",
        "Ingrid Sola",
        "Tor Espeland",
        "nyfodt.some@eksempel.no",
        live_since=date(2022, 5, 1),
    )
