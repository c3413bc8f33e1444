"""Recognising a file's format and turning its rows into figures, with the checks on each row."""

import re

from django.utils.translation import gettext as _

from ..models import PostKind
from ..numbers import NotADate, NotANumber, parse_count, parse_date, parse_number
from .base import MAX_PROBLEMS, ImportProblem, Parsed, Table, header_key
from .formats import (
    DAY_FIELDS,
    GENERIC_FIELDS,
    LABELS,
    LINKEDIN_FOLLOWERS,
    LINKEDIN_METRICS,
    LINKEDIN_POSTS,
    META_FORMATS,
    META_REQUIRED,
    METRIC_FIELDS,
    YOUTUBE_CHART,
    YOUTUBE_TABLE,
    _expected,
    _find,
    expected_headings,
    post_kind,
)
from .reading import Source


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
