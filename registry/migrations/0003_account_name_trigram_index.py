"""A trigram index for the search by name on PostgreSQL (pg_trgm).

The public list and the register search for a part of a name (`search_name LIKE '%…%'`), which
no ordinary index can answer: at 100,000 accounts that read every row. A GIN trigram index
answers it directly. SQLite has no such index and keeps reading the narrow name index."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS account_search_trgm_idx ON registry_account USING gin (search_name gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS account_search_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_account_training_missing")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
