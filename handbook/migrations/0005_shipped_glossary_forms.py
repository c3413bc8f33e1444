"""The handbook and strategy in the glossary's Nynorsk forms (plattformar, plattformane, not the
Bokmål plattformer, plattformene), as a new published version of each changed text. As with
0003: installations keep their history, and a text the hospital has changed itself is not
overwritten; the new text waits in its draft instead."""

from django.db import migrations

# Fingerprints (handbook.content.fingerprint) of the text shipped by 0003_shipped_2026.
PREVIOUS = {
    "innleiing": "cf4088c65a77d3ff6a5e452019ee4914a68c7b2d123d9e9f7a0ea8216b744832",
    "kva-er-sosiale-media": "55d283a78b7e2c05f3ffad0aac399f2e642941da55b77770800b8d72fedcc3f6",
    "korleis-brukar-haukeland-universitetssjukehus-sosiale-media": "45d84282b0076ed0a4da17ed27c1deaeb8651d7b4ac6e4e23a5a928272cd0107",
    "kven-har-ansvar-for-innhaldet": "3f96cb69909062e539c43c68db9016a6d8ea6462847dd2c507ae976a9972cc76",
    "namnebruk-og-visuell-profil": "ccae27e45853446083409bee4be9545996d00d5451398074f83a9a84f70532aa",
    "ressursbruk": "599db29a42d828664d509e983ab46824d0b89665472fcae8056b3800b33de02c",
    "evaluering": "03ceac1a7fc3d27565567b015b8ab9b762857a72fe6c3df163b3b7701b09eb85",
    "sprak-stil-og-tone": "c1f00292fcb0eec4e642a6782406c1244664b81f40909dc05eb28a925501e7ef",
    "kva-er-godt-innhald": "f37f554a9f0e739ffe56a213c0eb0badfe43a7f2a72329871d33bc383e4c0617",
    "kunstig-intelligens": "432b32b43bb791bb3cb9eae34935acacca277f06dc31f64d52394d86af086563",
    "strategi": "e47c475319af69d3d7386ad8b0430b342b3efb4b2f3964d78a657e92e2415618",
}


def publish(apps, schema_editor):
    from handbook.content import publish_shipped

    publish_shipped(
        apps.get_model("handbook", "Document"), apps.get_model("handbook", "DocumentVersion"), previous=PREVIOUS
    )


class Migration(migrations.Migration):
    dependencies = [("handbook", "0004_render_again")]
    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
