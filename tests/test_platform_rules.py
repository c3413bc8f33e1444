"""The platforms' profile-address rules and icons are data (platforms/data), which the migration
that seeds them reads when it runs, and checks is unchanged."""

import importlib
import json

import pytest

from platforms.models import Platform

migration = importlib.import_module("platforms.migrations.0003_profile_rules")


def test_the_migration_seeded_what_the_file_says(db):
    # The test database is made by the migrations themselves.
    entries = migration.read()
    seeded = {platform.slug: platform for platform in Platform.objects.all()}
    assert set(entries) == set(seeded) and len(entries) == 13
    for slug, entry in entries.items():
        assert seeded[slug].url_rules == entry["rules"], slug
        assert seeded[slug].icon == entry["icon"], slug


def test_the_file_may_be_laid_out_anew(tmp_path):
    entries = json.loads(migration.DATA.read_text(encoding="utf-8"))
    again = tmp_path / "rules.json"
    again.write_text(json.dumps(entries, indent=4, sort_keys=True).replace("\n", "\r\n"), encoding="utf-8")
    assert migration.read(again) == migration.read()


def test_a_changed_rule_does_not_change_what_the_old_migration_did(tmp_path):
    entries = json.loads(migration.DATA.read_text(encoding="utf-8"))
    entries["platforms"]["instagram"]["rules"]["example"] = "https://www.instagram.com/someone_else/"
    changed = tmp_path / "rules.json"
    changed.write_text(json.dumps(entries), encoding="utf-8")
    with pytest.raises(ValueError, match="new migration"):
        migration.read(changed)
