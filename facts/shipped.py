"""What the portal ships as a starting point (in Nynorsk, as the handbook). Terms loaded from
here are marked as not yet reviewed until an adviser saves them; placeholders start empty, so
the handbook says they are missing until the hospital fills them in. Nothing here is a number
or an address that only the hospital can know."""

import datetime

# platform slug → (policy, reason). Platforms not listed are "not assessed". Each position is one of
# three: approved, approved with conditions, or not approved (no official account there at all; only a
# changed assessment opens the platform, never a plan).
PLATFORM_TERMS = {
    "facebook": (
        "conditions",
        "Datatilsynet valde i 2021 å ikkje ha eiga Facebook-side, fordi tilsynet meinte risikoen for personvernet "
        "til brukarane var for høg (Datatilsynet, 2021). Digdir vurderte det annleis for seg sjølv og vart verande "
        "(Digdir, 2022). Sidan 2025 brukar Meta offentlege innlegg og kommentarar frå vaksne brukarar i EU til å "
        "trene KI, og Datatilsynet legg til grunn at det også gjeld Noreg (Datatilsynet, 2025). Vilkår: ingen "
        "helseopplysningar i innlegg eller svar, eit fast svar i meldingsfunksjonen som viser til trygge kanalar, "
        "og all viktig informasjon også på helse-bergen.no.",
    ),
    "instagram": (
        "conditions",
        "Same eigar og same vurdering som Facebook: Meta brukar sidan 2025 offentlege innlegg frå vaksne brukarar "
        "til å trene KI, også i Noreg etter det Datatilsynet legg til grunn (Datatilsynet, 2025). Vilkår: som for "
        "Facebook, og ingen bilde av pasientar utan skriftleg samtykke.",
    ),
    "linkedin": (
        "approved",
        "Til rekruttering og fagleg formidling. Kontoen er ei side for sjukehuset eller eininga, ikkje ein "
        "personleg profil, og har minst to administratorar med tofaktorinnlogging.",
    ),
    "youtube": (
        "approved",
        "Til informasjonsvideoar, til dømes før ein operasjon. Videoane skal vere teksta (Uutilsynet; Difi, "
        "2017). Slå av kommentarfeltet dersom ingen kan moderere det.",
    ),
    "tiktok": (
        "not_approved",
        "Justis- og beredskapsdepartementet rådde i mars 2023 frå å ha TikTok på "
        "jobbtelefonar og andre tenesteeiningar som er kopla til dei interne systema, etter ei vurdering frå Nasjonal "
        "sikkerheitsmyndigheit (NSM, 2023). Sjukehuset har difor ingen offisielle kontoar på TikTok, og plattforma "
        "kan ikkje veljast i ein plan. Har ei eining eit reelt behov, ber ho Kommunikasjonsavdelinga vurdere "
        "plattforma på nytt. Berre ei endra vurdering opnar ho, og då berre på ein eigen telefon som ikkje er kopla "
        "til sjukehuset sine system, slik NSM rår til.",
    ),
    "x": (
        "conditions",
        "Personvern: X starta i 2024 å trene KI-modellen Grok på innlegg frå brukarane utan "
        "å seie frå først, og Datatilsynet sa at det var uklart kva behandlingsgrunnlag X bygde på (Datatilsynet, i "
        "intervju med kode24, 2024). Brukarane kan reservere seg i personverninnstillingane (EDÖB, det sveitsiske "
        "personvernombodet, 2024). Kvar opplysningane hamnar: Twitter International Unlimited Company i Irland er "
        "ansvarleg for brukarane i Europa (EDÖB, 2024). Tryggleik: NSM har ikkje gjeve eit eige råd om X; vurderinga "
        "følgjer NSM sine tips for vurdering av sosiale medie-appar (NSM, nettside utan dato). Universell utforming: "
        "innhaldet skal vere universelt utforma som på andre plattformar (Uutilsynet). Vilkår: som for Facebook, "
        "og kontoen skal reservere seg mot at innlegga blir brukte til KI-trening.",
    ),
    "threads": (
        "conditions",
        "Personvern: Threads er eigd av Meta og er knytt til ein Instagram-konto. Datatilsynet "
        "peika i 2023 på at Meta seier at selskapet samlar inn alt brukarane gjer på Threads, og at det kan brukast "
        "til å profilere dei og tilpasse annonsar (Datatilsynet, i intervju med NRK, 2023). Kvar opplysningane "
        "hamnar og kva KI-trening dei blir brukte til: same eigar og same vurdering som Facebook og Instagram. "
        "Tryggleik: NSM har ikkje gjeve eit eige råd om Threads; vurderinga følgjer NSM sine tips for vurdering av "
        "sosiale medie-appar (NSM, nettside utan dato). Universell utforming: som på andre plattformar (Uutilsynet). "
        "Vilkår: som for Instagram, og berre for ei eining som alt har ein godkjend Instagram-konto.",
    ),
    "snapchat": (
        "not_approved",
        "Snapchat blir mest brukt til private meldingar, bilde og videoar som berre kan sjåast "
        "ei avgrensa tid (Medietilsynet, omtalt i Bergens Tidende, 2017). Slike meldingar kan sjukehuset verken "
        "følgje opp eller arkivere slik innhaldet krev (Difi, 2019, no hos Digdir). Personvern: Datatilsynet har "
        "åtvara mot å dele posisjonen sin gjennom kartfunksjonen Snap Map (Datatilsynet, i intervju med NRK, 2017). "
        "Kvar opplysningane hamnar: Snap Inc. i USA er behandlingsansvarleg for brukarane i EØS (Snap, "
        "personvernerklæring for EØS, 2023). Tryggleik: NSM har ikkje gjeve eit eige råd om Snapchat. "
        "Universell utforming: same krav som på andre plattformar (Uutilsynet). Sjukehuset har difor ingen offisielle kontoar på Snapchat. Ei eining med eit reelt behov ber Kommunikasjonsavdelinga "
        "vurdere plattforma på nytt.",
    ),
    "bluesky": (
        "conditions",
        "Personvern: Profilar og innlegg er offentlege, og innlegg, følgjarar og likerklikk "
        "blir spreidde i eit nettverk av tenarar (AT Protocol), der andre enn Bluesky kan lagre kopiar. Det "
        "sjukehuset slettar, kan difor liggje att andre stader. Direktemeldingar er ikkje ende-til-ende-krypterte "
        "(Bluesky, personvernerklæring, 2024, omtalt av ConductAtlas). Kvar opplysningane hamnar: Bluesky Social PBC i USA er "
        "behandlingsansvarleg (Bluesky, 2024). Vi har ikkje funne ei eiga vurdering frå Datatilsynet eller NSM; "
        "vurderinga følgjer NSM sine tips for vurdering av sosiale medie-appar (NSM, nettside utan dato). "
        "Universell utforming: som på andre plattformar (Uutilsynet). Vilkår: ingen helseopplysningar, "
        "direktemeldingar berre for å vise til trygge kanalar, og publiser ingenting de kan kome til å måtte slette.",
    ),
    "mastodon": (
        "conditions",
        "Mastodon er ikkje eitt selskap, men mange sjølvstendige tenarar som kvar har sin "
        "eigar og sine reglar, og som deler innlegg med kvarandre (Hostsharing, nettside utan dato). Kvar "
        "opplysningane hamnar, og kor trygt dei er, avheng difor av kven som driv tenaren kontoen ligg på, og "
        "ein tenar kan bli lagd ned av eigaren (IT-blogger.dk, nettside utan dato). Nokre offentlege verksemder "
        "i Europa driv sin eigen tenar (advokatkontoret Fink om personvernombodet i Baden-Württemberg, nettside "
        "utan dato). Vi har ikkje funne ei eiga vurdering frå Datatilsynet eller "
        "NSM. Universell utforming: som på andre plattformar (Uutilsynet). Vilkår: kontoen skal liggje på ein tenar "
        "som sjukehuset eller ei anna offentleg verksemd driv, og som Kommunikasjonsavdelinga har vurdert, aldri på "
        "ein privat tenar.",
    ),
    "vimeo": (
        "conditions",
        "Til informasjonsvideoar, til dømes når ein video skal visast på helse-bergen.no "
        "utan reklame. Kvar opplysningane hamnar: tenesta blir driven av det amerikanske selskapet Vimeo.com, Inc. "
        "(Vimeo, personvernerklæring, 2022). Ein innebygd Vimeo-spelar kan sende opplysningar om dei som ser "
        "videoen, til selskapet, og krev difor samtykke på nettsida (Legalweb, nettside utan dato). Vi har ikkje funne ei eiga "
        "vurdering frå Datatilsynet eller NSM. Universell utforming: videoane skal vere teksta (Uutilsynet). "
        "Vilkår: som for YouTube, og kommentarfeltet skal vere slått av.",
    ),
    "flickr": (
        "conditions",
        "Til pressebilde og bilde frå arrangement. Kvar opplysningane hamnar: Flickr, Inc. "
        "er ein del av det amerikanske selskapet SmugMug (Flickr, personvernerklæring, 2018), og selskapet skreiv "
        "i 2011 at bilda blir lagra på maskiner i USA (Flickr, 2011). Vi har ikkje funne ei eiga vurdering frå Datatilsynet eller NSM. "
        "Universell utforming: alle bilde skal ha alternativ tekst (Uutilsynet). Vilkår: berre bilde der alle som "
        "kan kjennast att, har samtykt, aldri bilde av pasientar, og lisensen skal vere sett for kvart bilde.",
    ),
    "pinterest": (
        "not_approved",
        "Pinterest er bygd for inspirasjon og handel og passar dårleg til måla til "
        "sjukehuset. Personvern: Pinterest brukar aktivitet både på og utanfor plattforma til å profilere brukarane "
        "for annonsar, og kan bruke innhald brukarane lastar opp, til å trene KI (Pinterest, personvernerklæring, "
        "omtalt av ConductAtlas, nettside utan dato). Kvar opplysningane hamnar: Pinterest Europe Ltd. i Irland og Pinterest, "
        "Inc. i USA er behandlingsansvarlege saman, og opplysningane blir overførte til USA (Pinterest, "
        "personvernerklæring). Vi har ikkje funne ei eiga vurdering frå Datatilsynet eller NSM. Universell "
        "utforming: same krav som på andre plattformar (Uutilsynet). Sjukehuset har "
        "difor ingen offisielle kontoar på Pinterest. Ei eining med eit reelt behov ber Kommunikasjonsavdelinga "
        "vurdere plattforma på nytt.",
    ),
}

# When each shipped assessment above was made (year, month), kept as the terms' date (the first of the
# month) and shown beside the position, never in the reason's words. The four assessments shipped before
# are not dated here, since the portal never recorded when they were made.
ASSESSED = {
    slug: (2026, 12)
    for slug in ("tiktok", "x", "threads", "snapchat", "bluesky", "mastodon", "vimeo", "flickr", "pinterest")
}

# key → (what it is, kind). Written {{key}} in the handbook, or [text](felt:key) for a link.
PLACEHOLDERS = {
    "sentralbord": ("telefonnummeret til sentralbordet", "text"),
    "pressevakt": ("telefonnummeret til pressevakta", "text"),
    "kommunikasjonsvakt": ("telefonnummeret til kommunikasjonsvakta utanom kontortid", "text"),
    "postmottak": ("e-postadressa til postmottaket", "text"),
    "personvernombod": ("e-postadressa til personvernombodet", "text"),
    "arkivteneste": ("e-postadressa til arkivtenesta", "text"),
    "annonsekonto": ("kontaktpunktet for annonsekontoen til sjukehuset", "text"),
    "beredskapsplan": ("lenkja til beredskapsplanen for kommunikasjon", "link"),
    "avvikssystem": ("lenkja til avvikssystemet", "link"),
    "samtykkeskjema": ("lenkja til samtykkeskjemaet for bilde og video", "link"),
    "bildebank": ("lenkja til bildebanken", "link"),
    "varslingsrutine": ("lenkja til rutinen for varsling om kritikkverdige forhold", "link"),
    "ki-retningslinjer": ("lenkja til retningslinjene for bruk av KI-verktøy", "link"),
}


def assessed_on(slug: str) -> datetime.date | None:
    """The day a shipped assessment is dated (the first of its month), or None."""
    return datetime.date(*ASSESSED[slug], 1) if slug in ASSESSED else None


def load(PlatformTerms, Placeholder, Platform):
    """Add what is missing; never overwrite what an adviser has written."""
    platforms = {p.slug: p for p in Platform.objects.filter(slug__in=PLATFORM_TERMS)}
    # A model of a migration from before the date was kept has no field for it (0004 dates those terms).
    dated = any(field.name == "assessed_on" for field in PlatformTerms._meta.get_fields())
    for slug, (policy, reason) in PLATFORM_TERMS.items():
        if slug in platforms and not PlatformTerms.objects.filter(platform=platforms[slug]).exists():
            fields = {"platform": platforms[slug], "policy": policy, "reason": reason}
            if dated:
                fields["assessed_on"] = assessed_on(slug)
            PlatformTerms.objects.create(**fields)
    for key, (label, kind) in PLACEHOLDERS.items():
        Placeholder.objects.get_or_create(key=key, defaults={"label": label, "kind": kind})
