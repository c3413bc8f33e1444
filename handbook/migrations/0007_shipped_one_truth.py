"""One truth (December 2026): «ikkje godkjend» is a refusal, the facts in chapters 4, 6, 8, 15, 17
and 18 with their sources, the register changed only by advisers, «lagd ned», the median response
time, the functional mailbox, and the glossary's forms (Før de startar, tofaktorinnlogging,
enkeltpasientar, vart), and every number, rule and address of the portal that the handbook states
written as a {{portal:…}} placeholder filled in from the portal's settings (the plan answer time, the
evaluations' timing, reminders and closure candidates, the required courses, the account statuses and
the department's mailbox). As with 0003, 0005 and 0006: installations keep their history, and a text
the hospital has changed itself is not overwritten; the new text waits in its draft instead."""

from django.db import migrations

# Fingerprints (handbook.content.fingerprint) of the text shipped by 0006_shipped_first_evaluation.
PREVIOUS = {
    "strategi": "49accdb66e8afec1ede67e5555b2152f3e03c245945f67e7f9d1fddcd7493579",
    "innleiing": "b49da52881f68a738fb2750df6d30bb29cc1428def350e7bcd607c4c5c16434f",
    "kva-er-sosiale-media": "1c4fce338a43881ea241242b1af9ed7cf36e4175dbed8f88c7752ccc1f06babd",
    "korleis-brukar-haukeland-universitetssjukehus-sosiale-media": "09c9decb6986eeedb9a54fdb0d570565235a5d52f5f4da4e95896d0664b3629f",
    "dette-gjer-vi-ikkje-i-sosiale-media": "161fb494420a78615ca523efa54ccede29794b5d1cdca9b5fea27fe126c78b1f",
    "for-de-startar": "3c97538f1bd695d82bd234f4571f16463a4576357af4b135da350d51b046d46c",
    "kven-har-ansvar-for-innhaldet": "99d4c86a629d405c3ded89b6a2ca657303c5a42e1ab65befe77d5bf41f7a3803",
    "namnebruk-og-visuell-profil": "48cc3740a5102024865e9c7954cd6e5179dfcd28b2565efa347c7735758ee1fc",
    "bildebruk": "8d6babf558ff7980d81c6150ea7ac8fe85bccb83f5c58d4542cea61a001428ae",
    "ressursbruk": "72e1ef794dbcae4757236ccb5c12cd3854b00acf4b47382d7a4c98d09d0e598a",
    "forventningsstyring": "d57e783614b4a0f5ca2ee5e45b22791bcbda8d49fbb6d75877a8c42b2bf09f3d",
    "evaluering": "3900af6ea2dbd8cb78c882a6ebf87378503ed1fb27f0897354f00de4e09352eb",
    "sprak-stil-og-tone": "30e8802c0ac6ca0064f865dac7e3b75b9ad8e2ef6f760842098266583bd7d712",
    "kva-er-godt-innhald": "753740651967556cf2c1a261f11c53f91273a1a992df0706b3b5346cf4eb841d",
    "praktiske-tips": "216daf46f4f5eaecd8544ac3991b589cf319893cf2c66f4e28b2a640c323e161",
    "individuelle-jobbkontoar": "16673c7d73b74e8c1ece7d3cdbada8312e8b0d2ac4669ac67f8187f4ecbe5857",
    "kriser-og-alvorlege-hendingar": "044f394528f600dfdc96cf15c7e84d7b7b7bf337d20fc0e27457b641e870517d",
    "vanskelege-meldingar": "76800179f17a711658e046da13458443c83a3af2bc685b8c9b47d45ea99a37ef",
    "kunstig-intelligens": "5fd3ef4903c953f7b2021ba401329a3515e8491402a32bb346a3f1208fa72bf3",
}


def publish(apps, schema_editor):
    from handbook.content import publish_shipped

    publish_shipped(
        apps.get_model("handbook", "Document"), apps.get_model("handbook", "DocumentVersion"), previous=PREVIOUS
    )


class Migration(migrations.Migration):
    dependencies = [("handbook", "0006_shipped_first_evaluation")]
    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
