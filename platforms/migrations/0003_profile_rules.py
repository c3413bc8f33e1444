"""The profile-address rules and icons of the catalogue's platforms.

The rules are described on `Platform`; `platforms.profiles` applies them. They are data, kept in
platforms/data/profile_rules_0003.json, which this migration reads when it runs.

That file holds the rules as this migration sets them, and is never edited: a migration that
has run on a site must do the same on a new one. So the file's content is checked against the
SHA-256 below, and the migration stops if they differ. New or changed rules come in a new
migration with a file of its own (profile_rules_0005.json, …), which updates the platforms it
names; the portal reads the rules from the database, never from these files."""

import hashlib
import json
from pathlib import Path

from django.db import migrations, models

import platforms.models

DATA = Path(__file__).resolve().parent.parent / "data" / "profile_rules_0003.json"
# Of the platforms' entries written as canonical JSON (sorted keys, no spaces), so that how
# the file is laid out or its line endings do not matter, only what it says.
SHA256 = "351a9d0ad0cd4601f0f7a0650aef6caf71cf07604dfd5f82dc3425d183c83ba4"


def read(path: Path = DATA, sha256: str = SHA256) -> dict:
    """slug → {"icon": path data, "rules": the address rules}, as the file says and it said."""
    entries = json.loads(path.read_text(encoding="utf-8"))["platforms"]
    canonical = json.dumps(entries, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if hashlib.sha256(canonical.encode()).hexdigest() != sha256:
        raise ValueError(f"{path.name} is not what migration 0003_profile_rules set: put a change in a new migration.")
    return entries


def load(apps, schema_editor):
    Platform = apps.get_model("platforms", "Platform")
    for slug, entry in read().items():
        Platform.objects.filter(slug=slug).update(url_rules=entry["rules"], icon=entry["icon"])


class Migration(migrations.Migration):
    dependencies = [("platforms", "0002_catalogue")]
    operations = [
        migrations.AddField(
            model_name="platform",
            name="icon",
            field=models.TextField(
                blank=True,
                help_text="The path data (the “d” attribute) of a one-colour SVG icon drawn on a 24 × 24 grid.",
                validators=[platforms.models.validate_icon_path],
                verbose_name="icon",
            ),
        ),
        migrations.AddField(
            model_name="platform",
            name="url_rules",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="How the platform's profile addresses look; the model's documentation describes the keys.",
                verbose_name="profile address rules",
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
