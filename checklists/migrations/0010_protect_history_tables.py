"""History tables and the security event log refuse UPDATE and DELETE in the database itself (issue 9)."""

from django.db import migrations

from checklists.history import protect, protected_tables, unprotect


def forwards(apps, schema_editor):
    protect(schema_editor.connection, protected_tables(apps.get_app_config("checklists").get_models()))


def backwards(apps, schema_editor):
    unprotect(schema_editor.connection, protected_tables(apps.get_app_config("checklists").get_models()))


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0009_visit_void_constraint"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
