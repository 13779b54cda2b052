"""On PostgreSQL the history tables and the event log also refuse TRUNCATE (what `manage.py flush` runs there)."""

from django.db import migrations

from checklists.history import protect, protected_tables


def forwards(apps, schema_editor):
    protect(schema_editor.connection, protected_tables(apps.get_app_config("checklists").get_models()))


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0011_history_reasons_as_text"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
