"""Each outgoing e-mail gets its own random key for its Message-ID (the row number repeated after
a restore). Existing messages each draw one; a message already sent keeps no tie to its old ID."""

import uuid

from django.db import migrations, models


def draw_keys(apps, schema_editor):
    OutboundEmail = apps.get_model("core", "OutboundEmail")
    for pk in OutboundEmail.objects.values_list("pk", flat=True).iterator():
        OutboundEmail.objects.filter(pk=pk).update(message_key=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("core", "0002_outbox_outcome_unknown")]

    operations = [
        migrations.AddField(
            model_name="outboundemail", name="message_key", field=models.UUIDField(null=True, editable=False)
        ),
        migrations.RunPython(draw_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="outboundemail",
            name="message_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
