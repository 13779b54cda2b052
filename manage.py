#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bonemets.settings")
    # A command (migrate on a large table, a backup's checksums, the bulk load) may run a statement for long: it
    # gets DATABASE_COMMAND_STATEMENT_TIMEOUT_SECONDS (default none), never the requests' limit, which the same
    # environment file sets for gunicorn (bonemets/settings.py).
    os.environ["DATABASE_STATEMENT_TIMEOUT_SECONDS"] = os.environ.get("DATABASE_COMMAND_STATEMENT_TIMEOUT_SECONDS", "0")
    from django.core.management import execute_from_command_line

    if sys.argv[1:2] != ["check"]:
        # `check` still runs, so that `check --deploy` can list every problem; everything else refuses.
        from bonemets.boot import refuse_unsafe_configuration

        refuse_unsafe_configuration()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
