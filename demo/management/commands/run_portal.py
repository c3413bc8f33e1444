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

from demo import sso
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
        env = dict(os.environ)
        self.sso_note = ""
        if settings.DEMO:
            # The mail catcher first, so the worker finds it when it starts sending.
            commands["mail"] = [python, manage, "mailcatcher"]
            if not os.environ.get("OIDC_ISSUER") and os.environ.get("DEMO_SSO", "1") != "0":
                commands |= self._demo_provider(host, port, env)
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
            children[name] = subprocess.Popen(cmd, cwd=settings.BASE_DIR, env=env)
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

    def _demo_provider(self, host, port, env) -> dict:
        """The local OpenID Connect provider, and the portal's settings pointed at it."""
        missing = sso.provider_missing()
        if missing:
            self.sso_note = f"Single sign-on is off in this demo: {missing}."
            return {}
        provider_port = int(os.environ.get("OIDC_DEMO_PORT", port + 1))
        issuer = f"http://127.0.0.1:{provider_port}"
        config = sso.write_provider_files(
            settings.VAR_DIR / "oidc",
            issuer=issuer,
            port=provider_port,
            portal_urls=[f"http://{name}:{port}" for name in dict.fromkeys([host, "127.0.0.1", "localhost"])],
        )
        env |= {"OIDC_ISSUER": issuer, "OIDC_CLIENT_ID": sso.CLIENT_ID, "OIDC_CLIENT_SECRET": sso.CLIENT_SECRET}
        self.sso_note = (
            f"Single sign-on: the demo's OpenID Connect provider runs on {issuer}; the same e-mail addresses, "
            f"password {sso.PASSWORD}. {sso.NEWCOMER['email']} is not in the portal yet: her first login creates her."
        )
        return {"oidc": sso.provider_command(config)}

    def _banner(self, host, port):
        url = f"http://{host}:{port}/"
        lines = ["", f"SoMe-portalen is running on {url}", ""]
        if settings.DEMO:
            lines.append(f"Demo logins (password for all: {DEMO_LOGINS[0][2]}):")
            lines += [f"  {role:<28} {email}" for role, email, _pw in DEMO_LOGINS]
            lines += ["", f"Every e-mail the portal sends can be read on {url}demo/e-post/", ""]
            if self.sso_note:
                lines += [self.sso_note, ""]
        lines.append("Stop with Ctrl-C.")
        self.stdout.write("\n".join(lines))
