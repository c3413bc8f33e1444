"""Answers kept in the shared cache, forgotten the moment what they were made from changes.

The cache (settings.CACHES) is shared by every web node: the database's own cache table by
default, or Redis through CACHE_URL. Nothing here is kept inside one process, so a node never
serves what another node has already changed.

Each kind of answer belongs to a generation, a random token stored in the cache. An answer is
stored with the generation it was made in and used only while that is still the current one;
`renew` draws a new token when the data changes, as the transaction commits, so every answer
made before is ignored at once on every node. A hit is one round trip to the cache (the
generation and the answer are asked for together) and no query of the data itself.
"""

import hashlib
import secrets
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

# Answers are also dropped after a day, so that rarely asked ones do not fill the table.
TIMEOUT = 60 * 60 * 24


def _generation_key(name: str) -> str:
    return f"generation:{name}"


def remembered(name: str, parts: tuple, compute: Callable[[], object], timeout: int = TIMEOUT):
    """compute(), or what it gave before for the same `parts` in the current generation of `name`.

    `parts` must name everything the answer depends on besides the data (the text asked, the
    language …). compute() may return anything that pickles."""
    key, value, generation = lookup(name, parts)  # a miss without a generation if this transaction renewed it
    if value is not None:
        return value
    value = compute()
    store(key, generation, value, timeout)
    return value


def lookup(names: str | tuple[str, ...], parts: tuple) -> tuple[str, object | None, object]:
    """(key, the remembered value or None, the current generation) in one round trip, for a caller
    that decides only after computing whether to `store` its answer (see core/pagecache.py).
    `names` may be several kinds of data at once: the answer is then used only while none of
    them has been renewed."""
    several = isinstance(names, tuple)
    names = names if several else (names,)
    key = f"{'+'.join(names)}:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    if any(_renewed_here(name) for name in names):
        return key, None, None  # this transaction changed the data: neither read nor keep
    found = cache.get_many([*(_generation_key(name) for name in names), key])
    generations = []
    for name in names:
        generation = found.get(_generation_key(name))
        if generation is None:
            # The first answer since the cache was emptied: start a generation (unless a
            # neighbour just did, whose token then counts).
            cache.add(_generation_key(name), secrets.token_hex(8), timeout=None)
            generation = cache.get(_generation_key(name))
        generations.append(generation)
    generation = tuple(generations) if several else generations[0]
    if several and None in generations:
        generation = None
    entry = found.get(key)
    if entry is not None and generation is not None and entry[0] == generation:
        return key, entry[1], generation
    return key, None, generation


def store(key: str, generation: str | None, value, timeout: int = TIMEOUT) -> None:
    """Remember `value` under the generation `lookup` gave (so a renewal since then wins)."""
    if generation is not None:
        cache.set(key, (generation, value), timeout)


def renew(name: str) -> None:
    """Forget every answer of `name`, on every node, when the current transaction commits.

    Until then other connections still see the data as it was, so their answers are right;
    any they remember in the meantime carry the old generation and are ignored once the new
    one is drawn. This connection sees its own change at once, so its own reads of `name` skip
    the cache until the commit. Nothing is written to the cache inside the transaction: a row
    of the cache locked until commit would make every writer wait for every other, and two
    transactions renewing two names in turn could deadlock on PostgreSQL."""
    connection = transaction.get_connection()
    _settle(connection)
    if not _in_transaction(connection):
        _draw(name)
        return
    pending = _pending(connection)
    pending.add(name)

    def after_commit():
        pending.discard(name)
        _draw(name)

    transaction.on_commit(after_commit)


def _draw(name: str) -> None:
    cache.set(_generation_key(name), secrets.token_hex(8), timeout=None)


def _in_transaction(connection) -> bool:
    """In a transaction of the portal's own (a test's wrapping transaction stands for
    autocommit, as its commit never comes)."""
    return any(not block._from_testcase for block in connection.atomic_blocks)


def _pending(connection) -> set[str]:
    """The names this connection has renewed in its open transaction."""
    if not hasattr(connection, "portal_renewed"):
        connection.portal_renewed = set()
    return connection.portal_renewed


def _settle(connection) -> None:
    """Out of the transaction with names still pending (rolled back, or a test's transaction,
    whose commit never comes): draw them now. After a rollback that is one renewal too many,
    which costs a recomputation and is never wrong."""
    pending = getattr(connection, "portal_renewed", None)
    if pending and not _in_transaction(connection):
        for name in sorted(pending):
            _draw(name)
        pending.clear()


def _renewed_here(name: str) -> bool:
    connection = transaction.get_connection()
    _settle(connection)
    return name in getattr(connection, "portal_renewed", ())
