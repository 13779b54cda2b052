"""A migration that adds an index concurrently can be run again after it was cancelled (issue 14 review)."""

import pytest
from django.db import connection

from checklists.migration_operations import drop_invalid_index

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def index_state(name: str):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_index.indisvalid FROM pg_index JOIN pg_class ON pg_class.oid = pg_index.indexrelid "
            "WHERE pg_class.relname = %s",
            [name],
        )
        row = cursor.fetchone()
    return None if row is None else row[0]


def test_an_index_a_cancelled_build_left_invalid_is_dropped_and_a_valid_one_kept():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE rerun_probe (x integer)")
        cursor.execute("INSERT INTO rerun_probe VALUES (1), (1)")
        # A concurrent build that fails half-way (here on the duplicates) leaves its index INVALID, as a
        # cancelled one does.
        with pytest.raises(Exception, match="could not create unique index"):
            cursor.execute("CREATE UNIQUE INDEX CONCURRENTLY rerun_probe_broken ON rerun_probe (x)")
        cursor.execute("CREATE INDEX rerun_probe_fine ON rerun_probe (x)")
    try:
        assert index_state("rerun_probe_broken") is False
        with connection.schema_editor(atomic=False) as editor:
            drop_invalid_index(editor, "rerun_probe_broken")
            drop_invalid_index(editor, "rerun_probe_fine")
        assert index_state("rerun_probe_broken") is None
        assert index_state("rerun_probe_fine") is True
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE rerun_probe")
