"""Render every stored version again with today's renderer: the box round a table, which scrolls
sideways where the table is wider than the page, is a named group that takes focus (named by the
heading above the table), as every wide table in the portal is. The text is not changed, only the
HTML made from it; the PDF is made again from the new HTML."""

from django.db import migrations


def render_again(apps, schema_editor):
    from handbook.rendering import plain_text, render_markdown

    DocumentVersion = apps.get_model("handbook", "DocumentVersion")
    HandbookPdf = apps.get_model("handbook", "HandbookPdf")
    for version in DocumentVersion.objects.only("pk", "body").iterator():
        html = render_markdown(version.body)
        DocumentVersion.objects.filter(pk=version.pk).update(body_html=html, search_text=plain_text(html))
    HandbookPdf.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("handbook", "0008_shipped_response_text")]
    operations = [migrations.RunPython(render_again, migrations.RunPython.noop)]
