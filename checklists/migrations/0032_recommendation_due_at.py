from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0031_follow_through_constraints"),
    ]

    operations = [
        # Nullable, no default: PostgreSQL adds the column without rewriting the table. Filled by 0033.
        migrations.AddField(
            model_name="historicalrecommendation",
            name="due_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="due_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
