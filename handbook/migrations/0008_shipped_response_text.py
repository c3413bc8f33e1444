"""The standard response text in the chapter on expectations is the register's one text
({{portal:svartekst}}), filled in from the register when the page is shown, never a copy that can
drift from it. As with 0007: installations keep their history, and a text the hospital has changed
itself is not overwritten; the new text waits in its draft instead."""

from django.db import migrations

# Fingerprints (handbook.content.fingerprint) of the text shipped by 0007_shipped_one_truth.
PREVIOUS = {
    "strategi": "0a09df630077b03d3938738d76ab3023d5f6fe1a9f59cdbcecca0f83672e2424",
    "innleiing": "353517ec3fe4f97b07bb3d4cd629525ec3e0146426511542028260b230192b0c",
    "kva-er-sosiale-media": "8258c7850cd0bc136f03c8865ebd871e5cb76e170404e6fc77fe4d95beb8ee68",
    "korleis-brukar-haukeland-universitetssjukehus-sosiale-media": "aff5ddaeaa910f1a9d8b262a901992a0636fa83e5de7dfbacc86fe9ce2342f73",
    "dette-gjer-vi-ikkje-i-sosiale-media": "fe1397408c56411cd361f75a2fbfee3fcd6702d1fd4049571182d22975a484af",
    "for-de-startar": "e7d92cb8d2e1ec616639d57fcb4b4a0d28a08bf789ab8ad2ed78078b1feece28",
    "kven-har-ansvar-for-innhaldet": "fbc1817c769276255fc5749740e3ea8da3839fa0af2cb504fe3bf6fceb894d1c",
    "namnebruk-og-visuell-profil": "1a38e5eb96c6967ecae310787f813b3ef500d3aaa80e75fef3b32efea2e46c24",
    "bildebruk": "772df6a22e0a7d4b24561365667266cec33de9c002f8e3b0f487f6140063d02c",
    "ressursbruk": "eb72cf7bb5cf702b3d4cc5f95645be2860afa8ddafaba5d5d55b36e13636257d",
    "forventningsstyring": "edea786e6f278d9f17e19287cb62535a2f43a2344b33abceff7298dfc382708b",
    "evaluering": "a6e48460e9196bdfc47c85859c3d15063c7543e526efcbf72011481f4171edca",
    "sprak-stil-og-tone": "30e8802c0ac6ca0064f865dac7e3b75b9ad8e2ef6f760842098266583bd7d712",
    "kva-er-godt-innhald": "60e7da713733ef1f06a998ae97839d78249e892471766ada7734a817a971b517",
    "praktiske-tips": "3f276fafe9478400e2e9d35ecf338c255260195eeb055771ac09fb5673745e12",
    "individuelle-jobbkontoar": "87b2e50fa93596b209644c347045474a3297eb3d0538236658ecba6a0b748ef2",
    "kriser-og-alvorlege-hendingar": "82f0d269bd7dc1a8fd3fb49344dd7103d0fba19bc6a8005873bcdbc75d06e1b0",
    "vanskelege-meldingar": "48a721bb3c3884f9460b225651f0170406c45d06a32122d717cbbeb581f5e04c",
    "kunstig-intelligens": "e5cedc65d1bf819f6f2734c6f2e0f61f205fdd926699fd4671991a2451d8713f",
}


def publish(apps, schema_editor):
    from handbook.content import publish_shipped

    publish_shipped(
        apps.get_model("handbook", "Document"), apps.get_model("handbook", "DocumentVersion"), previous=PREVIOUS
    )


class Migration(migrations.Migration):
    dependencies = [("handbook", "0007_shipped_one_truth")]
    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
