"""Migration operations that stay safe on large tables (10^5–10^6 visits), and a helper for data migrations."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db.migrations.operations import AddConstraint, AddIndex


def record_history(historical, row, reason: str, when, kind: str = "~") -> None:
    """Keep a data migration's change in the row's history, as every other change is kept (append-only)."""
    names = {field.attname for field in historical._meta.concrete_fields}
    values = {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}
    historical.objects.create(
        **{name: value for name, value in values.items() if name in names},
        history_date=when,
        history_type=kind,
        history_change_reason=reason,
    )


class AddCheckConstraintNotValid(AddConstraint):
    """Add a CHECK constraint without locking out writes while a large table is scanned.

    On PostgreSQL `ADD CONSTRAINT … NOT VALID` only takes a brief lock and checks new rows at once; the separate
    `VALIDATE CONSTRAINT` then scans the existing rows under a lock that lets reads and writes go on. Other
    databases (SQLite for development) add it the ordinary way. The result is the same constraint either way.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = _on_postgresql(self, app_label, schema_editor, to_state)
        if model is None:
            return
        table, name = schema_editor.quote_name(model._meta.db_table), schema_editor.quote_name(self.constraint.name)
        check = self.constraint._get_check_sql(model, schema_editor)
        # The migration is not atomic: a run that stopped at VALIDATE left the constraint behind. Start again.
        schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")
        schema_editor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({check}) NOT VALID")
        schema_editor.execute(f"ALTER TABLE {table} VALIDATE CONSTRAINT {name}")


def _on_postgresql(operation, app_label, schema_editor, to_state):
    """The model to change the PostgreSQL way; None once another database has added the constraint the ordinary
    way (or the model is not migrated here)."""
    model = to_state.apps.get_model(app_label, operation.model_name)
    if not operation.allow_migrate_model(schema_editor.connection.alias, model):
        return None
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.add_constraint(model, operation.constraint)
        return None
    return model


class AddUniqueConstraintConcurrently(AddConstraint):
    """Add a single-column UNIQUE constraint without blocking writes while its index is built.

    On PostgreSQL the index is built `CONCURRENTLY` (the migration must not be atomic), then attached as the
    constraint in a brief lock. Other databases add it the ordinary way. Removing it is the ordinary removal.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = _on_postgresql(self, app_label, schema_editor, to_state)
        if model is None:
            return
        (field_name,) = self.constraint.fields
        column = schema_editor.quote_name(model._meta.get_field(field_name).column)
        table, name = schema_editor.quote_name(model._meta.db_table), schema_editor.quote_name(self.constraint.name)
        schema_editor.execute(f"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} ({column})")
        schema_editor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE USING INDEX {name}")


class AddIndexSafely(AddIndexConcurrently):
    """Add an index without locking out writes on a large table (issue 13): `CREATE INDEX CONCURRENTLY` on
    PostgreSQL (the migration must be `atomic = False`); the ordinary way elsewhere (SQLite for development)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            drop_invalid_index(schema_editor, self.index.name)
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


def drop_invalid_index(schema_editor, name: str) -> None:
    """A `CREATE INDEX CONCURRENTLY` that was cancelled (a timeout, a lost connection) leaves the index behind,
    INVALID, and the migration's next run would fail on its name: drop it first. A valid index is left alone."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_index JOIN pg_class ON pg_class.oid = pg_index.indexrelid "
            "WHERE pg_class.relname = %s AND NOT pg_index.indisvalid",
            [name],
        )
        invalid = cursor.fetchone() is not None
    if invalid:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(name)}")
