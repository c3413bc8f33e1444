"""The hospital's template "Plan for sosiale medier", in the hospital's own words.

Field names and guidance are quoted as the template gives them and are deliberately
not translated: they are the hospital's wording in every language of the portal.
"""

from dataclasses import dataclass

from django.conf import settings

TITLE = "Plan for sosiale medier for:"

INTRODUCTION = (
    "Før dere starter opp med aktivitet i sosiale medier må dere formulere en plan for "
    "hvordan dette skal bidra til å nå målene deres. Denne prosessen skal ta utgangspunkt "
    "i virksomhetsplan og/eller kommunikasjonsplan. Aktivitet på sosiale medier skal bygge "
    "på definerte mål, rette seg mot definerte målgrupper og foregå i de kanaler som er best egnet."
)


def closing_note() -> str:
    return (
        f"Før oppstart sendes planen til Kommunikasjonsavdelingen på {settings.COMMS_MAILBOX}. "
        "Kommunikasjonsavdelingen vil bistå med opprettelse av konto, rådgivning, kurs og evaluering."
    )


@dataclass(frozen=True)
class TemplateField:
    key: str
    name: str
    guidance: str


GOALS = TemplateField(
    "goals",
    "Definerte kommunikasjonsmål",
    "konkretiser hvilke mål du har, hvilke effekt du ønsker å oppnå, og finn en måte å evaluere om du lykkes",
)
TARGET_GROUPS = TemplateField(
    "target_groups",
    "Prioriterte målgrupper",
    "definer hva som er hovedmålgruppe, event sekundære målgrupper",
)
CHANNELS = TemplateField(
    "channels",
    "Kanal/plattform",
    "velg det som er best egnet for å nå mål og målgrupper",
)
CONTENT = TemplateField("content", "Innhold", "hvilke type innhold bør dere dele?")
RESOURCES = TemplateField("resources", "Ressurser", "hvilke ressurser er avsatt for å jobbe med sosiale medier?")
RESULT = TemplateField(
    "result",
    "Resultat",
    "Har du nådd måla du har satt for aktiviteten i sosiale medier? "
    "Dette feltet fylles ut når aktiviteten har pågått en periode",
)

FIELDS = (GOALS, TARGET_GROUPS, CHANNELS, CONTENT, RESOURCES, RESULT)


# The handbook chapter that helps with each part of the plan.
CHAPTERS = {
    "goals": "evaluering",
    "target_groups": "for-de-startar",
    "channels": "kva-er-sosiale-media",
    "content": "kva-er-godt-innhald",
    "resources": "ressursbruk",
    "result": "evaluering",
    "unit": "kven-har-ansvar-for-innhaldet",
}
