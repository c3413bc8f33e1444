"""Every event of the portal is in the architecture's table of events, once, and the table names
no event that does not exist (docs/architecture.md, "Events and plug-in points")."""

import re
from pathlib import Path

from django.conf import settings

from core.events import all_events

ARCHITECTURE = Path(settings.BASE_DIR) / "docs" / "architecture.md"


def table_events(markdown: str) -> list[str]:
    """The event names in the first column of the table under '## Events and plug-in points'."""
    section = markdown.split("\n## Events and plug-in points\n", 1)[1].split("\n## ", 1)[0]
    names = []
    for line in section.splitlines():
        if line.startswith("| `"):
            names += re.findall(r"`([a-z_]+\.[a-z_]+)`", line.split("|")[1])
    return names


def test_every_event_is_in_the_architectures_table_once():
    documented = table_events(ARCHITECTURE.read_text())
    assert sorted(documented) == sorted(event.name for event in all_events())
    assert len(documented) == len(set(documented))


def test_the_check_sees_an_event_left_out():
    markdown = "# Architecture\n\n## Events and plug-in points\n\n| Event | Kind |\n|---|---|\n| `plan.sent` | announced |\n\n## Next\n"
    assert table_events(markdown) == ["plan.sent"]
    assert sorted(table_events(markdown)) != sorted(event.name for event in all_events())
