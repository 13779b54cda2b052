"""Issue 14 §2: waiting for PostgreSQL has deadlines (bonemets/database.py), through a proxy that fails on cue."""

import time

import psycopg2
import pytest
from django.conf import settings

from bonemets import database

from .tcp_proxy import TcpProxy

pytestmark = pytest.mark.postgresql


@pytest.fixture
def proxy():
    proxy = TcpProxy()
    database.install(connect_seconds=1, statement_seconds=1)
    yield proxy
    proxy.close()
    database.install(
        connect_seconds=settings.DATABASE_CONNECT_TIMEOUT, statement_seconds=settings.DATABASE_STATEMENT_TIMEOUT
    )


def connect(proxy):
    return psycopg2.connect(host="127.0.0.1", port=proxy.port, user="postgres", dbname="postgres")


def timed(action):
    start = time.monotonic()
    try:
        action()
    except psycopg2.Error as error:
        return time.monotonic() - start, error
    return time.monotonic() - start, None


def test_a_refused_connection_fails_at_once(proxy):
    proxy.set("refuse")
    took, error = timed(lambda: connect(proxy))
    assert isinstance(error, psycopg2.OperationalError) and took < 1, (took, error)


def test_a_silent_database_fails_connecting_after_the_connect_deadline(proxy):
    proxy.set("silent")
    took, error = timed(lambda: connect(proxy))
    assert isinstance(error, database.DatabaseSilent) and 1 <= took < 2, (took, error)
    assert "did not connect within 1 s" in str(error)


def test_a_connection_that_goes_silent_gives_up_a_query_after_the_statement_deadline_and_is_closed(proxy):
    connection = connect(proxy)
    connection.cursor().execute("SELECT 1")
    proxy.set("silent")
    took, error = timed(lambda: connection.cursor().execute("SELECT 1"))
    # The server's own statement timeout (1 s) cannot fire: nothing reaches it. The margin is the client's.
    assert isinstance(error, database.DatabaseSilent) and 6 <= took < 7, (took, error)
    assert connection.closed  # broken: Django replaces it on the next request


def test_a_caller_can_wait_less_than_the_deadlines(proxy):
    connection = connect(proxy)
    proxy.set("silent")
    with database.waiting_at_most(0.5):
        took, error = timed(lambda: connection.cursor().execute("SELECT 1"))
    assert isinstance(error, database.DatabaseSilent) and 0.5 <= took < 1, (took, error)


def test_connecting_works_again_once_the_database_answers(proxy):
    proxy.set("refuse")
    assert timed(lambda: connect(proxy))[1] is not None
    proxy.set("forward")
    cursor = connect(proxy).cursor()
    cursor.execute("SELECT 41 + 1")
    assert cursor.fetchone() == (42,)


def test_a_slow_statement_is_ended_by_the_server_not_the_deadline(proxy):
    """The statement timeout is the server's: its own error, the connection still usable."""
    connection = connect(proxy)
    connection.cursor().execute("SET statement_timeout = 300")
    took, error = timed(lambda: connection.cursor().execute("SELECT pg_sleep(3)"))
    assert isinstance(error, psycopg2.errors.QueryCanceled) and took < 1, (took, error)
    connection.rollback()
    cursor = connection.cursor()
    cursor.execute("SELECT 1")
    assert cursor.fetchone() == (1,)


def test_a_block_s_waits_end_together_when_its_time_is_up(proxy):
    """The health check's budget covers every wait in it (checking a kept connection, connecting again, the
    query), not each one: two silent waits in a 1 s block end after 1 s, not 2."""
    connection = connect(proxy)
    proxy.set("silent")
    start = time.monotonic()
    with database.waiting_at_most(1):
        first = timed(lambda: connection.cursor().execute("SELECT 1"))[1]
        second = timed(lambda: connect(proxy))[1]
    took = time.monotonic() - start
    assert isinstance(first, database.DatabaseSilent) and isinstance(second, database.DatabaseSilent)
    assert 1 <= took < 1.5, took


def test_a_deadline_of_0_means_none_as_in_libpq():
    database.install(connect_seconds=0, statement_seconds=0)
    try:
        assert database.limit_for(connecting=True) is None and database.limit_for(connecting=False) is None
    finally:
        database.install(
            connect_seconds=settings.DATABASE_CONNECT_TIMEOUT, statement_seconds=settings.DATABASE_STATEMENT_TIMEOUT
        )
