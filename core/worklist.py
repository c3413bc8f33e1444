"""What waits for a person ("Mine oppgåver"), gathered from the apps that know.

Each app that can give a person something to do subscribes to `work_asked` (core/events.py)
in its own `worklist.py`: a function `items(user) -> list[WorkItem]`. The
front page shows the items of every provider together, the urgent first, then by the day
each is to be done, the oldest first (see `_order`); the menu shows how many there are.
Core never imports a feature app: the subscribers are found by module discovery.

A provider answers with a fixed number of queries however many rows there are, and
returns [] quickly for people it has nothing for. Where there can be many of one kind
(an adviser's untaken plans), it lists the first few and then one item that stands for
the rest, with `count` saying how many: see `capped`. The rows of kinds read alike are
read in one query, and the counts of every kind that has more than a few are asked for
together, in one query for the whole page.
"""

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Value
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .events import Event


@dataclass(frozen=True)
class Written:
    """Words people wrote, such as a plan's or a course's title or a leader's comment, inside a
    task's sentence: shown in the language they were written in, not the reader's (WCAG 3.1.2).
    Titles and comments have no language of their own in the portal: they are Norwegian, Bokmål
    or Nynorsk as the writer chose, so they are marked "no", as on the plans' and courses' pages."""

    text: str
    lang: str = "no"

    def __str__(self) -> str:
        return self.text

    def __html__(self) -> SafeString:
        return format_html('<span lang="{}">{}</span>', self.lang, self.text)


class Sentence:
    """A sentence in the reader's language with values put in it, translated as a whole:
    Sentence(_("Confirm the plan “%(title)s”"), title=Written(plan.title)). As text it is the
    sentence with its values; on a page (`__html__`) it is escaped, and what people wrote keeps
    its own language in an element of its own."""

    __slots__ = ("template", "values")

    def __init__(self, template: str, **values):
        self.template, self.values = template, values

    def __str__(self) -> str:
        return self.template % self.values

    def __html__(self) -> SafeString:
        # The sentence is escaped first (its placeholders have nothing to escape), then each
        # value is put in escaped, a Written one in its element; numbers as they are.
        shown = {
            key: value if isinstance(value, int | float) else conditional_escape(value)
            for key, value in self.values.items()
        }
        return mark_safe(conditional_escape(self.template) % shown)

    def __eq__(self, other) -> bool:
        return isinstance(other, Sentence) and (self.template, self.values) == (other.template, other.values)

    def __hash__(self) -> int:
        return hash((self.template, tuple(self.values.items())))

    def __repr__(self) -> str:
        return f"Sentence({self.template!r}, {self.values!r})"


@dataclass(frozen=True)
class WorkItem:
    kind: str  # a stable key, such as "plan.confirm" or "report.new" (for tests and grouping)
    # What to do, in the reader's language: "Confirm the plan “…”". A Sentence where it names
    # what people wrote (a plan's title), so that keeps its own language on the page (`html`).
    text: str | Sentence
    url: str  # where the action is
    since: datetime | None = None  # when it began to wait
    urgent: bool = False  # overdue, or blocking someone else
    detail: str | Sentence = ""  # a second line: the unit, the platform, a due date
    count: int = 1  # how many tasks the item stands for ("and 14 more plans nobody has taken")
    due: date | None = None  # the day it is to be done by: an answer deadline, a due date

    @property
    def group(self) -> str:
        """The kind's first part ("plan", "report", "account"), for counts per area."""
        return self.kind.split(".", 1)[0]

    @property
    def html(self) -> SafeString:
        """What to do, for a page: escaped, with what people wrote marked with its language (a
        template would turn a Sentence into plain text first)."""
        return conditional_escape(self.text)

    @property
    def detail_html(self) -> SafeString:
        """The second line, for a page, as `html`."""
        return conditional_escape(self.detail)


work_asked = Event(
    "worklist.asked",
    "Asked for a person's tasks (user=…): each subscriber answers with a list of WorkItem, see core/worklist.py.",
)


def worklist_of_one(function, user) -> list[WorkItem]:
    """The tasks of one subscriber alone, read and counted as `worklist_for` reads all of them."""
    return _resolved(function(user=user))


def worklist_for(user) -> list[WorkItem]:
    if not user.is_authenticated:
        return []
    items = _resolved([item for answer in work_asked.ask(user=user) for item in answer])
    items.sort(key=_order)
    return items


def _order(item: WorkItem) -> tuple:
    """Where an item stands in the list: the urgent first; then by the day the task is to be
    done, the earliest first: its deadline, or for a task without one the day it began to
    wait (it could have been done from then on), so that nothing old sinks below what is
    new; on the same day, the one that has waited longest. Items with neither a deadline nor
    a time (such as those standing for the rest of a kind) come last in their group."""
    day = item.due or (_day(item.since) if item.since else None)
    waited = item.since.timestamp() if isinstance(item.since, datetime) else 0
    return (not item.urgent, day is None, day or date.min, item.since is None, waited)


def _day(moment) -> date:
    return timezone.localdate(moment) if isinstance(moment, datetime) else moment


# How long the counts beside the menu entries are reused from one page to the next. The
# front page always works the tasks out afresh, and the person's own changes (any POST, see
# core.middleware.WorklistMiddleware) make the next page count again; other people's
# changes show in the menu within this time.
MENU_FRESH_FOR = 60  # seconds
SESSION_KEY = "worklist_menu"


class Worklist:
    """A person's tasks, worked out once per request: the front page lists them, the menu
    counts them."""

    def __init__(self, user):
        self.items = worklist_for(user)

    @property
    def counts(self) -> dict:
        return {"total": self.total, "groups": self.groups}

    @property
    def total(self) -> int:
        return sum(item.count for item in self.items)

    @property
    def groups(self) -> dict[str, int]:
        """How many tasks per area, such as {"report": 12}, for a count beside a menu entry."""
        counts: Counter[str] = Counter()
        for item in self.items:
            counts[item.group] += item.count
        return dict(counts)


def worklist_of(request) -> Worklist:
    """The request's worklist, made on first use and shared by the page and the menu; its
    counts are kept in the session for the menu of the pages that follow."""
    if not hasattr(request, "_worklist"):
        request._worklist = Worklist(request.user)
        session = getattr(request, "session", None)  # none on a request refused before the middleware
        if session is not None and _worth_keeping(session.get(SESSION_KEY), request):
            session[SESSION_KEY] = {**request._worklist.counts, "user": request.user.pk, "at": time.time()}
    return request._worklist


def _worth_keeping(stored, request) -> bool:
    """Whether this request's counts should replace those in the session. Not when they are
    the same and were counted less than half the freshness ago: the menu reuses them for a
    while longer anyway, and the session is not written (a database write) on every visit to
    the front page."""
    if not stored or stored.get("user") != request.user.pk:
        return True
    same = {key: stored.get(key) for key in ("total", "groups")} == request._worklist.counts
    return not same or time.time() - stored.get("at", 0) >= MENU_FRESH_FOR / 2


def menu_counts(request) -> dict:
    """The counts beside the menu entries, {"total": 3, "groups": {"report": 1}}: from this
    request's worklist if it has one, else from the session while fresh, else worked out."""
    if hasattr(request, "_worklist"):
        return request._worklist.counts
    session = getattr(request, "session", None)
    stored = session.get(SESSION_KEY) if session is not None else None
    if stored and stored.get("user") == request.user.pk and time.time() - stored.get("at", 0) < MENU_FRESH_FOR:
        return stored
    return worklist_of(request).counts


def capped(rows, limit: int, item: Callable, rest: Callable, *, read: Callable | None = None) -> list:
    """Items for the first `limit` rows of a queryset, and one more standing for the rest.

    `rows` says which rows and in what order (`order_by` of its fields); `read(queryset)`, if
    given, adds what the items show (related rows, fields, annotations) to a queryset of the
    same model. `item(row)` makes the item for a row; `rest(count, first_row_after_the_limit)`
    makes the item for the rest (give it no `since` or `due`, so it comes after the items it
    follows: order `rows` oldest first, so those are the oldest of the kind).

    Nothing is read here: `capped` gives a `_Capped` in the items' place, and the provider's
    caller reads every kind's rows together (`_read`): the kinds of one model with the same
    `read` in one query, a kind without one alone. The rest is counted only where there is
    one, and the rests of every kind in one query (`_counted`). A count folded into the rows'
    query would cost more: a window count reads every matching row with its joins."""
    return [_Capped(rows, limit, item, rest, read)]


@dataclass(frozen=True, eq=False)
class _Capped:
    """The place of a kind's items until its rows are read."""

    rows: object  # the queryset of the whole kind, in the order it is shown
    limit: int
    item: Callable
    rest: Callable
    read: Callable | None


@dataclass(frozen=True, eq=False)
class _Rest:
    """The place of the item that stands for the rest of a kind, until the rest is counted."""

    rows: object  # the queryset of the whole kind
    limit: int  # how many of it are shown
    make: Callable  # rest(count, first_row_after_the_limit) -> WorkItem
    first: object


def _resolved(items: list) -> list[WorkItem]:
    """The items with every kind's rows read (`_read`) and its rest counted (`_counted`)."""
    kinds = [item for item in items if isinstance(item, _Capped)]
    if not kinds:
        return items
    rows = _read(kinds)
    made = []
    for item in items:
        if not isinstance(item, _Capped):
            made.append(item)
            continue
        found = rows[item]
        made += [item.item(row) for row in found[: item.limit]]
        if len(found) > item.limit:
            made.append(_Rest(item.rows, item.limit, item.rest, found[item.limit]))
    return _counted(made)


def _read(kinds: list[_Capped]) -> dict:
    """The first rows (one more than are shown) of each kind. The kinds of one model and one
    `read` are read in one query: each kind's few rows by their keys, joined with UNION ALL
    (SELECT …, 0 FROM … WHERE id IN (SELECT id … LIMIT 6) UNION ALL SELECT …, 1 …), and put
    back in the kind's order here."""
    groups: dict[object, list[_Capped]] = {}
    for kind in kinds:
        groups.setdefault((kind.rows.model, kind.read) if kind.read else kind, []).append(kind)
    rows = {}
    for alike in groups.values():
        if len(alike) == 1:
            kind = alike[0]
            shown = kind.read(kind.rows) if kind.read else kind.rows
            rows[kind] = list(shown[: kind.limit + 1])
            continue
        model, read = alike[0].rows.model, alike[0].read
        shown = read(model._default_manager.order_by())  # made once: each kind's rows are a copy
        parts, numbered = [], []
        for kind in alike:
            try:  # the kind's first keys, as SQL made once (a queryset here would be made again)
                first = RawSQL(*kind.rows.values("pk")[: kind.limit + 1].query.sql_with_params())
            except EmptyResultSet:  # a kind that cannot have rows
                rows[kind] = []
                continue
            parts.append(shown.filter(pk__in=first).annotate(worklist_kind=Value(len(numbered))))
            numbered.append(kind)
        found: list[list] = [[] for _kind in numbered]
        together = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0] if parts else []
        for row in together:
            found[row.worklist_kind].append(row)
        for kind, its in zip(numbered, found, strict=True):
            rows[kind] = _in_order(its, kind.rows.query.order_by)
    return rows


def _in_order(rows: list, ordering) -> list:
    """`rows` in a queryset's order ("submitted_at", "-pk"), by the fields the rows have read.
    (Only a kind with a `read` comes here, and its order must be by such fields. An empty
    field sorts as SQLite sorts it: first going up, last going down.)"""
    for field in reversed(ordering):
        name = field.lstrip("-")
        rows.sort(key=lambda row: (getattr(row, name) is not None, getattr(row, name)), reverse=field.startswith("-"))
    return rows


def _counted(items: list) -> list[WorkItem]:
    """The items with every `_Rest` replaced by its item, all of them counted in one query."""
    rests = [item for item in items if isinstance(item, _Rest)]
    if not rests:
        return items
    totals = dict(zip(rests, count_each([rest.rows for rest in rests]), strict=True))
    counted = []
    for item in items:
        if not isinstance(item, _Rest):
            counted.append(item)
        elif totals[item] > item.limit:  # (rows taken away between the two queries leave no rest)
            counted.append(item.make(totals[item] - item.limit, item.first))
    return counted


def count_each(querysets) -> list[int]:
    """How many rows each queryset has, in one query: SELECT (SELECT COUNT(*) FROM (…)), …"""
    counts, params = [], []
    for queryset in querysets:
        try:
            sql, query_params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            counts.append("0")
            continue
        counts.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")
        params.extend(query_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(counts)}", params)
        return [int(count) for count in cursor.fetchone()]
