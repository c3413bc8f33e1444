"""Before and after a change, side by side in one run (`make bench-compare BEFORE=<commit>`).

A change that should not make the portal slower (a refactoring, a new layer in every request) is
judged by comparing it with the code before it on the same machine in the same minutes: the
machine is shared, so figures from two separate runs cannot be compared.

This takes the portal as it was at BEFORE (a commit, a tag or a branch) into a folder of its own,
and runs it and the portal as it is now side by side, as production serves them (bench/load.py's
settings: DEMO=0, DEBUG=0, granian), each on its own copy of the national dataset on SQLite.
Then, for every address of bench/load.py, wrk takes turns: the floor and the address on the one,
then on the other, three times (the other side first each time). Each side's share is of its own
floor measured in the same seconds, the median of its turns is kept, and the ratio after/before
of the shares is printed for each address: 1.00 is no change, and on
a shared machine differences within about ±10 % are noise.

The dataset is the one bench/load.py builds (built first when there is none); the old code reads
it as migrated by the new code, so a change that removes or renames a column the old code reads
on a measured page cannot be compared this way (the run says which address answered wrongly).

    make bench-compare BEFORE=HEAD~10
    BENCH_SECONDS=6 .venv/bin/python bench/compare.py <commit>
"""

import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402  (bench/load.py: the addresses, the servers, wrk, the dataset)

PORTS = (int(os.environ.get("BENCH_BEFORE_PORT", 8082)), int(os.environ.get("BENCH_AFTER_PORT", 8083)))
TURNS = int(os.environ.get("BENCH_TURNS", 3))


def export_tree(ref: str, folder: Path) -> str:
    """The portal's files at `ref` in `folder`, ready to serve: the same virtual environment,
    the front-end packages, its own compiled messages and collected static files."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", ref], cwd=load.ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    archive = subprocess.run(["git", "archive", commit], cwd=load.ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    (folder / ".venv").symlink_to(load.ROOT / ".venv")
    shutil.copytree(load.ROOT / "static" / "vendor", folder / "static" / "vendor", symlinks=True)
    env = {**os.environ, "VAR_DIR": str(folder / "var")}
    for command in (["compilemessages", "-v", "0", "--ignore=.venv"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run([load.PYTHON, "manage.py", *command], cwd=folder, env=env, check=True, timeout=600)
    return commit


def start(name: str, folder: Path, database: Path, port: int):
    env = {**load.portal_env(f"sqlite:///{database}"), "VAR_DIR": str(folder / "var")}
    process = load.PROCESSES.start(f"compare {name}", load.SERVERS[load.SERVER](port, load.WORKERS), env, cwd=folder)
    load.wait_until_up(port, process)
    return process


def share(port: int, address, fixtures: dict, sessions: dict, seconds: int) -> tuple[float, float]:
    """(this address's requests per second, its share of the floor measured just before it)."""
    floor = load.wrk(port, ["/helse/ping/"], seconds=seconds)
    result = load.wrk(port, address.paths(fixtures), sessions.get(address.user), seconds=seconds)
    with contextlib.suppress(OSError):
        load.request(port, "GET", "/helse/ping/")  # let what is queued drain before the next turn
    return result["rps"], (result["rps"] / floor["rps"] if floor["rps"] else 0.0)


def ratio_of(row: dict) -> str:
    # An address the old code did not answer at all has no ratio (the run has said why above).
    return f"{row['after'] / row['before']:.2f}" if row["before"] else "n/a"


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    load.OUT.mkdir(parents=True, exist_ok=True)
    url, built = load.sqlite_dataset("national-sqlite", 1.0)
    fixtures = built["fixtures"]
    dataset = load.ROOT / url.removeprefix("sqlite:///")
    with tempfile.TemporaryDirectory(prefix="portal-before-") as temporary:
        folder = Path(temporary) / "portal"
        folder.mkdir()
        commit = export_tree(sys.argv[1], folder)
        copies = {}
        for side in ("before", "after"):
            copies[side] = Path(temporary) / f"{side}.sqlite3"
            shutil.copyfile(dataset, copies[side])
        try:
            sides = {
                "before": (start("before", folder, copies["before"], PORTS[0]), PORTS[0]),
                "after": (start("after", load.ROOT, copies["after"], PORTS[1]), PORTS[1]),
            }
            users = {a.user for a in load.ADDRESSES if a.user}
            sessions = {
                side: {key: load.log_in(port, fixtures[key], fixtures["password"]) for key in users}
                for side, (_process, port) in sides.items()
            }
            for side, (_process, port) in sides.items():
                for wrong in load.check_statuses(port, fixtures, sessions[side]):
                    load.log(f"{side}: unexpected answer: {wrong}")
            half = max(1, load.SECONDS // 2)
            rows = []
            for address in load.ADDRESSES:
                if address.kind == "floor":
                    continue
                measured = {"before": [], "after": []}
                for turn in range(TURNS):
                    # Each turn the other side goes first, so a machine getting busier or
                    # quieter during the turns favours neither.
                    for side, (_process, port) in sorted(sides.items(), reverse=turn % 2 == 1):
                        measured[side].append(share(port, address, fixtures, sessions[side], half))
                row = {side: statistics.median(s for _rps, s in turns) for side, turns in measured.items()}
                rps = {side: statistics.mean(r for r, _s in turns) for side, turns in measured.items()}
                rows.append((address.name, rps, row))
                load.log(f"  {address.name:44} {row['before']:6.0%} {row['after']:6.0%}  ×{ratio_of(row)}")
        finally:
            load.PROCESSES.stop_all()
    print(
        f"\nBefore: {commit}; after: the working tree. Share of each side's own floor, {TURNS} turns of {half} s each."
    )
    print(f"{'Address':46} {'before':>8} {'after':>8} {'after/before':>13}   req/s before → after")
    for name, rps, row in rows:
        ratio = row["after"] / row["before"] if row["before"] else float("nan")
        print(
            f"{name:46} {row['before']:8.0%} {row['after']:8.0%} {ratio:13.2f}   {rps['before']:.0f} → {rps['after']:.0f}"
        )
    ratios = [row["after"] / row["before"] for _n, _r, row in rows if row["before"]]
    print(f"\nMedian ratio {statistics.median(ratios):.2f} over {len(ratios)} addresses (1.00: no change).")


if __name__ == "__main__":
    main()
