from django.db import migrations


def load(apps, schema_editor):
    from handbook.content import load_shipped

    load_shipped(apps.get_model("handbook", "Document"), apps.get_model("handbook", "DocumentVersion"))


class Migration(migrations.Migration):
    dependencies = [("handbook", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
