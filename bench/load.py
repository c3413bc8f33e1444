"""The portal under load, served as in production, at national scale (`make bench-load`).

Builds (or reuses) the national dataset of bench/dataset.py on PostgreSQL (a cluster of its own,
started and stopped here) and on SQLite, starts the portal as production would (DEMO=0, DEBUG=0,
the worker running, a mail server taking the mail) on 127.0.0.1, and measures every address in
ADDRESSES with wrk for a fixed few seconds at fixed connections, in turns with the floor. Then:

- compares the web servers in SERVERS on the floor and on verify (all running, in turns);
- prints one table per database: requests per second, p50 and p99, the share of the floor's
  throughput, queries per request (with 1,000 and with 100,000 accounts), each against its target;
- starts two web nodes against one PostgreSQL and one worker and shows that nothing lives in one
  node: a login, the platform catalogue, the handbook, the rate limit and the verify answers,
  and what throughput does when the load is spread over both;
- reports each web worker's resident memory, and writes everything as JSON under var/bench/.

The floor is /helse/ping/: a constant body through the same middleware and server, so every
figure is a share of the fastest answer this stack can give. The machine is shared and wrk runs
on it too, so each address takes turns with the floor (floor, address, floor, address) and its
share is of the floor measured in the same seconds: compare shares, not requests per second.

Adding a page: one entry in ADDRESSES (its name, its kind and a function from the dataset's
fixtures to its paths). If it needs an id from the data, add it to `build.fixtures` in the
dataset part that makes it (bench/dataset.py).

    make bench-load                                 # everything, 6–8 minutes on 2 cores
    BENCH_DATABASES=sqlite BENCH_NODES=0 BENCH_SERVERS=0 .venv/bin/python bench/load.py
    BENCH_SECONDS=8 BENCH_CONNECTIONS=32 .venv/bin/python bench/load.py
"""

import contextlib
import hashlib
import http.client
import json
import os
import platform as host_platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PYTHON = str(BIN / "python")
OUT = ROOT / "var" / "bench"

SECONDS = int(os.environ.get("BENCH_SECONDS", 4))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 16))
THREADS = int(os.environ.get("BENCH_THREADS", 2))
WORKERS = int(os.environ.get("BENCH_WORKERS", 2))
DATABASES = os.environ.get("BENCH_DATABASES", "postgresql,sqlite").split(",")
PORTS = [int(p) for p in os.environ.get("BENCH_PORTS", "8080,8081").split(",")]
SERVER_PORTS = [8082, 8083, 8084, 8085]  # one for each server compared
SMTP_PORT = int(os.environ.get("BENCH_SMTP_PORT", 8098))
PGPORT = int(os.environ.get("BENCH_PGPORT", 5447))
SERVER = os.environ.get("BENCH_SERVER", "granian, 4 threads")  # the README's recommendation
COMPARE_SERVERS = os.environ.get("BENCH_SERVERS", "1") == "1"
TWO_NODES = os.environ.get("BENCH_NODES", "1") == "1"
# Measuring stops by itself within this many seconds of the datasets being ready (building them
# is timed and reported on its own: about 1½ minutes each on a quiet machine, then reused).
BUDGET = int(os.environ.get("BENCH_BUDGET", 570))
DEADLINE = time.monotonic() + BUDGET


# -- What is measured --------------------------------------------------------------------------


@dataclass(frozen=True)
class Address:
    name: str
    kind: str  # "floor", "verify", "public" or "staff" (logged in); the kind sets the target
    paths: object  # fixtures -> list of paths; wrk cycles through them
    user: str | None = None  # the fixture naming who is logged in


def _api_verify(text):
    return "/api/v1/accounts/verify?" + urlencode({"url": text})


def _page_verify(text):
    return "/verifiser/?" + urlencode({"q": text})


def verify_mix(f) -> list[str]:
    """What the public pastes: official accounts in many spellings, closed ones, accounts that
    are not ours, and links that are not profiles at all (answered 400)."""
    hits = f["official_urls"]
    spelled = [
        hits[0].removeprefix("https://").upper(),
        hits[1].replace("https://www.", "http://") + "?utm_source=ig_web_copy_link",
        hits[2] + "#posts",
        "@" + f["official_handle"],
    ]
    misses = [
        "https://www.instagram.com/ikkje_oss_bergen/",
        "https://www.tiktok.com/@ikkje.oss",
        "https://www.facebook.com/HaukelandFalsk",
    ]
    refused = ["https://www.instagram.com/p/C0ffee123/", "https://www.example.com/haukeland"]
    return [*hits, *spelled, *f["closed_urls"], *misses, *refused]


ADDRESSES = [
    Address("floor: /helse/ping/ (constant JSON)", "floor", lambda f: ["/helse/ping/"]),
    Address("health check /helse/ (one query)", "public", lambda f: ["/helse/"]),
    Address("API verify, the public's mix", "verify", lambda f: [_api_verify(t) for t in verify_mix(f)]),
    Address("/verifiser/?q=…, the same mix", "verify", lambda f: [_page_verify(t) for t in verify_mix(f)]),
    Address("/verifiser/ (empty form)", "public", lambda f: ["/verifiser/"]),
    Address("/kontoer/ official accounts", "public", lambda f: ["/kontoer/"]),
    Address(
        "/kontoer/ filtered (platform, unit, name)",
        "public",
        lambda f: [
            f"/kontoer/?platform={f['platform_slug']}",
            f"/kontoer/?unit={f['unit_with_accounts']}",
            "/kontoer/?q=konto+0012",
        ],
    ),
    Address("/k/<code>/ account page", "public", lambda f: [f"/k/{f['official_code']}/"]),
    Address("/api/v1/accounts", "public", lambda f: ["/api/v1/accounts", "/api/v1/accounts?page=10"]),
    Address("/handbok/<chapter>/", "public", lambda f: [f"/handbok/{f['chapter']}/"]),
    Address("/handbok/sok/?q=… search", "public", lambda f: ["/handbok/sok/?q=teieplikt+pasient"]),
    # What being logged in costs by itself (the session and the person read, no page): the
    # most any logged-in page can reach, to read the staff pages' shares against.
    Address("floor with a session: /helse/ping/ logged in", "staff", lambda f: ["/helse/ping/"], user="adviser"),
    Address("adviser: front page with tasks", "staff", lambda f: ["/"], user="adviser"),
    Address("adviser: review queue", "staff", lambda f: ["/behandling/", "/behandling/?page=40"], user="adviser"),
    Address("adviser: plan with versions", "staff", lambda f: [f"/planer/{f['plan_with_versions']}/"], user="adviser"),
    Address("adviser: register", "staff", lambda f: ["/register/", "/register/?plan_missing=on"], user="adviser"),
    Address("member: front page", "staff", lambda f: ["/"], user="member"),
    Address("leader of a clinic: front page", "staff", lambda f: ["/"], user="leader"),
    Address("adviser: course list", "staff", lambda f: ["/kurs/"], user="adviser"),
    Address(
        "adviser: session, 200 participants", "staff", lambda f: [f"/kurs/okt/{f['big_session']}/"], user="adviser"
    ),
    Address("adviser: competence overview", "staff", lambda f: ["/kurs/kompetanse/"], user="adviser"),
    Address("member: a course and its sessions", "staff", lambda f: ["/kurs/grunnkurs/"], user="member"),
    Address("member: my courses", "staff", lambda f: ["/kurs/mine/"], user="member"),
    Address("adviser: reports of fake accounts", "staff", lambda f: ["/register/meldinger/"], user="adviser"),
    Address(
        "adviser: evaluations due", "staff", lambda f: ["/evaluering/", "/evaluering/?show=overdue"], user="adviser"
    ),
    Address("adviser: an evaluation", "staff", lambda f: [f"/evaluering/{f['evaluation']}/"], user="adviser"),
    Address("adviser: evaluation overview, hospital", "staff", lambda f: ["/evaluering/oversikt/"], user="adviser"),
    Address(
        "adviser: evaluation overview, one clinic",
        "staff",
        lambda f: [f"/evaluering/oversikt/?unit={f['clinic']}"],
        user="adviser",
    ),
    Address("administrator: the organisation's register", "staff", lambda f: ["/organisasjon/"], user="admin"),
]

# Share of the floor's throughput each kind must reach; verify's p99 at most 1.5 × the floor's.
TARGET_SHARE = {"verify": 0.80, "public": 0.50, "staff": 0.25}
VERIFY_P99_FACTOR = 1.5
MAX_QUERIES = 15
MAX_RSS_MB = 200
MAX_BUILD_SECONDS = 180

# How each server is started; the worker count and port are filled in.
SERVERS = {
    "gunicorn, sync": lambda port, workers: [
        str(BIN / "gunicorn"),
        "config.wsgi",
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
    ],  # fmt: skip
    "gunicorn, 4 threads": lambda port, workers: [
        str(BIN / "gunicorn"),
        "config.wsgi",
        f"--workers={workers}",
        "--threads=4",
        f"--bind=127.0.0.1:{port}",
    ],  # fmt: skip
    # Granian's default for WSGI is a thread per two requests it lets in: 256 threads (and as many
    # database connections) per worker.
    "granian, its default threads": lambda port, workers: [
        str(BIN / "granian"),
        "--interface=wsgi",
        f"--workers={workers}",
        "--host=127.0.0.1",
        f"--port={port}",
        "--no-ws",
        "--log-level=warning",
        "config.wsgi:application",
    ],  # fmt: skip
    "granian, 4 threads": lambda port, workers: [
        str(BIN / "granian"),
        "--interface=wsgi",
        f"--workers={workers}",
        "--blocking-threads=4",
        "--host=127.0.0.1",
        f"--port={port}",
        "--no-ws",
        "--log-level=warning",
        "config.wsgi:application",
    ],  # fmt: skip
}


# -- Processes ---------------------------------------------------------------------------------


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def time_left() -> float:
    return DEADLINE - time.monotonic()


def start_the_clock() -> None:
    global DEADLINE
    DEADLINE = time.monotonic() + BUDGET


class Processes:
    """Everything started here, stopped in reverse order however the run ends."""

    def __init__(self):
        self.running = []

    def start(self, name, command, env, cwd=ROOT):
        with open(OUT / f"{name.replace(' ', '-').replace(',', '')}.log", "ab") as errors:
            process = subprocess.Popen(
                command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True
            )
        self.running.append(process)
        return process

    def stop(self, process):
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if process in self.running:
            self.running.remove(process)

    def stop_all(self):
        for process in reversed(list(self.running)):
            self.stop(process)


PROCESSES = Processes()


def portal_env(database_url: str) -> dict:
    """Production settings, as one environment file would give them."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DEMO": "0",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + hashlib.sha256(b"some-portalen-bench").hexdigest(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "https://127.0.0.1",
        "DATABASE_URL": database_url,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(SMTP_PORT),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def wait_until_up(port: int, process, seconds=60) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} stopped at start; see var/bench/*.log")
        try:
            status, _headers, _body = request(port, "GET", "/helse/ping/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server on port {port} did not answer within {seconds} s")


def start_portal(server: str, database_url: str, ports=(PORTS[0],), workers=WORKERS) -> list:
    env = portal_env(database_url)
    nodes = []
    for port in ports:
        process = PROCESSES.start(f"{server} {port}", SERVERS[server](port, workers), env)
        nodes.append((port, process))
    for port, process in nodes:
        wait_until_up(port, process)
    return nodes


def migrate(database_url: str) -> None:
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=portal_env(database_url),
        check=True,
        timeout=300,
    )


def start_services(database_url: str) -> list:
    """The background worker and a mail server that takes every message; first `migrate`, as a
    deployment does (it also empties the shared cache, so every run starts cold)."""
    env = portal_env(database_url)
    migrate(database_url)
    smtp = PROCESSES.start(
        "smtp", [PYTHON, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{SMTP_PORT}", "-c", "aiosmtpd.handlers.Sink"], env
    )
    worker = PROCESSES.start("worker", [PYTHON, "manage.py", "db_worker", "--no-reload"], env)
    return [smtp, worker]


def children(pid: int) -> list[int]:
    """Every process below `pid`."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        below = parents.get(todo.pop(), [])
        found.extend(below)
        todo.extend(below)
    return found


def resident_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def web_workers_memory(nodes) -> list[float]:
    """Resident memory of each process serving requests (the workers, not the supervisor)."""
    sizes = []
    for _port, process in nodes:
        below = children(process.pid) or [process.pid]
        sizes.extend(round(resident_mb(pid), 1) for pid in below)
    return sizes


# -- HTTP --------------------------------------------------------------------------------------


def request(port, method, path, cookies=None, data=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    sent = {"X-Forwarded-Proto": "https", **(headers or {})}
    if cookies:
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if data is not None:
        body = urlencode(data, doseq=True)
        sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent["Origin"] = f"https://127.0.0.1:{port}"
        sent["Referer"] = f"https://127.0.0.1:{port}{path}"
    connection.request(method, path, body=body, headers=sent)
    response = connection.getresponse()
    content = response.read().decode("utf-8", "replace")
    connection.close()
    if cookies is not None:
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                cookies[name] = morsel.value
    return response.status, response.headers, content


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def form_post(port, path, cookies, data):
    """GET the form (for its CSRF token), then POST it as a browser would."""
    _status, _headers, page = request(port, "GET", path, cookies)
    return request(port, "POST", path, cookies, {"csrfmiddlewaretoken": csrf_token(page), **data})


def log_in(port, email, password) -> dict:
    cookies = {}
    status, headers, _page = form_post(port, "/logg-inn/", cookies, {"username": email, "password": password})
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"logging in as {email} failed ({status})")
    return cookies


# -- wrk ---------------------------------------------------------------------------------------


def wrk(port, paths, cookies=None, connections=CONNECTIONS, seconds=SECONDS, threads=THREADS) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(paths) + "\n")
    cookie = "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout=5s",
        "-s", str(ROOT / "bench" / "wrk.lua"), f"http://127.0.0.1:{port}", "--", listing.name, cookie,
    ]  # fmt: skip
    try:
        output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=True).stdout
    finally:
        os.unlink(listing.name)
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["p50_ms"] = result["p50_us"] / 1000
    result["p99_ms"] = result["p99_us"] / 1000
    result["errors"] = sum(result[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))
    return result


def wrk_together(jobs) -> dict:
    """Several wrk runs at the same moment (one per node); their throughput added up."""
    with tempfile.TemporaryDirectory() as folder:
        running = []
        for n, (port, paths, cookies, connections) in enumerate(jobs):
            listing = Path(folder) / f"{n}.txt"
            listing.write_text("\n".join(paths) + "\n")
            cookie = "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())
            command = [
                "wrk", f"-t{max(1, THREADS // len(jobs))}", f"-c{connections}", f"-d{SECONDS}s", "--timeout=5s",
                "-s", str(ROOT / "bench" / "wrk.lua"), f"http://127.0.0.1:{port}", "--", str(listing), cookie,
            ]  # fmt: skip
            running.append(subprocess.Popen(command, stdout=subprocess.PIPE, text=True))
        results = [json.loads(p.communicate(timeout=SECONDS + 30)[0].strip().splitlines()[-1]) for p in running]
    rps = sum(r["requests"] / (r["duration_us"] / 1e6) for r in results)
    return {"rps": rps, "p99_ms": max(r["p99_us"] for r in results) / 1000, "per_node": results}


# -- Datasets ----------------------------------------------------------------------------------


def fingerprint(scale: float) -> str:
    """Changes when the dataset's code changes: then the dataset is rebuilt. (A reused dataset is
    migrated first, so new indexes and tables arrive without a rebuild.)"""
    digest = hashlib.sha256((ROOT / "bench" / "dataset.py").read_bytes())
    digest.update(str(scale).encode())
    return digest.hexdigest()[:16]


def ensure_dataset(name: str, database_url: str, scale: float, reset) -> dict:
    """The dataset's build report, building it first when there is none or it is out of date."""
    stamp = OUT / f"{name}.json"
    wanted = fingerprint(scale)
    if stamp.exists():
        built = json.loads(stamp.read_text())
        if built.get("fingerprint") == wanted:
            log(f"Reusing the {name} dataset (built in {built['total_seconds']} s).")
            migrate(database_url)
            built["reused"] = True
            return built
    log(f"Building the {name} dataset (scale {scale}) …")
    reset()
    output = subprocess.run(
        [PYTHON, "bench/dataset.py", "build", database_url, "--scale", str(scale)],
        cwd=ROOT,
        env=portal_env(database_url),
        capture_output=True,
        text=True,
        timeout=900,  # building is timed on its own, outside the measuring budget
    )
    sys.stderr.write(output.stderr[-4000:])
    if output.returncode:
        raise RuntimeError(f"building the {name} dataset failed")
    built = json.loads(output.stdout.strip().splitlines()[-1])
    built["fingerprint"] = wanted
    stamp.write_text(json.dumps(built, indent=1))
    built["reused"] = False
    log(f"Built the {name} dataset in {built['total_seconds']} s.")
    return built


def sqlite_dataset(name: str, scale: float):
    path = OUT / f"{name}.sqlite3"
    url = f"sqlite:///{path.relative_to(ROOT)}"

    def reset():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    return url, ensure_dataset(name, url, scale, reset)


class Postgres:
    """A PostgreSQL cluster of the benchmark's own, on its own port; kept between runs (so the
    dataset is reused), started and stopped here."""

    def __init__(self, port: int):
        self.bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
        self.data = OUT / f"pg-{port}"
        self.port = port
        self.url = f"postgres://postgres@127.0.0.1:{port}/some_bench"

    def _run(self, *command, check=True):
        command = [str(self.bin / command[0]), *command[1:]]
        if os.getuid() == 0:  # PostgreSQL will not run as root
            command = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(map(str, command))]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)

    def start(self):
        if not (self.data / "PG_VERSION").exists():
            shutil.rmtree(self.data, ignore_errors=True)
            self.data.mkdir(parents=True)
            if os.getuid() == 0:
                shutil.chown(self.data, "postgres")
            self._run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8")
        if self._run("pg_ctl", "-D", self.data, "status", check=False).returncode == 0:
            self.stop()  # left running by a run that was cut short
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} -c fsync=off -c max_connections=200"
        self._run("pg_ctl", "-D", self.data, "-l", self.data / "server.log", "-w", "-o", f"'{options}'", "start")
        return self

    def stop(self):
        self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop", check=False)

    def reset(self):
        self._run("dropdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", "--if-exists", "some_bench")
        self._run("createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", "some_bench")


# -- Measuring ---------------------------------------------------------------------------------


def query_counts(database_url: str, fixtures: dict) -> list[int]:
    """The most queries any path of each address costs."""
    asked = [{"user": fixtures[a.user] if a.user else None, "paths": a.paths(fixtures)} for a in ADDRESSES]
    output = subprocess.run(
        [PYTHON, "bench/dataset.py", "queries", database_url],
        cwd=ROOT,
        env=portal_env(database_url),
        input=json.dumps(asked),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return [max(row) for row in json.loads(output.stdout.strip().splitlines()[-1])]


def check_statuses(port, fixtures, sessions) -> list[str]:
    """Every path answers as it should before it is measured (refused links with 400)."""
    wrong = []
    for address in ADDRESSES:
        for path in address.paths(fixtures):
            status, _h, _b = request(port, "GET", path, dict(sessions.get(address.user, {})))
            if status not in (200, 400) or (status == 400 and address.kind != "verify"):
                wrong.append(f"{path} answered {status}")
    return wrong


def measure_table(database: str, database_url: str, fixtures: dict, small_counts, server=SERVER) -> dict:
    nodes = start_portal(server, database_url)
    port = nodes[0][0]
    sessions = {key: log_in(port, fixtures[key], fixtures["password"]) for key in {a.user for a in ADDRESSES if a.user}}
    wrong = check_statuses(port, fixtures, sessions)
    if wrong:
        log("Unexpected answers: " + "; ".join(wrong))
    counts = query_counts(database_url, fixtures)
    rows, floors = [], []
    half = max(1, SECONDS // 2)
    for address, queries, small in zip(ADDRESSES, counts, small_counts, strict=True):
        if time_left() < 4 * half + 20:
            log(f"Out of time: skipped {address.name}")
            continue
        if address.kind == "floor":
            result = wrk(port, address.paths(fixtures))
            floors.append(result)
            share = 1.0
        else:
            # The machine's load changes by the second (it is shared): the floor and the address
            # take turns, and the share is of the floor measured in the same few seconds.
            turns = []
            # Two turns where the target is near (public pages, verify), one for the logged-in
            # pages (all far below theirs), so that every address fits in the time the run has.
            for _turn in range(1 if address.kind == "staff" else 2):
                turns.append(
                    (
                        wrk(port, ["/helse/ping/"], seconds=half),
                        wrk(port, address.paths(fixtures), sessions.get(address.user), seconds=half),
                    )
                )
                # A slow page leaves requests queued when wrk stops: let them drain, so that the
                # floor measured next is not held up behind them.
                with contextlib.suppress(OSError):
                    request(port, "GET", "/helse/ping/")
            floors.extend(floor for floor, _result in turns)
            result = {
                "rps": statistics.mean(r["rps"] for _f, r in turns),
                "p50_ms": statistics.mean(r["p50_ms"] for _f, r in turns),
                "p99_ms": max(r["p99_ms"] for _f, r in turns),
                "errors": sum(r["errors"] for _f, r in turns),
                "bad_status": sum(r["bad_status"] for _f, r in turns),
                "floor_p99_ms": max(f["p99_ms"] for f, _r in turns),
            }
            floor_rps = sum(f["rps"] for f, _r in turns)
            share = sum(r["rps"] for _f, r in turns) / floor_rps if floor_rps else 0.0
        memory = web_workers_memory(nodes)
        rows.append(
            {
                "address": address.name,
                "kind": address.kind,
                "queries": queries,
                "queries_small": small,
                "share": share,
                "worker_rss_mb_after": memory,
                **result,
            }
        )
        log(
            f"  {address.name:44} {result['rps']:8.0f} req/s {share:6.0%}  (workers {', '.join(f'{m:.0f}' for m in memory)} MB)"
        )
    memory = web_workers_memory(nodes)
    for _port, process in nodes:
        PROCESSES.stop(process)
    floor = next((row for row in rows if row["kind"] == "floor"), None)
    if floor is None:
        raise RuntimeError("out of time before the floor was measured")
    floor.update(
        rps=statistics.mean(f["rps"] for f in floors),
        p50_ms=statistics.median(f["p50_ms"] for f in floors),
        p99_ms=statistics.median(f["p99_ms"] for f in floors),
    )
    return {
        "database": database,
        "server": server,
        "rows": rows,
        "floor_runs_rps": [round(f["rps"]) for f in floors],
        "worker_rss_mb": memory,
        "unexpected": wrong,
    }


def judge(table: dict) -> None:
    """Each row's share of the floor, and whether it meets its target."""
    for row in table["rows"]:
        if row["kind"] == "floor":
            row["met"] = None
            continue
        met = row["share"] >= TARGET_SHARE[row["kind"]]
        if row["kind"] == "verify":
            met = met and row["p99_ms"] <= VERIFY_P99_FACTOR * row["floor_p99_ms"]
        row["queries_ok"] = row["queries"] <= MAX_QUERIES and row["queries"] == row["queries_small"]
        row["met"] = met and row["queries_ok"]


def print_table(table: dict) -> None:
    print(f"\n{table['database']}, {table['server']}, {WORKERS} workers; wrk {THREADS} threads, "
          f"{CONNECTIONS} connections; each address and the floor in turns, {max(1, SECONDS // 2)} s each, twice (logged-in pages once)")  # fmt: skip
    print(f"{'address':44} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'floor':>6} {'queries':>9} {'target':>7}")
    for row in table["rows"]:
        target = "" if row["met"] is None else ("met" if row["met"] else "MISSED")
        shares = f"{row['share']:6.0%}"
        queries = f"{row['queries']}" + ("" if row["queries"] == row["queries_small"] else f" ({row['queries_small']})")
        flag = "" if row["errors"] == 0 else f"  {row['errors']} errors"
        print(
            f"{row['address']:44} {row['rps']:7.0f} {row['p50_ms']:7.1f} {row['p99_ms']:7.1f} "
            f"{shares} {queries:>9} {target:>7}{flag}"
        )
    runs = table["floor_runs_rps"]
    spread = (max(runs) - min(runs)) / statistics.mean(runs)
    print(
        f"The floor measured {len(runs)} times: {min(runs)}–{max(runs)} req/s (spread {spread:.0%} of the mean): "
        "each share is of the floor measured beside it"
    )
    memory = table["worker_rss_mb"]
    over = [m for m in memory if m >= MAX_RSS_MB]
    print(
        f"Web workers' resident memory after the run: {', '.join(f'{m:.0f} MB' for m in memory)}"
        + (f" (over {MAX_RSS_MB} MB: {len(over)})" if over else f" (target under {MAX_RSS_MB} MB: met)")
    )
    print("queries: per request at 100,000 accounts; in brackets when it differs with 1,000 accounts")


def compare_servers(database_url: str, fixtures: dict) -> list[dict]:
    """Every server at once, each on a port of its own, measured in turns (twice round), so that
    the machine's changing load falls on all of them alike."""
    half = max(1, SECONDS // 2)
    verify = [_api_verify(t) for t in verify_mix(fixtures)]
    started = {}
    for n, server in enumerate(SERVERS):
        started[server] = start_portal(server, database_url, ports=(SERVER_PORTS[n],))
    runs = {server: {"floor": [], "verify": []} for server in SERVERS}
    for _round in range(2):
        for server, nodes in started.items():
            port = nodes[0][0]
            runs[server]["floor"].append(wrk(port, ["/helse/ping/"], seconds=half))
            runs[server]["verify"].append(wrk(port, verify, seconds=half))
    results = []
    for server, nodes in started.items():
        memory = web_workers_memory(nodes)
        for _port, process in nodes:
            PROCESSES.stop(process)
        floor = {
            "rps": statistics.mean(r["rps"] for r in runs[server]["floor"]),
            "p99_ms": max(r["p99_ms"] for r in runs[server]["floor"]),
        }
        checked = {
            "rps": statistics.mean(r["rps"] for r in runs[server]["verify"]),
            "p99_ms": max(r["p99_ms"] for r in runs[server]["verify"]),
        }
        results.append({"server": server, "floor": floor, "verify": checked, "worker_rss_mb": memory})
        log(f"  {server:28} floor {floor['rps']:7.0f} req/s, verify {checked['rps']:7.0f} req/s")
    return results


def print_servers(results: list[dict]) -> None:
    print(f"\nWeb servers, {WORKERS} workers each (PostgreSQL)")
    print(f"{'server':28} {'floor req/s':>11} {'p99 ms':>7} {'verify req/s':>12} {'p99 ms':>7} {'verify/floor':>12}")
    for r in results:
        f, v = r["floor"], r["verify"]
        print(
            f"{r['server']:28} {f['rps']:11.0f} {f['p99_ms']:7.1f} {v['rps']:12.0f} {v['p99_ms']:7.1f} "
            f"{v['rps'] / f['rps']:12.0%}"
        )


# -- Two nodes ---------------------------------------------------------------------------------


def helper(database_url: str, *args) -> dict:
    """Ask the database directly (bench/dataset.py), as a third process beside the two nodes."""
    output = subprocess.run(
        [PYTHON, "bench/dataset.py", *args[:1], database_url, *args[1:]],
        cwd=ROOT,
        env=portal_env(database_url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if output.returncode:
        raise RuntimeError(output.stderr[-2000:])
    return json.loads(output.stdout.strip().splitlines()[-1])


def verdict_on(port: int, url: str) -> tuple:
    status, _h, body = request(port, "GET", _api_verify(url))
    answer = json.loads(body)
    account = answer.get("account") or {}
    return answer.get("result"), account.get("display_name"), answer.get("profile", {}).get("platform")


def two_nodes(database_url: str, fixtures: dict) -> dict:
    a, b = PORTS[:2]
    nodes = start_portal(SERVER, database_url, ports=(a, b))
    checks = {}

    # A login on one node is valid on the other.
    adviser = log_in(a, fixtures["adviser"], fixtures["password"])
    status, _h, _page = request(b, "GET", "/register/", dict(adviser))
    checks["login on A is valid on B"] = status == 200

    # The platform catalogue changed through the administration on A is read at once on B.
    admin = log_in(b, fixtures["admin"], fixtures["password"])
    platform = helper(database_url, "platform", fixtures["platform_slug"])
    before = verdict_on(b, fixtures["official_url"])[2]["name"]
    renamed = platform["name"] + " (endra)"
    change = f"/admin/platforms/platform/{platform['id']}/change/"
    form_post(a, change, admin, {**platform["form"], "name": renamed, "_save": "1"})
    after = verdict_on(b, fixtures["official_url"])[2]["name"]
    form_post(a, change, admin, {**platform["form"], "_save": "1"})
    checks["platform renamed on A is named so on B"] = before == platform["name"] and after == renamed

    # A chapter published on A is what B shows (the shared text, kept by the region's adviser).
    keeper = log_in(a, fixtures["regional_adviser"], fixtures["password"])
    chapter = fixtures["chapter"]
    document = helper(database_url, "document", chapter)
    marker = f"Merknad {time.time_ns()}"
    edit = f"/handbok/{chapter}/rediger/"
    fields = {"revision": document["revision"], "title": document["title"], "publish": "1"}
    form_post(a, edit, keeper, {**fields, "body": document["body"] + f"\n\n{marker}\n"})
    _s, _h, page = request(b, "GET", f"/handbok/{chapter}/")
    checks["chapter published on A is shown on B"] = marker in page
    document = helper(database_url, "document", chapter)
    form_post(
        a,
        edit,
        keeper,
        {**fields, "revision": document["revision"], "body": document["body"].replace(f"\n\n{marker}\n", "")},
    )

    # The report form's limit counts a client's reports on both nodes together.
    helper(database_url, "forget-reports", "https://www.instagram.com/rate_limit_bench/")
    statuses = []
    for n in range(6):
        status, _h, _p = form_post(
            (a, b)[n % 2],
            "/meld-fra/",
            {},
            {"url": "https://www.instagram.com/rate_limit_bench/", "what_is_wrong": "Falsk konto.", "website": ""},
        )
        statuses.append(status)
    helper(database_url, "forget-reports", "https://www.instagram.com/rate_limit_bench/")
    checks["six reports over A and B: the sixth refused (429)"] = statuses == [302] * 5 + [429]

    # The register changes in a third process; both nodes answer verify rightly at once.
    url = "https://www.instagram.com/nytt_konto_bench/"
    seen = []
    for step in ("register", "rename", "close"):
        helper(database_url, "account", step, url)
        seen.append((step, verdict_on(a, url)[:2], verdict_on(b, url)[:2]))
    expected = [
        ("register", ("official", "Ny konto"), ("official", "Ny konto")),
        ("rename", ("official", "Nytt namn"), ("official", "Nytt namn")),
        ("close", ("closed", "Nytt namn"), ("closed", "Nytt namn")),
    ]
    checks["account registered, renamed, closed: both nodes' verify right at once"] = seen == expected

    # Throughput: one node alone, then the same load spread over both.
    # Twice each, in turn, so that a change in the machine's load falls on both alike.
    paths = [_api_verify(t) for t in verify_mix(fixtures)]
    spread = [(a, paths, None, CONNECTIONS // 2), (b, paths, None, CONNECTIONS // 2)]
    ping = ["/helse/ping/"]
    spread_ping = [(a, ping, None, CONNECTIONS // 2), (b, ping, None, CONNECTIONS // 2)]
    one, both, floor_one, floor_both = [], [], [], []
    for _turn in range(2):
        one.append(wrk(a, paths)["rps"])
        both.append(wrk_together(spread)["rps"])
        floor_one.append(wrk(a, ping)["rps"])
        floor_both.append(wrk_together(spread_ping)["rps"])
    memory = web_workers_memory(nodes)
    for _port, process in nodes:
        PROCESSES.stop(process)
    return {
        "checks": checks,
        "verify_seen": seen,
        "rate_limit_statuses": statuses,
        "verify_one_node_rps": statistics.mean(one),
        "verify_two_nodes_rps": statistics.mean(both),
        "floor_one_node_rps": statistics.mean(floor_one),
        "floor_two_nodes_rps": statistics.mean(floor_both),
        "runs": {"verify_one": one, "verify_two": both, "floor_one": floor_one, "floor_two": floor_both},
        "worker_rss_mb": memory,
    }


def print_nodes(result: dict) -> None:
    print(f"\nTwo web nodes ({SERVER}, {WORKERS} workers each) against one PostgreSQL and one worker")
    for name, ok in result["checks"].items():
        print(f"  {'yes' if ok else 'NO ':3}  {name}")
    print(
        f"  verify mix: one node {result['verify_one_node_rps']:.0f} req/s, spread over two "
        f"{result['verify_two_nodes_rps']:.0f} req/s (×{result['verify_two_nodes_rps'] / result['verify_one_node_rps']:.2f}); "
        f"floor: {result['floor_one_node_rps']:.0f} → {result['floor_two_nodes_rps']:.0f} req/s "
        f"(×{result['floor_two_nodes_rps'] / result['floor_one_node_rps']:.2f}) on {os.cpu_count()} cores"
    )


# -- The run -----------------------------------------------------------------------------------


def versions() -> dict:
    def output(command):
        try:
            return subprocess.run(command, capture_output=True, text=True, timeout=30).stdout.strip().splitlines()[0]
        except (OSError, IndexError, subprocess.SubprocessError):
            return ""

    packages = output([PYTHON, "-c", "import django, gunicorn, granian, psycopg; print(django.__version__, gunicorn.__version__, granian.__version__, psycopg.__version__)"]).split()  # fmt: skip
    names = ["django", "gunicorn", "granian", "psycopg"]
    found = dict(zip(names, packages, strict=False))
    found.update(
        python=output([PYTHON, "-c", "import sys; print(sys.version.split()[0])"]),
        sqlite=output([PYTHON, "-c", "import sqlite3; print(sqlite3.sqlite_version)"]),
        postgresql=output([str(sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1] / "postgres"), "--version"]),
        wrk=output(["wrk", "--version"]).split(" [")[0],
        kernel=host_platform.release(),
    )
    return found


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    report = {
        "cores": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "versions": versions(),
        "settings": {"seconds": SECONDS, "connections": CONNECTIONS, "threads": THREADS, "workers": WORKERS},
        "server": SERVER,
    }
    postgres = None
    try:
        datasets = {}
        small_url, small = sqlite_dataset("small-sqlite", 0.01)
        small_counts = query_counts(small_url, small["fixtures"])
        if "sqlite" in DATABASES:
            datasets["sqlite"] = sqlite_dataset("national-sqlite", 1.0)
        if "postgresql" in DATABASES or TWO_NODES:
            postgres = Postgres(PGPORT).start()
            datasets["postgresql"] = (
                postgres.url,
                ensure_dataset(f"national-postgresql-{PGPORT}", postgres.url, 1.0, postgres.reset),
            )
        start_the_clock()
        report["datasets"] = {
            name: {k: v for k, v in built.items() if k != "fixtures"} for name, (_u, built) in datasets.items()
        }
        main_url, main_built = datasets.get("postgresql") or datasets["sqlite"]
        report["tables"] = []
        for database in [d for d in ("postgresql", "sqlite") if d in DATABASES]:
            url, built = datasets[database]
            services = start_services(url)
            if COMPARE_SERVERS and url == main_url:
                log(f"Comparing web servers on {database} …")
                report["servers"] = compare_servers(url, built["fixtures"])
            log(f"Measuring every address on {database} …")
            table = measure_table(database, url, built["fixtures"], small_counts)
            judge(table)
            report["tables"].append(table)
            if TWO_NODES and database == "postgresql":
                log("Two web nodes …")
                report["two_nodes"] = two_nodes(url, built["fixtures"])
            for process in services:
                PROCESSES.stop(process)
    finally:
        PROCESSES.stop_all()
        if postgres:
            postgres.stop()
    report["seconds"] = round(time.monotonic() - started)

    for name, built in report["datasets"].items():
        state = "reused, built earlier" if built["reused"] else "built now"
        met = "met" if built["total_seconds"] <= MAX_BUILD_SECONDS else "MISSED"
        print(f"Dataset on {name} ({state}) in {built['total_seconds']} s (target {MAX_BUILD_SECONDS} s: {met}): "
              + ", ".join(f"{k} {v:,}" for k, v in built["rows"].items()))  # fmt: skip
    if "servers" in report:
        print_servers(report["servers"])
    for table in report["tables"]:
        print_table(table)
    if "two_nodes" in report:
        print_nodes(report["two_nodes"])
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = OUT / f"load-{stamp}.json"
    path.write_text(json.dumps(report, indent=1, default=str))
    print(f"\n{report['seconds']} s in all, on {report['cores']} cores (load average at start "
          f"{report['load_average_at_start'][0]:.1f}). Written to {path.relative_to(ROOT)}")  # fmt: skip


if __name__ == "__main__":
    main()
