"""What the portal ships as a starting point (in Nynorsk, as the handbook). Terms loaded from
here are marked as not yet reviewed until an adviser saves them; placeholders start empty, so
the handbook says they are missing until the hospital fills them in. Nothing here is a number
or an address that only the hospital can know."""

# platform slug → (policy, reason). Platforms not listed are "not assessed".
PLATFORM_TERMS = {
    "facebook": (
        "conditions",
        "Datatilsynet valde i 2021 å ikkje ha eiga Facebook-side, fordi tilsynet meinte risikoen for personvernet "
        "til brukarane var for høg (Datatilsynet, 2021). Digdir vurderte det annleis for seg sjølv og blei verande "
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
        "Justis- og beredskapsdepartementet rådde i mars 2023 frå å ha TikTok på jobbtelefonar og andre "
        "tenesteeiningar som er kopla til dei interne systema, etter ei vurdering frå Nasjonal sikkerheitsmyndigheit "
        "(NSM, 2023). Har ei eining eit reelt behov, skal appen berre liggje på ein eigen telefon som ikkje er kopla "
        "til sjukehuset sine system, og planen må vere godkjend av Kommunikasjonsavdelinga.",
    ),
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


def load(PlatformTerms, Placeholder, Platform):
    """Add what is missing; never overwrite what an adviser has written."""
    platforms = {p.slug: p for p in Platform.objects.filter(slug__in=PLATFORM_TERMS)}
    for slug, (policy, reason) in PLATFORM_TERMS.items():
        if slug in platforms and not PlatformTerms.objects.filter(platform=platforms[slug]).exists():
            PlatformTerms.objects.create(platform=platforms[slug], policy=policy, reason=reason)
    for key, (label, kind) in PLACEHOLDERS.items():
        Placeholder.objects.get_or_create(key=key, defaults={"label": label, "kind": kind})
