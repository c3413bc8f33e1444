"""Demo accounts for the register: from an approved plan, existing accounts without a
plan, one closed, one paused, one whose editor left, and reports from the public.
Made through the register's own services, like everything else in the demo."""

from datetime import date

from accounts.models import User
from accounts.services import person_deactivate
from plans.models import Plan, PlanStatus
from platforms.profiles import read_profile
from registry import reports, services
from registry.models import CHECKLIST_KEYS, ReportStatus

RESPONSE_HOURS = "Kvardagar 08–15"
RESPONSE_TIME = "Innan éin arbeidsdag. Vi svarar ikkje på spørsmål om enkeltpasientar."


def register(
    adviser,
    unit,
    url,
    name,
    purpose,
    editor,
    deputy,
    mailbox,
    *,
    plan=None,
    live_since=None,
    ticks=CHECKLIST_KEYS,
    languages=("nn", "nb"),
):
    """An account on the register as an adviser puts it there: its login a functional mailbox the
    adviser has checked, and the checklist's items in `ticks` ticked."""
    registered = services.account_register(
        actor=adviser,
        profile=read_profile(url),
        details=services.AccountDetails(
            display_name=name,
            purpose=purpose,
            unit=unit,
            plan=plan,
            editor=editor,
            deputies=[deputy],
            login_email=mailbox,
            functional_mailbox=True,
            response_hours=RESPONSE_HOURS,
            response_time=RESPONSE_TIME,
            languages=list(languages),
        ),
        live_since=live_since,
    )
    for item in ticks:
        services.account_check(account=registered, actor=adviser, item=item, checked=True)
    return registered


def registrar(adviser, units, people, **defaults):
    """`register` by the names of the unit and the people, as the demo's tables write them."""

    def account(unit, url, name, purpose, editor, deputy, mailbox, **details):
        return register(
            adviser, units[unit], url, name, purpose, people[editor], people[deputy], mailbox, **{**defaults, **details}
        )

    return account


def load(units, people) -> None:
    adviser = people["Marte Solheim"]
    p = people
    account = registrar(adviser, units, people)

    blood_plan = Plan.objects.get(unit=units["Blodbanken i Bergen"], status=PlanStatus.APPROVED)
    instagram = account(
        "Blodbanken i Bergen",
        "https://www.instagram.com/blodbanken_bergen/",
        "Blodbanken i Bergen",
        "Vi fortel kvifor blodet ditt trengst, og takkar alle som gjev.",
        "Silje Dale",
        "Jonas Berg",
        "blodbanken.some@eksempel.no",
        plan=blood_plan,
    )
    services.account_transition(account=instagram, actor=adviser, action="activate", on=date(2026, 3, 2))
    account(
        "Blodbanken i Bergen",
        "https://www.facebook.com/blodbankenbergen",
        "Blodbanken i Bergen",
        "Nyheiter og påminningar til blodgivarane våre.",
        "Jonas Berg",
        "Ane Brekke",
        "blodbanken.some@eksempel.no",
        plan=blood_plan,
        ticks=CHECKLIST_KEYS[:4],
    )

    # Opened before the register existed: live, but no approved plan yet.
    account(
        "Hjarteavdelinga",
        "facebook.com/hjarteavdelinga.haukeland",
        "Hjarteavdelinga, Haukeland universitetssjukehus",
        "Informasjon til hjartepasientar og pårørande.",
        "Lene Aarskog",
        "Vegard Nesse",
        "hjarte.some@eksempel.no",
        live_since=date(2018, 9, 1),
        ticks=[],
    )
    account(
        "Fødeavdelinga",
        "https://www.instagram.com/fodeavdelinga_haukeland",
        "Fødeavdelinga på Haukeland",
        "Førebuing til fødsel og barseltid.",
        "Camilla Hope",
        "Sigrid Vatle",
        "fode.some@eksempel.no",
        plan=Plan.objects.filter(unit=units["Fødeavdelinga"]).first(),
        live_since=date(2021, 2, 15),
        ticks=["naming", "two_factor"],
    )
    closed = account(
        "Kommunikasjonsavdelinga",
        "https://twitter.com/HelseBergenDemo",
        "Helse Bergen (X)",
        "Nyheiter frå sjukehuset. Lagt ned: vi er ikkje lenger på X.",
        "Marte Solheim",
        "Kristian Eide",
        "kommunikasjon.some@eksempel.no",
        live_since=date(2012, 4, 1),
        ticks=[],
    )
    services.account_transition(account=closed, actor=adviser, action="close", on=date(2025, 1, 31))
    youtube = account(
        "Barne- og ungdomsklinikken",
        "https://www.youtube.com/@barneklinikken_bergen",
        "Barne- og ungdomsklinikken",
        "Filmar som førebur born og foreldre på opphald hos oss.",
        "Emma Sandvik",
        "Thomas Lunde",
        "buk.some@eksempel.no",
        live_since=date(2020, 6, 1),
        ticks=[],
    )
    services.account_transition(account=youtube, actor=adviser, action="pause")
    account(
        "Lungeavdelinga",
        "https://mastodon.social/@lungeskulen_bergen",
        "Lungeskulen i Bergen",
        "Kurs og råd for folk med KOLS.",
        "Ida Rasmussen",
        "Magnus Fjeld",
        "lunge.some@eksempel.no",
        live_since=date(2023, 10, 1),
        ticks=[],
    )
    # Ida has left the hospital: her account now needs a new editor.
    person_deactivate(user=p["Ida Rasmussen"], reason=User.InactiveReason.NONE)  # deactivated by hand

    # The public's reports.
    reports.report_submit(
        url="https://www.instagram.com/haukeland_sjukehus_offisiell/",
        what_is_wrong="Kontoen brukar logoen til sjukehuset og ber folk sende bilete av timebrev.",
        client_key="demo-1",
    )
    # A copy whose handle has a Cyrillic а where the real one has a Latin a, pasted as the
    # browser copies it (percent-encoded): the queue shows it decoded, with the letter marked.
    reports.report_submit(
        url="https://www.instagram.com/blodb%D0%B0nken_bergen/",
        what_is_wrong="Same namn og bilete som blodbanken, men han ber om pengar for å «reservere ei tappetid».",
        client_key="demo-3",
    )
    decided = reports.report_submit(
        url="@blodbanken.bergen",
        what_is_wrong="Er dette verkeleg blodbanken? Han skreiv til meg privat.",
        client_key="demo-2",
        contact_email="lesar@eksempel.no",
    )
    reports.report_decide(
        report=decided,
        actor=adviser,
        status=ReportStatus.FAKE,
        note="Falsk konto. Meldt til Instagram 3. mars; blodbanken åtvara i eigen kanal.",
    )
