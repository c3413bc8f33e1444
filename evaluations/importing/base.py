"""The limits, the import's problem, and the tables and parsed figures every step passes on."""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings

from core import tabular
from core.errors import DomainError


def max_bytes() -> int:
    return settings.EVALUATION_UPLOAD_MAX_BYTES


MAX_ROWS = 50_000
MAX_PROBLEMS = 10

ZIP_MAGIC = tabular.ZIP_MAGIC
OLE_MAGIC = tabular.OLE_MAGIC  # the old Excel format (.xls)


class ImportProblem(DomainError):
    """The file cannot be read as key figures; `messages` says why in plain words.
    `mappable` offers the person to say which column is which instead."""

    def __init__(self, *messages, mappable: bool = False, expected: list | None = None):
        super().__init__(messages[0])
        self.messages = [str(m) for m in messages]
        self.mappable = mappable
        self.expected = expected or []


@dataclass
class Table:
    """A sheet or a CSV file: the heading row and the rows below it, with their line numbers."""

    name: str
    header: list[str]
    rows: list[tuple[int, list]]

    def as_json(self) -> dict:
        return {"name": self.name, "header": self.header, "rows": [[n, [_plain(c) for c in r]] for n, r in self.rows]}

    @classmethod
    def from_json(cls, data: dict) -> "Table":
        return cls(data["name"], data["header"], [(n, r) for n, r in data["rows"]])


def _plain(value):
    """A cell as JSON can keep it."""
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value)


@dataclass
class Parsed:
    """What a file gave: per-post rows, per-day rows, and how its columns were read."""

    file_format: str  # "facebook", "instagram", "linkedin", "youtube" or "generic"
    platform: str | None  # the slug of the platform the file belongs to, when it says
    posts: list[dict] = field(default_factory=list)
    days: list[dict] = field(default_factory=list)
    mapping: list[tuple[str, str]] = field(default_factory=list)  # (what, the file's column)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def header_key(text) -> str:
    """A heading compared without regard to case, spacing or a byte-order mark."""
    return " ".join(str(text or "").replace("\ufeff", "").split()).casefold()


def headers_signature(header: list[str]) -> str:
    return hashlib.sha256("\x1f".join(header_key(h) for h in header).encode()).hexdigest()
