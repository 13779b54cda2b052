"""The database backs the rules the issue 10 review found unguarded: urgent flags are never "known and stable",
a carried-over flag has no reviewer, and two items of a checklist never share a key but for capitals."""

import django.db.models.functions.text
from django.db import migrations, models

from checklists.migration_operations import AddCheckConstraintNotValid


class Migration(migrations.Migration):
    # Not atomic: on PostgreSQL each NOT VALID constraint commits at once, then is validated without blocking.
    atomic = False

    dependencies = [
        ("checklists", "0018_legacy_reviews_and_severity"),
    ]

    operations = [
        AddCheckConstraintNotValid(
            model_name="flag",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("tier__in", ["emergency", "urgent"]), _negated=True),
                    ("stable_until__isnull", True),
                    _connector="OR",
                ),
                name="flag_serious_never_known_stable",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="flag",
            name="flag_emergency_never_known_stable",
        ),
        AddCheckConstraintNotValid(
            model_name="flag",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "carried_over"), _negated=True),
                    models.Q(("reviewed_at__isnull", True), ("reviewed_by__isnull", True)),
                    _connector="OR",
                ),
                name="flag_carried_over_not_reviewed",
            ),
        ),
        migrations.AddConstraint(
            model_name="checklistitem",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("key"),
                models.F("version"),
                name="checklist_item_key_unique_ignoring_case",
            ),
        ),
    ]
