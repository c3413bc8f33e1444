"""The archive settings become each organisation's own: the one row an installation from before
holds is given to the organisation that holds everything else (settings.DEFAULT_ORGANISATION,
as accounts' migration 0005 made it), and its name field gives way to the organisation's name."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def to_the_organisation(apps, schema_editor):
    ArchiveSettings = apps.get_model("archive", "ArchiveSettings")
    Organisation = apps.get_model("accounts", "Organisation")
    # There was at most one row: its key was unique.
    row = ArchiveSettings.objects.order_by("pk").first()
    if row is None:
        return
    wanted = settings.DEFAULT_ORGANISATION
    organisation, _made = Organisation.objects.get_or_create(
        slug=wanted["slug"], defaults={"name": wanted["name"], "mailbox": wanted["mailbox"]}
    )
    row.organisation = organisation
    row.save(update_fields=["organisation"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_unit_organisation_required"),
        ("archive", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(model_name="archivesettings", name="organisation"),
        migrations.AddField(
            model_name="archivesettings",
            name="organisation",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="archive_settings",
                to="accounts.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.RunPython(to_the_organisation, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="archivesettings",
            name="organisation",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="archive_settings",
                to="accounts.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.RemoveField(model_name="archivesettings", name="key"),
        migrations.AlterField(
            model_name="archivesettings",
            name="organisation_number",
            field=models.CharField(blank=True, max_length=20, verbose_name="organisation number"),
        ),
    ]
