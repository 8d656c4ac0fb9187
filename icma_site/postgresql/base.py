"""Django's PostgreSQL backend (psycopg 3), with a deadline for web requests.

A database that stops answering without closing its connections (a network partition, a
frozen VM) holds every request until gunicorn kills the worker: keep-alives,
`tcp_user_timeout` and `statement_timeout` (settings/base.py) cannot help while
something on the way still acknowledges the packets. So while a request is served
(`deadline()`, set by DatabaseDeadlineMiddleware), every wait on the server (a query, a
commit, the health check, a new connection) ends at the request's deadline with an
OperationalError, which the site answers with its 503 page; the connection is closed,
since its state is unknown. Outside requests (migrations, commands) waits are unbounded.
"""

import math
import time
from contextlib import contextmanager
from contextvars import ContextVar

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base

# libpq ignores a connect_timeout below 2 seconds.
SHORTEST_CONNECT_TIMEOUT = 2
# After the database failed to answer in time: how long requests fail at once, rather
# than each waiting out its own deadline while the sync worker's queue grows. The next
# request after it tries again, so the site recovers by itself.
QUIET_SECONDS = 1.0

_deadline = ContextVar("database_deadline", default=None)
_quiet_until = 0.0  # monotonic time; per process (each gunicorn worker has its own)


class DatabaseDidNotAnswer(psycopg.OperationalError):
    """The database did not answer before the request's deadline."""


@contextmanager
def deadline(seconds):
    """Bound every wait on the database to `seconds` from now, in all (None: no bound).
    Right after the database failed to answer in time, the deadline has already passed."""
    now = time.monotonic()
    if not seconds:
        moment = None
    elif now < _quiet_until:
        moment = now
    else:
        moment = now + seconds
    token = _deadline.set(moment)
    try:
        yield
    finally:
        _deadline.reset(token)


def seconds_left():
    """Seconds until the current deadline, or None when there is none."""
    moment = _deadline.get()
    return None if moment is None else moment - time.monotonic()


def went_silent():
    """Record that the database failed to answer in time (see QUIET_SECONDS)."""
    global _quiet_until
    _quiet_until = time.monotonic() + QUIET_SECONDS


def forget_silence():
    """Let the next request wait for the database again at once (for tests)."""
    global _quiet_until
    _quiet_until = 0.0


def out_of_time():
    return DatabaseDidNotAnswer("the database did not answer in time (request deadline reached)")


class DeadlineConnection(psycopg.Connection):
    """A psycopg connection whose every wait on the server ends at the deadline."""

    def wait(self, gen, *args, timeout=None, **kwargs):
        left = seconds_left()
        if left is None:
            return super().wait(gen, *args, timeout=timeout, **kwargs)
        if left <= 0:
            gen.close()
            raise out_of_time()
        try:
            return super().wait(
                gen, *args, timeout=left if timeout is None else min(timeout, left), **kwargs
            )
        except psycopg.OperationalError as error:
            if seconds_left() > 0:
                raise  # Another failure, or a shorter timeout psycopg asked for itself.
            # Halfway through an exchange with the server: nothing can be sent on it again.
            self.pgconn.finish()
            went_silent()
            raise out_of_time() from error


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        """Django's liveness probe ("SELECT 1"). It also runs after a request's deadline has
        ended (at the end of a request that had a database error): a probe the database
        does not answer within DATABASE_REQUEST_TIMEOUT means "not usable"."""
        if seconds_left() is None and settings.DATABASE_REQUEST_TIMEOUT:
            with deadline(settings.DATABASE_REQUEST_TIMEOUT):
                return super().is_usable()
        return super().is_usable()

    def get_new_connection(self, conn_params):
        if self.pool:
            return super().get_new_connection(conn_params)  # The pool bounds its own waits.
        left = seconds_left()
        if left is not None:
            if left <= 0:
                raise out_of_time()
            timeout = max(SHORTEST_CONNECT_TIMEOUT, math.ceil(left))
            configured = conn_params.get("connect_timeout")
            if configured:
                timeout = min(int(configured), timeout)
            conn_params = {**conn_params, "connect_timeout": timeout}
        started = time.monotonic()
        try:
            connection = super().get_new_connection(conn_params)
        except psycopg.OperationalError:
            if left is not None and time.monotonic() - started >= timeout - 0.1:
                went_silent()  # It ran out of time, rather than being refused.
            raise
        # Django opens it with psycopg.connect(); this makes it wait no longer than the
        # request may. (DeadlineConnection adds behaviour only, no state.)
        connection.__class__ = DeadlineConnection
        return connection
