"""Single sign-on and the organisation sync.

1. A login with the hospital account through the real OpenID Connect provider
   (node-oidc-provider): the portal's own server time for pressing the button and for the
   provider's answer (code exchange and ID token verified), without the time spent waiting
   for the provider. Target: under 50 ms for the round trip, compared with the trivial health
   page measured in the same run.
2. The organisation sync with 2,000 units and 20,000 people: reading the file, the dry run,
   applying it, the same file again (which must write nothing), and a file with a day's worth
   of changes. Target: under a minute for the first apply.

Runs in-process with Django's test client against a fresh SQLite file of its own (or the
database in BENCH_SSO_DATABASE_URL, which should be empty).

    python bench/sso_sync.py
    BENCH_UNITS=500 BENCH_PEOPLE=5000 python bench/sso_sync.py
"""

import csv
import io
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_FILE = ROOT / "var" / "bench-sso.sqlite3"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_SSO_DATABASE_URL", f"sqlite:///{DB_FILE}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if not os.environ.get("BENCH_SSO_DATABASE_URL"):
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB_FILE}{suffix}").unlink(missing_ok=True)

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Membership, Unit, User  # noqa: E402
from demo import sso  # noqa: E402
from organisation import services  # noqa: E402
from organisation.reader import read_rows  # noqa: E402
from organisation.sync import sync_plan  # noqa: E402
from tests.oidc_provider import RealProvider  # noqa: E402

LOGINS = int(os.environ.get("BENCH_LOGINS", 30))
UNITS = int(os.environ.get("BENCH_UNITS", 2_000))
PEOPLE = int(os.environ.get("BENCH_PEOPLE", 20_000))
SSO_TARGET_MS = 50
SYNC_TARGET_S = 60
WRITES = ("INSERT", "UPDATE", "DELETE")


class ProviderClock:
    """Adds up the time the portal spends waiting for the provider (every HTTP call it makes)."""

    def __init__(self):
        self.seconds = 0.0
        self._original = requests.Session.request

    def __enter__(self):
        clock = self

        def timed(session, *args, **kwargs):
            start = time.perf_counter()
            try:
                return clock._original(session, *args, **kwargs)
            finally:
                clock.seconds += time.perf_counter() - start

        requests.Session.request = timed
        return self

    def __exit__(self, *exc):
        requests.Session.request = self._original


def provider_login(authorize_url: str, email: str) -> str:
    """The browser's part at the provider: returns the address it sends the browser back to."""
    browser = requests.Session()
    url = authorize_url
    while True:
        response = browser.get(url, allow_redirects=False)
        if response.status_code in (302, 303):
            url = urljoin(url, response.headers["Location"])
            if urlsplit(url).hostname == "testserver":
                return url
            continue
        action = re.search(r'action="([^"]+)"', response.text).group(1)
        response = browser.post(
            urljoin(url, action), data={"email": email, "password": sso.PASSWORD}, allow_redirects=False
        )
        url = urljoin(url, response.headers["Location"])


def bench_sso():
    with tempfile.TemporaryDirectory() as directory:
        people = [{"sub": "bench-1", "email": "bench@eksempel.no", "name": "Bench Person", "roles": ["SoMe.Adviser"]}]
        provider = RealProvider(Path(directory), "http://testserver", people).start()
        settings.OIDC_ISSUER = provider.issuer
        settings.OIDC_CLIENT_ID = sso.CLIENT_ID
        settings.OIDC_CLIENT_SECRET = sso.CLIENT_SECRET
        try:
            health, own, waited = [], [], []
            baseline = Client()
            baseline.get("/helse/")
            # One client (one set of middleware, loaded once as in a server process); a fresh
            # browser for each login is a fresh set of cookies.
            client = Client()
            for i in range(LOGINS + 1):
                # The baseline next to each login, so both meet the same load on the machine.
                start = time.perf_counter()
                baseline.get("/helse/")
                health.append((time.perf_counter() - start) * 1000)
                client.cookies.clear()
                with ProviderClock() as clock:
                    start = time.perf_counter()
                    response = client.get("/logg-inn/sso/")
                    button = time.perf_counter() - start
                back = provider_login(response["Location"], "bench@eksempel.no")
                with clock:
                    start = time.perf_counter()
                    answer = client.get(back)
                    callback = time.perf_counter() - start
                assert answer.status_code == 302 and "_auth_user_id" in client.session, answer.content[:300]
                if i == 0:
                    continue  # the first login also fetches the discovery document and the keys
                own.append((button + callback - clock.seconds) * 1000)
                waited.append(clock.seconds * 1000)
        finally:
            provider.stop()
    own.sort()
    median = statistics.median(own)
    print("Single sign-on: a login round trip through the real provider (node-oidc-provider)")
    print(f"  {LOGINS} logins; the portal's own server time (button + answer, without waiting for the provider)")
    print(f"  median {median:.1f} ms, p95 {own[int(len(own) * 0.95) - 1]:.1f} ms (target {SSO_TARGET_MS} ms)")
    print(f"  waiting for the provider (code exchange): median {statistics.median(waited):.1f} ms")
    print(
        f"  health page (baseline): median {statistics.median(health):.2f} ms; login = {median / statistics.median(health):.0f} × health"
    )
    return median <= SSO_TARGET_MS


def organisation_file(*, units: int, people: int, changes: bool = False) -> bytes:
    """A hospital: one trust, clinics, departments and sections; every unit with a leader and
    its share of the staff as members (by e-mail, or by employee number for every third)."""
    clinics = max(units // 100, 1)
    departments = max(units // 5, 1)
    rows = []
    for i in range(units):
        if i == 0:
            parent, kind = "", "helseføretak"
        elif i <= clinics:
            parent, kind = "U0", "klinikk"
        elif i <= clinics + departments:
            parent, kind = f"U{1 + i % clinics}", "avdeling"
        else:
            parent, kind = f"U{1 + clinics + i % departments}", "seksjon"
        name = f"Eining {i} for pasientar i Bergen"
        leader = f"p{i}@bench.no"
        if changes and i % 40 == 7:
            name += " (nytt namn)"
        if changes and i % 100 == 9 and kind == "seksjon":
            parent = f"U{1 + clinics + (i + 1) % departments}"
        if changes and i % 70 == 3:
            leader = f"p{i + units}@bench.no"
        rows.append([f"U{i}", name, parent, kind, leader, []])
    for p in range(people):
        if changes and p % 100 == 50:
            continue  # left the hospital
        rows[p % units][5].append(f"E{p}" if p % 3 == 0 else f"p{p}@bench.no")
    if changes:
        rows = [r for r in rows if not (r[3] == "seksjon" and int(r[0][1:]) % 200 == 11)]  # closed
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["enhet_id", "navn", "overordnet_id", "nivå", "leder", "medlemmer"])
    for r in rows:
        writer.writerow([*r[:5], ";".join(r[5])])
    return out.getvalue().encode("utf-8-sig")


def timed(label, function):
    start = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - start
    print(f"  {label:46} {seconds:7.2f} s")
    return result, seconds


def bench_sync():
    User.objects.bulk_create(
        [
            User(email=f"p{i}@bench.no", full_name=f"Person {i}", employee_id=f"E{i}", password="!")
            for i in range(PEOPLE)
        ],
        batch_size=2000,
    )
    print(f"\nThe organisation sync: {UNITS:,} units, {PEOPLE:,} people ({connection.vendor})")
    content = organisation_file(units=UNITS, people=PEOPLE)
    sheet, read_s = timed("read the file (CSV, UTF-8 with BOM)", lambda: read_rows(content, "org.csv"))
    plan, plan_s = timed("dry run", lambda: sync_plan(sheet.rows, has_members=True))
    counts = plan.summary()["counts"]
    print(f"    would create {counts['created']:,} units and {counts['members_added']:,} memberships")

    def progress(text):
        print(f"    … {text}")

    run = services.sync_preview(content=content, filename="org.csv")
    _run, apply_s = timed("apply (with the dry run again)", lambda: services.sync_apply(run=run, progress=progress))
    first = read_s + plan_s + apply_s
    print(f"  {'first sync in all':46} {first:7.2f} s (target {SYNC_TARGET_S} s)")
    print(f"    {Unit.objects.count():,} units, {Membership.objects.count():,} memberships")

    again = sync_plan(read_rows(content, "org.csv").rows, has_members=True)
    with CaptureQueriesContext(connection) as queries:
        _r, same_s = timed(
            "the same file again",
            lambda: services.plan_apply(plan=sync_plan(read_rows(content, "org.csv").rows, has_members=True)),
        )
    writes = [q for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    print(f"    changes: {again.has_changes}; write queries: {len(writes)}")

    changed = organisation_file(units=UNITS, people=PEOPLE, changes=True)
    run = services.sync_preview(content=changed, filename="org.csv")
    c = run.summary["counts"]
    _r, day_s = timed("a day's changes", lambda: services.sync_apply(run=run))
    print(
        f"    renamed {c['renamed']}, moved {c['moved']}, new leader {c['new_leader']}, closed {c['closed']}, "
        f"people left {c['people_left']}, memberships ended {c['members_removed']}"
    )
    return first <= SYNC_TARGET_S and not writes


def main():
    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = ["testserver"]
    ok = bench_sso()
    ok = bench_sync() and ok
    print("\nWithin every target." if ok else "\nOver a target (see above).")


if __name__ == "__main__":
    main()
