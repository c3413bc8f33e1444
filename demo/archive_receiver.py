"""The demo's archive: a stand-in for the organisation's sak/arkiv system, so that `make run`
shows the whole loop. It reads each package the portal drops in the outbox, validates its
arkivmelding against the Fiks Arkiv schema and its documents against their checksums, files
it (moves it to its own folder), and writes a receipt (`arkivmelding.opprett.kvittering`) with
made-up case and record numbers in the inbox, as a real archive's import would.

A case gets a number the first time a package names it and keeps it; each record gets the
next record number of the year and the next document number in its case.
"""

import hashlib
import json
import os
from pathlib import Path

from django.utils import timezone

from archive import arkivmelding as am

STATE = "arkiv.json"
FIRST_CASE = 1200
FIRST_RECORD = 48000


def receive_once(*, outbox: Path, inbox: Path, filed: Path, system: str = "SoMe-portalen") -> int:
    """File every package waiting in the outbox; how many receipts were written."""
    outbox, inbox, filed = Path(outbox), Path(inbox), Path(filed)
    if not outbox.is_dir():
        return 0
    filed.mkdir(parents=True, exist_ok=True)
    inbox.mkdir(parents=True, exist_ok=True)
    state_path = filed / STATE
    state = json.loads(state_path.read_text()) if state_path.exists() else {"cases": {}, "case": 0, "record": 0}
    written = 0
    # In the order they arrived, as an archive's import takes them.
    arrived = [f for f in outbox.iterdir() if f.is_dir() and not f.name.startswith(".")]  # hidden: being written
    for folder in sorted(arrived, key=lambda f: (f.stat().st_mtime_ns, f.name)):
        receipt = _file(folder, state, system)
        target = filed / folder.name
        if target.exists():
            _remove(target)
        folder.rename(target)
        _write_atomically(inbox / f"{folder.name}.xml", receipt)
        written += 1
    state_path.write_text(json.dumps(state, indent=1))
    return written


def _file(folder: Path, state: dict, system: str) -> bytes:
    year = timezone.localdate().year
    try:
        root = am.validate((folder / am.FILE_NAME).read_bytes())
        _check_documents(folder, root)
    except (OSError, am.InvalidMessage) as error:
        return am.build_receipt(
            system=system, record_key=folder.name, case_key="", case_year=0, case_number=0, record_year=0,
            record_number=0, document_number=0, folder_existed=False, failure=f"Ugyldig melding: {error}",
        )  # fmt: skip
    q, m = f"{{{am.NS}}}", f"{{{am.NS_MDK}}}"
    record_key = root.findtext(f"{q}registrering/{q}referanseEksternNoekkel/{m}noekkel") or folder.name
    case_key = root.findtext(f"{q}mappe/{q}referanseEksternNoekkel/{m}noekkel") or f"enkeltpost-{record_key}"
    existed = case_key in state["cases"]
    if not existed:
        state["case"] += 1
        state["cases"][case_key] = {"year": year, "number": FIRST_CASE + state["case"], "documents": 0}
    case = state["cases"][case_key]
    case["documents"] += 1
    state["record"] += 1
    return am.build_receipt(
        system=system, record_key=record_key, case_key=case_key, case_year=case["year"],
        case_number=case["number"], record_year=year, record_number=FIRST_RECORD + state["record"],
        document_number=case["documents"], folder_existed=existed,
    )  # fmt: skip


def _check_documents(folder: Path, root) -> None:
    q = f"{{{am.NS}}}"
    for obj in root.iter(f"{q}dokumentobjekt"):
        name = obj.findtext(f"{q}referanseDokumentfil")
        content = (folder / name).read_bytes()
        if hashlib.sha256(content).hexdigest() != obj.findtext(f"{q}sjekksum"):
            raise am.InvalidMessage(f"The checksum of {name} does not match.")


def _write_atomically(path: Path, content: bytes) -> None:
    hidden = path.with_name(f".{path.name}.tmp")
    with open(hidden, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.rename(hidden, path)


def _remove(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
