"""Start everything the demo needs in one go: the web server, the background worker,
the mail catcher and the periodic jobs. Ctrl-C stops them all."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from demo.management.commands.demo_load import DEMO_LOGINS

PERIODIC_SECONDS = 60


class Command(BaseCommand):
    help = "Run the portal: web server, background worker, mail catcher (demo) and periodic jobs."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))

    def handle(self, *, port, host, **options):
        python = sys.executable
        manage = str(settings.BASE_DIR / "manage.py")
        commands = {}
        if settings.DEMO:
            # The mail catcher first, so the worker finds it when it starts sending.
            commands["mail"] = [python, manage, "mailcatcher"]
        commands |= {
            "web": [
                python,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"{host}:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--access-logfile",
                "-",
                "--log-level",
                "warning",
            ],
            "worker": [python, manage, "db_worker", "--no-reload", "--verbosity", "0"],
        }
        children = {}
        for name, cmd in commands.items():
            children[name] = subprocess.Popen(cmd, cwd=settings.BASE_DIR)
            if name == "mail":
                time.sleep(1)

        def stop(*_args):
            for child in children.values():
                child.terminate()
            for child in children.values():
                child.wait(timeout=10)
            sys.exit(0)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self._banner(host, port)
        next_periodic = 0.0
        try:
            while True:
                for name, child in children.items():
                    if child.poll() is not None:
                        self.stderr.write(f"The {name} process stopped (exit {child.returncode}); stopping the portal.")
                        stop()
                if time.monotonic() >= next_periodic:
                    call_command("portal_periodic", verbosity=0)
                    next_periodic = time.monotonic() + PERIODIC_SECONDS
                time.sleep(1)
        finally:
            for child in children.values():
                if child.poll() is None:
                    child.terminate()

    def _banner(self, host, port):
        url = f"http://{host}:{port}/"
        lines = ["", f"SoMe-portalen is running on {url}", ""]
        if settings.DEMO:
            lines.append(f"Demo logins (password for all: {DEMO_LOGINS[0][2]}):")
            lines += [f"  {role:<28} {email}" for role, email, _pw in DEMO_LOGINS]
            lines += ["", f"Every e-mail the portal sends can be read on {url}demo/e-post/", ""]
        lines.append("Stop with Ctrl-C.")
        self.stdout.write("\n".join(lines))
