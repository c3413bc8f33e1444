"""The arkivmelding (Fiks Arkiv v1, `arkivmelding.opprett`) for a package, its receipt
(`arkivmelding.opprett.kvittering`), and validation of both against the schemas shipped in
archive/schemas/fiks-arkiv-v1 (MIT licence, KS), the same files the tests and the archive use.

A package is one record (journalpost) in the case folder (saksmappe) of its plan. The folder
is sent with every record and named by the portal's own key (referanseEksternNoekkel): the
archive opens it with the first record and finds it again for the others ("Eksisterende" in
its receipt), whatever order they arrive in.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path

from lxml import etree

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas" / "fiks-arkiv-v1"
OPPRETT = "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.xsd"
KVITTERING = "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.kvittering.xsd"

NS = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/v1"
NS_KVITTERING = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/kvittering/v1"
# The children of the metadata catalogue's own types (a code, a key, a person) are in its namespace.
NS_MDK = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/metadatakatalog/v1"
NS_FEIL = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/feil/feilmelding/v1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
FILE_NAME = "arkivmelding.xml"
SCREENED = "*****"


class InvalidMessage(ValueError):
    """A message that does not validate against its schema; the text says where."""


@cache
def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / name)))


def validate(data: bytes, name: str = OPPRETT) -> etree._Element:
    """The parsed message, or InvalidMessage with the schema's first complaints."""
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        raise InvalidMessage(f"Not well-formed XML: {error}") from error
    checker = schema(name)
    if not checker.validate(root):
        raise InvalidMessage("; ".join(f"line {e.line}: {e.message}" for e in list(checker.error_log)[:3]))
    return root


@dataclass(frozen=True)
class Code:
    code: str
    description: str


@dataclass(frozen=True)
class Document:
    """One document of the record: the main document (H) or an attachment (V)."""

    title: str
    file_name: str  # as the file is named in the package folder (ASCII)
    content: bytes
    document_type: Code
    main: bool = True
    shown_name: str = ""  # the name a person sees, Norwegian letters and all


@dataclass(frozen=True)
class Case:
    key: str
    title: str
    public_title: str
    description: str
    party: str  # the unit
    opened_on: date


@dataclass
class Record:
    key: str  # the package's uuid
    title: str
    public_title: str
    record_type: Code
    record_status: Code
    document_date: date
    created_at: datetime
    created_by: str
    correspondent: str = ""  # the unit, for a record from or to it
    correspondent_type: Code | None = None
    comment: str = ""
    documents: list[Document] = field(default_factory=list)


def build(*, settings, case: Case | None, record: Record) -> bytes:
    """The arkivmelding for one record (and its case folder), as UTF-8 bytes."""
    E = _Maker(NS)
    root = E("arkivmelding", nsmap={None: NS, "n5mdk": NS_MDK, "xsi": XSI})
    E.sub(root, "system", settings.system)
    E.sub(root, "antallFiler", str(len(record.documents)))
    if case is not None:
        folder = E.sub(root, "mappe", attrib={f"{{{XSI}}}type": "saksmappe"})
        E.sub(folder, "tittel", case.title)
        E.sub(folder, "offentligTittel", case.public_title)
        E.sub(folder, "beskrivelse", case.description)
        E.code(folder, "dokumentmedium", Code("E", "Elektronisk arkiv"))
        E.code(folder, "arkivdel", Code(settings.archive_part, ""))
        party = E.sub(folder, "part")
        E.sub(party, "partNavn", case.party)
        _screening(E, folder, settings)
        _classification(E, folder, settings)
        E.key(folder, "referanseEksternNoekkel", settings.system, case.key)
        E.sub(folder, "saksdato", case.opened_on.isoformat())
        E.who(folder, "administrativEnhet", settings.administrative_unit)
        E.who(folder, "saksansvarlig", settings.case_officer, settings.case_officer_email)
        E.code(folder, "saksstatus", Code("B", "Under behandling"))

    entry = E.sub(root, "registrering", attrib={f"{{{XSI}}}type": "journalpost"})
    E.sub(entry, "opprettetDato", record.created_at.isoformat(timespec="seconds"))
    E.sub(entry, "opprettetAv", record.created_by)
    if case is not None:
        parent = E.sub(entry, "referanseForelderMappe")
        E.key(parent, "referanseEksternNoekkel", settings.system, case.key, inner=True)
    else:
        E.code(entry, "arkivdel", Code(settings.archive_part, ""))
    _screening(E, entry, settings)
    for number, document in enumerate(record.documents, start=1):
        described = E.sub(entry, "dokumentbeskrivelse")
        E.code(described, "dokumenttype", document.document_type)
        E.code(described, "dokumentstatus", Code("F", "Dokumentet er ferdigstilt"))
        E.sub(described, "tittel", document.title)
        E.sub(described, "forfatter", settings.author)
        E.code(described, "dokumentmedium", Code("E", "Elektronisk arkiv"))
        E.code(
            described,
            "tilknyttetRegistreringSom",
            Code("H", "Hoveddokument") if document.main else Code("V", "Vedlegg"),
        )
        E.sub(described, "dokumentnummer", str(number))
        _screening(E, described, settings)
        obj = E.sub(described, "dokumentobjekt")
        E.sub(obj, "versjonsnummer", "1")
        E.code(obj, "variantformat", Code("A", "Arkivformat"))
        E.code(obj, "format", Code("PDF/A-2a", "PDF/A-2 nivå A (ISO 19005-2)"))
        E.sub(obj, "mimeType", "application/pdf")
        E.sub(obj, "filnavn", document.shown_name or document.file_name)
        E.sub(obj, "referanseDokumentfil", document.file_name)
        E.sub(obj, "sjekksum", _sha256(document.content))
        E.sub(obj, "sjekksumAlgoritme", "SHA256")
        E.sub(obj, "filstoerrelse", str(len(document.content)))
    E.sub(entry, "tittel", record.title)
    E.sub(entry, "offentligTittel", record.public_title)
    E.sub(entry, "forfatter", settings.author)
    E.code(entry, "dokumentmedium", Code("E", "Elektronisk arkiv"))
    if record.comment:
        note = E.sub(entry, "merknad")
        E.sub(note, "merknadstekst", record.comment)
    if record.correspondent and record.correspondent_type:
        correspondent = E.sub(entry, "korrespondansepart")
        E.code(correspondent, "korrespondanseparttype", record.correspondent_type)
        E.sub(correspondent, "korrespondansepartNavn", record.correspondent)
    _classification(E, entry, settings)
    E.key(entry, "referanseEksternNoekkel", settings.system, record.key)
    E.code(entry, "journalposttype", record.record_type)
    E.code(entry, "journalstatus", record.record_status)
    E.sub(entry, "journaldato", record.document_date.isoformat())
    E.sub(entry, "dokumentetsDato", record.document_date.isoformat())
    E.sub(entry, "antallVedlegg", str(sum(1 for d in record.documents if not d.main)))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _screening(E, parent, settings) -> None:
    if settings.screened:
        screening = E.sub(parent, "skjerming")
        E.code(screening, "tilgangsrestriksjon", Code(settings.screening_code, ""))
        E.sub(screening, "skjermingshjemmel", settings.screening_basis)


def _classification(E, parent, settings) -> None:
    if settings.class_id:
        classification = E.sub(parent, "klassifikasjon")
        if settings.classification_system:
            E.sub(classification, "klassifikasjonssystemID", settings.classification_system)
        E.sub(classification, "klasseID", settings.class_id)
        if settings.class_title:
            E.sub(classification, "tittel", settings.class_title)


def _sha256(content: bytes) -> str:
    import hashlib

    return hashlib.sha256(content).hexdigest()


class _Maker:
    def __init__(self, namespace: str):
        self.ns = namespace

    def __call__(self, name, **kwargs):
        return etree.Element(f"{{{self.ns}}}{name}", **kwargs)

    def sub(self, parent, name, text=None, attrib=None):
        element = etree.SubElement(parent, f"{{{self.ns}}}{name}", attrib=attrib or {})
        if text is not None:
            element.text = _clean(text)
        return element

    def mdk(self, parent, name, text=None):
        element = etree.SubElement(parent, f"{{{NS_MDK}}}{name}")
        if text is not None:
            element.text = _clean(text)
        return element

    def code(self, parent, name, code: Code):
        element = self.sub(parent, name)
        self.mdk(element, "kode", code.code)
        if code.description:
            self.mdk(element, "beskrivelse", code.description)
        return element

    def key(self, parent, name, system, key, *, inner=False):
        element = self.mdk(parent, name) if inner else self.sub(parent, name)
        self.mdk(element, "fagsystem", system)
        self.mdk(element, "noekkel", key)
        return element

    def who(self, parent, name, who, email=""):
        element = self.sub(parent, name)
        self.mdk(element, "navn", who)
        if email:
            self.mdk(element, "epostadresse", email)
        return element


def _clean(text: str) -> str:
    """Text as XML 1.0 allows it: control characters a pasted text may carry are dropped."""
    return "".join(ch for ch in str(text) if ch in "\t\n\r" or ord(ch) >= 0x20)


# The receipt ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    record_key: str  # the package's uuid, as the portal sent it
    case_key: str
    case_year: int | None
    case_number: int | None
    record_year: int | None
    record_number: int | None
    document_number: int | None
    failure: str  # the archive's reason, when it refused the record


def read_receipt(data: bytes, *, named: str = "") -> Receipt:
    """The references in a receipt (validated first; InvalidMessage if it does not). The record
    is the one the receipt names (referanseEksternNoekkel); a refusal names none, and is known
    by its file's name, which is the package's (`named`)."""
    root = validate(data, KVITTERING)
    q = f"{{{NS_KVITTERING}}}"
    m = f"{{{NS_MDK}}}"

    def text(parent, *path):
        node = parent
        for depth, name in enumerate(path):
            if node is None:
                return None
            node = node.find(f"{m if depth else q}{name}")
        return node.text if node is not None else None

    def number(parent, *path):
        value = text(parent, *path)
        return int(value) if value not in (None, "") else None

    folder = root.find(f"{q}mappeKvittering")
    entry = root.find(f"{q}registreringKvittering")
    failed = root.find(f"{q}registreringFeilet")
    if failed is None:
        failed = root.find(f"{q}mappeFeilet")
    record_key = text(entry, "referanseEksternNoekkel", "noekkel") if entry is not None else None
    if record_key is None and failed is not None:
        record_key = named
    if not record_key:
        raise InvalidMessage("The receipt names no record of the portal's (referanseEksternNoekkel).")
    return Receipt(
        record_key=record_key,
        case_key=(text(folder, "referanseEksternNoekkel", "noekkel") or "") if folder is not None else "",
        case_year=number(folder, "saksaar") if folder is not None else None,
        case_number=number(folder, "sakssekvensnummer") if folder is not None else None,
        record_year=number(entry, "journalaar") if entry is not None else None,
        record_number=number(entry, "journalsekvensnummer") if entry is not None else None,
        document_number=number(entry, "journalpostnummer") if entry is not None else None,
        failure=_failure(failed),
    )


def _failure(failed) -> str:
    if failed is None:
        return ""
    message = failed.find(f"{{{NS_FEIL}}}feilmelding")
    return (message.text or "").strip() if message is not None else ""


def build_receipt(
    *,
    system: str,
    record_key: str,
    case_key: str,
    case_year: int,
    case_number: int,
    record_year: int,
    record_number: int,
    document_number: int,
    folder_existed: bool,
    failure: str = "",
) -> bytes:
    """A receipt as the archive writes it (used by the demo's archive and the tests)."""
    E = _Maker(NS_KVITTERING)
    root = E("arkivmeldingKvittering", nsmap={None: NS_KVITTERING, "n5mdk": NS_MDK, "xsi": XSI})
    if failure:
        failed = E.sub(root, "registreringFeilet")
        etree.SubElement(failed, f"{{{NS_FEIL}}}feilId").text = record_key
        etree.SubElement(failed, f"{{{NS_FEIL}}}feilmelding").text = _clean(failure)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    import uuid as _uuid

    folder = E.sub(root, "mappeKvittering", attrib={f"{{{XSI}}}type": "saksmappeKvittering"})
    E.sub(folder, "systemID", str(_uuid.uuid5(_uuid.NAMESPACE_URL, f"{system}/{case_key}")))
    E.key(folder, "referanseEksternNoekkel", system, case_key)
    E.sub(folder, "opprettetEllerEksisterende", "Eksisterende" if folder_existed else "Opprettet")
    E.sub(folder, "saksaar", str(case_year))
    E.sub(folder, "sakssekvensnummer", str(case_number))
    entry = E.sub(root, "registreringKvittering", attrib={f"{{{XSI}}}type": "journalpostKvittering"})
    E.sub(entry, "systemID", str(_uuid.uuid5(_uuid.NAMESPACE_URL, f"{system}/{record_key}")))
    E.key(entry, "referanseEksternNoekkel", system, record_key)
    E.sub(entry, "opprettetEllerEksisterende", "Opprettet")
    E.sub(entry, "journalaar", str(record_year))
    E.sub(entry, "journalsekvensnummer", str(record_number))
    E.sub(entry, "journalpostnummer", str(document_number))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
