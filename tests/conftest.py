"""The usual cast: a unit with a member and a leader, a member of another unit, an
adviser in the Communications Department, an administrator, and nobody (anonymous)."""

import importlib
import logging
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import translation

from accounts.models import Membership, Unit, User
from plans import services
from plans.models import Plan
from platforms.models import Platform

from .browser import browser  # noqa: F401  (one Chromium for the whole run)
from .courses_helpers import basic_course, make_session, self_study  # noqa: F401  (courses and sessions)
from .registry_helpers import make_account  # noqa: F401  (accounts in the register)

PASSWORD = "correct horse battery staple"

logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's chatter


@pytest.fixture(scope="session", autouse=True)
def _own_var_dir(tmp_path_factory) -> Path:
    """The files a test run writes (the SQLite test database, uploads, the mail catcher's
    letters, the organisation file folder, backups) go to a folder of this run, and of this
    worker when the suite runs in parallel, never to the portal's own var/: two runs, or two
    workers, never share a file."""
    var = tmp_path_factory.mktemp("var")
    for name, folder in [
        ("MEDIA_ROOT", "media"),
        ("MAIL_CATCHER_DIR", "mail"),
        ("ORG_SYNC_DIR", "organisasjon"),
        ("BACKUP_DIR", "backups"),
        ("ARCHIVE_OUTBOX", "arkiv/utboks"),
        ("ARCHIVE_INBOX", "arkiv/innboks"),
    ]:
        setattr(django_settings, name, var / folder)
    return var


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, _own_var_dir):
    # PostgreSQL test databases are named per worker (test_<name>_gw0, …) by pytest-django;
    # a SQLite test database is a file, made in the run's own folder.
    for db in django_settings.DATABASES.values():
        if db["ENGINE"].endswith("sqlite3"):
            db.setdefault("TEST", {})["NAME"] = _own_var_dir / "test.sqlite3"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    # Each test starts in the site's default language, whatever the test before it activated.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _organisations_read_afresh():
    # Each process keeps the organisations (accounts/organisations.py); a test's changes to them
    # are rolled back after it, so the next test reads them again, as a new process would.
    from accounts.organisations import forget

    forget()
    yield
    forget()


def make_user(email, name, **extra):
    return User.objects.create_user(email, PASSWORD, full_name=name, **extra)


@pytest.fixture
def org(catalogue):
    trust = Unit.objects.create(name="Helse Bergen HF", kind=Unit.Kind.TRUST)
    clinic = Unit.objects.create(name="Laboratorieklinikken", kind=Unit.Kind.CLINIC, parent=trust)
    unit = Unit.objects.create(name="Blodbanken i Bergen", kind=Unit.Kind.SECTION, parent=clinic)
    other_unit = Unit.objects.create(name="Hjarteavdelinga", kind=Unit.Kind.DEPARTMENT, parent=trust)
    return {"trust": trust, "clinic": clinic, "unit": unit, "other_unit": other_unit}


@pytest.fixture
def cast(org):
    member = make_user("silje@example.no", "Silje Dale")
    deputy = make_user("jonas@example.no", "Jonas Berg")
    leader = make_user("hakon@example.no", "Håkon Vik")
    other = make_user("lene@example.no", "Lene Aarskog")
    other_leader = make_user("arne@example.no", "Arne Grov")
    adviser = make_user("marte@example.no", "Marte Solheim", is_adviser=True)
    admin = User.objects.create_superuser("admin@example.no", PASSWORD, full_name="Tor Lunde")
    Membership.objects.create(user=member, unit=org["unit"])
    Membership.objects.create(user=deputy, unit=org["unit"])
    Membership.objects.create(user=other, unit=org["other_unit"])
    org["unit"].leader = leader
    org["unit"].save()
    org["other_unit"].leader = other_leader
    org["other_unit"].save()
    return {
        "member": member,
        "deputy": deputy,
        "leader": leader,
        "other": other,
        "other_leader": other_leader,
        "adviser": adviser,
        "admin": admin,
        **org,
    }


@pytest.fixture
def catalogue(db):
    """The platform catalogue as the migration seeds it (transactional tests empty the tables)."""
    from django.apps import apps

    importlib.import_module("platforms.migrations.0002_catalogue").load(apps, None)
    importlib.import_module("platforms.migrations.0003_profile_rules").load(apps, None)
    return {p.slug: p for p in Platform.objects.all()}


@pytest.fixture
def instagram(catalogue):
    return catalogue["instagram"]


def complete_content(cast, instagram, **changes) -> services.PlanContent:
    content = services.PlanContent(
        title=changes.pop("title", "Instagram for unge blodgivarar"),
        main_target_group="Unge vaksne i Bergen",
        secondary_target_groups="Blodgivarar vi har",
        content_types="Korte videoar frå tappinga",
        content_themes="Kvifor blod trengst",
        content_frequency="To gonger i veka",
        editor=cast["member"],
        deputies=[cast["deputy"]],
        hours_per_week=Decimal("4"),
        other_resources="",
        goals=[
            {
                "goal": "Fleire blodgivarar",
                "effect": "Unge melder seg",
                "indicator": "Nye givarar",
                "target_value": "400",
                "time_frame": "2027",
                "evaluation": "Teljing kvart kvartal",
            }
        ],
        channels=[{"platform": instagram, "justification": "Der er dei unge"}],
    )
    for key, value in changes.items():
        setattr(content, key, value)
    return content


@pytest.fixture
def make_plan(cast, instagram):
    """A plan of the cast's unit, complete, driven through the services to `status`."""

    def make(status="draft", *, unit=None, author=None, title="Instagram for unge blodgivarar", **changes):
        author = author or cast["member"]
        plan = services.plan_create(unit=unit or cast["unit"], author=author, title=title)
        plan = services.plan_update(
            plan=plan,
            actor=author,
            revision=plan.revision,
            content=complete_content(cast, instagram, title=title, **changes),
        )
        leader = plan.unit.effective_leader()
        steps = {
            "draft": [],
            "awaiting_leader": [("send_to_leader", author)],
            "submitted": [("submit", leader)],
            "in_review": [("submit", leader), ("take", cast["adviser"])],
            "changes_requested": [("submit", leader), ("take", cast["adviser"]), ("request_changes", cast["adviser"])],
            "approved": [("submit", leader), ("take", cast["adviser"]), ("approve", cast["adviser"])],
            "rejected": [("submit", leader), ("take", cast["adviser"]), ("reject", cast["adviser"])],
            "withdrawn": [("submit", leader), ("withdraw", author)],
        }[status]
        for action, actor in steps:
            kwargs = {"plan": plan, "actor": actor}
            if action in ("request_changes", "reject"):
                kwargs["comment"] = "Skriv meir om ressursane."
            services.ACTIONS[action](**kwargs)
        return Plan.objects.get(pk=plan.pk)

    return make


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free port, with the portal's mail pointed at it."""
    from .mailserver import MailServer

    server = MailServer()
    server.start()
    settings.MAILERS = server.mailers()
    yield server
    server.stop()


@pytest.fixture
def run_worker(transactional_db):
    """Run the real background worker until the queue is empty.

    The worker closes its database connection when done, so tests that use it run
    with real commits (transactional_db) rather than inside one rolled-back transaction."""

    def run():
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    return run
