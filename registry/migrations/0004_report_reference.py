from django.db import migrations, models

import registry.models


def give_references(apps, schema_editor):
    Report = apps.get_model("registry", "Report")
    taken = set()
    for report in Report.objects.filter(reference__isnull=True).only("pk"):
        reference = registry.models.new_reference()
        while reference in taken:
            reference = registry.models.new_reference()
        taken.add(reference)
        Report.objects.filter(pk=report.pk).update(reference=reference)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_account_name_trigram_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="reference",
            field=models.CharField(editable=False, max_length=12, null=True, verbose_name="reference"),
        ),
        migrations.RunPython(give_references, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="report",
            name="reference",
            field=models.CharField(
                default=registry.models.new_reference,
                editable=False,
                max_length=12,
                unique=True,
                verbose_name="reference",
            ),
        ),
    ]
