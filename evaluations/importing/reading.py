"""Reading an uploaded file into tables, and keeping unsaved imports for a second look."""

import zipfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

from core import held as holding
from core import tabular

from .base import MAX_ROWS, OLE_MAGIC, ZIP_MAGIC, ImportProblem, Table, max_bytes

# --------------------------------------------------------------------------- reading files


@dataclass
class Source:
    kind: str  # "csv", "xls", "xlsx" or "youtube"
    tables: list[Table]


def limits() -> tabular.Limits:
    """The bounds of this upload (core/tabular.py): rows of a sheet with LinkedIn's note and
    headings above them, and the size limit of the setting."""
    return tabular.Limits(max_bytes=max_bytes(), max_rows=MAX_ROWS + 2)


def _problem(problem: tabular.TableProblem) -> ImportProblem:
    """The reader's message, in this import's own words where it has them."""
    own = {"bytes": too_large_message, "rows": too_many_rows_message}
    return ImportProblem(own[problem.code]() if problem.code in own else problem.message)


def read_file(content: bytes) -> Source:
    """The tables in an uploaded file, or an ImportProblem saying why not. The whole file is
    read here, before the caller opens a transaction."""
    bounds = limits()
    try:
        tabular.check_size(content, bounds)
        if content.startswith(ZIP_MAGIC):
            archive = tabular.open_zip(content, bounds)
            if tabular.is_xlsx(archive):
                sheets = tabular.read_xlsx(content, bounds)
                return Source("xlsx", [Table(s.name, [], s.rows) for s in sheets])
            return Source("youtube", _read_youtube_zip(archive, bounds))
        if content.startswith(OLE_MAGIC):
            return Source("xls", [Table(s.name, [], s.rows) for s in tabular.read_xls(content, bounds)])
        return Source("csv", [_csv_table(tabular.read_text_file(content, bounds))])
    except tabular.TableProblem as problem:
        raise _problem(problem) from None


def too_large_message() -> str:
    return _("The file is larger than %(size)d MB. Export a shorter period, or split the file.") % {
        "size": max(max_bytes() // (1024 * 1024), 1)
    }


def decode_text(content: bytes) -> str:
    try:
        return tabular.decode_text(content, limits())
    except tabular.TableProblem as problem:
        raise _problem(problem) from None


def _csv_table(sheet: tabular.Sheet) -> Table:
    """A CSV file's first line as the headings and the lines below it as rows."""
    (_line, header), *rows = sheet.rows
    return Table(sheet.name, [cell.replace("\ufeff", "").strip() for cell in header], rows)


def read_csv(text: str, name: str = "") -> Table:
    try:
        return _csv_table(tabular.read_csv(text, limits(), name))
    except tabular.TableProblem as problem:
        raise _problem(problem) from None


def too_many_rows_message() -> str:
    return _("The file has more than %(max)d rows. Export a shorter period.") % {"max": MAX_ROWS}


# --------------------------------------------------------------------------- unsaved imports

# An unsaved import of a CSV file keeps its headings and these first rows (the column
# mapping's preview), never the whole table as JSON; the file itself is held (core/held.py,
# compressed) for HELD_FOR, to read again with the columns chosen.
KEPT_ROWS = 20
HELD_FOR = timedelta(days=7)
HELD_PURPOSE = "evaluations.figures"
# Unsaved imports one person may hold (of any evaluation); reading one more drops their oldest.
MAX_UNSAVED = 3


def kept_table(table: Table) -> dict:
    return Table(table.name, table.header, table.rows[:KEPT_ROWS]).as_json()


def kept_file(figure_import) -> Table:
    """The whole table of a kept CSV file, read again from the held file; an ImportProblem
    that asks for the file again once it is no longer held."""
    held = holding.held_of(figure_import, purpose=HELD_PURPOSE)
    try:
        if held is None:
            raise holding.HeldUploadExpired
        content = holding.content_of(held)
    except holding.HeldUploadExpired as expired:
        raise ImportProblem(expired.message) from None
    return read_csv(decode_text(content))


def drop_oldest_unsaved(person) -> None:
    """Keep at most MAX_UNSAVED unsaved imports of one person: the oldest go, with their files."""
    from ..models import FigureImport

    pending = FigureImport.objects.filter(uploaded_by=person, status=FigureImport.Status.PENDING)
    old = list(pending.only("pk").order_by("-created_at", "-pk")[MAX_UNSAVED:])
    if old:
        holding.release_of(old, purpose=HELD_PURPOSE)
        FigureImport.objects.filter(pk__in=[o.pk for o in old]).delete()


YOUTUBE_FILES = ("table data.csv", "chart data.csv", "totals.csv")


def _read_youtube_zip(archive: zipfile.ZipFile, bounds: tabular.Limits) -> list[Table]:
    members = {PurePosixPath(info.filename).name.casefold(): info for info in archive.infolist() if not info.is_dir()}
    if "table data.csv" not in members:
        raise ImportProblem(
            _(
                "This .zip file is not an export from YouTube Studio: it does not hold “Table data.csv”. "
                "YouTube's export holds “Table data.csv”, “Chart data.csv” and “Totals.csv”."
            )
        )
    tables = []
    for name in YOUTUBE_FILES:
        if name in members:
            text = tabular.decode_text(tabular.read_member(archive, members[name], bounds), bounds)
            tables.append(_csv_table(tabular.read_csv(text, bounds, name)))
    return tables
