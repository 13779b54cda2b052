"""Built-in worked examples are shared; every other rule test case belongs to one clinic (after 0026)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0026_copy_checklist_to_every_clinic"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="ruletestcase",
            constraint=models.CheckConstraint(
                condition=models.Q(models.Q(("clinic__isnull", True), ("is_builtin", True)), models.Q(("clinic__isnull", False), ("is_builtin", False)), _connector="OR"),
                name="rule_test_case_builtin_is_shared",
            ),
        ),
    ]
