import datetime

from django.db import migrations, models
from django.db.models import DateTimeField, ExpressionWrapper, OuterRef, Subquery, Value

# rules.follow_through.DUE_HOURS as it was when this migration was written: a migration never reads code that may
# change after it has run.
DUE_HOURS = {"same day": 24, "within 24 hours": 24, "within days": 7 * 24, "within 1 week": 7 * 24}
BATCH = 2000


def fill_due_at(apps, schema_editor):
    """Each existing action falls due when its visit was recorded plus its time frame (a derived time: no history
    row, as for a patient's next follow-up date). In batches, each committed on its own: no long lock."""
    Recommendation = apps.get_model("checklists", "Recommendation")
    Visit = apps.get_model("checklists", "Visit")
    recorded = Subquery(Visit.objects.filter(pk=OuterRef("visit_id")).values("created_at")[:1])
    for words, hours in DUE_HOURS.items():
        due_at = ExpressionWrapper(recorded + Value(datetime.timedelta(hours=hours)), output_field=DateTimeField())
        waiting = Recommendation.objects.filter(due=words, due_at__isnull=True).order_by("pk")
        while ids := list(waiting.values_list("pk", flat=True)[:BATCH]):
            Recommendation.objects.filter(pk__in=ids).update(due_at=due_at)


class Migration(migrations.Migration):
    # Not atomic: the backfill commits batch by batch, never holding the actions table for the whole of it.
    atomic = False

    dependencies = [
        ("checklists", "0031_follow_through_constraints"),
    ]

    operations = [
        # Nullable, no default: PostgreSQL adds the column without rewriting the table.
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
        migrations.RunPython(fill_due_at, migrations.RunPython.noop, elidable=True),
    ]
