"""The chapter on expectations names the standard text's hours and answer time outside the
response time through {{portal:svartid-timar}} and {{portal:svartid-innan}}, read from the
register's one standard text, instead of writing "kvardagar 08–15" by hand. As with 0008: a text
the organisation has changed itself is not overwritten; the new text waits in its draft instead.
Only this chapter is looked at, and only where the installation has it."""

from django.db import migrations

# Fingerprint (handbook.content.fingerprint) of the chapter as shipped by 0008_shipped_response_text.
# The other chapters are as 0008 shipped them.
PREVIOUS = {"forventningsstyring": "88d86c349851a49ad5768e7f3f0ffe4f374ebeca6837249edfd07a078fd4ba9c"}


def publish(apps, schema_editor):
    from handbook.content import publish_shipped

    publish_shipped(
        apps.get_model("handbook", "Document"),
        apps.get_model("handbook", "DocumentVersion"),
        previous=PREVIOUS,
        only_previous=True,
    )


class Migration(migrations.Migration):
    dependencies = [("handbook", "0010_organisations_own_versions")]
    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
