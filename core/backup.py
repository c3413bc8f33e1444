"""Backups that restore: the database and the files the portal keeps outside it, in one
dated file.

`backup_create` writes `some-portalen-<date>T<time>.tar.gz` holding

- `database.sqlite3`: a consistent copy made with SQLite's online backup API, while the
  portal keeps running and writing; or `database.pgdump`: `pg_dump` in its custom format
  (one snapshot, also while the portal runs);
- `files/<name>/…`: every folder named in the setting BACKUP_PATHS, the one list of the
  files the portal keeps outside the database (a part of the portal that starts keeping
  files adds its folder there, and backups and restores take it along);
- `manifest.json`: the format, the database engine, when, and what it holds.

`backup_restore` puts a backup back into an EMPTY database of the same engine (it
refuses one that has tables, so it never mixes two states), and the files back into
their folders (which must be empty). Run `migrate` afterwards; `make restore` does.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT = 1
PREFIX = "some-portalen-"


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Manifest:
    format: int
    engine: str
    created_at: str
    database: str
    files: list[str]


def _engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else connection.vendor


def backup_create(*, directory: Path | None = None) -> Path:
    """Write a backup into `directory` (default var/backups) and return its path."""
    directory = Path(directory or settings.BACKUP_DIR)
    # A backup holds password hashes and live sessions: readable by the portal's own user only.
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    directory.chmod(0o700)
    stamp = timezone.localtime().strftime("%Y-%m-%dT%H%M%S")
    target = directory / f"{PREFIX}{stamp}.tar.gz"
    with tempfile.TemporaryDirectory(dir=directory) as work:
        work = Path(work)
        engine = _engine()
        if engine == "sqlite":
            database = work / "database.sqlite3"
            _sqlite_copy(Path(connection.settings_dict["NAME"]), database)
        elif engine == "postgresql":
            database = work / "database.pgdump"
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={database}"])
        else:
            raise BackupError(f"No backup for the database engine {engine!r}.")
        files = [name for name, path in settings.BACKUP_PATHS.items() if Path(path).is_dir()]
        manifest = Manifest(FORMAT, engine, timezone.now().isoformat(), database.name, files)
        (work / "manifest.json").write_text(json.dumps(manifest.__dict__, indent=2))
        partial = target.with_suffix(".partial")
        partial.touch(mode=0o600)
        partial.chmod(0o600)  # whatever the umask: the archive is made in this file
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / "manifest.json", arcname="manifest.json")
            archive.add(database, arcname=database.name)
            for name in files:
                archive.add(settings.BACKUP_PATHS[name], arcname=f"files/{name}")
        partial.rename(target)  # a backup file is whole, or not there
    return target


def backup_restore(*, path: Path) -> Manifest:
    """Restore a backup into the configured, empty database, and its files."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no backup file {path}.")
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        try:
            with tarfile.open(path, "r:gz") as archive:
                archive.extractall(work, filter="data")
        except (OSError, tarfile.TarError) as error:
            raise BackupError(f"{path} is not a backup of this portal ({error}).") from None
        try:
            manifest = Manifest(**json.loads((work / "manifest.json").read_text()))
        except (OSError, TypeError, ValueError) as error:
            raise BackupError(f"{path} is not a backup of this portal ({error}).") from None
        if manifest.format != FORMAT:
            raise BackupError(f"The backup has format {manifest.format}; this version reads format {FORMAT}.")
        engine = _engine()
        if manifest.engine != engine:
            raise BackupError(
                f"The backup is of a {manifest.engine} database and the portal is set up for {engine}: "
                "restore it into the same kind of database (DATABASE_URL)."
            )
        _check_files_empty(manifest.files)
        if engine == "sqlite":
            _sqlite_restore(work / manifest.database, Path(connection.settings_dict["NAME"]))
        else:
            _check_postgres_empty()
            name = connection.settings_dict["NAME"]
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    f"--dbname={name}",
                    str(work / manifest.database),
                ]
            )
        for name in manifest.files:
            target = Path(settings.BACKUP_PATHS[name])
            target.mkdir(parents=True, exist_ok=True)
            shutil.copytree(work / "files" / name, target, dirs_exist_ok=True)
    return manifest


def _sqlite_copy(source: Path, target: Path) -> None:
    # One step (pages=-1): the copy is of one moment, however busy the writers are.
    with closing(sqlite3.connect(source, timeout=30)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst, pages=-1)
        # The copy stands alone: no write-ahead log beside it.
        dst.execute("PRAGMA journal_mode=DELETE")


def _sqlite_restore(source: Path, target: Path) -> None:
    connection.close()
    if target.exists() and target.stat().st_size > 0:
        with closing(sqlite3.connect(target)) as existing:
            tables = existing.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        if tables:
            raise BackupError(
                f"The database {target} is not empty. Restore into a new, empty database: move the file away "
                "or point DATABASE_URL at a new one."
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)
    partial = target.with_name(target.name + ".restoring")
    shutil.copyfile(source, partial)
    os.replace(partial, target)


def _check_postgres_empty() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
        (tables,) = cursor.fetchone()
    connection.close()
    if tables:
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty. Restore into a new, empty database "
            "(createdb), and point DATABASE_URL at it."
        )


def _check_files_empty(names: list[str]) -> None:
    for name in names:
        if name not in settings.BACKUP_PATHS:
            raise BackupError(f"The backup holds files for “{name}”, which this portal does not keep (BACKUP_PATHS).")
        folder = Path(settings.BACKUP_PATHS[name])
        if folder.is_dir() and any(folder.iterdir()):
            raise BackupError(f"The folder {folder} is not empty. Restore into an empty folder.")


def _run(command: list[str]) -> None:
    """pg_dump or pg_restore, connected as the portal is."""
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"], "PGUSER": db["USER"] or "", "PGPASSWORD": db["PASSWORD"] or ""}
    env |= {"PGHOST": db["HOST"] or "", "PGPORT": str(db["PORT"] or "")}
    program = shutil.which(command[0]) or _newest(command[0])
    result = subprocess.run([program, *command[1:]], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _newest(program: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{program}"), key=lambda p: int(p.parts[-3]))
    if not found:
        raise BackupError(f"{program} is not installed (Debian: apt-get install postgresql-client).")
    return str(found[-1])
