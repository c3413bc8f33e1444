"""The shared cache in the database, with a lighter write than Django's own.

Django's DatabaseCache counts the whole table and then reads the row before every write (three
queries). Here a write is one statement, an upsert that PostgreSQL and SQLite both understand, which
returns the table's count as well: what anyone can make the portal keep (a public page per query, a verdict per address
asked) stays within MAX_ENTRIES on every write, the expired entries and then a share of the rest
(CULL_FREQUENCY) culled as soon as it is over, not only when the periodic job next trims the
table (`trim`, from core/periodic.py). Counting a table held to 50,000 rows takes well under a
millisecond on SQLite. A read leaves the expired entries to the database (`expires >
now` in the query) instead of converting every date in Python, and does not re-check keys that are
ours (hashes). Adding, deleting and the trimming itself are Django's.
"""

import base64
import pickle
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.utils.timezone import now as tz_now


class SharedDatabaseCache(DatabaseCache):
    def get_many(self, keys, version=None):
        if not keys:
            return {}
        key_map = {self.make_key(key, version=version): key for key in keys}
        connection = connections[router.db_for_read(self.cache_model_class)]
        quote = connection.ops.quote_name
        now = connection.ops.adapt_datetimefield_value(tz_now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('cache_key')}, {quote('value')} FROM {quote(self._table)} "
                f"WHERE {quote('cache_key')} IN ({', '.join(['%s'] * len(key_map))}) AND {quote('expires')} > %s",
                [*key_map, now],
            )
            rows = cursor.fetchall()
        return {
            key_map[key]: pickle.loads(base64.b64decode(connection.ops.process_clob(value).encode(), validate=True))
            for key, value in rows
        }

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)
        if timeout is None:
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        expires = connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))
        value = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({quote('cache_key')}, {quote('value')}, {quote('expires')}) "
                f"VALUES (%s, %s, %s) ON CONFLICT ({quote('cache_key')}) "
                f"DO UPDATE SET {quote('value')} = EXCLUDED.{quote('value')}, "
                f"{quote('expires')} = EXCLUDED.{quote('expires')} "
                f"RETURNING (SELECT COUNT(*) FROM {table})",
                [key, value, expires],
            )
            count = cursor.fetchone()[0]
            if count > self._max_entries:
                self._cull(db, cursor, tz_now().replace(microsecond=0), count)

    def trim(self) -> int:
        """Drop the expired entries, and a share of the rest when there are more than MAX_ENTRIES.
        Returns how many entries are left."""
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            self._cull(db, cursor, tz_now().replace(microsecond=0), cursor.fetchone()[0])
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            return cursor.fetchone()[0]
