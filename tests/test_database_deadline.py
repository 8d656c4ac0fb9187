"""icma_site/postgresql: a request waits for a silent database no longer than its deadline.

The "database" here is a socket on 127.0.0.1 that accepts connections and never says a
word (as a frozen VM, or a network that keeps acknowledging, would), so these run on
either database the suite uses.
"""

import socket
import threading
import time

import pytest
from django.db import OperationalError, connections
from django.db.utils import load_backend

from icma_site.postgresql.base import QUIET_SECONDS, deadline, forget_silence, seconds_left
from tests.tcp_proxy import TcpProxy


@pytest.fixture(autouse=True)
def no_quiet_period_left_over():
    """A test here that runs out of time must not make the next test's requests fail."""
    forget_silence()
    yield
    forget_silence()


@pytest.fixture
def silent_server():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted = []

    def accept():
        while True:
            try:
                accepted.append(listener.accept()[0])  # …and never answer.
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()
    for end in accepted:
        end.close()


@pytest.fixture
def unblocked(django_db_blocker):
    """These tests open their own connections, to a server that is not the test database."""
    with django_db_blocker.unblock():
        yield


def wrapper_for(port):
    settings_dict = {
        **connections["default"].settings_dict,
        "ENGINE": "icma_site.postgresql",
        "NAME": "icma",
        "USER": "icma",
        "PASSWORD": "",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "OPTIONS": {"connect_timeout": 30},
    }
    return load_backend("icma_site.postgresql").DatabaseWrapper(settings_dict, "silent")


def test_connecting_to_a_silent_database_ends_at_the_deadline(silent_server, unblocked):
    wrapper = wrapper_for(silent_server)
    started = time.monotonic()
    with deadline(1), pytest.raises(OperationalError):
        wrapper.ensure_connection()
    # libpq's shortest connect_timeout is 2 s; without the deadline it would be 30.
    assert time.monotonic() - started < 4


def test_nothing_is_attempted_once_the_deadline_has_passed(silent_server, unblocked):
    wrapper = wrapper_for(silent_server)
    with deadline(0.01):
        time.sleep(0.05)
        started = time.monotonic()
        with pytest.raises(OperationalError, match="did not answer in time"):
            wrapper.ensure_connection()
        assert time.monotonic() - started < 0.5


def test_deadlines_nest_and_end():
    assert seconds_left() is None
    with deadline(10):
        assert 9 < seconds_left() <= 10
        with deadline(None):
            assert seconds_left() is None
        assert seconds_left() is not None
    assert seconds_left() is None


@pytest.mark.skipif(
    connections["default"].vendor != "postgresql", reason="needs DATABASE_URL on PostgreSQL"
)
@pytest.mark.django_db(transaction=True)  # No test transaction: the connection is lost.
def test_a_query_the_server_is_slow_to_answer_ends_at_the_deadline():
    """A server that is there but slow: the client stops waiting, and the connection,
    whose state is then unknown, is not used again."""
    connection = connections["default"]
    connection.ensure_connection()
    server_process = connection.connection.info.backend_pid
    started = time.monotonic()
    with deadline(1), pytest.raises(OperationalError), connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(10)")
    assert time.monotonic() - started < 3
    assert connection.connection.closed
    connection.close()
    with connection.cursor() as cursor:  # A new connection; stop the abandoned sleep.
        cursor.execute("SELECT pg_terminate_backend(%s)", [server_process])


def test_after_a_timeout_requests_fail_at_once_for_a_moment_then_try_again(
    silent_server, unblocked
):
    with deadline(1), pytest.raises(OperationalError):
        wrapper_for(silent_server).ensure_connection()  # Runs out of time: 2 s.
    started = time.monotonic()
    with deadline(1), pytest.raises(OperationalError, match="did not answer in time"):
        wrapper_for(silent_server).ensure_connection()
    assert time.monotonic() - started < 0.5  # At once: no second wait.
    time.sleep(QUIET_SECONDS)
    with deadline(10):
        assert seconds_left() > 9  # The next request may wait again.


def test_a_refused_connection_does_not_make_requests_fail_at_once(unblocked):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    with deadline(4), pytest.raises(OperationalError):
        wrapper_for(closed_port).ensure_connection()
    with deadline(4):
        assert seconds_left() > 3


@pytest.mark.skipif(
    connections["default"].vendor != "postgresql", reason="needs DATABASE_URL on PostgreSQL"
)
@pytest.mark.django_db
def test_the_liveness_probe_gives_up_on_a_silent_database_outside_requests_too(settings):
    """Django probes a connection (is_usable) at the end of a request that had a database
    error, after the request's deadline has ended."""
    settings.DATABASE_REQUEST_TIMEOUT = 1
    original = connections["default"].settings_dict
    proxy = TcpProxy((original["HOST"] or "127.0.0.1", int(original["PORT"] or 5432)))
    proxy.start()
    wrapper = load_backend("icma_site.postgresql").DatabaseWrapper(
        {**original, "HOST": "127.0.0.1", "PORT": str(proxy.port)}, "default"
    )
    try:
        wrapper.ensure_connection()
        assert wrapper.is_usable()
        proxy.freeze()
        started = time.monotonic()
        assert not wrapper.is_usable()
        assert time.monotonic() - started < 3
    finally:
        proxy.thaw()
        wrapper.close()
        proxy.stop()
