"""The platform assessments shipped in December 2026: X, Threads, Snapchat, Bluesky, Mastodon,
Vimeo, Flickr and Pinterest get the portal's starting point where an installation has no terms
for them yet; TikTok's terms say what «not approved» means (a refusal: only a changed assessment
opens the platform, never a plan), and Facebook's use the glossary's «vart».

Nothing an adviser has saved is overwritten: `shipped.load` only adds terms that are missing, and
a shipped reason is replaced only where it is still the text shipped before and no adviser has
saved it."""

from django.db import migrations

# The reasons shipped by 0002_shipped that this migration changes, as they stood.
PREVIOUS = {
    "tiktok": (
        "Justis- og beredskapsdepartementet rådde i mars 2023 frå å ha TikTok på jobbtelefonar og andre "
        "tenesteeiningar som er kopla til dei interne systema, etter ei vurdering frå Nasjonal sikkerheitsmyndigheit "
        "(NSM, 2023). Har ei eining eit reelt behov, skal appen berre liggje på ein eigen telefon som ikkje er kopla "
        "til sjukehuset sine system, og planen må vere godkjend av Kommunikasjonsavdelinga."
    ),
    "facebook": (
        "Datatilsynet valde i 2021 å ikkje ha eiga Facebook-side, fordi tilsynet meinte risikoen for personvernet "
        "til brukarane var for høg (Datatilsynet, 2021). Digdir vurderte det annleis for seg sjølv og blei verande "
        "(Digdir, 2022). Sidan 2025 brukar Meta offentlege innlegg og kommentarar frå vaksne brukarar i EU til å "
        "trene KI, og Datatilsynet legg til grunn at det også gjeld Noreg (Datatilsynet, 2025). Vilkår: ingen "
        "helseopplysningar i innlegg eller svar, eit fast svar i meldingsfunksjonen som viser til trygge kanalar, "
        "og all viktig informasjon også på helse-bergen.no."
    ),
}


def load(apps, schema_editor):
    from facts.shipped import PLATFORM_TERMS
    from facts.shipped import load as load_shipped

    PlatformTerms = apps.get_model("facts", "PlatformTerms")
    load_shipped(PlatformTerms, apps.get_model("facts", "Placeholder"), apps.get_model("platforms", "Platform"))
    for slug, previous in PREVIOUS.items():
        policy, reason = PLATFORM_TERMS[slug]
        PlatformTerms.objects.filter(
            platform__slug=slug, updated_by__isnull=True, policy=policy, reason=previous
        ).update(reason=reason)


class Migration(migrations.Migration):
    dependencies = [("facts", "0002_shipped")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
