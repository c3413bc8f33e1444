"""Each report goes to one organisation. The reports from before organisations were all to the
one organisation the installation had (settings.DEFAULT_ORGANISATION, made by the accounts
migrations): to the account's organisation where the report names one, else to that one."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    Report = apps.get_model("registry", "Report")
    Account = apps.get_model("registry", "Account")
    if not Report.objects.exists():
        return
    wanted = settings.DEFAULT_ORGANISATION
    default, _made = Organisation.objects.get_or_create(
        slug=wanted["slug"], defaults={"name": wanted["name"], "mailbox": wanted["mailbox"]}
    )
    owner = Account.objects.filter(pk=OuterRef("account_id")).values("unit__organisation_id")[:1]
    Report.objects.filter(account__isnull=False).update(organisation_id=Subquery(owner))
    Report.objects.filter(organisation__isnull=True).update(organisation=default)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_unit_organisation_required"),
        ("registry", "0008_account_functional_mailbox"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
