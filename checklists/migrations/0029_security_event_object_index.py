from django.db import migrations, models

from checklists.migration_operations import AddIndexSafely


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY: the security event log only grows, and sign-ins must go on while it is indexed.
    atomic = False

    dependencies = [
        ("checklists", "0028_scale_indexes"),
    ]

    operations = [
        AddIndexSafely(
            model_name="securityevent",
            index=models.Index(fields=["object_type", "object_id", "at"], name="security_event_object"),
        ),
    ]
