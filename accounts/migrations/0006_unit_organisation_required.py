import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_one_organisation_holds_all")]

    operations = [
        migrations.AlterField(
            model_name="unit",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="units",
                to="accounts.organisation",
                verbose_name="organisation",
            ),
        ),
    ]
