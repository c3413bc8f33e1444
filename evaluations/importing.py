"""Key figures from the platforms' own statistics exports.

The portal recognises a file by its content and its column headings, never by position
or file name, and reads it into rows of figures:

- **Meta Business Suite** (Insights → Content → Export), one CSV per platform, one row per
  post. The headings follow the language of the person's Meta interface, so each column is
  known by a list of names (``FACEBOOK`` and ``INSTAGRAM`` below), compared without regard
  to case or spacing. "Page ID" means Facebook, "Account username" Instagram.
- **LinkedIn page analytics** (``.xls`` or ``.xlsx``): the first row of each sheet is a note
  and the headings are on the second. Sheets "All posts" (per post), "Metrics" (per day) and
  "New followers" (per day) are read.
- **YouTube Studio** (a ``.zip`` with ``Table data.csv``, ``Chart data.csv`` and
  ``Totals.csv``): one row per video, the first of them a "Total" row that is left out.
- **Any other CSV** (TikTok, Snapchat, a unit's own counts): the person says which column
  is which; the choice is kept for the next file with the same headings (``ColumnMapping``).

CSV files may be UTF-8 (with or without a byte-order mark) or Windows-1252, separated by
commas, semicolons or tabs, with Norwegian decimal commas and thousands separators.

Safety. Files are read by ``core/tabular.py``, with the bounds every upload of the portal
has: size, rows, cells, the zip guard and no DTD. A file over ``max_bytes()`` (the setting
EVALUATION_UPLOAD_MAX_MB) is refused before it is read (the upload handler stops reading,
see ``core/held.py``); a sheet may have ``MAX_ROWS`` rows below LinkedIn's note and headings.
The file is read in full before anything is written (``services.figures_read``), and a CSV
file is held (core/held.py) for the column mapping until the figures are saved.
"""

import hashlib
import re
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import held as holding
from core import tabular
from core.errors import DomainError

from .models import PostKind
from .numbers import NotADate, NotANumber, parse_count, parse_date, parse_number


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
    from .models import FigureImport

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


# --------------------------------------------------------------------------- the formats


@dataclass(frozen=True)
class Column:
    """One figure and the names a platform's export may give its column."""

    name: str
    label: object
    aliases: tuple[str, ...]


LABELS = {
    "post_id": gettext_lazy("Post id"),
    "published": gettext_lazy("Published"),
    "date": gettext_lazy("Date"),
    "kind": gettext_lazy("Kind of post"),
    "views": gettext_lazy("Views"),
    "reach": gettext_lazy("Reach"),
    "reactions": gettext_lazy("Reactions and likes"),
    "comments": gettext_lazy("Comments"),
    "shares": gettext_lazy("Shares"),
    "clicks": gettext_lazy("Clicks"),
    "follows": gettext_lazy("Follows from the post"),
    "saves": gettext_lazy("Saves"),
    "followers": gettext_lazy("Followers (total)"),
    "new_followers": gettext_lazy("New followers"),
    "posts": gettext_lazy("Posts"),
    "marker": gettext_lazy("Recognised by"),
}


def _columns(**aliases) -> tuple[Column, ...]:
    return tuple(Column(name, LABELS[name], tuple(names)) for name, names in aliases.items())


META_COMMON = {
    "post_id": ("Post ID", "Publicerings-id", "Innleggs-ID", "Innleggs-id", "Post-ID", "Publiserings-ID"),
    "published": (
        "Publish time",
        "Publication time",
        "Publiceringstid",
        "Publiseringstidspunkt",
        "Publiseringstid",
        "Tidspunkt for publisering",
    ),
    "kind": ("Post type", "Publiceringstyp", "Innleggstype", "Type innlegg", "Publiseringstype"),
    "views": ("Views", "Impressions", "Visningar", "Visninger", "Eksponeringer", "Visninger totalt"),
    "reach": ("Reach", "Räckvidd", "Rekkevidde"),
    "comments": ("Comments", "Kommentarer"),
    "shares": ("Shares", "Delningar", "Delinger", "Delt"),
}
FACEBOOK = _columns(
    marker=("Page ID", "Sid-id", "Side-ID", "Side-id", "Sidens ID"),
    **META_COMMON,
    reactions=("Reactions", "Reaktioner", "Reaksjoner"),
    clicks=("Total clicks", "Totalt antal klick", "Klikk totalt", "Totalt antall klikk", "Klick totalt"),
)
INSTAGRAM = _columns(
    marker=("Account username", "Kontots användarnamn", "Brukernavn for kontoen", "Kontoens brukernavn", "Brukernavn"),
    **META_COMMON,
    reactions=("Likes", "Gilla-markeringar", "Liker", "Likerklikk", "Likes totalt"),
    saves=("Saves", "Sparade", "Lagringer", "Lagret"),
    follows=("Follows", "Följningar", "Følginger", "Nye følgere"),
)
META_FORMATS = [("facebook", "Facebook", FACEBOOK), ("instagram", "Instagram", INSTAGRAM)]
META_REQUIRED = ("marker", "post_id", "published")

LINKEDIN_POSTS = _columns(
    post_id=("Post link",),
    published=("Created date",),
    kind=("Content Type", "Post type"),  # "Post type" is organic or sponsored there
    views=("Impressions",),
    clicks=("Clicks",),
    reactions=("Likes", "Reactions"),
    comments=("Comments",),
    shares=("Reposts", "Shares"),
    follows=("Follows",),
)
LINKEDIN_METRICS = _columns(
    date=("Date",),
    views=("Impressions (total)",),
    clicks=("Clicks (total)",),
    reactions=("Reactions (total)",),
    comments=("Comments (total)",),
    shares=("Reposts (total)", "Shares (total)"),
)
LINKEDIN_FOLLOWERS = _columns(date=("Date",), new_followers=("Total followers",))

YOUTUBE_TABLE = _columns(
    post_id=("Content", "Video"),
    published=("Video publish time", "Publish time"),
    views=("Views",),
    reactions=("Likes",),
    comments=("Comments added",),
    shares=("Shares",),
    follows=("Subscribers gained", "Subscribers"),
)
YOUTUBE_CHART = _columns(date=("Date",), views=("Views",), new_followers=("Subscribers",))

GENERIC_FIELDS = (
    "date",
    "post_id",
    "kind",
    "views",
    "reach",
    "reactions",
    "comments",
    "shares",
    "clicks",
    "followers",
    "new_followers",
    "posts",
)
METRIC_FIELDS = ("views", "reach", "reactions", "comments", "shares", "clicks", "follows", "saves")
DAY_FIELDS = ("views", "reach", "reactions", "comments", "shares", "clicks", "new_followers", "followers", "posts")

KIND_WORDS = [
    (PostKind.VIDEO, ("video", "reel", "live", "film", "short")),
    (PostKind.PHOTO, ("photo", "image", "picture", "carousel", "album", "bild", "bilde", "foto", "karusell")),
    (PostKind.LINK, ("link", "article", "artikkel", "artikel", "lenke", "länk", "document", "dokument")),
    (PostKind.TEXT, ("status", "text", "tekst")),
]


def post_kind(value, default=PostKind.OTHER) -> str:
    text = str(value or "").casefold()
    for kind, words in KIND_WORDS:
        if any(word in text for word in words):
            return kind.value
    return default.value


def _find(header: list[str], columns: tuple[Column, ...]) -> dict[str, int]:
    """Which column index holds each figure, by any of its names."""
    keys = {header_key(h): i for i, h in reversed(list(enumerate(header)))}
    found = {}
    for column in columns:
        for alias in column.aliases:
            if header_key(alias) in keys:
                found[column.name] = keys[header_key(alias)]
                break
    return found


def _expected(columns: tuple[Column, ...], names) -> list[str]:
    by_name = {c.name: c for c in columns}
    return [" / ".join(by_name[n].aliases[:3]) for n in names if n in by_name]


def expected_headings() -> list[tuple[str, list[str]]]:
    """What each recognised format's headings look like, for the message on a file we do not know."""
    return [
        ("Meta Business Suite – Facebook (CSV)", _expected(FACEBOOK, ("marker", "post_id", "published", "views"))),
        ("Meta Business Suite – Instagram (CSV)", _expected(INSTAGRAM, ("marker", "post_id", "published", "views"))),
        ("LinkedIn (.xls, .xlsx)", ["Post link", "Created date", "Impressions", "Date", "Total followers"]),
        ("YouTube Studio (.zip)", ["Table data.csv: Content, Video publish time, Views"]),
    ]


def recognise(source: Source, *, saved_mapping: dict | None = None) -> Parsed:
    """Read a file's figures by its format, or raise an ImportProblem (maybe offering a mapping)."""
    if source.kind == "youtube":
        return _youtube(source.tables)
    if source.kind in ("xls", "xlsx"):
        return _linkedin(source.tables)
    table = source.tables[0]
    if saved_mapping:
        return parse_generic(table, saved_mapping)
    for file_format, name, columns in META_FORMATS:
        found = _find(table.header, columns)
        if "marker" not in found:
            continue
        missing = [n for n in META_REQUIRED if n not in found]
        if missing:
            raise ImportProblem(
                _(
                    "This looks like a %(platform)s export from Meta Business Suite, but these columns were not "
                    "found: %(columns)s. The column names follow the language of your Meta interface: say below "
                    "which column is which."
                )
                % {"platform": name, "columns": "; ".join(_expected(columns, missing))},
                mappable=True,
            )
        return _meta(file_format, columns, table, found)
    raise ImportProblem(
        _(
            "The portal does not recognise this file's columns. It reads the statistics exports of Meta "
            "Business Suite (Facebook, Instagram), LinkedIn and YouTube Studio, with the columns listed below. "
            "For any other file, say which column is which."
        ),
        mappable=True,
        expected=expected_headings(),
    )


class _Rows:
    """Collects rows and the problems found in them, by line number."""

    def __init__(self, parsed: Parsed):
        self.parsed = parsed

    def problem(self, line, message) -> None:
        if len(self.parsed.problems) < MAX_PROBLEMS:
            self.parsed.problems.append(_("Line %(line)s: %(problem)s") % {"line": line, "problem": message})
        elif len(self.parsed.problems) == MAX_PROBLEMS:
            self.parsed.problems.append(_("… and more lines with problems."))

    def count(self, line, header, row, index):
        if index is None or index >= len(row):
            return None
        try:
            return parse_count(row[index])
        except NotANumber:
            self.problem(
                line,
                _("“%(value)s” in the column “%(column)s” is not a whole number of zero or more.")
                % {"value": str(row[index])[:40], "column": header[index]},
            )
            return None

    def signed(self, line, header, row, index):
        """A whole number that may be negative (followers lost outnumbering those gained)."""
        if index is None or index >= len(row):
            return None
        try:
            number = parse_number(row[index], whole=True)
        except NotANumber:
            number = None
        if number is not None and number == number.to_integral_value():
            return int(number)
        if number is None and str(row[index] or "").strip() in ("", "-", "–"):
            return None
        self.problem(
            line,
            _("“%(value)s” in the column “%(column)s” is not a whole number.")
            % {"value": str(row[index])[:40], "column": header[index]},
        )
        return None

    def day(self, line, header, row, index, *, month_first=True):
        value = row[index] if index is not None and index < len(row) else None
        try:
            day = parse_date(value, month_first=month_first)
        except NotADate:
            day = None
        if day is None:
            self.problem(
                line,
                _("“%(value)s” in the column “%(column)s” is not a date.")
                % {"value": str(value or "")[:40], "column": header[index] if index is not None else "?"},
            )
        return day


def _mapping_lines(header, found: dict[str, int]) -> list[tuple[str, str]]:
    return [(str(LABELS[name]), header[index]) for name, index in found.items() if name != "marker"]


def _post_rows(
    parsed: Parsed, table: Table, found: dict[str, int], *, month_first=True, skip=None, kind=PostKind.OTHER
) -> None:
    rows = _Rows(parsed)
    seen = set()
    for line, row in table.rows:
        post_id = str(_cell(row, found.get("post_id")) or "").strip()
        if skip and skip(post_id):
            continue
        if not post_id:
            rows.problem(line, _("the post has no id."))
            continue
        post_id = _post_key(post_id)
        if post_id in seen:
            continue  # the same post twice in one file counts once
        seen.add(post_id)
        day = rows.day(line, table.header, row, found.get("published"), month_first=month_first)
        figures = {name: rows.count(line, table.header, row, found.get(name)) for name in METRIC_FIELDS}
        if day is None:
            continue
        parsed.posts.append(
            {
                "post_id": post_id,
                "published_on": day.isoformat(),
                "kind": post_kind(_cell(row, found.get("kind")), kind),
                **{k: v for k, v in figures.items() if v is not None},
            }
        )


LINKEDIN_URN = re.compile(r"urn:li:(?:share|ugcPost|activity):\d+")


def _post_key(post_id: str) -> str:
    """The platform's own id: LinkedIn's links hold a URN; a spreadsheet may give 1.0 for 1."""
    urn = LINKEDIN_URN.search(post_id)
    if urn:
        return urn.group(0)
    if re.fullmatch(r"\d+\.0", post_id):
        return post_id[:-2]
    return post_id[:200]


def _cell(row, index):
    return row[index] if index is not None and index < len(row) else None


def _meta(file_format: str, columns, table: Table, found: dict[str, int]) -> Parsed:
    parsed = Parsed(file_format=file_format, platform=file_format, mapping=_mapping_lines(table.header, found))
    _post_rows(parsed, table, found)
    return parsed


def _day_rows(parsed: Parsed, table: Table, found: dict[str, int], *, month_first=True) -> None:
    rows = _Rows(parsed)
    by_day: dict[str, dict] = {}
    for line, row in table.rows:
        if str(_cell(row, found.get("date")) or "").strip().casefold() == "total":
            continue
        day = rows.day(line, table.header, row, found.get("date"), month_first=month_first)
        if day is None:
            continue
        figures = {}
        for name in DAY_FIELDS:
            if name not in found:
                continue
            reader = rows.signed if name == "new_followers" else rows.count
            figures[name] = reader(line, table.header, row, found[name])
        entry = by_day.setdefault(day.isoformat(), {"day": day.isoformat()})
        for name, value in figures.items():
            if value is None:
                continue
            if name == "followers":
                entry[name] = value  # a total, not summed
            else:
                entry[name] = entry.get(name, 0) + value
    parsed.days.extend(by_day.values())


def _with_header(table: Table, must_have: tuple[str, ...]) -> Table | None:
    """A workbook sheet with its headings found: on the second row (after LinkedIn's note), or the first."""
    for index in (1, 0, 2):
        if index >= len(table.rows):
            continue
        header = ["" if c is None else str(c).strip() for c in table.rows[index][1]]
        keys = {header_key(h) for h in header}
        if all(header_key(m) in keys for m in must_have):
            return Table(table.name, header, table.rows[index + 1 :])
    return None


def _linkedin(tables: list[Table]) -> Parsed:
    parsed = Parsed(file_format="linkedin", platform="linkedin")
    visitors = False
    for table in tables:
        posts = _with_header(table, ("Post link", "Created date"))
        if posts:
            found = _find(posts.header, LINKEDIN_POSTS)
            parsed.mapping += [
                (f"{table.name}: {label}", column) for label, column in _mapping_lines(posts.header, found)
            ]
            _post_rows(parsed, posts, found)
            continue
        metrics = _with_header(table, ("Date", "Impressions (total)"))
        if metrics:
            found = _find(metrics.header, LINKEDIN_METRICS)
            parsed.mapping += [(f"{table.name}: {label}", c) for label, c in _mapping_lines(metrics.header, found)]
            _day_rows(parsed, metrics, found)
            continue
        followers = _with_header(table, ("Date", "Total followers"))
        if followers:
            found = _find(followers.header, LINKEDIN_FOLLOWERS)
            parsed.mapping += [(f"{table.name}: {label}", c) for label, c in _mapping_lines(followers.header, found)]
            _day_rows(parsed, followers, found)
            continue
        if _with_header(table, ("Total page views (total)",)):
            visitors = True
    if not parsed.posts and not parsed.days and not parsed.problems:
        if visitors:
            raise ImportProblem(
                _(
                    "This is LinkedIn's visitors export. The evaluation uses the content export (posts and "
                    "metrics) and the followers export: download those from LinkedIn's Analytics instead."
                )
            )
        raise ImportProblem(
            _(
                "The portal does not recognise this Excel file. It reads LinkedIn's content and followers "
                "exports (headings such as “Post link”, “Created date”, “Impressions (total)”, “Total "
                "followers” on the second row). For another file, save the sheet as CSV and upload that, to "
                "say which column is which."
            ),
            expected=expected_headings(),
        )
    _merge_days(parsed)
    return parsed


def _merge_days(parsed: Parsed) -> None:
    """One row per day, when several sheets gave figures for the same day."""
    merged: dict[str, dict] = {}
    for entry in parsed.days:
        target = merged.setdefault(entry["day"], {"day": entry["day"]})
        for name, value in entry.items():
            if name != "day":
                target[name] = value if name == "followers" else target.get(name, 0) + value
    parsed.days = sorted(merged.values(), key=lambda d: d["day"])


def _youtube(tables: list[Table]) -> Parsed:
    parsed = Parsed(file_format="youtube", platform="youtube")
    by_name = {t.name: t for t in tables}
    table = by_name["table data.csv"]
    found = _find(table.header, YOUTUBE_TABLE)
    missing = [n for n in ("post_id", "published", "views") if n not in found]
    if missing:
        raise ImportProblem(
            _("“Table data.csv” lacks these columns: %(columns)s. Export again with these metrics chosen in Studio.")
            % {"columns": "; ".join(_expected(YOUTUBE_TABLE, missing))}
        )
    parsed.mapping = [(f"Table data.csv: {label}", c) for label, c in _mapping_lines(table.header, found)]
    totals = sum(
        1 for _line, row in table.rows if str(_cell(row, found["post_id"]) or "").strip().casefold() == "total"
    )
    _post_rows(parsed, table, found, skip=lambda post_id: post_id.casefold() == "total", kind=PostKind.VIDEO)
    if totals:
        parsed.notes.append(_("The “Total” row of “Table data.csv” was left out, so nothing is counted twice."))
    chart = by_name.get("chart data.csv")
    if chart:
        chart_found = _find(chart.header, YOUTUBE_CHART)
        if "date" in chart_found:
            parsed.mapping += [
                (f"Chart data.csv: {label}", c) for label, c in _mapping_lines(chart.header, chart_found)
            ]
            _day_rows(parsed, chart, chart_found)
    return parsed


def parse_generic(table: Table, mapping: dict) -> Parsed:
    """A CSV read with the columns the person chose: {figure: heading}, and "day_first"."""
    index = {header_key(h): i for i, h in reversed(list(enumerate(table.header)))}
    found = {
        name: index[header_key(mapping[name])]
        for name in GENERIC_FIELDS
        if mapping.get(name) and header_key(mapping[name]) in index
    }
    parsed = Parsed(file_format="generic", platform=None, mapping=_mapping_lines(table.header, found))
    month_first = not mapping.get("day_first")
    if "date" not in found:
        raise ImportProblem(_("Choose the column that holds the date."), mappable=True)
    if "post_id" in found:
        found["published"] = found.pop("date")
        _post_rows(parsed, table, found, month_first=month_first)
        days_found = {k: v for k, v in found.items() if k in ("followers", "new_followers")}
        if days_found:
            days_found["date"] = found["published"]
            _day_rows(parsed, table, days_found, month_first=month_first)
    else:
        _day_rows(parsed, table, found, month_first=month_first)
    return parsed
