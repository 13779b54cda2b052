from django.db import migrations, models

from checklists.migration_operations import AddCheckConstraintNotValid, AddIndexSafely


class Migration(migrations.Migration):
    # Not atomic: on PostgreSQL each NOT VALID constraint commits at once and the scan that validates it, like the
    # concurrent index build, lets reads and writes of the orders and actions tables go on (issue 15 §4).
    atomic = False

    dependencies = [
        ("checklists", "0030_notifications"),
    ]

    operations = [
        AddIndexSafely(
            model_name='recommendation',
            index=models.Index(condition=models.Q(('done_by_order__isnull', False)), fields=['done_by_order'], name='recommendation_done_by_order'),
        ),
        AddCheckConstraintNotValid(
            model_name='imagingorder',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['ordered', 'booked', 'done', 'cancelled'])), name='imaging_status_valid'),
        ),
        AddCheckConstraintNotValid(
            model_name='imagingorder',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'booked'), _negated=True), ('booked_for__isnull', False), _connector='OR'), name='imaging_booked_for_a_date'),
        ),
        AddCheckConstraintNotValid(
            model_name='imagingorder',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'cancelled'), _negated=True), models.Q(('cancel_reason', ''), _negated=True), _connector='OR'), name='imaging_cancelled_with_a_reason'),
        ),
        AddCheckConstraintNotValid(
            model_name='recommendation',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('done_at__isnull', True), ('done_how', '')), models.Q(('done_at__isnull', False), ('done_by__isnull', False), models.Q(('done_how', ''), _negated=True)), _connector='OR'), name='recommendation_done_with_who_when_how'),
        ),
    ]
