"""`make run`'s runner (run_portal), run for real: a part that dies is started again
with back-off and the console says so; the rest keeps running; Ctrl-C stops it all."""

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .mailserver import free_port
from .processes import ROOT, portal_env, wait_for
from .webclient import WebClient


def children_of(pid: int) -> dict[int, str]:
    """The processes whose parent is `pid`, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == pid:
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, ValueError, IndexError):
            continue
    return found


def worker_pid(pid: int) -> int | None:
    return next((child for child, command in children_of(pid).items() if "db_worker" in command), None)


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_is_started_again_and_only_ctrl_c_stops_everything(tmp_path):
    port, mail_port, provider_port = free_port(), free_port(), free_port()
    # The sign-on provider gets a free port of its own too (by default it takes PORT + 1, which
    # another test's process may hold).
    env = portal_env(VAR_DIR=tmp_path, SMTP_PORT=mail_port, PORT=port, OIDC_DEMO_PORT=provider_port)
    runner = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "run_portal", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, so a failing test leaves none of its parts behind
    )
    console = []
    threading.Thread(target=lambda: console.extend(iter(runner.stdout.readline, "")), daemon=True).start()
    web = WebClient(f"http://127.0.0.1:{port}")

    def healthy():
        try:
            return web.get("/helse/").status == 200
        except OSError:
            return False

    try:
        wait_for(healthy, timeout=90, what="the portal to answer")
        # The addresses and logins come last, after what the parts print as they start.
        wait_for(lambda: any("Stop with Ctrl-C." in line for line in console), what="the banner")
        lines = list(console)
        stop_line = next(i for i, line in enumerate(lines) if "Stop with Ctrl-C." in line)
        starting = [
            i for i, line in enumerate(lines) if "Mail catcher listening" in line or "provider (demo) on" in line
        ]
        assert len(starting) == 2 and max(starting) < stop_line, lines[: stop_line + 1]
        first = wait_for(lambda: worker_pid(runner.pid), what="the worker to start")

        os.kill(first, signal.SIGKILL)
        second = wait_for(
            lambda: (pid := worker_pid(runner.pid)) and pid != first and pid, timeout=30, what="a new worker"
        )
        # The console is read by another thread: the lines may come a moment after the new process.
        wait_for(
            lambda: any("The worker stopped (killed by SIGKILL); starting it again in 1 s" in line for line in console),
            timeout=10,
            what="the console to say the worker stopped",
        )
        wait_for(
            lambda: any("The worker is running again" in line for line in console),
            timeout=10,
            what="the console to say the worker runs again",
        )
        assert healthy() and runner.poll() is None

        # Dying again at once: the pause doubles.
        os.kill(second, signal.SIGKILL)
        wait_for(lambda: (pid := worker_pid(runner.pid)) and pid not in (first, second), timeout=30, what="a third")
        wait_for(
            lambda: any("starting it again in 2 s" in line for line in console), timeout=10, what="the doubled pause"
        )
        assert healthy()

        parts = set(children_of(runner.pid))
        runner.send_signal(signal.SIGINT)  # Ctrl-C
        assert runner.wait(timeout=30) == 0
        assert not [pid for pid in parts if Path(f"/proc/{pid}").exists() and _alive(pid)]
    finally:
        if runner.poll() is None:
            os.killpg(runner.pid, signal.SIGKILL)
            runner.wait()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_the_demo_refuses_to_serve_anything_but_this_machine_unless_allowed(tmp_path):
    """The demo's SECRET_KEY is public and its mailbox open to anyone: started for real on all
    addresses, run_portal stops before it starts anything."""
    port = free_port()
    command = [sys.executable, str(ROOT / "manage.py"), "run_portal", "--host", "0.0.0.0", "--port", str(port)]
    refused = subprocess.run(
        command, cwd=ROOT, env=portal_env(VAR_DIR=tmp_path, DEMO="1"), capture_output=True, text=True, timeout=60
    )
    assert refused.returncode != 0 and "DEMO_ALLOW_PUBLIC" in refused.stderr
    assert not (tmp_path / "mail").exists()  # nothing was started


@pytest.mark.parametrize(
    "host,allowed,refused",
    [
        ("127.0.0.1", False, False),
        ("::1", False, False),
        ("localhost", False, False),
        ("0.0.0.0", False, True),
        ("10.0.0.5", False, True),
        ("0.0.0.0", True, False),
    ],
)
def test_which_addresses_the_demo_may_serve(host, allowed, refused, settings):
    from django.core.management.base import CommandError

    from demo.management.commands.run_portal import refuse_public_demo

    settings.DEMO, settings.DEMO_ALLOW_PUBLIC = True, allowed
    if refused:
        with pytest.raises(CommandError):
            refuse_public_demo(host)
    else:
        refuse_public_demo(host)
    settings.DEMO, settings.DEMO_ALLOW_PUBLIC = False, False
    refuse_public_demo(host)  # production mode binds where it is told
