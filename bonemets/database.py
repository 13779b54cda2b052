"""A PostgreSQL that refuses, stalls or vanishes costs a request seconds, never the worker (issue 14).

libpq's own `connect_timeout` and the server's `statement_timeout` do not cover a database that stops answering
on a connection already open (a persistent one: CONN_MAX_AGE): the worker would wait on the socket until
gunicorn killed it, with no answer for the user. So psycopg2 waits through `wait`, a wait callback (psycopg2's
documented hook for this: "Support for coroutine libraries") that gives up after a deadline: DATABASE_CONNECT_
TIMEOUT_SECONDS to connect, and the statement timeout plus a margin for a query. psycopg2 then closes the
connection as broken, Django opens a new one on the next request, and the error becomes the 500 page.
"""

import contextlib
import contextvars
import select
import time

import psycopg2
from psycopg2 import extensions

# Over the statement timeout: the server ends a slow query itself, with its own error; this only catches silence.
MARGIN_SECONDS = 5

_deadlines = {"connect": 3.0, "query": None}
# When a caller that must answer fast whatever the limits (the health check) stops waiting (time.monotonic()).
_at_most = contextvars.ContextVar("bonemets_database_waits_end", default=None)


class DatabaseSilent(psycopg2.OperationalError):
    """The database did not answer in time (raised from the wait callback, so Django sees a database error)."""


def install(*, connect_seconds: float, statement_seconds: float) -> None:
    """Wait for PostgreSQL through `wait` in this process. 0 means no deadline, as in libpq and PostgreSQL:
    statement_seconds 0 (commands) lets queries run long; connecting is bounded unless connect_seconds is 0."""
    _deadlines["connect"] = connect_seconds or None
    _deadlines["query"] = statement_seconds + MARGIN_SECONDS if statement_seconds else None
    extensions.set_wait_callback(wait)


@contextlib.contextmanager
def waiting_at_most(seconds: float):
    """Every wait for the database within this block (checking a connection, connecting again, each query) ends
    `seconds` after the block began, all of them together."""
    token = _at_most.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _at_most.reset(token)


def limit_for(connecting: bool) -> float | None:
    """Seconds this wait may last: the connect or query deadline, cut to what is left of a `waiting_at_most`."""
    limit = _deadlines["connect"] if connecting else _deadlines["query"]
    block_ends = _at_most.get()
    if block_ends is None:
        return limit
    left = max(0.0, block_ends - time.monotonic())
    return left if limit is None else min(limit, left)


def wait(conn) -> None:
    """psycopg2's wait callback: poll the connection until it is ready, for at most the deadline."""
    connecting = conn.status == extensions.STATUS_SETUP  # a new connection's status until it is ready
    limit = limit_for(connecting)
    deadline = None if limit is None else time.monotonic() + limit
    while True:
        state = conn.poll()
        if state == extensions.POLL_OK:
            return
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            what = "connect" if connecting else "answer"
            raise DatabaseSilent(f"the database did not {what} within {limit:g} s")
        if state == extensions.POLL_READ:
            select.select([conn.fileno()], [], [], remaining)
        elif state == extensions.POLL_WRITE:
            select.select([], [conn.fileno()], [], remaining)
        else:
            raise psycopg2.OperationalError(f"unexpected state from psycopg2's poll(): {state}")
