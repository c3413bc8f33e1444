"""What waits for a person ("Mine oppgåver"), gathered from the apps that know.

Each app that can give a person something to do declares it in its own `worklist.py`
with the `worklist_provider` decorator: a function `items(user) -> list[WorkItem]`. The
front page shows the items of every provider together, most urgent first and then the
newest; the menu shows how many there are. Core never imports a feature app: the
providers are found by module discovery.

A provider answers with a fixed number of queries however many rows there are, and
returns [] quickly for people it has nothing for. Where there can be many of one kind
(an adviser's untaken plans), it lists the first few and then one item that stands for
the rest, with `count` saying how many: see `capped`.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Window
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class WorkItem:
    kind: str  # a stable key, such as "plan.confirm" or "report.new" (for tests and grouping)
    text: str  # what to do, in the reader's language: "Confirm the plan “…”"
    url: str  # where the action is
    since: datetime | None = None  # when it began to wait
    urgent: bool = False  # overdue, or blocking someone else
    detail: str = ""  # a second line: the unit, the platform, a due date
    count: int = 1  # how many tasks the item stands for ("and 14 more plans nobody has taken")

    @property
    def group(self) -> str:
        """The kind's first part ("plan", "report", "account"), for counts per area."""
        return self.kind.split(".", 1)[0]


_providers: dict[str, Callable] = {}


def worklist_provider(function):
    """Register `function(user) -> list[WorkItem]` as a source of the person's tasks."""
    _providers[f"{function.__module__}.{function.__qualname__}"] = function
    return function


def worklist_for(user) -> list[WorkItem]:
    if not user.is_authenticated:
        return []
    autodiscover_modules("worklist")
    items = [item for provider in _providers.values() for item in provider(user)]
    oldest = datetime.min
    # Urgent first; within each, the newest first (items without a time last).
    items.sort(key=lambda i: i.since.replace(tzinfo=None) if i.since else oldest, reverse=True)
    items.sort(key=lambda i: not i.urgent)
    return items


class Worklist:
    """A person's tasks, worked out once per request: the front page lists them, the menu
    counts them."""

    def __init__(self, user):
        self.items = worklist_for(user)

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
    """The request's worklist, made on first use and shared by the page and the menu."""
    if not hasattr(request, "_worklist"):
        request._worklist = Worklist(request.user)
    return request._worklist


def capped(rows, limit: int, item: Callable, rest: Callable) -> list[WorkItem]:
    """Items for the first `limit` rows of a queryset, and one more standing for the rest.

    `item(row)` makes the item for a row; `rest(count, first_row_after_the_limit)` makes the
    item for the rest (give it no `since`, so it comes after the items it follows). One query, however many rows: the first rows, each carrying the
    total as a window count."""
    found = list(rows.annotate(worklist_total=Window(Count("pk")))[: limit + 1])
    items = [item(row) for row in found[:limit]]
    if len(found) > limit:
        items.append(rest(found[0].worklist_total - limit, found[limit]))
    return items
