"""Configuration from the environment, and a production mode that passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from config.settings import database_from_url

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DEMO", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DEMO="0", ALLOWED_HOSTS="x")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_database_url_for_postgresql():
    db = database_from_url("postgres://some:p%40ss@db.example:5433/someportal")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "someportal",
        "some",
        "p@ss",
        "db.example",
        "5433",
    )


@pytest.mark.parametrize(
    "url,name",
    [
        ("sqlite:////tmp/portal.sqlite3", Path("/tmp/portal.sqlite3")),
        ("sqlite:///var/x.sqlite3", ROOT / "var/x.sqlite3"),
    ],
)
def test_database_url_for_sqlite_is_set_up_for_concurrent_writers(url, name):
    db = database_from_url(url)
    assert db["NAME"] == name
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert "busy_timeout" in db["OPTIONS"]["init_command"]


def test_an_unknown_database_scheme_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        database_from_url("mysql://x/y")


def test_pages_carry_a_content_security_policy(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy


def test_logged_in_pages_are_never_stored_by_a_cache(client, cast, make_plan):
    plan = make_plan("draft")
    client.force_login(cast["member"])
    for url in [
        "/",
        reverse("plans:list"),
        reverse("plans:detail", args=[plan.pk]),
        reverse("plans:pdf", args=[plan.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        policy = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= policy, url
        assert "public" not in policy


def test_public_pages_for_an_anonymous_visitor_are_not_marked_private(client, db):
    response = client.get(reverse("handbook:index"))
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_var_dir_that_does_not_exist_yet_is_made(tmp_path):
    """`make run` and `make restore` on a new VAR_DIR failed with "unable to open database file"."""
    var = tmp_path / "new" / "var"
    result = run_manage("migrate", "--noinput", "-v", "0", VAR_DIR=str(var))
    assert result.returncode == 0, result.stderr
    assert (var / "some.sqlite3").exists()


def test_check_deploy_flags_demo_mode():
    result = run_manage("check", "--deploy", "--fail-level", "ERROR", DEMO="1")
    assert result.returncode != 0
    assert "some_portalen.E001" in result.stderr and "demo mode" in result.stderr
