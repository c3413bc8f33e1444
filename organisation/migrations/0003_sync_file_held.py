"""The organisation file of a sync run is held the way every upload waiting for confirmation
is (core.models.HeldUpload), no longer in the run's own `content` column.

A run that can still be applied, confirmed or looked at again (a dry run, held back, stopped,
waiting, being applied, or with errors whose messages are read again from the file) keeps its
file: it is moved, as it was, to a held upload of the run's uploader (none for the scheduled
sync's files) that expires like a new one. An applied run's file is dropped: nothing reads it
again, and the run keeps its summary and its SHA-256. The column is emptied, and kept (empty,
read by nothing) until no code passes it any more."""

import hashlib
import zlib
from datetime import timedelta

from django.db import migrations, models
from django.utils import timezone

HELD_FOR = timedelta(days=7)  # organisation.services.HELD_FOR when this was written


def move_files(apps, schema_editor):
    SyncRun = apps.get_model("organisation", "SyncRun")
    HeldUpload = apps.get_model("core", "HeldUpload")
    ContentType = apps.get_model("contenttypes", "ContentType")
    run_type, _created = ContentType.objects.get_or_create(app_label="organisation", model="syncrun")
    expires = timezone.now() + HELD_FOR
    for run in SyncRun.objects.exclude(status="applied").iterator(chunk_size=20):
        content = bytes(run.content or b"")
        if not content:
            continue
        HeldUpload.objects.create(
            owner_id=run.created_by_id,
            purpose="organisation.sync",
            filename=run.filename,
            content=zlib.compress(content, 6),
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            record_type=run_type,
            record_id=run.pk,
            expires_at=expires,
        )
    SyncRun.objects.exclude(content=b"").update(content=b"")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_held_upload"),
        ("organisation", "0002_sync_held_and_mass_change"),
    ]

    operations = [
        migrations.RunPython(move_files, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="syncrun", name="content", field=models.BinaryField(blank=True, default=b"", editable=False)
        ),
    ]
