"""Migration operations that stay safe on large tables (10^5–10^6 visits), and a helper for data migrations."""

from django.db.migrations.operations import AddConstraint


def record_history(historical, row, reason: str, when) -> None:
    """Keep a data migration's change in the row's history, as every other change is kept (append-only)."""
    names = {field.attname for field in historical._meta.concrete_fields}
    values = {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}
    historical.objects.create(
        **{name: value for name, value in values.items() if name in names},
        history_date=when,
        history_type="~",
        history_change_reason=reason,
    )


class AddCheckConstraintNotValid(AddConstraint):
    """Add a CHECK constraint without locking out writes while a large table is scanned.

    On PostgreSQL `ADD CONSTRAINT … NOT VALID` only takes a brief lock and checks new rows at once; the separate
    `VALIDATE CONSTRAINT` then scans the existing rows under a lock that lets reads and writes go on. Other
    databases (SQLite for development) add it the ordinary way. The result is the same constraint either way.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        if schema_editor.connection.vendor != "postgresql":
            schema_editor.add_constraint(model, self.constraint)
            return
        table, name = schema_editor.quote_name(model._meta.db_table), schema_editor.quote_name(self.constraint.name)
        check = self.constraint._get_check_sql(model, schema_editor)
        # The migration is not atomic: a run that stopped at VALIDATE left the constraint behind. Start again.
        schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")
        schema_editor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({check}) NOT VALID")
        schema_editor.execute(f"ALTER TABLE {table} VALIDATE CONSTRAINT {name}")
