"""The first evaluation three months after the account went live, as the portal schedules it
(EVALUATION_FIRST_MONTHS), where the handbook and the strategy said six: a new published version
of each changed text. As with 0003 and 0005: installations keep their history, and a text the
hospital has changed itself is not overwritten; the new text waits in its draft instead."""

from django.db import migrations

# Fingerprints (handbook.content.fingerprint) of the text shipped by 0005_shipped_glossary_forms.
PREVIOUS = {
    "strategi": "cfb16c265cca0f9646e490a9187b8a467daee7ba4a4fdc94e7f672a06bd685e8",
    "innleiing": "631067555cc8ae43f013389a10b45b0bac4f6683dcc742064f48b3670699bc1c",
    "for-de-startar": "9f44b838300205404dea9ef5791a58f15265cfe9e3e5fba44dc6469d924c9d21",
    "evaluering": "548b86019307bdc6b14172288219c7f3f11225410e298963e42779580915810f",
}


def publish(apps, schema_editor):
    from handbook.content import publish_shipped

    publish_shipped(
        apps.get_model("handbook", "Document"), apps.get_model("handbook", "DocumentVersion"), previous=PREVIOUS
    )


class Migration(migrations.Migration):
    dependencies = [("handbook", "0005_shipped_glossary_forms")]
    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
