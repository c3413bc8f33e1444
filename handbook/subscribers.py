"""What the handbook answers when asked (core/events.py)."""

from core.pagecache import public_data

from .search import CACHE_NAME


@public_data.subscribe
def _public_documents() -> str:
    # The strategy and the handbook's pages for visitors are dropped at every publishing.
    return CACHE_NAME
