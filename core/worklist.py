"""What waits for a person ("Mine oppgåver"), gathered from the apps that know.

Each app that can give a person something to do declares it in its own `worklist.py`
with the `worklist_provider` decorator: a function `items(user) -> list[WorkItem]`. The
front page shows the items of every provider together, most urgent first and then the
newest; the menu shows how many there are. Core never imports a feature app: the
providers are found by module discovery.

A provider answers with a fixed number of queries however many rows there are, and
returns [] quickly for people it has nothing for.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class WorkItem:
    kind: str  # a stable key, such as "plan.confirm" or "report.new" (for tests and grouping)
    text: str  # what to do, in the reader's language: "Confirm the plan “…”"
    url: str  # where the action is
    since: datetime | None = None  # when it began to wait
    urgent: bool = False  # overdue, or blocking someone else
    detail: str = ""  # a second line: the unit, the platform, a due date


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
