"""What happens to the strategy and the handbook, announced by handbook/services.py, and the
one event the apps that fill in its text announce (see core/events.py)."""

from core.events import Event

document_published = Event(
    "handbook.published",
    "A text of the strategy or the handbook was published: a new version, or an older one "
    "published again (document=Document, version=DocumentVersion, actor=User).",
)
chapters_changed = Event(
    "handbook.chapters_changed",
    "A chapter was added to the handbook or moved, so the list of chapters changed (actor=User).",
)
own_version_dropped = Event(
    "handbook.own_version_dropped",
    "An organisation went back to the shared text of a document: its own version is no longer "
    "shown, and is kept with its history (document=Document, actor=User).",
)
filled_in_changed = Event(
    "handbook.filled_in_changed",
    "A value an app fills into the published text (see fillers_asked) changed, "
    "such as a phone number or the hospital's terms for a platform. Announced by that app "
    "(actor=User or None).",
)
fillers_asked = Event(
    "handbook.fillers_asked",
    "Asked (no question) when a text is shown or its PDF made: each app that fills markers "
    "into the published text answers with a rendering.Filler (how to fill them in, the "
    "version of what it fills in, the help shown beside the editor).",
)
