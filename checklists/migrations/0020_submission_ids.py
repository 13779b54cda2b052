"""Submission ids make every create idempotent (issue 11): a nullable column (instant on PostgreSQL) and a unique
index built without blocking writes."""

from django.db import migrations, models

from checklists.migration_operations import AddUniqueConstraintConcurrently


class Migration(migrations.Migration):
    # Not atomic: PostgreSQL builds an index CONCURRENTLY only outside a transaction.
    atomic = False

    dependencies = [
        ("checklists", "0019_safety_constraints_after_review"),
    ]

    operations = [
        migrations.AddField(
            model_name="patient",
            name="submission_id",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="visit",
            name="submission_id",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        AddUniqueConstraintConcurrently(
            model_name="patient",
            constraint=models.UniqueConstraint(fields=("submission_id",), name="patient_submission_unique"),
        ),
        AddUniqueConstraintConcurrently(
            model_name="visit",
            constraint=models.UniqueConstraint(fields=("submission_id",), name="visit_submission_unique"),
        ),
    ]
