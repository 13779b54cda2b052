"""Migration operations that stay safe on large tables (10^5–10^6 visits)."""

from django.db.migrations.operations import AddConstraint


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
        schema_editor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({check}) NOT VALID")
        schema_editor.execute(f"ALTER TABLE {table} VALIDATE CONSTRAINT {name}")
