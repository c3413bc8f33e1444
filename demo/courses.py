"""Demo courses: the required basic course (in a classroom, online and as self-study),
one on writing and pictures, one on moderation and crisis; sessions in the coming weeks
with people signed up (one nearly full, one full with a waiting list), one that ran two
days ago and waits for its attendance; and completions for the demo editors, so the
demo accounts may go live, with one editor whose training runs out soon. Loaded before
the register, through the courses' own services."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from courses import services
from courses.models import CourseFormat
from handbook.models import Document

QUESTIONS = [
    (
        "Kven har ansvaret for innhaldet på ein konto til eininga?",
        ["Leiaren for eininga", "Kommunikasjonsavdelinga", "Den som skreiv innlegget"],
    ),
    (
        "Ein pasient skriv om eigen diagnose i ein kommentar. Kva gjer du?",
        [
            "Svarar generelt, utan å stadfeste at personen er pasient, og tilbyr kontakt på telefon",
            "Svarar med detaljar frå journalen",
            "Ber personen skrive meir om diagnosen",
        ],
    ),
    (
        "Kva må vere på plass før du publiserer eit bilete av ein pasient?",
        ["Skriftleg samtykke", "Munnleg ja i gangen", "Ingenting, om ansiktet ikkje syner"],
    ),
    (
        "Kor ofte bør ein konto som lovar svar, sjå etter meldingar?",
        ["Så ofte som svartida kontoen lovar", "Ein gong i månaden", "Berre når nokon klagar"],
    ),
    (
        "Kva skal visingsnamnet på ein konto innehalde?",
        ["Namnet på eininga og sjukehuset", "Namnet til redaktøren", "Berre ein emoji"],
    ),
    (
        "Kva gjer du om du oppdagar ein falsk konto i sjukehuset sitt namn?",
        ["Meldar han frå til Kommunikasjonsavdelinga", "Følgjer han", "Ingenting"],
    ),
    (
        "Kva er eit godt mål i ein plan for sosiale media?",
        ["400 nye blodgivarar innan 2027", "Bli kjende", "Fleire likarklikk"],
    ),
    (
        "Kven skal ha tilgang til kontoen?",
        ["Redaktøren og stadfortredaren, med tofaktorinnlogging", "Alle i eininga", "Ein tidlegare tilsett"],
    ),
    (
        "Kva gjer du med ein kommentar som er trakasserande?",
        ["Skjuler eller slettar han etter retningslinjene, og dokumenterer", "Svarar i same tone", "Let han stå"],
    ),
    (
        "Når skal kontoen evaluerast?",
        ["Etter planen, og minst éin gong i året", "Aldri", "Berre når han blir lagd ned"],
    ),
]


def load(units, people) -> None:
    adviser = people["Marte Solheim"]
    p = people
    now = timezone.now()
    today = timezone.localdate()

    def course(slug, title, description, audience, minutes, fmt, **extra):
        return services.course_save(
            actor=adviser,
            details=services.CourseDetails(
                title=title,
                slug=slug,
                description=description,
                audience=audience,
                duration_minutes=minutes,
                format=fmt,
                **extra,
            ),
        )

    basic = course(
        "grunnkurs",
        "Grunnkurs i sosiale media",
        "Det du må kunne før du driv ein konto for sjukehuset: planen, teieplikt og personvern, "
        "bildebruk, arkivering, universell utforming, svartid, og kva du gjer når noko går gale.",
        "Redaktørar og stadfortredarar for offisielle kontoar, og alle som skal bli det.",
        180,
        CourseFormat.CLASSROOM,
        required_for_editors=True,
        valid_months=24,
    )
    writing = course(
        "skriving-og-bilete",
        "Skriving og bilete i sosiale media",
        "Korte tekstar som blir lesne, bilete og video med samtykke, og klarspråk på nynorsk og bokmål.",
        "Alle som lagar innhald for ein konto.",
        120,
        CourseFormat.CLASSROOM,
    )
    moderation = course(
        "moderering-og-krise",
        "Moderering og krisehandtering",
        "Kommentarfelt, hets og trakassering, og kva kontoen gjer når sjukehuset er i nyheitene.",
        "Redaktørar og stadfortredarar med nokre månader bak seg.",
        150,
        CourseFormat.ONLINE,
        valid_months=36,
    )
    chapters = list(
        Document.objects.filter(
            slug__in=["kven-har-ansvar-for-innhaldet", "bildebruk", "dette-gjer-vi-ikkje-i-sosiale-media"]
        )
    )
    self_study = course(
        "grunnkurs-sjolvstudium",
        "Grunnkurs i sosiale media – sjølvstudium",
        "Grunnkurset for deg som ikkje kjem deg frå: les tre kapittel i handboka og svar på quizen. "
        "Laga for turnus og nattevakter. Gjeld som grunnkurset.",
        "Redaktørar og stadfortredarar som ikkje kan kome på kurs på dagtid.",
        60,
        CourseFormat.SELF_STUDY,
        counts_as=basic,
        valid_months=24,
        chapters=chapters,
    )
    for text, answers in QUESTIONS:
        services.question_save(
            actor=adviser,
            course=self_study,
            details=services.QuestionDetails(text=text, choices=[(a, i == 0) for i, a in enumerate(answers)]),
        )

    def session(course, days, start, hours, capacity, *, place="", link="", instructors=()):
        starts = datetime.combine(today + timedelta(days=days), start, tzinfo=timezone.get_current_timezone())
        return services.session_create(
            actor=adviser,
            course=course,
            details=services.SessionDetails(
                starts_at=starts,
                ends_at=starts + timedelta(hours=hours),
                capacity=capacity,
                place=place,
                video_link=link,
                instructors=[p[name] for name in instructors],
            ),
        )

    def sign_up(target, names, *, at=None):
        for name in names:
            services.enroll(actor=p[name], session=target, now=at)

    auditorium = "Auditorium 3, Sentralblokka, Haukeland universitetssjukehus"
    teams = "https://teams.microsoft.com/l/meetup-join/demo-grunnkurs"
    classroom = session(basic, 9, time(9, 0), 3, 20, place=auditorium, instructors=["Marte Solheim"])
    sign_up(classroom, ["Lene Aarskog", "Vegard Nesse", "Magnus Fjeld", "Solveig Nygård", "Kari Steine", "Jørgen Lid"])
    services.enroll(actor=p["Håkon Vik"], session=classroom, person=p["Ane Brekke"])
    online = session(basic, 23, time(13, 0), 3, 12, link=teams, instructors=["Kristian Eide"])
    sign_up(
        online,
        [
            "Per Olav Myklebust",
            "Marit Fosse",
            "Oddvar Instefjord",
            "Hanne Skår",
            "Eirik Tangen",
            "Mona Husebø",
            "Kristin Bakke",
            "Emma Sandvik",
            "Thomas Lunde",
            "Camilla Hope",
            "Sigrid Vatle",
        ],
    )  # 11 of 12: nearly full
    session(writing, 16, time(12, 0), 2, 15, place="Møterom 4, Kvinneklinikken", instructors=["Kristian Eide"])
    crisis = session(moderation, 30, time(9, 0), 2.5, 4, link=teams, instructors=["Marte Solheim"])
    sign_up(crisis, ["Silje Dale", "Jonas Berg", "Camilla Hope", "Emma Sandvik", "Thomas Lunde", "Sigrid Vatle"])

    # A session two days ago: the instructor has not marked attendance yet.
    ran = session(writing, -2, time(10, 0), 2, 10, place="Møterom 4, Kvinneklinikken", instructors=["Marte Solheim"])
    sign_up(ran, ["Silje Dale", "Jonas Berg", "Ane Brekke"], at=now - timedelta(days=12))

    # Earlier completions, as if from sessions before the portal. Jonas's runs out in
    # three weeks; Lene, Vegard and Magnus have not taken the course yet, so the
    # accounts they run are marked when the register loads.
    done = {
        "Silje Dale": 95,
        "Jonas Berg": 709,
        "Ane Brekke": 40,
        "Camilla Hope": 300,
        "Sigrid Vatle": 300,
        "Emma Sandvik": 200,
        "Thomas Lunde": 200,
        "Ida Rasmussen": 500,
        "Marte Solheim": 120,
        "Kristian Eide": 120,
    }
    for name, days_ago in done.items():
        services.completion_record(actor=adviser, user=p[name], course=basic, on=today - timedelta(days=days_ago))
    services.completion_record(actor=adviser, user=p["Silje Dale"], course=writing, on=today - timedelta(days=60))
