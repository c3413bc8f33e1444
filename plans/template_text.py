"""The hospital's template "Plan for sosiale medier", in the hospital's own words.

Field names and guidance are quoted as the template gives them and are deliberately
not translated: they are the hospital's wording in every language of the portal.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

TITLE = "Plan for sosiale medier for:"

INTRODUCTION = (
    "Før dere starter opp med aktivitet i sosiale medier må dere formulere en plan for "
    "hvordan dette skal bidra til å nå målene deres. Denne prosessen skal ta utgangspunkt "
    "i virksomhetsplan og/eller kommunikasjonsplan. Aktivitet på sosiale medier skal bygge "
    "på definerte mål, rette seg mot definerte målgrupper og foregå i de kanaler som er best egnet."
)


def closing_note(organisation=None) -> str:
    """The template's closing line, saying what the portal does rather than asking the unit
    to e-mail the plan (the paper template's "sendes planen til <the department's mailbox>"):
    the copy goes to the mailbox of `organisation`, the plan's (or the page's) organisation;
    without one, the default organisation's as the settings name it (read without a query)."""
    mailbox = organisation.mailbox if organisation is not None else settings.COMMS_MAILBOX
    return _(
        "Before you start, the plan is sent to the Communications Department here in the portal: "
        "when the unit leader has confirmed it, the portal sends it, and a copy goes to %(mailbox)s. "
        "The Communications Department helps with setting up the account, advice, courses and evaluation."
    ) % {"mailbox": mailbox}


# What the leader answers for, in the handbook's words (chapter "Kven har ansvar for
# innhaldet?"). The portal quotes the published chapter; this is the fallback should the
# heading be renamed.
LEADER_CHAPTER = "kven-har-ansvar-for-innhaldet"
LEADER_HEADING = "Leiaren for eininga"
LEADER_DUTIES = (
    "Stadfestar planen og sender han til Kommunikasjonsavdelinga, og set av ressursar.",
    "Har det overordna ansvaret for at kontoen blir driven i tråd med planen og handboka.",
    "Peikar ut redaktør og stadfortredar, og finn nye når nokon sluttar.",
    "Sørgjer for at tilgangen til den som sluttar eller får nye oppgåver, blir fjerna same dag.",
    "Tek avgjerda om kontoen skal halde fram etter evalueringa.",
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
    # The chapter with the hospital's platforms and their terms (approved, with conditions, not).
    "channels": "korleis-brukar-haukeland-universitetssjukehus-sosiale-media",
    "content": "kva-er-godt-innhald",
    "resources": "ressursbruk",
    "result": "evaluering",
    "unit": "kven-har-ansvar-for-innhaldet",
}
