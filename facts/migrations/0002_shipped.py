from django.db import migrations


def load(apps, schema_editor):
    from facts.shipped import load as load_shipped

    load_shipped(
        apps.get_model("facts", "PlatformTerms"), apps.get_model("facts", "Placeholder"), apps.get_model("platforms", "Platform")
    )


class Migration(migrations.Migration):
    dependencies = [("facts", "0001_initial"), ("platforms", "0002_catalogue")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
