"""What the handbook does when something happens, and what it answers when asked (core/events.py)."""

from core import caching
from core.pagecache import public_data

from .events import chapters_changed, document_published, filled_in_changed, own_version_dropped
from .search import CACHE_NAME


@public_data.subscribe
def _public_documents() -> str:
    # The strategy and the handbook's pages for visitors are dropped at every publishing.
    return CACHE_NAME


@document_published.subscribe
@chapters_changed.subscribe
@own_version_dropped.subscribe
@filled_in_changed.subscribe
def _published_changed(**_payload) -> None:
    # What the published pages and the search show changed: remembered answers and kept
    # pages are forgotten on every node. Drafts are seen by nobody outside, so saving one
    # renews nothing.
    caching.renew(CACHE_NAME)
