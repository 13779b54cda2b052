"""Log records carry the id of the request they belong to (the incident id on the 500 page)."""

import contextvars
import logging

current_request_id = contextvars.ContextVar("bonemets_request_id", default="-")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id.get()
        return True


class NoDatabaseDetailFormatter(logging.Formatter):
    """Drop the DETAIL lines PostgreSQL adds to errors: they quote the values of the row ("Key (mrn)=(…)")."""

    def formatException(self, ei):  # noqa: N802 - logging's name
        return "\n".join(line for line in super().formatException(ei).splitlines() if not line.startswith("DETAIL:"))
