from django.db import migrations, models

from checklists.migration_operations import AddIndexSafely


class Migration(migrations.Migration):
    # Not atomic: CREATE INDEX CONCURRENTLY lets reads and writes of the actions go on while it builds (issue 13).
    atomic = False

    dependencies = [
        ("checklists", "0033_fill_recommendation_due_at"),
    ]

    operations = [
        AddIndexSafely(
            model_name="recommendation",
            index=models.Index(
                condition=models.Q(("done_at__isnull", True)), fields=["due_at"], name="recommendation_open_due"
            ),
        ),
    ]
