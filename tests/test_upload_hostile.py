"""A hostile Excel file uploaded to a portal running as a real process: the web worker stays
within its memory budget, the file is refused with a clear message, and a plan comment sent
at the same moment is saved without waiting for the upload."""

import http.client
import re
import resource
import subprocess
import sys
import threading
import time
import uuid
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from evaluations import services as evaluation_services
from evaluations.models import Evaluation, FigureImport
from plans.models import PlanComment

from . import hostile_files
from .mailserver import free_port
from .processes import ROOT, portal_env, wait_for
from .test_run_portal import children_of
from .webclient import WebClient

# The worker may grow by this much while it reads the file (the probe saw 6.4 GB).
MEMORY_BUDGET = 200 * 1024 * 1024
# A safety net so that a reader gone wrong cannot take the machine down with it.
ADDRESS_SPACE_CAP = 3_000_000_000
# A comment must not wait for the upload: this is far longer than a comment takes.
COMMENT_WAIT = 2.0


def _kilobytes(pid: int, field: str) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", status, re.M).group(1))


def _cap_address_space():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_CAP, ADDRESS_SPACE_CAP))


def _multipart(fields: dict, name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _upload(web: WebClient, path: str, name: str, content: bytes) -> tuple[int, str]:
    token = web.form_token(path)
    body, content_type = _multipart({"csrfmiddlewaretoken": token}, name, content)
    host, port = web.base_url.rsplit("/", 1)[-1].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=180)
    cookies = "; ".join(f"{k}={v}" for k, v in web.cookies.items())
    headers = {"Content-Type": content_type, "Cookie": cookies, "Referer": web.base_url + path}
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@pytest.fixture
def portal(transactional_db, tmp_path):
    """The portal under gunicorn (one worker, as in production's smallest set-up) on this test's database."""
    port = free_port()
    (tmp_path / "static").mkdir()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
        + ["--timeout", "300"],
        cwd=ROOT,
        env=portal_env(VAR_DIR=tmp_path, DEBUG="1"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_cap_address_space,
    )
    web = WebClient(f"http://127.0.0.1:{port}", cookies={settings.LANGUAGE_COOKIE_NAME: "en"})

    def up():
        try:
            return web.get("/helse/").status == 200
        except OSError:
            return False

    try:
        wait_for(up, timeout=60, what="the portal")
        worker = wait_for(lambda: next(iter(children_of(server.pid)), None), what="the gunicorn worker")
        yield web, worker
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_padded_excel_file_is_refused_in_bounded_memory_while_a_comment_goes_through(
    portal, cast, make_plan, make_account, client
):
    web, worker = portal
    plan = make_plan("approved")
    account = make_account(url="https://www.linkedin.com/company/blodbanken-bergen", status="active", plan=plan)
    evaluation = evaluation_services.evaluation_start(account=account, actor=cast["member"])
    Evaluation.objects.filter(pk=evaluation.pk).update(period_start=date(2026, 11, 1), period_end=date(2026, 11, 30))
    discussed = make_plan("submitted", title="Facebook for blodgivarar")

    signed_in = Client()
    signed_in.force_login(cast["member"])  # a session in the database the portal reads
    web.cookies[settings.SESSION_COOKIE_NAME] = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
    path = reverse("evaluations:import", args=[evaluation.pk])
    # Warm up: the worker has loaded the spreadsheet readers before it is measured.
    status, _page = _upload(web, path, "liten.xlsx", hostile_files.xlsx(['<c r="A1"><v>1</v></c>'], dimension="A1"))
    assert status == 400
    resident_before = _kilobytes(worker, "VmRSS")

    content = hostile_files.padded_metrics(50_000)
    assert len(content) < 600_000  # small on disk
    answer = {}

    def send():
        started = time.monotonic()
        answer["status"], answer["page"] = _upload(web, path, "metrics.xlsx", content)
        answer["seconds"] = time.monotonic() - started

    uploading = threading.Thread(target=send)
    uploading.start()
    client.force_login(cast["member"])
    waits = []
    while uploading.is_alive() or not waits:
        started = time.monotonic()
        response = client.post(reverse("plans:comment", args=[discussed.pk]), {"body": f"Kommentar {len(waits)}"})
        waits.append(time.monotonic() - started)
        assert response.status_code == 302, response.status_code
        time.sleep(0.05)
    uploading.join()
    peak = _kilobytes(worker, "VmHWM") * 1024 - resident_before * 1024
    print(
        f"\nupload: {answer['seconds']:.2f} s, worker growth at peak: {peak / 2**20:.0f} MB, "
        f"comments: {len(waits)}, longest wait {max(waits):.3f} s"
    )

    assert answer["status"] == 400, answer["status"]
    assert "does not recognise this Excel file" in answer["page"]
    assert peak < MEMORY_BUDGET, f"the worker grew by {peak / 2**20:.0f} MB"
    assert PlanComment.objects.filter(plan=discussed).count() == len(waits)
    assert max(waits) < COMMENT_WAIT, waits
    assert not FigureImport.objects.exists()
