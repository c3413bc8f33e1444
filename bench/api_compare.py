"""The open API before and after a change, side by side in one run.

bench/compare.py's method (the portal at BEFORE and as it is now, each served as production
serves it on its own copy of the national dataset; wrk takes turns between the two, each
address beside its own side's floor) for the API's addresses alone, twice: with the kept
public pages (core/pagecache.py), as the public meets the API, and without them, so that every
answer is made by the API's own code. Printed for each: the share of the floor before and after,
their ratio (1.00: no change; within about ±10 % is noise on a shared machine) and the median
answer time (p50) on each side.

Then, steadier on a busy machine, each answer's time in the process itself (Django's test client
through every middleware, without the kept pages, after a few warm-up requests), the two sides
taking turns: the median of BENCH_ROUNDS requests in each turn, and the median of the turns.

    .venv/bin/python bench/api_compare.py <before> [<after>]
    BENCH_TURNS=3 BENCH_SECONDS=6 .venv/bin/python bench/api_compare.py HEAD~1 HEAD
    BENCH_WRK=0 .venv/bin/python bench/api_compare.py HEAD~1    # only the times in the process

Without <after>, the working tree is the after side; with it, that commit is taken out too, so
that the two sides differ by exactly the commits between them.
"""

import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import compare  # noqa: E402  (bench/compare.py: the old tree, the servers)
import load  # noqa: E402  (bench/load.py: the dataset, wrk, the verify mix)

TURNS = int(os.environ.get("BENCH_TURNS", 3))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 40))
WITH_WRK = os.environ.get("BENCH_WRK", "1") == "1"  # 0: only the times in the process
IN_PROCESS = """
import json, os, statistics, time
from django.test import Client
client, found = Client(), {}
for path in json.loads(os.environ["BENCH_PATHS"]):
    for _warm in range(3):
        client.get(path, secure=True)
    times = []
    for _round in range(int(os.environ["BENCH_ROUNDS"])):
        started = time.perf_counter()
        status = client.get(path, secure=True).status_code
        times.append((time.perf_counter() - started) * 1000)
    found[path] = (status, statistics.median(times), min(times))
print("RESULT " + json.dumps(found))
"""
ADDRESSES = [
    load.Address("API verify, the public's mix", "verify", lambda f: [load._api_verify(t) for t in load.verify_mix(f)]),
    load.Address("API accounts, pages 1 and 10", "public", lambda f: ["/api/v1/accounts", "/api/v1/accounts?page=10"]),
    load.Address("API accounts, 200 a page", "public", lambda f: ["/api/v1/accounts?page_size=200"]),
    load.Address("API one account", "public", lambda f: [f"/api/v1/accounts/{f['official_code']}"]),
    load.Address("API refused parameter (400)", "public", lambda f: ["/api/v1/accounts?page=x"]),
]


def measure(port: int, address, fixtures: dict, seconds: int) -> tuple[float, float]:
    """(the address's share of the floor measured just before it, its p50 in ms)."""
    floor = load.wrk(port, ["/helse/ping/"], seconds=seconds)
    result = load.wrk(port, address.paths(fixtures), seconds=seconds)
    with contextlib.suppress(OSError):
        load.request(port, "GET", "/helse/ping/")
    return (result["rps"] / floor["rps"] if floor["rps"] else 0.0), result["p50_ms"]


def run(mode: str, folders: dict, copies: dict, fixtures: dict) -> list:
    os.environ["PUBLIC_PAGE_CACHE"] = "1" if mode == "kept pages" else "0"
    rows = []
    try:
        sides = {
            side: compare.start(side, folders[side], copies[side], port)
            for side, port in zip(("before", "after"), compare.PORTS, strict=True)
        }
        ports = dict(zip(sides, compare.PORTS, strict=True))
        for side, port in ports.items():
            for address in ADDRESSES:
                for path in address.paths(fixtures):
                    status, _headers, _body = load.request(port, "GET", path)
                    if status not in (200, 400):
                        load.log(f"{side}: {path} answered {status}")
        half = max(1, load.SECONDS // 2)
        for address in ADDRESSES:
            measured = {"before": [], "after": []}
            for _turn in range(TURNS):
                for side, port in ports.items():
                    measured[side].append(measure(port, address, fixtures, half))
            share = {side: statistics.mean(s for s, _p in turns) for side, turns in measured.items()}
            p50 = {side: statistics.median(p for _s, p in turns) for side, turns in measured.items()}
            rows.append((mode, address.name, share, p50))
            load.log(f"  {mode:10} {address.name:34} ×{share['after'] / share['before']:.2f}")
    finally:
        load.PROCESSES.stop_all()
    return rows


def in_process(folders: dict, copies: dict, fixtures: dict) -> list:
    """(path, {side: median ms}, {side: fastest ms}) for the paths of ADDRESSES, the sides taking
    turns. The fastest answer is the one least disturbed by other work on a shared machine."""
    paths = [path for address in ADDRESSES for path in address.paths(fixtures)[:2]]
    medians = {side: {path: [] for path in paths} for side in folders}
    fastest = {side: dict.fromkeys(paths, float("inf")) for side in folders}
    for _turn in range(TURNS):
        for side in ("before", "after"):
            env = {
                **load.portal_env(f"sqlite:///{copies[side]}"),
                "VAR_DIR": str(folders[side] / "var"),
                "PUBLIC_PAGE_CACHE": "0",
                "ALLOWED_HOSTS": "testserver",
                "BENCH_PATHS": json.dumps(paths),
                "BENCH_ROUNDS": str(ROUNDS),
            }
            output = subprocess.run(
                [load.PYTHON, "manage.py", "shell", "-c", IN_PROCESS],
                cwd=folders[side], env=env, capture_output=True, text=True, check=True, timeout=900,
            ).stdout  # fmt: skip
            found = json.loads(output.split("RESULT ", 1)[1])
            for path, (status, median, least) in found.items():
                if status not in (200, 400):
                    load.log(f"{side}: {path} answered {status}")
                medians[side][path].append(median)
                fastest[side][path] = min(fastest[side][path], least)
    return [
        (
            path,
            {side: statistics.median(medians[side][path]) for side in medians},
            {s: fastest[s][path] for s in fastest},
        )
        for path in paths
    ]


def main() -> None:
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    load.OUT.mkdir(parents=True, exist_ok=True)
    url, built = load.sqlite_dataset("national-sqlite", 1.0)
    fixtures = built["fixtures"]
    dataset = load.ROOT / url.removeprefix("sqlite:///")
    with tempfile.TemporaryDirectory(prefix="portal-before-") as temporary:
        folders, commits = {"after": load.ROOT}, {"after": "the working tree"}
        for side, ref in zip(("before", "after"), sys.argv[1:], strict=False):
            folders[side] = Path(temporary) / side
            folders[side].mkdir()
            commits[side] = compare.export_tree(ref, folders[side])
        copies = {}
        for side in ("before", "after"):
            copies[side] = Path(temporary) / f"{side}.sqlite3"
            shutil.copyfile(dataset, copies[side])
        rows = (
            run("kept pages", folders, copies, fixtures) + run("afresh", folders, copies, fixtures) if WITH_WRK else []
        )
        timed = in_process(folders, copies, fixtures)
    print(f"\nBefore: {commits['before']}; after: {commits['after']}.")
    if rows:
        print(f"Served, {TURNS} turns of {max(1, load.SECONDS // 2)} s on each side: the share of each side's floor.")
        print(f"{'Pages':11} {'Address':34} {'before':>7} {'after':>7} {'ratio':>6} {'p50 ms before → after':>23}")
        for mode, name, share, p50 in rows:
            ratio = share["after"] / share["before"] if share["before"] else float("nan")
            print(
                f"{mode:11} {name:34} {share['before']:7.0%} {share['after']:7.0%} {ratio:6.2f}"
                f"   {p50['before']:9.2f} → {p50['after']:.2f}"
            )
    print(f"\nIn the process, without the kept pages: {TURNS} turns of {ROUNDS} requests on each side (ms).")
    print(
        f"{'Address':72} {'median before':>14} {'after':>7} {'ratio':>6} {'fastest before':>15} {'after':>7} {'ratio':>6}"
    )
    for path, median, least in timed:
        print(
            f"{path[:72]:72} {median['before']:14.2f} {median['after']:7.2f} {median['after'] / median['before']:6.2f}"
            f" {least['before']:15.2f} {least['after']:7.2f} {least['after'] / least['before']:6.2f}"
        )


if __name__ == "__main__":
    main()
