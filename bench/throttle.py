"""What the login throttle adds to a login (target: under 2 ms).

Measures, on its own SQLite file (or BENCH_DATABASE_URL) with 50,000 failed logins from
other people already recorded:

- the throttle's own work per attempt: reserving a slot (the locked count and the row),
  and for a successful login also releasing it;
- a whole login (POST to /logg-inn/ through Django's test client, then a log-out) with the throttle and
  with the throttle taken out of AUTHENTICATION_BACKENDS, with a fast password hasher so
  that the password check does not drown the difference.

Prints medians and 95th percentiles of REPEAT runs, and the trivial health page in the
same run for scale.

    python bench/throttle.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-throttle.sqlite3'}"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts import throttle  # noqa: E402
from accounts.models import LoginFailure, User  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", 300))
OTHERS = 50_000
TARGET_MS = 2.0
EMAIL = "bench.throttle@example.no"
PASSWORD = "a long bench password"
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Request:
    META = {"REMOTE_ADDR": "192.0.2.200"}


def fill():
    call_command("migrate", verbosity=0)
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        user = User.objects.filter(email=EMAIL).first() or User.objects.create_user(EMAIL, PASSWORD, full_name="Bench")
        user.set_password(PASSWORD)
        user.save()
    missing = OTHERS - LoginFailure.objects.exclude(email=EMAIL).count()
    if missing > 0:
        LoginFailure.objects.bulk_create(
            (
                LoginFailure(email=f"other{i}@example.no", ip=f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}")
                for i in range(missing)
            ),
            batch_size=5000,
        )
        # Spread over the last day, as a real table would be.
        now = timezone.now()
        pks = list(LoginFailure.objects.exclude(email=EMAIL).order_by("pk").values_list("pk", flat=True))
        step = len(pks) // 24 + 1
        for hour in range(24):
            chunk = pks[hour * step : (hour + 1) * step]
            if chunk:
                LoginFailure.objects.filter(pk__gte=chunk[0], pk__lte=chunk[-1]).update(
                    created_at=now - timezone.timedelta(hours=hour, minutes=20)
                )


def timed(function, repeat=REPEAT) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def row(name, times, baseline=None):
    median = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1]
    ratio = f"{median / baseline:9.1f}" if baseline else " " * 9
    print(f"{name:44} {median:9.3f} {p95:9.3f} {ratio}")
    return median


def main():
    fill()
    setup_test_environment()
    print(
        f"Login throttle on {connection.vendor}, {LoginFailure.objects.count():,} failed logins on record; {REPEAT} runs each\n"
    )
    print(f"{'what':44} {'median ms':>9} {'p95 ms':>9} {'× health':>9}")

    client = Client()
    health = row("health page (for scale)", timed(lambda: client.get(reverse("core:health"))))

    def failed_attempt():
        throttle.reserve(Request, EMAIL)
        LoginFailure.objects.filter(email=EMAIL).delete()  # stay under the limit

    def successful_attempt():
        throttle.reserve(Request, EMAIL).succeeded()

    reserve_ms = row("throttle: a failed attempt (reserve)", timed(failed_attempt), health)
    success_ms = row("throttle: a successful one (reserve + release)", timed(successful_attempt), health)

    login_url = reverse("accounts:login")
    data = {"username": EMAIL, "password": PASSWORD}

    browser = Client(REMOTE_ADDR="192.0.2.201")

    def login():
        assert browser.post(login_url, data).status_code == 302
        browser.logout()

    # Alternately with and without the throttle, so the machine's drift hits both alike.
    with_times, without_times = [], []
    without = settings.AUTHENTICATION_BACKENDS[1:]
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        for _ in range(REPEAT // 2):
            with_times += timed(login, 1)
            with override_settings(AUTHENTICATION_BACKENDS=without):
                without_times += timed(login, 1)
    with_throttle = row("whole login, with the throttle", with_times, health)
    without_throttle = row("whole login, throttle taken out", without_times, health)

    added = with_throttle - without_throttle
    print(
        f"\nAdded to a whole login: {added:.2f} ms (median difference); the throttle's own work: "
        f"{reserve_ms:.2f} ms for a failure, {success_ms:.2f} ms for a success."
    )
    worst = max(reserve_ms, success_ms, added)
    print(f"Within the target of {TARGET_MS} ms." if worst < TARGET_MS else f"Over the target of {TARGET_MS} ms!")


if __name__ == "__main__":
    main()
