"""The database backs the services' safety rules (issue 10): check constraints, safe on large tables."""

from django.db import migrations, models

from checklists.migration_operations import AddCheckConstraintNotValid


class Migration(migrations.Migration):
    # Not atomic: on PostgreSQL each NOT VALID constraint commits at once, and its validating scan runs without
    # blocking writes (checklists/migration_operations.py).
    atomic = False

    dependencies = [
        ("checklists", "0015_withdraw_closed_flags_and_more"),
    ]

    operations = [
        AddCheckConstraintNotValid(
            model_name='checklistitem',
            constraint=models.CheckConstraint(condition=models.Q(('is_builtin', True), ('retired', True), _negated=True), name='checklist_builtin_item_never_retired'),
        ),
        AddCheckConstraintNotValid(
            model_name='flag',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'reviewed'), _negated=True), ('reviewed_by__isnull', False), _connector='OR'), name='flag_reviewed_has_a_reviewer'),
        ),
        AddCheckConstraintNotValid(
            model_name='flag',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'reviewed'), ('tier__in', ['emergency', 'urgent']), _negated=True), models.Q(('review_note', ''), _negated=True), _connector='OR'), name='flag_serious_review_has_a_note'),
        ),
        AddCheckConstraintNotValid(
            model_name='flag',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('tier', 'emergency'), _negated=True), ('stable_until__isnull', True), _connector='OR'), name='flag_emergency_never_known_stable'),
        ),
        AddCheckConstraintNotValid(
            model_name='flag',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'withdrawn'), _negated=True), models.Q(('withdrawn_at__isnull', False), ('withdrawn_by__isnull', False), models.Q(('withdrawn_reason', ''), _negated=True)), _connector='OR'), name='flag_withdrawn_with_who_when_why'),
        ),
        AddCheckConstraintNotValid(
            model_name='flag',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'carried_over'), _negated=True), ('carried_over_from__isnull', False), _connector='OR'), name='flag_carried_over_from_a_review'),
        ),
        AddCheckConstraintNotValid(
            model_name='flag',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['open', 'reviewed', 'carried_over', 'withdrawn'])), name='flag_status_valid'),
        ),
        AddCheckConstraintNotValid(
            model_name='flag',
            constraint=models.CheckConstraint(condition=models.Q(('tier__in', ['routine', 'prompt_review', 'urgent', 'emergency'])), name='flag_tier_valid'),
        ),
        AddCheckConstraintNotValid(
            model_name='imagingorder',
            constraint=models.CheckConstraint(condition=models.Q(('modality__in', ['xray', 'bone_scan', 'ct', 'mri', 'pet'])), name='imaging_modality_valid'),
        ),
        AddCheckConstraintNotValid(
            model_name='imagingorder',
            constraint=models.CheckConstraint(condition=models.Q(('urgency__in', ['routine', 'urgent', 'emergency'])), name='imaging_urgency_valid'),
        ),
        AddCheckConstraintNotValid(
            model_name='imagingorder',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['ordered', 'done', 'cancelled'])), name='imaging_status_valid'),
        ),
        AddCheckConstraintNotValid(
            model_name='labresult',
            constraint=models.CheckConstraint(condition=models.Q(('reference_lower__isnull', True), ('reference_lower__lt', models.F('reference_upper')), _connector='OR'), name='lab_result_lln_below_uln'),
        ),
        AddCheckConstraintNotValid(
            model_name='labresult',
            constraint=models.CheckConstraint(condition=models.Q(('analyte__in', ['calcium_total', 'calcium_ionized', 'albumin', 'alp'])), name='lab_result_analyte_valid'),
        ),
        AddCheckConstraintNotValid(
            model_name='labresult',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('analyte', 'calcium_total'), ('unit__in', ['mg/dL', 'mmol/L'])), models.Q(('analyte', 'calcium_ionized'), ('unit__in', ['mmol/L'])), models.Q(('analyte', 'albumin'), ('unit__in', ['g/dL', 'g/L'])), models.Q(('analyte', 'alp'), ('unit__in', ['U/L'])), _connector='OR'), name='lab_result_unit_fits_analyte'),
        ),
        AddCheckConstraintNotValid(
            model_name='patient',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('baseline_alp__isnull', True), ('baseline_alp_measured_on__isnull', True)), models.Q(('baseline_alp__isnull', False), ('baseline_alp_measured_on__isnull', False)), _connector='OR'), name='patient_baseline_alp_with_its_date'),
        ),
        AddCheckConstraintNotValid(
            model_name='screenanswer',
            constraint=models.CheckConstraint(condition=models.Q(('answer__in', ['yes', 'no', 'not_asked'])), name='screen_answer_valid'),
        ),
        AddCheckConstraintNotValid(
            model_name='visit',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'complete'])), name='visit_status_valid'),
        ),
        AddCheckConstraintNotValid(
            model_name='visit',
            constraint=models.CheckConstraint(condition=models.Q(('tier__in', ['none', 'routine', 'prompt_review', 'urgent', 'emergency'])), name='visit_tier_valid'),
        ),
    ]
