"""Start everything the demo needs in one go: the web server, the background worker,
the mail catcher, the demo's OpenID Connect provider, the demo's archive and the periodic jobs.

A part that stops is started again, after a pause that doubles each time it stops
soon after starting (1, 2, 4 … seconds, at most a minute), and the console says so.
Only Ctrl-C (or a TERM signal, as a service manager sends) stops everything.

A small supervisor of our own rather than a process manager such as honcho or
supervisord: those stop every process when one dies (honcho) or need a configuration
file and a daemon of their own (supervisord), and this is the demo runner; production
runs each part as a systemd service with Restart=always (see the README).
"""

import ipaddress
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from demo import sso
from demo.management.commands.demo_load import DEMO_LOGINS

PERIODIC_SECONDS = 60
FIRST_DELAY = 1.0
MAX_DELAY = 60.0
# A part that ran this long before it stopped starts again at once (its pause starts over).
STABLE_AFTER = 60.0
# How long the banner waits for the parts to listen, so that it is the last thing on the console.
READY_WITHIN = 30.0


@dataclass
class Part:
    name: str
    command: list[str]
    process: subprocess.Popen | None = None
    started: float = 0.0
    delay: float = FIRST_DELAY
    start_at: float = 0.0  # when to start it again, if it is not running
    listens_on: tuple[str, int] | None = None  # where it answers once it has started


def refuse_public_demo(host: str) -> None:
    """The demo signs with a public SECRET_KEY and opens its mailbox to anyone: it serves this
    machine only (a loopback address) unless DEMO_ALLOW_PUBLIC says otherwise."""
    if not settings.DEMO or settings.DEMO_ALLOW_PUBLIC:
        return
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise CommandError(
            f"Demo mode (DEMO=1) serves this machine only, not {host}: its SECRET_KEY is public and the "
            "demo mailbox is open to anyone. Use --host 127.0.0.1, set DEMO=0 with a SECRET_KEY of your "
            "own, or DEMO_ALLOW_PUBLIC=1 for a demo others may reach."
        )


class Command(BaseCommand):
    help = "Run the portal: web server, background worker, mail catcher (demo) and periodic jobs."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))

    def handle(self, *, port, host, **options):
        refuse_public_demo(host)
        self.stopping = False
        self.env = dict(os.environ)
        self.sso_note = ""
        parts = self._parts(host, port)
        for part in parts:
            self._start(part)
            if part.name == "mail catcher":
                time.sleep(1)  # the worker should find it when it starts sending

        def stop(signum, _frame):
            self.stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self._wait_until_listening(parts)
        self._banner(host, port)
        next_periodic = 0.0
        try:
            while not self.stopping:
                now = time.monotonic()
                for part in parts:
                    self._look_after(part, now)
                if now >= next_periodic:
                    self._periodic()
                    next_periodic = time.monotonic() + PERIODIC_SECONDS
                time.sleep(0.5)
        finally:
            self._stop_all(parts)
        self.stdout.write("Stopped.")

    def _parts(self, host, port) -> list[Part]:
        python = sys.executable
        manage = str(settings.BASE_DIR / "manage.py")
        parts = []
        if settings.DEMO:
            mail_port = settings.MAILERS["default"]["OPTIONS"]["port"]
            parts.append(Part("mail catcher", [python, manage, "mailcatcher"], listens_on=("127.0.0.1", mail_port)))
            if not os.environ.get("OIDC_ISSUER") and os.environ.get("DEMO_SSO", "1") != "0":
                parts += self._demo_provider(host, port)
        parts.append(
            Part(
                "web server",
                [
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
                listens_on=(host, port),
            )
        )
        parts.append(Part("worker", [python, manage, "db_worker", "--no-reload", "--verbosity", "0"]))
        if settings.DEMO and settings.ARCHIVE_ENABLED:
            # Files what the portal delivers to the archive and answers with receipts (demo/archive_receiver.py).
            parts.append(Part("archive", [python, manage, "archive_receiver", "--verbosity", "0"]))
        return parts

    def _start(self, part: Part) -> None:
        part.process = subprocess.Popen(part.command, cwd=settings.BASE_DIR, env=self.env)
        part.started = time.monotonic()

    def _look_after(self, part: Part, now: float) -> None:
        if part.process is not None:
            code = part.process.poll()
            if code is None:
                if now - part.started >= STABLE_AFTER:
                    part.delay = FIRST_DELAY
                return
            if self.stopping:
                return
            if now - part.started >= STABLE_AFTER:
                part.delay = FIRST_DELAY
            part.process = None
            part.start_at = now + part.delay
            self.stderr.write(
                f"The {part.name} stopped ({_exit(code)}); starting it again in {part.delay:g} s. "
                "The rest of the portal keeps running."
            )
            part.delay = min(part.delay * 2, MAX_DELAY)
        elif now >= part.start_at:
            self._start(part)
            self.stderr.write(f"The {part.name} is running again (process {part.process.pid}).")

    def _periodic(self) -> None:
        try:
            call_command("portal_periodic", verbosity=0)
        except Exception as error:  # a locked database or the like: try again next round
            self.stderr.write(f"The periodic jobs failed this time ({type(error).__name__}: {error}); trying again.")

    def _stop_all(self, parts: list[Part]) -> None:
        running = [p.process for p in parts if p.process is not None and p.process.poll() is None]
        for process in running:
            process.terminate()
        deadline = time.monotonic() + 10
        for process in running:
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _demo_provider(self, host, port) -> list[Part]:
        """The local OpenID Connect provider, and the portal's settings pointed at it."""
        missing = sso.provider_missing()
        if missing:
            self.sso_note = f"Single sign-on is off in this demo: {missing}."
            return []
        provider_port = int(os.environ.get("OIDC_DEMO_PORT", port + 1))
        issuer = f"http://127.0.0.1:{provider_port}"
        config = sso.write_provider_files(
            settings.VAR_DIR / "oidc",
            issuer=issuer,
            port=provider_port,
            portal_urls=[f"http://{name}:{port}" for name in dict.fromkeys([host, "127.0.0.1", "localhost"])],
        )
        self.env |= {
            "OIDC_ISSUER": issuer,
            "OIDC_CLIENT_ID": sso.CLIENT_ID,
            "OIDC_CLIENT_SECRET": sso.CLIENT_SECRET,
            # The demo provider names each person's organisation (demo/sso.py).
            "SSO_ORGANISATION_CLAIM": "organisation",
        }
        self.sso_note = (
            f"Single sign-on: the demo's OpenID Connect provider runs on {issuer}; the same e-mail addresses, "
            f"password {sso.PASSWORD}. {sso.NEWCOMER['email']} is not in the portal yet: her first login creates her."
        )
        return [Part("sign-on provider", sso.provider_command(config), listens_on=("127.0.0.1", provider_port))]

    def _wait_until_listening(self, parts: list[Part]) -> None:
        """Wait (a while at most) until every part answers, so that what they print as they
        start comes before the banner, and the addresses and logins are what a person sees last."""
        deadline = time.monotonic() + READY_WITHIN
        waiting = [part for part in parts if part.listens_on]
        while waiting and time.monotonic() < deadline and not self.stopping:
            waiting = [part for part in waiting if part.process.poll() is None and not _answers(*part.listens_on)]
            time.sleep(0.2)
        time.sleep(0.3)  # a part prints its line just after it starts listening

    def _banner(self, host, port):
        url = f"http://{host}:{port}/"
        lines = ["", f"SoMe-portalen is running on {url}", ""]
        if settings.DEMO:
            lines.append(f"Demo logins (password for all: {DEMO_LOGINS[0][2]}):")
            width = max(len(role) for role, _email, _pw in DEMO_LOGINS) + 2
            lines += [f"  {role:<{width}} {email}" for role, email, _pw in DEMO_LOGINS]
            lines += ["", f"Every e-mail the portal sends can be read on {url}demo/e-post/"]
            if settings.ARCHIVE_ENABLED:
                lines.append(
                    f"The demo's archive files each plan, decision and evaluation and answers at once: {url}arkiv/"
                )
            lines.append("")
            if self.sso_note:
                lines += [self.sso_note, ""]
        lines.append("Stop with Ctrl-C.")
        self.stdout.write("\n".join(lines))


def _answers(host: str, port: int) -> bool:
    try:
        socket.create_connection((host.strip("[]"), port), timeout=0.2).close()
        return True
    except OSError:
        return False


def _exit(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"
