"""Sessions in the database, each row with the person it belongs to (`LoginSession.user`).

Django reads a logged-in person in two queries: the session, then the person named in it.
Here the session is read with its person joined, and the person is handed to the login
backends (accounts/backends.py) for the rest of the request, so the second query is not made.
What Django checks is unchanged: the backend still refuses a person who may not log in (not
active), and Django still compares the session's password hash with the person's, so a changed
password ends every other session.

The hand-over is a context variable set each time a session is read from the database, found
or not, and it is used only for the person whose id the session names.
"""

import logging
from contextvars import ContextVar

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

_read_with_session: ContextVar = ContextVar("read_with_session", default=None)


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from .models import LoginSession

        return LoginSession

    def _get_session_from_db(self):
        """As Django's own, with the person joined."""
        _read_with_session.set(None)
        try:
            session = self.model.objects.select_related("user").get(
                session_key=self.session_key, expire_date__gt=timezone.now()
            )
        except (self.model.DoesNotExist, SuspiciousOperation) as error:
            if isinstance(error, SuspiciousOperation):
                logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
            self._session_key = None
            return None
        _read_with_session.set(session.user)
        return session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = _user_id(data)
        return session


def _user_id(data) -> int | None:
    try:
        return int(data[SESSION_KEY])
    except (KeyError, TypeError, ValueError):
        return None


def person_read_with_session(user_id):
    """The person read with this request's session, if the session names `user_id`; else None."""
    user = _read_with_session.get()
    if user is not None and str(user.pk) == str(user_id):
        return user
    return None
