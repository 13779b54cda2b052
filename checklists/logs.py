"""The app's log: one JSON object per line, carrying the id of the request it belongs to (the incident id on the
500 page), and nothing else of the request (issue 9, issue 14 §5)."""

import contextvars
import datetime
import json
import logging
import re

current_request_id = contextvars.ContextVar("bonemets_request_id", default="-")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id.get()
        return True


class NoDatabaseDetailFormatter(logging.Formatter):
    """Drop the lines PostgreSQL adds to an error that quote data: DETAIL ("Key (mrn)=(…)") and the statement
    around the error's position (LINE 1: … with the values inlined, and the caret under it)."""

    def formatException(self, ei):  # noqa: N802 - logging's name
        return "\n".join(line for line in super().formatException(ei).splitlines() if not quotes_data(line))


def quotes_data(line: str) -> bool:
    return line.startswith("DETAIL:") or re.match(r"LINE \d+:", line) is not None or line.strip() == "^"


class JsonFormatter(NoDatabaseDetailFormatter):
    """These fields and no others. Not python-json-logger: it adds every extra attribute of a record, and Django's
    request logger attaches the request, whose text carries the query string (a search for a patient's name)."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
