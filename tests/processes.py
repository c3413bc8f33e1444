"""Running parts of the portal as real processes in tests (the worker, run_portal, the
backup commands), on the same database the test uses."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def database_url(settings_dict=None) -> str:
    """DATABASE_URL for the database a test runs on (its test database)."""
    db = settings_dict or connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    credentials = quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{db['NAME']}"


def portal_env(**extra) -> dict:
    """The environment of a portal process: this test's database, no leftovers from ours."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}}
    env |= {"DATABASE_URL": database_url(), "DEMO": "1", "LOG_LEVEL": "WARNING", "PYTHONUNBUFFERED": "1"}
    env |= {k: str(v) for k, v in extra.items()}
    return env


def manage(*args, **popen) -> subprocess.Popen:
    popen.setdefault("env", portal_env())
    return subprocess.Popen([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, **popen)


def wait_for(condition, timeout=60.0, interval=0.1, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"Gave up waiting for {what} after {timeout} s")
