"""Reading uploaded tables (CSV, XLSX, XLS) with one policy, for every upload of the portal:
the key figures of an evaluation, the register's import and the organisation file. The apps
keep only their column maps; how a file is decoded, split and bounded is decided here.

Text, one policy for every upload (``ENCODINGS``): UTF-8, with or without a byte-order mark,
then Windows-1252. UTF-8 is what the platforms' exports, the register's own export and
Excel's "CSV UTF-8" write; Windows-1252 is what Excel's plain "CSV" writes on Norwegian
Windows, which is what a unit's own list or the organisation register's export often is.
A file in UTF-8 never reads as Windows-1252 by mistake (UTF-8 is tried first, and text in
Windows-1252 with æ, ø or å is almost never valid UTF-8), and a file that is neither is
refused with a message that says how to save it, never read with letters replaced. UTF-16
and binary files are refused too. The separator is the comma, the semicolon or the tab that
the first line holds most of.

Hostile input and its guard:

- **A large file**: refused before it is read (``Limits.max_bytes``; the upload views stop
  reading the request at the same limit).
- **A huge cell**: no cell may hold more than ``max_cell_chars`` characters (Excel's own
  limit), so one line of a text file cannot hold the whole file.
- **Many rows, or rows padded wide**: every reader counts rows (``max_rows``) and cells
  (``max_cells``, all sheets together) as it reads, and stops with a message that states
  the limit. A workbook's declared ``<dimension>`` is ignored (openpyxl would otherwise pad
  every row to it: 16,384 columns for ``A1:XFD1048576``), trailing empty cells are dropped,
  and ``.xlsx`` is read with ``read_only=True``, one row at a time.
- **A zip bomb** (an ``.xlsx`` is a zip, and so is YouTube's export): before anything is
  unpacked, no names that climb out with ``..`` or start at the root, at most
  ``MAX_MEMBERS`` members, sizes within ``MAX_UNPACKED`` and ratios within ``MAX_RATIO``.
  Every member is then streamed once, counting the real bytes, so a header that lies about
  a size cannot unpack more than the limit.
- **A DTD** (external entities, "billion laughs"): an ``.xlsx`` whose XML parts hold a
  document type declaration, or declare an encoding other than UTF-8, is refused before
  the XML parser sees it. Excel never writes either.

Nothing is ever written to disk, and nothing here touches the database, so a file is read
in full before the caller opens a transaction.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

MB = 1024 * 1024
MAX_ROWS = 50_000  # rows of one sheet or CSV file, headings and notes included
MAX_CELLS = 1_000_000  # cells of one file, all sheets together (about 70 MB held in memory)
MAX_UNPACKED = 40 * MB  # all members of a zip together
MAX_RATIO = 100  # a real export compresses ten or twenty times; a bomb thousands
MAX_MEMBERS = 200
MAX_CELL_CHARS = 32_767  # what Excel itself holds in a cell
# The encodings of a text file, tried in this order (see the module's docstring).
ENCODINGS = ("utf-8-sig", "cp1252")

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old Excel format (.xls)
CHUNK = 256 * 1024
# What a DTD starts with, in the encodings an XML parser detects by itself.
DTD_MARKERS = tuple(
    marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY") for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


@dataclass(frozen=True)
class Limits:
    """The bounds of one kind of upload. Only `max_bytes` differs much between the apps."""

    max_bytes: int
    max_rows: int = MAX_ROWS
    max_cells: int = MAX_CELLS
    max_unpacked: int = MAX_UNPACKED
    max_members: int = MAX_MEMBERS
    max_ratio: int = MAX_RATIO
    max_cell_chars: int = MAX_CELL_CHARS


class TableProblem(Exception):
    """The file cannot be read; `message` says why in the user's language. `code` names the
    kind of problem, so that an app may say it in its own words ("rows", "cells", "bytes",
    "empty", "encoding", "binary", "csv", "zip", "bomb", "members", "path", "dtd", "damaged",
    "cell"),
    `limit` is the bound that was passed, and `line` the line of a problem, if any."""

    def __init__(self, message, *, code: str, limit: int | None = None, line: int | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code
        self.limit = limit
        self.line = line


@dataclass
class Sheet:
    """A sheet or a CSV file: its rows with their line (or row) numbers. CSV leaves out empty
    lines; a workbook keeps its empty rows, so that row numbers match what Excel shows."""

    name: str
    rows: list[tuple[int, list]]


class _Counter:
    """Counts the rows of a sheet and the cells of the whole file as they are read."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.cells = 0

    def row(self, sheet_rows: int, values: list, line: int) -> None:
        if sheet_rows >= self.limits.max_rows:
            raise TableProblem(rows_message(self.limits.max_rows), code="rows", limit=self.limits.max_rows)
        self.cells += len(values)
        if self.cells > self.limits.max_cells:
            raise TableProblem(cells_message(self.limits.max_cells), code="cells", limit=self.limits.max_cells)
        if any(isinstance(value, str) and len(value) > self.limits.max_cell_chars for value in values):
            raise cell_problem(self.limits.max_cell_chars, line)


def cell_problem(limit: int, line: int) -> "TableProblem":
    return TableProblem(
        _(
            "A cell on line %(line)d holds more than %(max)d characters, more than a spreadsheet holds. Check that "
            "the file is the export you meant to upload."
        )
        % {"line": line, "max": limit},
        code="cell",
        limit=limit,
        line=line,
    )


def rows_message(limit: int) -> str:
    return _("The file has more than %(max)d rows. Split it into smaller files.") % {"max": limit}


def cells_message(limit: int) -> str:
    return _(
        "The file has more than %(max)d cells (rows times columns). Remove the columns you do not need, or split "
        "the file."
    ) % {"max": limit}


def too_large_message(limit: int) -> str:
    return _("The file is larger than %(size)d MB. Split it into smaller files.") % {"size": max(limit // MB, 1)}


# --------------------------------------------------------------------------- text files


def check_size(content: bytes, limits: Limits) -> None:
    if len(content) > limits.max_bytes:
        raise TableProblem(too_large_message(limits.max_bytes), code="bytes", limit=limits.max_bytes)
    if not content.strip(b" \t\r\n\xef\xbb\xbf"):
        raise TableProblem(_("The file is empty."), code="empty")


# Control characters no text file holds (tab, line feed and carriage return are text).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def decode_text(content: bytes, limits: Limits) -> str:
    """The bytes of a text file as text, in the first of ENCODINGS that reads it (a UTF-8
    byte-order mark is dropped); UTF-16, binary files and a file in neither are refused."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in content:
        raise TableProblem(
            _(
                "The file is saved as UTF-16 (“Unicode text”), or is not a text file. Save it as “CSV UTF-8” and "
                "upload it again."
            ),
            code="binary",
        )
    text, problem = None, None
    for encoding in ENCODINGS:
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError as error:
            problem = error
    if text is None:
        line = content[: problem.start].count(b"\n") + 1
        raise TableProblem(
            _(
                "The file is in a character encoding the portal cannot read (the first problem is on line "
                "%(line)d), so letters like æ, ø and å would come out wrong. Save it as “CSV UTF-8” and upload "
                "it again."
            )
            % {"line": line},
            code="encoding",
            line=line,
        ) from None
    if _CONTROL.search(text):
        raise TableProblem(_("This is not a text file. Upload a CSV file."), code="binary")
    return text


def delimiter_of(text: str) -> str:
    first_line = text.lstrip("\ufeff\r\n").split("\n", 1)[0]
    return max([",", ";", "\t"], key=first_line.count)


def read_csv(text: str, limits: Limits, name: str = "", counter: _Counter | None = None) -> Sheet:
    """The CSV text's non-empty lines, each with the number of the line it starts on."""
    counter = counter or _Counter(limits)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    rows, previous_end = [], 0
    try:
        for record in reader:
            line = previous_end + 1
            previous_end = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            counter.row(len(rows), record, line)
            rows.append((line, record))
    except csv.Error as error:
        if "field larger than field limit" in str(error):  # the csv module's own bound, above ours
            raise cell_problem(limits.max_cell_chars, reader.line_num) from None
        raise TableProblem(
            _("The file cannot be read as CSV near line %(line)d (%(error)s).")
            % {"line": reader.line_num, "error": error},
            code="csv",
        ) from None
    if not rows:
        raise TableProblem(_("The file is empty."), code="empty")
    if rows[0][1]:
        rows[0][1][0] = rows[0][1][0].replace("\ufeff", "")
    return Sheet(name, rows)


def read_text_file(content: bytes, limits: Limits, name: str = "") -> Sheet:
    check_size(content, limits)
    return read_csv(decode_text(content, limits), limits, name)


# --------------------------------------------------------------------------- zip files


def bomb_message(limits: Limits) -> str:
    return _("The .zip file would unpack to more than %(size)d MB (a “zip bomb”), so it was not opened.") % {
        "size": max(limits.max_unpacked // MB, 1)
    }


def _damaged_zip() -> TableProblem:
    return TableProblem(_("The .zip file is damaged and cannot be opened."), code="damaged")


def open_zip(content: bytes, limits: Limits) -> zipfile.ZipFile:
    """A zip, opened after checking its table of contents: names, counts, sizes, ratios."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _damaged_zip() from None
    if len(infos) > limits.max_members:
        raise TableProblem(
            _("The .zip file holds more than %(max)d files, far more than an export does, so it was not opened.")
            % {"max": limits.max_members},
            code="members",
            limit=limits.max_members,
        )
    total = 0
    for info in infos:
        name = info.filename.replace("\\", "/")
        path = PurePosixPath(name)
        if name.startswith("/") or ".." in path.parts or re.match(r"^[A-Za-z]:", name):
            raise TableProblem(
                _("The .zip file holds a file whose name points outside the archive (%(name)s), so it was not opened.")
                % {"name": info.filename[:80]},
                code="path",
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > limits.max_unpacked or (ratio > limits.max_ratio and info.file_size > MB):
            raise TableProblem(bomb_message(limits), code="bomb", limit=limits.max_unpacked)
    return archive


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> bytes:
    """A member's bytes, never more than the limit, whatever its header claims."""
    try:
        with archive.open(info) as member:
            data = member.read(limits.max_unpacked + 1)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError, EOFError):
        raise _damaged_zip() from None
    if len(data) > limits.max_unpacked:
        raise TableProblem(bomb_message(limits), code="bomb", limit=limits.max_unpacked)
    return data


def _dtd_problem() -> TableProblem:
    return TableProblem(
        _(
            "The Excel file holds a document type declaration (DTD), which Excel never writes and which can be used "
            "to attack the portal. Open the file in Excel, save it again as .xlsx, and upload that."
        ),
        code="dtd",
    )


def check_members(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Stream every member once: the real unpacked sizes (a header may lie), and no DTD or
    foreign encoding in any part (a workbook may give an XML part any name)."""
    total = 0
    for info in archive.infolist():
        tail = b""
        try:
            with archive.open(info) as member:
                first = True
                while chunk := member.read(CHUNK):
                    total += len(chunk)
                    if total > limits.max_unpacked:
                        raise TableProblem(bomb_message(limits), code="bomb", limit=limits.max_unpacked)
                    if first:
                        _check_prolog(chunk)
                        first = False
                    window = tail + chunk
                    if any(marker in window for marker in DTD_MARKERS):
                        raise _dtd_problem()
                    tail = window[-32:]
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError, EOFError):
            raise _damaged_zip() from None


def _check_prolog(chunk: bytes) -> None:
    """An XML part must be UTF-8 (or UTF-16, which the markers cover); another declared
    encoding could hide a DTD from the search."""
    declared = XML_ENCODING.match(chunk.lstrip(b"\xef\xbb\xbf"))
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8", b"utf-16", b"utf16"):
        raise _dtd_problem()


# --------------------------------------------------------------------------- workbooks


def _damaged_workbook() -> TableProblem:
    return TableProblem(_("The Excel file is damaged and cannot be opened."), code="damaged")


def _trimmed(values) -> list:
    """A row without its trailing empty cells (padding that says nothing)."""
    values = list(values)
    while values and (values[-1] is None or values[-1] == ""):
        values.pop()
    return values


def read_xlsx(content: bytes, limits: Limits, *, first_sheet_only: bool = False) -> list[Sheet]:
    from xml.etree.ElementTree import ParseError

    from openpyxl import load_workbook

    check_size(content, limits)
    archive = open_zip(content, limits)
    check_members(archive, limits)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a broken workbook
        raise _damaged_workbook() from None
    counter = _Counter(limits)
    sheets = []
    try:
        worksheets = workbook.worksheets[:1] if first_sheet_only else workbook.worksheets
        for sheet in worksheets:
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # never pad to the declared size
            rows = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                values = _trimmed(values)
                counter.row(len(rows), values, number)
                rows.append((number, values))
            sheets.append(Sheet(sheet.title, rows))
    except TableProblem:
        raise
    except (ParseError, ValueError, KeyError, TypeError, AttributeError, zipfile.BadZipFile, OSError):
        raise _damaged_workbook() from None
    finally:
        workbook.close()
    return sheets


def read_xls(content: bytes, limits: Limits) -> list[Sheet]:
    import xlrd

    check_size(content, limits)
    try:
        # ragged_rows: each row as long as its last cell, not padded to the widest row
        book = xlrd.open_workbook(file_contents=content, on_demand=True, ragged_rows=True)
    except Exception:  # xlrd raises many kinds of errors on a broken workbook
        raise _damaged_workbook() from None
    counter = _Counter(limits)
    sheets = []
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            rows = []
            for r in range(sheet.nrows):
                cells = []  # at most 256 in the old format
                for c in range(sheet.row_len(r)):
                    cell = sheet.cell(r, c)
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        cells.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
                    elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                        cells.append(None)
                    else:
                        cells.append(cell.value)
                cells = _trimmed(cells)
                counter.row(len(rows), cells, r + 1)
                rows.append((r + 1, cells))
            sheets.append(Sheet(sheet.name, rows))
            book.unload_sheet(index)
    except TableProblem:
        raise
    except Exception:  # xlrd reads sheets lazily, and may fail on any of them
        raise _damaged_workbook() from None
    finally:
        book.release_resources()
    return sheets


def is_xlsx(archive: zipfile.ZipFile) -> bool:
    names = {info.filename for info in archive.infolist()}
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)
