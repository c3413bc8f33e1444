"""Demo data: a region with two health trusts (Helse Bergen, the big one, and Helse Stavanger,
a small one: demo/organisations.py), a user for each role in each, a regional adviser, and plans
in every state.

Everything goes through the same services as the portal itself, so the timeline,
versions and e-mails of the demo plans are real."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Unit, User, default_organisation
from accounts.services import membership_add, unit_save
from demo import courses, register, sso
from demo import evaluations as evaluation_demo
from demo import organisations as demo_organisations
from plans import services
from plans.models import Plan
from platforms.models import Platform

PASSWORD = "demo"
ADMIN_EMAIL = "admin@eksempel.no"

DEMO_LOGINS = [
    ("Unit member, Helse Bergen", "medlem@eksempel.no", PASSWORD),
    ("Unit leader, Helse Bergen", "leiar@eksempel.no", PASSWORD),
    ("Communications adviser, Helse Bergen", "radgivar@eksempel.no", PASSWORD),
    ("Unit member, Helse Stavanger", "medlem.stavanger@eksempel.no", PASSWORD),
    ("Unit leader, Helse Stavanger", "leiar.stavanger@eksempel.no", PASSWORD),
    ("Communications adviser, Helse Stavanger", "radgivar.stavanger@eksempel.no", PASSWORD),
    ("Regional adviser, Helse Vest RHF", "radgivar.helsevest@eksempel.no", PASSWORD),
    ("Administrator", ADMIN_EMAIL, PASSWORD),
]

# (name, level, parent name, leader name, members)
ORGANISATION = [
    ("Helse Bergen HF", Unit.Kind.TRUST, None, "Astrid Mjelde", []),
    (
        "Kommunikasjonsavdelinga",
        Unit.Kind.DEPARTMENT,
        "Helse Bergen HF",
        "Randi Øvrebø",
        ["Marte Solheim", "Kristian Eide"],
    ),
    ("Laboratorieklinikken", Unit.Kind.CLINIC, "Helse Bergen HF", "Torbjørn Lie", []),
    (
        "Avdeling for immunologi og transfusjonsmedisin",
        Unit.Kind.DEPARTMENT,
        "Laboratorieklinikken",
        "Gunn Risa",
        ["Per Olav Myklebust"],
    ),
    (
        "Blodbanken i Bergen",
        Unit.Kind.SECTION,
        "Avdeling for immunologi og transfusjonsmedisin",
        "Håkon Vik",
        ["Silje Dale", "Jonas Berg", "Ane Brekke"],
    ),
    (
        "Avdeling for medisinsk biokjemi og farmakologi",
        Unit.Kind.DEPARTMENT,
        "Laboratorieklinikken",
        "Leif Haugen",
        ["Solveig Nygård"],
    ),
    (
        "Barne- og ungdomsklinikken",
        Unit.Kind.CLINIC,
        "Helse Bergen HF",
        "Ingrid Tveit",
        ["Emma Sandvik", "Thomas Lunde"],
    ),
    ("Barnemedisinsk avdeling", Unit.Kind.DEPARTMENT, "Barne- og ungdomsklinikken", "Øystein Hauge", ["Marit Fosse"]),
    ("Kvinneklinikken", Unit.Kind.CLINIC, "Helse Bergen HF", "Liv Bjørke", []),
    ("Fødeavdelinga", Unit.Kind.DEPARTMENT, "Kvinneklinikken", "Hilde Rønning", ["Camilla Hope", "Sigrid Vatle"]),
    ("Gynekologisk avdeling", Unit.Kind.DEPARTMENT, "Kvinneklinikken", "Bjørn Kleppe", ["Kari Steine"]),
    ("Hjarteavdelinga", Unit.Kind.DEPARTMENT, "Helse Bergen HF", "Arne Grov", ["Lene Aarskog", "Vegard Nesse"]),
    ("Lungeavdelinga", Unit.Kind.DEPARTMENT, "Helse Bergen HF", "Tone Helle", ["Magnus Fjeld", "Ida Rasmussen"]),
    ("Nevroklinikken", Unit.Kind.CLINIC, "Helse Bergen HF", "Sverre Holm", []),
    (
        "Nevrologisk avdeling",
        Unit.Kind.DEPARTMENT,
        "Nevroklinikken",
        "Elin Brakstad",
        ["Oddvar Instefjord", "Hanne Skår"],
    ),
    ("Divisjon psykisk helsevern", Unit.Kind.CLINIC, "Helse Bergen HF", "Geir Ulvestad", []),
    (
        "Avdeling for rusmedisin",
        Unit.Kind.DEPARTMENT,
        "Divisjon psykisk helsevern",
        "Nina Kvamme",
        ["Eirik Tangen", "Mona Husebø"],
    ),
    ("Kirurgisk klinikk", Unit.Kind.CLINIC, "Helse Bergen HF", "Rune Sæle", []),
    ("Gastrokirurgisk avdeling", Unit.Kind.DEPARTMENT, "Kirurgisk klinikk", "Anders Mo", ["Kristin Bakke"]),
    ("Karkirurgisk seksjon", Unit.Kind.SECTION, "Gastrokirurgisk avdeling", None, ["Jørgen Lid"]),
]

NAMED_LOGINS = {
    "Silje Dale": "medlem@eksempel.no",
    "Håkon Vik": "leiar@eksempel.no",
    "Marte Solheim": "radgivar@eksempel.no",
}
ADVISERS = {"Marte Solheim", "Kristian Eide"}


def email_for(name: str) -> str:
    if name in NAMED_LOGINS:
        return NAMED_LOGINS[name]
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", " ": "."})
    return f"{name.lower().translate(table)}@eksempel.no"


class Command(BaseCommand):
    help = "Load the demo organisation, users and plans (only into an empty database unless --force)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load even if there are users already.")
        parser.add_argument(
            "--one-organisation",
            action="store_true",
            help="Helse Bergen only, as a portal for one hospital holds it (no region, no Helse Stavanger).",
        )

    def handle(self, *, force, one_organisation=False, **options):
        if User.objects.exists() and not force:
            self.stdout.write("The database already has users; demo data not loaded.")
            return
        # Hash the shared demo password once; hashing it for every user takes half a minute.
        self.password_hash = make_password(PASSWORD)
        with transaction.atomic():
            organisations = None if one_organisation else demo_organisations.set_up(default_organisation())
            people = self._organisation()
            self._plans(people)
            courses.load(self.units, people)
            register.load(self.units, people)
            evaluation_demo.load(self.units, people)
            if organisations:
                demo_organisations.load(organisations, password_hash=self.password_hash, subject_for=sso.subject_for)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

    def _person(self, name, people):
        if name not in people:
            email = email_for(name)
            people[name] = User.objects.create(
                email=email,
                password=self.password_hash,
                full_name=name,
                is_adviser=name in ADVISERS,
                sso_subject=sso.subject_for(email),
            )
        return people[name]

    def _organisation(self):
        people: dict[str, User] = {}
        units: dict[str, Unit] = {}
        # A couple of dozen units: saved through accounts' services like the administration's,
        # so they are audited and announced (`units_changed`) as any other unit.
        for name, kind, parent, leader, members in ORGANISATION:
            unit = unit_save(
                unit=Unit(
                    name=name,
                    kind=kind,
                    parent=units.get(parent),
                    leader=self._person(leader, people) if leader else None,
                ),
                actor=None,
            )
            units[name] = unit
            for member in members:
                membership_add(user=self._person(member, people), unit=unit, actor=None)
        User.objects.create_superuser(
            ADMIN_EMAIL, PASSWORD, full_name="Tor Lunde (administrator)", sso_subject=sso.subject_for(ADMIN_EMAIL)
        )
        self.units = units
        return people

    def _plan(self, unit_name, author, content: services.PlanContent) -> Plan:
        plan = services.plan_create(unit=self.units[unit_name], author=author, title=content.title)
        return services.plan_update(plan=plan, actor=author, revision=plan.revision, content=content)

    def _plans(self, p):
        platform = {pl.slug: pl for pl in Platform.objects.all()}
        silje, jonas, ane, hakon = p["Silje Dale"], p["Jonas Berg"], p["Ane Brekke"], p["Håkon Vik"]
        marte, kristian = p["Marte Solheim"], p["Kristian Eide"]
        now = timezone.now()

        # Blodbanken: approved after one round of changes, so the versions can be compared.
        blood = self._plan(
            "Blodbanken i Bergen",
            silje,
            services.PlanContent(
                title="Instagram og Facebook for nye blodgivarar",
                main_target_group="Friske vaksne i Bergensområdet mellom 18 og 35 år som ikkje er blodgivarar i dag.",
                secondary_target_groups="Blodgivarar vi har, som vi vil halde på og minne om å gi blod att. Studentar ved UiB og HVL.",
                content_types="Korte videoar frå tappinga, bilete av givarar som vil vere med (med samtykke), påminningar om opningstider, svar på vanlege spørsmål.",
                content_themes="Kvifor blod trengst, kven som kan gi blod, korleis ein tapping går føre seg, takk til givarane.",
                content_frequency="Tre innlegg i veka, oftare når lageret er lågt.",
                editor=silje,
                deputies=[jonas],
                hours_per_week=Decimal("5"),
                other_resources="Kommunikasjonsavdelinga hjelper med video to gonger i året.",
                goals=[
                    {
                        "goal": "Fleire nye blodgivarar",
                        "effect": "At unge vaksne melder seg som blodgivarar.",
                        "indicator": "Nye givarar som svarar «sosiale medium» på spørsmålet om kvar dei høyrde om oss",
                        "target_value": "400 nye givarar",
                        "time_frame": "Innan utgangen av 2027",
                        "evaluation": "Teljing i registreringsskjemaet kvart kvartal.",
                    }
                ],
                channels=[
                    {"platform": platform["instagram"], "justification": "Der finn vi dei unge vaksne vi treng mest."},
                    {"platform": platform["facebook"], "justification": "Blodgivarane vi har, følgjer oss her."},
                ],
            ),
        )
        services.plan_submit(plan=blood, actor=hakon)
        services.plan_take(plan=blood, actor=marte)
        services.plan_request_changes(
            plan=blood,
            actor=marte,
            comment="Fin plan! Kan de skrive kven som svarar på spørsmål i helgane, og auke timane litt når de skal lage video?",
        )
        blood.refresh_from_db()
        services.plan_update(
            plan=blood,
            actor=silje,
            revision=blood.revision,
            content=services.PlanContent(
                title=blood.title,
                main_target_group=blood.main_target_group,
                secondary_target_groups=blood.secondary_target_groups,
                content_types=blood.content_types,
                content_themes=blood.content_themes,
                content_frequency=blood.content_frequency,
                editor=silje,
                deputies=[jonas, ane],
                hours_per_week=Decimal("6.5"),
                other_resources=blood.other_resources + " Ane Brekke følgjer med på kommentarar i helgane.",
                goals=[g.as_dict() for g in blood.goals.all()],
                channels=[{"platform": c.platform, "justification": c.justification} for c in blood.channels.all()],
            ),
        )
        services.plan_resubmit(
            plan=blood,
            actor=silje,
            change_note="Ane Brekke svarar i helgane, og vi har sett av 6,5 timar i veka til video.",
        )
        services.plan_approve(plan=blood, actor=marte, comment="Godkjent. Vi tek kontakt for å opprette kontoane.")

        # Blodbanken: a new idea still in draft, and one waiting for the leader.
        self._plan(
            "Blodbanken i Bergen",
            silje,
            services.PlanContent(
                title="YouTube for dei som snart fyller 18",
                main_target_group="Ungdom som snart fyller 18 år.",
                channels=[{"platform": platform["youtube"], "justification": ""}],
            ),
        )
        waiting = self._plan(
            "Blodbanken i Bergen",
            jonas,
            self._content(
                platform["tiktok"],
                jonas,
                ane,
                "Ungdom 18–25 år i Vestland",
                "Få fleire unge til å bestille time for å bli blodgivar.",
                title="TikTok for unge i Vestland",
                hours="4",
            ),
        )
        services.plan_send_to_leader(plan=waiting, actor=jonas)

        # The other states, spread over the organisation.
        children = self._plan(
            "Barne- og ungdomsklinikken",
            p["Emma Sandvik"],
            self._content(
                platform["instagram"],
                p["Emma Sandvik"],
                p["Thomas Lunde"],
                "Foreldre til barn som skal leggjast inn",
                "Gjere foreldre tryggare før innlegging.",
                title="Instagram for foreldre før innlegging",
            ),
        )
        services.plan_submit(plan=children, actor=p["Ingrid Tveit"])
        services.plan_take(plan=children, actor=kristian)

        birth = self._plan(
            "Fødeavdelinga",
            p["Camilla Hope"],
            self._content(
                platform["facebook"],
                p["Camilla Hope"],
                p["Sigrid Vatle"],
                "Gravide og partnarane deira i Bergen",
                "Færre unødvendige telefonar om praktiske spørsmål før fødselen.",
                title="Facebook for gravide og partnarar",
            ),
        )
        services.plan_submit(plan=birth, actor=p["Hilde Rønning"])

        heart = self._plan(
            "Hjarteavdelinga",
            p["Lene Aarskog"],
            self._content(
                platform["tiktok"],
                p["Lene Aarskog"],
                p["Vegard Nesse"],
                "Sjukepleiestudentar",
                "Rekruttere fleire sjukepleiarar til hjarteavdelinga.",
                title="TikTok for å rekruttere sjukepleiarar",
            ),
        )
        services.plan_submit(plan=heart, actor=p["Arne Grov"])
        services.plan_take(plan=heart, actor=marte)
        services.plan_request_changes(
            plan=heart,
            actor=marte,
            comment="TikTok krev mykje video. Kan de vise korleis de får tid til det, og kven som er stedfortredar i ferien?",
        )

        drugs = self._plan(
            "Avdeling for rusmedisin",
            p["Eirik Tangen"],
            self._content(
                platform["snapchat"],
                p["Eirik Tangen"],
                p["Mona Husebø"],
                "Ungdom med rusproblem",
                "Nå ungdom som ikkje søkjer hjelp sjølve.",
                title="Snapchat for ungdom som treng hjelp",
            ),
        )
        services.plan_submit(plan=drugs, actor=p["Nina Kvamme"])
        services.plan_take(plan=drugs, actor=kristian)
        services.plan_reject(
            plan=drugs,
            actor=kristian,
            comment="Direktemeldingar på Snapchat gjer det for lett å dele helseopplysningar med oss. "
            "Lat oss heller sjå på ei side på helse-bergen.no og Helsenorge.",
        )

        neuro = self._plan(
            "Nevrologisk avdeling",
            p["Hanne Skår"],
            self._content(
                platform["linkedin"],
                p["Hanne Skår"],
                p["Oddvar Instefjord"],
                "Nevrologar og forskarar",
                "Rekruttere til kliniske studiar.",
                title="LinkedIn for kliniske studiar",
            ),
        )
        services.plan_submit(plan=neuro, actor=p["Elin Brakstad"])
        services.plan_withdraw(plan=neuro, actor=p["Hanne Skår"])

        lung = self._plan(
            "Lungeavdelinga",
            p["Magnus Fjeld"],
            self._content(
                platform["facebook"],
                p["Magnus Fjeld"],
                p["Ida Rasmussen"],
                "Personar med KOLS og dei pårørande",
                "Fleire deltek på lungeskulen.",
                title="Facebook for lungeskulen",
            ),
        )
        services.plan_send_to_leader(plan=lung, actor=p["Magnus Fjeld"])

        # Spread the submissions out in time, so the queue shows how long each has waited.
        for plan, days in [(birth, 9), (children, 4), (heart, 15), (drugs, 30), (blood, 40)]:
            Plan.objects.filter(pk=plan.pk).update(submitted_at=now - timedelta(days=days))

    @staticmethod
    def _content(platform, editor, deputy, target_group, goal, hours="3", title=""):
        return demo_organisations.plan_content(
            platform, editor, deputy, title=title, target_group=target_group, goal=goal, hours=hours
        )
