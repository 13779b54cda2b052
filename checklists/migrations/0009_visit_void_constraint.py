from django.db import migrations, models

from checklists.migration_operations import AddCheckConstraintNotValid


class Migration(migrations.Migration):
    # Not atomic: on PostgreSQL the NOT VALID constraint commits at once, and the scan that validates it runs
    # without blocking writes to the visits table.
    atomic = False

    dependencies = [
        ("checklists", "0008_security_events_void_visits"),
    ]

    operations = [
        AddCheckConstraintNotValid(
            model_name="visit",
            constraint=models.CheckConstraint(
                condition=models.Q(voided_at__isnull=True, voided_by__isnull=True, void_reason="")
                | (models.Q(voided_at__isnull=False, voided_by__isnull=False) & ~models.Q(void_reason="")),
                name="visit_voided_with_who_when_why",
            ),
        ),
    ]
