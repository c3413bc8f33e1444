"""Standing checks of the portal's security rules, over every URL the project has, so a
rule cannot silently stop holding when a page is added.

- Every URL pattern is in a role matrix: some tests/test_access_<area>.py lists its
  namespaced name in a module-level set COVERED_URLS (and checks it for every role).
  "Every URL pattern" is every named pattern reachable from config/urls.py, Django's
  administration included (tests/test_access_admin.py requests all of its pages). The
  only unnamed patterns allowed are the administration's own (its redirect from an
  object's bare address, and its catch-all); any other pattern must have a name.
- Every login path is throttled: the throttle is the first authentication backend,
  and no URL of the project logs anyone in with the right password once the limit of
  failures is reached. (A check of an identity that is not a password post, such as a
  single sign-on callback, goes through authenticate() or accounts.throttle.login_attempt,
  and brings its own test in tests/test_throttle.py.)
- No anonymous request creates a row, other than a report (with its audit entry and its
  e-mail to the department) and a failed-login record. (The handbook's PDF is made on its
  first request and kept as the one cached copy of the current handbook: a row, but one
  that cannot grow; the check sees to that too.)
- Every export reads safely with either delimiter: every CSV any page serves to an
  adviser or an administrator, read back with "," and with ";", has no cell that starts
  with =, +, -, @, a tab or a carriage return; no workbook cell is a formula.
- `check --deploy` is clean in production mode.
"""

import csv
import importlib
import io
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from registry.models import AccountStatus

from .conftest import PASSWORD, make_user
from .test_access_admin import url_for as admin_url_for

pytestmark = pytest.mark.django_db

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DIRTY = "Blodbanken;=1+1;x,@SUM(1)\n=2+2"


def url_patterns() -> list[tuple[str | None, str, list[str]]]:
    """(namespaced name or None, route, argument names) for every pattern of the project."""

    def walk(patterns, namespace, prefix, arguments):
        for p in patterns:
            here = arguments + list(p.pattern.regex.groupindex)
            if isinstance(p, URLResolver):
                inner = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
                yield from walk(p.url_patterns, inner, prefix + str(p.pattern), here)
            else:
                name = (f"{namespace}:{p.name}" if namespace else p.name) if p.name else None
                yield name, prefix + str(p.pattern), here

    return list(walk(get_resolver().url_patterns, "", "", []))


def covered_urls() -> dict[str, set[str]]:
    found = {}
    for path in sorted(Path(__file__).parent.glob("test_access_*.py")):
        module = importlib.import_module(f"tests.{path.stem}")
        assert isinstance(getattr(module, "COVERED_URLS", None), set), f"{path.name} has no set COVERED_URLS"
        found[path.stem] = module.COVERED_URLS
    return found


def test_every_url_pattern_is_in_a_role_matrix():
    covered = set().union(*covered_urls().values())
    names = {name for name, _route, _args in url_patterns() if name}
    missing = sorted(names - covered)
    assert not missing, (
        "These URLs are in no role matrix. Add them, checked for every role, to the COVERED_URLS of a "
        f"tests/test_access_<area>.py: {missing}"
    )
    unknown = sorted(covered - names)
    assert not unknown, f"COVERED_URLS names URLs that do not exist: {unknown}"


def test_only_the_administration_has_unnamed_url_patterns():
    unnamed = [route for name, route, _args in url_patterns() if not name and not route.startswith("admin/")]
    assert not unnamed, f"Give these URL patterns a name (and a place in a role matrix): {unnamed}"


# Every URL of the project, with arguments that name real objects.


@pytest.fixture
def world(cast, make_plan, make_account, settings, tmp_path):
    from handbook.content import load_shipped
    from registry import reports

    load_shipped(apps.get_model("handbook", "Document"), apps.get_model("handbook", "DocumentVersion"))
    plan = make_plan("submitted")
    account = make_account(status=AccountStatus.ACTIVE)
    report = reports.report_submit(url="https://www.instagram.com/falsk/", what_is_wrong="Falsk", client_key="k" * 64)
    settings.MAIL_CATCHER_DIR = tmp_path
    message = EmailMessage()
    message["Subject"] = "Kvittering"
    message.set_content("Motteke.")
    message.add_attachment(b"%PDF-1.7", maintype="application", subtype="pdf", filename="plan.pdf")
    (tmp_path / "20261126-100000-000000-abcdef12.eml").write_bytes(message.as_bytes())
    admin_objects = {}
    from django.contrib import admin

    for model in admin.site._registry:
        instance = model._default_manager.order_by("pk").first()
        if instance is not None:
            admin_objects[f"{model._meta.app_label}_{model._meta.model_name}"] = instance
    return {"plan": plan, "account": account, "report": report, "admin": admin_objects, "cast": cast}


def project_urls(world) -> list[tuple[str, str]]:
    """(name, address) for every named URL, with arguments that name real objects."""
    plan, account, report = world["plan"], world["account"], world["report"]
    values = {"number": 1, "slug": "evaluering", "code": account.code, "name": "20261126-100000-000000-abcdef12.eml"}
    values["index"] = 0
    values["chapter"] = "evaluering"  # a chapter of an organisation's own handbook (o/<slug>/handbok/…)
    values["key"] = "sentralbord"  # a placeholder the department fills in (facts)
    values["token"] = "ukjent-kalenderadresse"  # a private calendar address nobody has
    values["import_pk"] = 1  # an uploaded statistics file (evaluations)
    urls = []
    for name, _route, arguments in url_patterns():
        if not name:
            continue
        if name.startswith("admin:"):
            try:
                urls.append((name, admin_url_for(name, arguments, world["admin"], world["cast"])))
            except StopIteration:  # a model with nothing to open
                continue
            continue
        kwargs = {}
        for argument in arguments:
            if argument == "pk":
                kwargs["pk"] = (
                    report.pk
                    if name == "registry:report_detail"
                    else plan.pk
                    if name.startswith("plans:")
                    else account.pk
                )
            elif argument == "action":
                kwargs["action"] = "approve" if name.startswith("plans:") else "close"
            else:
                kwargs[argument] = values[argument]
        urls.append((name, reverse(name, kwargs=kwargs)))
    # The address the edit page was attacked through: a plan that does not exist.
    urls.append(("plans:edit", reverse("plans:edit", args=[100000])))
    return urls


# Every login path is throttled.


def test_the_throttle_is_the_first_authentication_backend():
    assert settings.AUTHENTICATION_BACKENDS[0] == "accounts.throttle.ThrottleBackend"


def test_no_url_logs_anyone_in_with_the_right_password_after_the_limit(world):
    limit = settings.LOGIN_FAILURE_LIMIT
    logins_found = set()
    for n, (name, url) in enumerate(project_urls(world)):
        email = f"probe{n}@example.no"
        make_user(email, "Probe", is_staff=True, is_superuser=True)
        address = f"198.51.{n // 200}.{n % 200 + 1}"
        # Would this address log in at all? (So the check below can tell a login path from a page.)
        probe = Client(REMOTE_ADDR=address)
        probe.post(url, {"username": email, "email": email, "password": PASSWORD})
        if "_auth_user_id" in probe.session:
            logins_found.add(name)
        client = Client(REMOTE_ADDR=address)
        for _ in range(limit):
            client.post(url, {"username": email, "email": email, "password": "wrong"})
        client.post(url, {"username": email, "email": email, "password": PASSWORD})
        assert "_auth_user_id" not in client.session, f"{name} ({url}) logs in past the throttle"
    # The sweep sees the login paths there are (it would notice one that is not throttled).
    assert {"accounts:login", "admin:login"} <= logins_found


# Nothing an anonymous visitor can grow.

ANONYMOUS_MAY_CREATE = {
    "accounts:login": {"accounts.LoginFailure"},
    "admin:login": {"accounts.LoginFailure"},
    "registry:report": {"registry.Report", "core.AuditEntry", "core.OutboundEmail", "django_tasks_db.DBTaskResult"},
    "accessibility:barrier_report": {
        "accessibility.BarrierReport",
        "core.AuditEntry",
        "core.OutboundEmail",
        "django_tasks_db.DBTaskResult",
    },
    # The one cached PDF of the current handbook (replaced, never added to: checked below).
    "handbook:pdf": {"handbook.HandbookPdf"},
}


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models(include_auto_created=True)}


def test_no_anonymous_request_creates_a_row_but_a_report_or_a_failed_login(world):
    big = "x" * 1_100_000  # two of these: under the 2.5 MB Django reads at all, as in the attack
    junk = {
        "username": "nobody@example.no",
        "password": "wrong",
        "url": "https://www.instagram.com/noko/",
        "what_is_wrong": "Falsk",
        "body": big,
        "title": "Tittel",
        "comment": "Kommentar",
        "main_target_group": big,
        "goals-TOTAL_FORMS": "150",
        "language": "nn",
        "item": "naming",
        "checked": "1",
        "status": "fake",
        "note": "x",
        "direction": "up",
        "display_name": "Namn",
        "what_was_hard": "Knappen «Send» kan ikkje nåast med tastaturet.",
    }
    grown = {}
    for n, (name, url) in enumerate(project_urls(world)):
        client = Client(REMOTE_ADDR=f"203.0.{n // 200}.{n % 200 + 1}")
        for method in ("get", "post"):
            before = row_counts()
            getattr(client, method)(url, junk if method == "post" else None)
            after = row_counts()
            more = {label for label in after if after[label] > before[label]}
            unexpected = more - ANONYMOUS_MAY_CREATE.get(name, set())
            if unexpected:
                grown[f"{method.upper()} {url}"] = sorted(unexpected)
    assert not grown, f"Anonymous requests created rows: {grown}"
    assert apps.get_model("handbook", "HandbookPdf").objects.count() <= 1
    # The barrier report took the post as a real report, so what it may create was put to the test.
    assert apps.get_model("accessibility", "BarrierReport").objects.exists()


def cache_rows() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM core_cache")
        return cursor.fetchone()[0]


def test_no_anonymous_request_grows_the_cache_or_the_sessions(world, settings):
    """The probe's two paths: `GET /kontoer/?x=<random>` (two cache rows each) and pressing the
    login button without a cookie (a session row each, kept ten hours); and 200 presses in one
    session, which grew it to 36 kB."""
    from accounts.models import LoginSession

    from .sso_helpers import CLIENT_ID, CLIENT_SECRET, TokenProvider

    provider = TokenProvider().start()
    try:
        settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID = provider.issuer, CLIENT_ID
        settings.OIDC_CLIENT_SECRET, settings.OIDC_TENANT_ID = CLIENT_SECRET, ""
        public_list, sso_start = reverse("registry:public_list"), reverse("accounts:sso_start")
        Client().get(public_list)  # the one kept copy
        before, cache_before = row_counts(), cache_rows()
        for n in range(100):
            junk = Client(HTTP_ACCEPT_LANGUAGE=f"x-{n}", REMOTE_ADDR=f"198.51.100.{n + 1}")
            assert junk.get(public_list, {"x": f"random-{n}"}).status_code == 200
            assert junk.get(sso_start, {"next": f"/?{n}"}).status_code == 302
        after = row_counts()
        assert {label for label in after if after[label] > before[label]} == set()
        assert cache_rows() == cache_before
        # A visitor with a session presses the button 200 times: the session does not grow.
        client = Client()
        session = client.session
        session["some_key"] = "x"
        session.save()
        client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
        size = len(LoginSession.objects.get(session_key=session.session_key).session_data)
        for _ in range(200):
            assert client.get(sso_start).status_code == 302
        assert len(LoginSession.objects.get(session_key=session.session_key).session_data) == size
        assert LoginSession.objects.count() == before["accounts.LoginSession"] + 1
    finally:
        provider.stop()


# Every export reads safely, whichever delimiter the spreadsheet splits on.


def _dirty_data(world):
    cast, account, plan = world["cast"], world["account"], world["plan"]
    for unit in ("unit", "other_unit"):
        cast[unit].__class__.objects.filter(pk=cast[unit].pk).update(name=f"{cast[unit].name} {DIRTY}")
    for person in ("member", "deputy", "leader", "adviser"):
        cast[person].__class__.objects.filter(pk=cast[person].pk).update(full_name=f"={DIRTY}")
    account.__class__.objects.filter(pk=account.pk).update(
        display_name=DIRTY, purpose="+" + DIRTY, response_hours="-" + DIRTY, response_time="@" + DIRTY
    )
    plan.__class__.objects.filter(pk=plan.pk).update(main_target_group=DIRTY, content_types=DIRTY)


def _read_csv(content: str, delimiter: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content, newline=""), delimiter=delimiter) for cell in row]


def test_every_export_reads_safely_with_both_delimiters(world):
    from openpyxl import load_workbook

    _dirty_data(world)
    exports = {}
    for role in ("adviser", "admin"):
        client = Client()
        client.force_login(world["cast"][role])
        for _name, url in project_urls(world):
            for address in (url, url + "?format=csv", url + "?format=xlsx"):
                response = client.get(address)
                kind = response.get("Content-Type", "")
                if response.status_code != 200 or not ("csv" in kind or "spreadsheetml" in kind):
                    continue
                content = b"".join(response.streaming_content) if response.streaming else response.content
                exports[f"{role} {address}"] = (kind, content)
    assert any("csv" in kind for kind, _content in exports.values()), "no CSV export found: the check sees nothing"
    unsafe = {}
    for where, (kind, content) in exports.items():
        if "csv" in kind:
            text = content.decode("utf-8-sig")
            for delimiter in (",", ";"):
                bad = [cell for cell in _read_csv(text, delimiter) if cell.startswith(FORMULA_STARTS)]
                if bad:
                    unsafe[f"{where} read with {delimiter!r}"] = bad[:3]
        else:
            sheet = load_workbook(io.BytesIO(content)).active
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)):
                        unsafe.setdefault(where, []).append(cell.value)
    assert not unsafe, f"Cells a spreadsheet would run as formulas: {unsafe}"
    assert DIRTY.split(";")[0] in "".join(c.decode("utf-8", "replace") for _k, c in exports.values())


# Production mode.


def test_check_deploy_is_clean_in_production_mode():
    from .test_settings import run_manage

    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEMO="0",
        SECRET_KEY="a-long-random-production-secret-" + "k8s7d6f5g4h3j2k1l0" * 3,
        ALLOWED_HOSTS="some.helse-bergen.no",
        SITE_URL="https://some.helse-bergen.no",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
