"""Key figures: an export of the platform's statistics is read, checked by the person who
uploaded it (with a column mapping for a file not recognised), then saved post by post and
day by day, and the evaluation's figures are filled from what is stored for its period."""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import held as holding
from core.audit import audit_log
from registry.models import Account

from .. import importing
from ..models import (
    METRICS,
    ColumnMapping,
    DailyFigure,
    Evaluation,
    FigureImport,
    PostFigure,
    Schedule,
)
from ..selectors import latest_followers
from .base import WrongState, _check_writable, _locked
from .evaluations import fill_from_figures


@dataclass
class Preview:
    """What an import will do, shown before anything is saved."""

    rows: int
    posts: int
    days: int
    posts_first: date | None
    posts_last: date | None
    days_first: date | None
    days_last: date | None
    posts_in_period: int
    days_in_period: int
    first: date | None
    last: date | None
    totals: dict
    already_stored: int


def import_preview(figure_import: FigureImport, evaluation: Evaluation) -> Preview:
    posts = figure_import.rows.get("posts", [])
    days = figure_import.rows.get("days", [])
    start, end = evaluation.period_start.isoformat(), evaluation.period_end.isoformat()
    in_period = [p for p in posts if start <= p["published_on"] <= end]
    days_in = [d for d in days if start <= d["day"] <= end]
    totals = {name: sum(p.get(name, 0) for p in in_period) for name in METRICS if any(name in p for p in in_period)}
    for name in ("views", "reach", "new_followers"):
        if not in_period and any(name in d for d in days_in):
            totals[name] = sum(d.get(name, 0) for d in days_in)
    if days_in and any("new_followers" in d for d in days_in):
        totals["new_followers"] = sum(d.get("new_followers", 0) for d in days_in)
    ids = [p["post_id"] for p in posts]
    stored = 0
    for chunk_start in range(0, len(ids), 500):
        stored += PostFigure.objects.filter(
            account_id=figure_import.account_id, post_id__in=ids[chunk_start : chunk_start + 500]
        ).count()
    dates = [p["published_on"] for p in posts] + [d["day"] for d in days]
    post_dates, day_dates = [p["published_on"] for p in posts], [d["day"] for d in days]

    def day(text):
        return date.fromisoformat(text) if text else None

    return Preview(
        rows=len(posts) + len(days),
        posts=len(posts),
        days=len(days),
        posts_first=day(min(post_dates, default=None)),
        posts_last=day(max(post_dates, default=None)),
        days_first=day(min(day_dates, default=None)),
        days_last=day(max(day_dates, default=None)),
        posts_in_period=len(in_period),
        days_in_period=len(days_in),
        first=date.fromisoformat(min(dates)) if dates else None,
        last=date.fromisoformat(max(dates)) if dates else None,
        totals=totals,
        already_stored=stored,
    )


def _store_parsed(figure_import: FigureImport, parsed: importing.Parsed) -> None:
    figure_import.file_format = parsed.file_format
    figure_import.rows = {
        "posts": parsed.posts,
        "days": parsed.days,
        "mapping": parsed.mapping,
        "notes": parsed.notes,
        "problems": parsed.problems,
    }
    dates = [p["published_on"] for p in parsed.posts] + [d["day"] for d in parsed.days]
    figure_import.period_start = date.fromisoformat(min(dates)) if dates else None
    figure_import.period_end = date.fromisoformat(max(dates)) if dates else None
    figure_import.post_rows, figure_import.day_rows = len(parsed.posts), len(parsed.days)


def figures_read(*, evaluation: Evaluation, actor, filename: str, content: bytes) -> FigureImport:
    """Read an uploaded export and keep what it gave, unsaved, for the person to check.
    A CSV file whose columns are not recognised is kept too, for the column mapping; the
    ImportProblem is raised for everything else (and then nothing is kept).

    The file is read in full before the transaction starts, so a slow or hostile file holds
    no lock while it is read."""
    source = importing.read_file(content)
    saved = None
    if source.kind == "csv":
        saved = ColumnMapping.objects.filter(header_key=importing.headers_signature(source.tables[0].header)).first()
    try:
        parsed, problem = importing.recognise(source, saved_mapping=saved.mapping if saved else None), None
    except importing.ImportProblem as error:
        if not (error.mappable and source.kind == "csv"):
            raise
        parsed, problem = None, error
    with transaction.atomic():
        current = _locked(evaluation)
        _check_writable(current, actor)
        figure_import = FigureImport(
            account=current.account,
            evaluation=current,
            uploaded_by=actor,
            filename=filename[:200],
            sha256=hashlib.sha256(content).hexdigest(),
        )
        if source.kind == "csv":
            # The first rows for the column mapping's preview; the file itself is held (below)
            # to read again with the columns chosen.
            figure_import.table = importing.kept_table(source.tables[0])
        if problem is not None:
            figure_import.file_format = "unrecognised"
            figure_import.rows = {"problems": [], "unrecognised": problem.messages, "expected": problem.expected}
        else:
            _check_platform(parsed, current.account)
            if saved:
                figure_import.mapping = saved.mapping
            _store_parsed(figure_import, parsed)
        figure_import.save()
        if source.kind == "csv":
            holding.hold(
                owner=actor,
                purpose=importing.HELD_PURPOSE,
                filename=figure_import.filename,
                content=content,
                lifetime=importing.HELD_FOR,
                max_bytes=importing.max_bytes(),
                record=figure_import,
                keep=importing.MAX_UNSAVED,
            )
        importing.drop_oldest_unsaved(actor)
        audit_log(figure_import, "figures.read", actor=actor, data={"format": figure_import.file_format})
    return figure_import


def _check_platform(parsed: importing.Parsed, account: Account) -> None:
    if parsed.platform and parsed.platform != account.platform.slug:
        names = {"facebook": "Facebook", "instagram": "Instagram", "linkedin": "LinkedIn", "youtube": "YouTube"}
        raise importing.ImportProblem(
            _(
                "This is a file from %(file)s, but the account is on %(account)s. Upload the statistics of the "
                "account's own platform."
            )
            % {"file": names.get(parsed.platform, parsed.platform), "account": account.platform.name}
        )


def figures_map(*, figure_import: FigureImport, actor, mapping: dict) -> FigureImport:
    """Read a kept file again with the columns the person chose (read before the
    transaction, like the upload itself)."""
    kept = FigureImport.objects.get(pk=figure_import.pk)
    if kept.status != FigureImport.Status.PENDING or not kept.table:
        raise WrongState(_("This file has already been saved. Upload it again to read it another way."))
    parsed = importing.parse_generic(importing.kept_file(kept), mapping)
    with transaction.atomic():
        return _figures_mapped(figure_import=kept, actor=actor, mapping=mapping, parsed=parsed)


def _figures_mapped(*, figure_import: FigureImport, actor, mapping: dict, parsed) -> FigureImport:
    current = (
        FigureImport.objects.select_for_update(of=("self",))
        .select_related("evaluation", "account__platform")
        .get(pk=figure_import.pk)
    )
    if current.status != FigureImport.Status.PENDING:
        raise WrongState(_("This file has already been saved. Upload it again to read it another way."))
    _check_writable(current.evaluation, actor)
    current.mapping = mapping
    _store_parsed(current, parsed)
    current.save()
    audit_log(current, "figures.mapped", actor=actor, data={"mapping": mapping})
    return current


@transaction.atomic
def figures_save(*, figure_import: FigureImport, actor, now=None) -> Evaluation:
    """Save the figures of a checked file, post by post (a post already stored is updated,
    never added twice) and day by day, then fill the evaluation's figures from what is now
    stored for its period."""
    current = (
        FigureImport.objects.select_for_update(of=("self",))
        .select_related("evaluation", "account")
        .get(pk=figure_import.pk)
    )
    if current.status != FigureImport.Status.PENDING:
        raise WrongState(_("These figures have already been saved."))
    evaluation = current.evaluation
    _check_writable(evaluation, actor)
    if current.file_format == "unrecognised":
        raise WrongState(_("Say which column is which before the figures can be saved."))
    if current.rows.get("problems"):
        raise WrongState(_("Some lines of the file have problems. Fix the file and upload it again."))
    _upsert_posts(current)
    _upsert_days(current)
    if current.mapping and current.table:
        ColumnMapping.objects.update_or_create(
            header_key=importing.headers_signature(current.table["header"]),
            defaults={"headers": current.table["header"], "mapping": current.mapping, "created_by": actor},
        )
    current.status = FigureImport.Status.SAVED
    current.saved_at = now or timezone.now()
    current.table, current.rows = {}, {}
    current.save()
    holding.release_of([current], purpose=importing.HELD_PURPOSE)
    evaluation = fill_from_figures(evaluation)
    latest = latest_followers(current.account_id)
    if latest is not None:
        Schedule.objects.filter(pk=current.account_id).update(followers=latest)
    audit_log(current, "figures.saved", actor=actor, data={"posts": current.post_rows, "days": current.day_rows})
    return evaluation


def _upsert_posts(figure_import: FigureImport) -> None:
    posts = figure_import.rows.get("posts", [])
    for start in range(0, len(posts), 500):
        chunk = {p["post_id"]: p for p in posts[start : start + 500]}
        existing = {
            f.post_id: f
            for f in PostFigure.objects.filter(account_id=figure_import.account_id, post_id__in=list(chunk))
        }
        new, changed = [], []
        for post_id, row in chunk.items():
            figure = existing.get(post_id) or PostFigure(account_id=figure_import.account_id, post_id=post_id)
            figure.published_on = date.fromisoformat(row["published_on"])
            figure.kind = row.get("kind", "other")
            figure.source = figure_import
            for name in METRICS:
                if name in row:
                    setattr(figure, name, row[name])
            (changed if figure.pk else new).append(figure)
        PostFigure.objects.bulk_create(new)
        PostFigure.objects.bulk_update(changed, ["published_on", "kind", "source", *METRICS])


DAY_FIELDS = ("views", "reach", "reactions", "comments", "shares", "clicks", "new_followers", "followers", "posts")


def _upsert_days(figure_import: FigureImport) -> None:
    days = figure_import.rows.get("days", [])
    for start in range(0, len(days), 500):
        chunk = {d["day"]: d for d in days[start : start + 500]}
        existing = {
            f.day.isoformat(): f
            for f in DailyFigure.objects.filter(account_id=figure_import.account_id, day__in=list(chunk))
        }
        new, changed = [], []
        for day, row in chunk.items():
            figure = existing.get(day) or DailyFigure(account_id=figure_import.account_id, day=date.fromisoformat(day))
            figure.source = figure_import
            for name in DAY_FIELDS:
                if name in row:  # a file that lacks a figure leaves the stored one alone
                    setattr(figure, name, row[name])
            (changed if figure.pk else new).append(figure)
        DailyFigure.objects.bulk_create(new)
        DailyFigure.objects.bulk_update(changed, ["source", *DAY_FIELDS])
