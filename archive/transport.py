"""How a package reaches the archive: one small interface, so that a transport over Fiks IO
or eFormidling can stand beside the folder drop later (docs/archive.md).

A transport takes the package's name (its uuid) and its files, and either delivers all of
them or raises `DeliveryFailed` with a reason a person can act on. Delivering a package that
is already there changes nothing."""

import os
import shutil
import tempfile
from pathlib import Path
from typing import Protocol


class DeliveryFailed(Exception):
    """The package could not be delivered now; it stays waiting and is tried again."""


class Transport(Protocol):
    def deliver(self, name: str, files: dict[str, bytes]) -> bool:
        """Deliver `files` (file name → content) as the package `name`. True if delivered now,
        False if it was there already."""


class FolderTransport:
    """A folder the archive's import reads. Each package is a folder named by its uuid, with
    arkivmelding.xml and its documents. It is written whole in a hidden folder beside it on the
    same file system, every file and the folder flushed to disk, and then renamed into place in
    one step: the import never sees half a package, and a full disk leaves nothing behind."""

    def __init__(self, outbox: Path):
        self.outbox = Path(outbox)

    def deliver(self, name: str, files: dict[str, bytes]) -> bool:
        final = self.outbox / name
        try:
            self.outbox.mkdir(parents=True, exist_ok=True)
            if final.exists():
                return False
            staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=self.outbox))
        except OSError as error:
            raise DeliveryFailed(_reason(error, self.outbox)) from error
        try:
            for file_name, content in files.items():
                path = staging / file_name
                with open(path, "wb") as handle:
                    handle.write(content)
                    handle.flush()
                    os.fsync(handle.fileno())
            os.chmod(staging, 0o755)
            _fsync_folder(staging)
            os.rename(staging, final)
            _fsync_folder(self.outbox)
        except OSError as error:
            shutil.rmtree(staging, ignore_errors=True)
            if final.exists() and error.errno in (39, 66):  # delivered by another worker just now
                return False
            raise DeliveryFailed(_reason(error, self.outbox)) from error
        return True


def _fsync_folder(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _reason(error: OSError, where: Path) -> str:
    return f"{error.strerror or error} ({where})"


def transport_for(settings) -> Transport:
    """The transport of an organisation's archive settings: the folder drop, for now."""
    return FolderTransport(settings.outbox_path)
