"""An installation from before organisations: everything it holds becomes the one organisation's
(settings.DEFAULT_ORGANISATION, from ORGANISATION_NAME, ORGANISATION_SLUG and COMMS_MAILBOX)."""

from django.conf import settings
from django.db import migrations


def forwards(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    Unit = apps.get_model("accounts", "Unit")
    User = apps.get_model("accounts", "User")
    wanted = settings.DEFAULT_ORGANISATION
    organisation, _made = Organisation.objects.get_or_create(
        slug=wanted["slug"], defaults={"name": wanted["name"], "mailbox": wanted["mailbox"]}
    )
    Unit.objects.filter(organisation__isnull=True).update(organisation=organisation)
    User.objects.filter(organisation__isnull=True).update(organisation=organisation)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_organisations")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
