"""The standard response text is written once: the account form starts from it, and the handbook's
chapter on expectations says the same sentence."""

import re
from pathlib import Path

from django.conf import settings

from registry.forms import AccountForm
from registry.models import RESPONSE_HOURS_DEFAULT, RESPONSE_TIME_DEFAULT, standard_response_text

CHAPTER = Path(settings.BASE_DIR) / "handbook" / "content" / "10-forventningsstyring.md"


def test_the_account_form_starts_from_the_standard_text(cast, catalogue):
    form = AccountForm(unit=cast["unit"])
    assert form["response_hours"].value() == RESPONSE_HOURS_DEFAULT
    assert form["response_time"].value() == RESPONSE_TIME_DEFAULT


def test_the_two_parts_make_the_sentence_the_handbook_quotes():
    assert standard_response_text() == (
        "Vi svarar på kvardagar 08–15, innan éin arbeidsdag. Vi svarar ikkje på spørsmål om enkeltpasientar."
    )
    assert standard_response_text("Måndag–fredag 08–19", "Innan to arbeidsdagar.") == (
        "Vi svarar på måndag–fredag 08–19, innan to arbeidsdagar."
    )


def test_the_handbook_does_not_write_a_text_of_its_own():
    """Until the chapter reads the text through its placeholder, what it quotes is the same text."""
    text = CHAPTER.read_text(encoding="utf-8")
    standard = text[text.index("Standardteksten er:") :].split("\n\n", 2)[1]
    if "{{portal:svartekst}}" not in standard:
        quoted = re.search(r"«(.+)»", standard).group(1)
        assert quoted == standard_response_text()
