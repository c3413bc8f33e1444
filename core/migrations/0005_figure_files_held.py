"""The file of an unsaved import of key figures is held the way every upload waiting for
confirmation is (core.models.HeldUpload), no longer in the import's own `upload` column.

An unsaved import keeps its file: the bytes are moved as they are (they were compressed the
same way) to a held upload of the person who uploaded it, expiring like a new one, and the
import's column is emptied. An import whose uploader has been deleted cannot be confirmed by
anyone, so its file is dropped; its check page asks for the file again. Saved imports held no
file. Imports read before files were kept at all (their whole table is in `table`) lose
nothing they had: the mapping asks for the file again."""

import zlib
from datetime import timedelta

from django.db import migrations
from django.utils import timezone

HELD_FOR = timedelta(days=7)  # evaluations.importing.HELD_FOR when this was written


def move_files(apps, schema_editor):
    FigureImport = apps.get_model("evaluations", "FigureImport")
    HeldUpload = apps.get_model("core", "HeldUpload")
    ContentType = apps.get_model("contenttypes", "ContentType")
    import_type, _created = ContentType.objects.get_or_create(app_label="evaluations", model="figureimport")
    expires = timezone.now() + HELD_FOR
    pending = FigureImport.objects.filter(status="pending").exclude(upload=b"")
    for figure_import in pending.iterator(chunk_size=20):
        packed = bytes(figure_import.upload)
        if figure_import.uploaded_by_id is not None:
            try:
                size = len(zlib.decompress(packed))
            except zlib.error:
                size = None
            if size is not None:
                HeldUpload.objects.create(
                    owner_id=figure_import.uploaded_by_id,
                    purpose="evaluations.figures",
                    filename=figure_import.filename,
                    content=packed,
                    size=size,
                    sha256=figure_import.sha256,
                    record_type=import_type,
                    record_id=figure_import.pk,
                    expires_at=expires,
                )
        FigureImport.objects.filter(pk=figure_import.pk).update(upload=b"")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_held_upload"),
        ("evaluations", "0003_figureimport_upload"),
    ]

    operations = [migrations.RunPython(move_files, migrations.RunPython.noop)]
