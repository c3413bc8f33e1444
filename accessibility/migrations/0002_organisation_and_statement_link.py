"""Barrier reports belong to the organisation whose pages they were made on: those from before
organisations go to the one that holds everything else (settings.DEFAULT_ORGANISATION, as
accounts' migration 0005 made it). An organisation may link its own accessibility statement."""

import accessibility.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def to_the_organisation(apps, schema_editor):
    BarrierReport = apps.get_model("accessibility", "BarrierReport")
    Organisation = apps.get_model("accounts", "Organisation")
    if not BarrierReport.objects.filter(organisation__isnull=True).exists():
        return
    wanted = settings.DEFAULT_ORGANISATION
    organisation, _made = Organisation.objects.get_or_create(
        slug=wanted["slug"], defaults={"name": wanted["name"], "mailbox": wanted["mailbox"]}
    )
    BarrierReport.objects.filter(organisation__isnull=True).update(organisation=organisation)


class Migration(migrations.Migration):

    dependencies = [
        ('accessibility', '0001_barrier_report'),
        ('accounts', '0006_unit_organisation_required'),
    ]

    operations = [
        migrations.AddField(
            model_name='barrierreport',
            name='organisation',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation', verbose_name='organisation'),
        ),
        migrations.RunPython(to_the_organisation, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='barrierreport',
            name='organisation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation', verbose_name='organisation'),
        ),
        migrations.CreateModel(
            name='StatementLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('url', models.URLField(help_text="The organisation's statement on uustatus.no, such as https://uustatus.no/nb/erklaringer/publisert/…", max_length=500, validators=[accessibility.models.https_only], verbose_name='address of the accessibility statement')),
                ('organisation', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='accessibility_statement', to='accounts.organisation', verbose_name='organisation')),
            ],
            options={
                'verbose_name': 'accessibility statement link',
                'verbose_name_plural': 'accessibility statement links',
            },
        ),
    ]
