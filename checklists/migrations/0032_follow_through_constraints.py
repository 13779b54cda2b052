from django.db import migrations, models

from checklists.migration_operations import AddCheckConstraintNotValid


class Migration(migrations.Migration):
    # Not atomic: on PostgreSQL each NOT VALID constraint commits at once, and the scan that validates it runs
    # without blocking writes to the orders and recommendations tables (issue 15 §4).
    atomic = False

    dependencies = [
        ("checklists", "0031_follow_through"),
    ]

    operations = [
        AddCheckConstraintNotValid(
            model_name="imagingorder",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["ordered", "booked", "done", "cancelled"])),
                name="imaging_status_valid",
            ),
        ),
        AddCheckConstraintNotValid(
            model_name="imagingorder",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "booked"), _negated=True), ("booked_for__isnull", False), _connector="OR"
                ),
                name="imaging_booked_for_a_date",
            ),
        ),
        AddCheckConstraintNotValid(
            model_name="imagingorder",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "cancelled"), _negated=True),
                    models.Q(("cancel_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="imaging_cancelled_with_a_reason",
            ),
        ),
        AddCheckConstraintNotValid(
            model_name="recommendation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("done_at__isnull", True), ("done_how", "")),
                    models.Q(
                        ("done_at__isnull", False),
                        ("done_by__isnull", False),
                        models.Q(("done_how", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="recommendation_done_with_who_when_how",
            ),
        ),
    ]
