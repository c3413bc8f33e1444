"""Named locks that make transactions which use the same name run one after the other.

For a check-then-write that must not interleave (count the recent login attempts, then
record one; see that no chapter has this title, then create it) on both engines:

    with transaction.atomic():
        hold("login:" + email)
        ... count, then write ...

PostgreSQL: a transaction-level advisory lock per name, released at commit or rollback.
SQLite: the portal opens every transaction with BEGIN IMMEDIATE (config/settings.py),
which takes the database's one write lock at once, so transactions already run one at
a time and nothing more is needed.
"""

import hashlib

from django.db import connection


def hold(*names: str) -> None:
    """Take the named locks until the surrounding transaction ends."""
    if not connection.in_atomic_block:
        raise RuntimeError("hold() only means something inside transaction.atomic().")
    if connection.vendor != "postgresql":
        return
    # Always in the same order, so two transactions that want the same two locks cannot
    # each hold one and wait for the other. PostgreSQL evaluates a volatile function in
    # the select list after the sort, so one round trip takes them in that order.
    keys = sorted({_key(name) for name in names})
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS t(k) ORDER BY k", [keys])


def locked(instance, *related: str, of: tuple[str, ...] | None = None):
    """`instance` read again under a row lock, with `related` joined, so two requests that act
    on the same row act one after the other and each sees what the other did. `of` limits the
    lock to the named tables (PostgreSQL), for a join through a nullable relation."""
    manager = type(instance)._default_manager
    query = manager.select_for_update(of=of) if of else manager.select_for_update()
    if related:
        query = query.select_related(*related)
    return query.get(pk=instance.pk)


def _key(name: str) -> int:
    """A signed 64-bit number for a name, the same in every process and every release."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)
