"""The handbook and strategy, correct for 2026, as a new published version of each changed
text. Installations keep their history, and a text the hospital has changed itself is not
overwritten: the new text waits in its draft instead."""

from django.db import migrations

# Fingerprints (handbook.content.fingerprint) of the text shipped before this migration.
PREVIOUS = {
    "innleiing": "2a79a77ec3a475dfe1a1b6509900e7b4daa61317631d4d252a815b0df35e07d4",
    "kva-er-sosiale-media": "b123c6a12e8274ece4220c652347157281185093ccc1a87ba4cf9795d8abd218",
    "korleis-brukar-haukeland-universitetssjukehus-sosiale-media": "77182df8969eae144f3d89774d9376bfbebe2db8174a35c02ebd6c07372082ea",
    "dette-gjer-vi-ikkje-i-sosiale-media": "b0f5b9c4bd1a20c3b6e882a78909a78e1af42acae56281b22a6d626b9695304d",
    "for-de-startar": "49ffdf24c50af0fed66dd3ae838aaab48ddb68574bef54293c21d4b65b69a8c8",
    "kven-har-ansvar-for-innhaldet": "2fb85d34f2febcee0dc778f45183afccc5bfa774d03fdde857362f10bab50703",
    "namnebruk-og-visuell-profil": "5955dc94915142faa5a06609924501862c27da080333fd73bff5bbf7fa69f7a9",
    "bildebruk": "4a3e7357d8b299a3d0f4f2b68ea5e09774c96aa3843a8a59ec844bf52db3f00e",
    "ressursbruk": "31028dae396dcef76b351e2a07fe64745b37d4012affb5e02a2e2e87b8b845bd",
    "forventningsstyring": "56b02cb8b1a403e1a6f3572dc6bda5245d2f218f4094be71d6684460ed85490b",
    "evaluering": "e790197af73c79b86971a27478c193b3a33ee4e24c5f5d0bf7ea37365751d44a",
    "sprak-stil-og-tone": "c60f8dc912d94f1f05770bd4a11c1b90507faa7a723a70e581aa459631c45581",
    "kva-er-godt-innhald": "1cfd0a41140b364f38d930e43e3e80336c7f156c378e5bab957af205491de04e",
    "praktiske-tips": "50f4eac50d4741fee7ad75fc47f296d106e66db951569e319b024973e75369c8",
    "individuelle-jobbkontoar": "b44ae6a0d64d28fb584e41ea1f47fd0702cccd4a6f2b282b8b47a1b2abfa9252",
    "strategi": "66c6c2cf8c862f3e2a2680c1fa3b413f6481c3e95818205617605a87e3212499",
}


def publish(apps, schema_editor):
    from handbook.content import publish_shipped

    publish_shipped(
        apps.get_model("handbook", "Document"), apps.get_model("handbook", "DocumentVersion"), previous=PREVIOUS
    )


class Migration(migrations.Migration):
    dependencies = [("handbook", "0002_shipped_content")]
    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
