"""Render every published version again with today's renderer: task lists as check boxes,
ids on section headings (for the contents list of a long chapter), tables that turn into cards
on a phone, and links to portal pages kept as markers that are made when the page is shown."""

from django.db import migrations


def render_again(apps, schema_editor):
    from handbook.rendering import plain_text, render_markdown

    DocumentVersion = apps.get_model("handbook", "DocumentVersion")
    HandbookPdf = apps.get_model("handbook", "HandbookPdf")
    for version in DocumentVersion.objects.only("pk", "body"):
        html = render_markdown(version.body)
        DocumentVersion.objects.filter(pk=version.pk).update(body_html=html, search_text=plain_text(html))
    HandbookPdf.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("handbook", "0003_shipped_2026")]

    operations = [migrations.RunPython(render_again, migrations.RunPython.noop)]
