import datetime

from django.db import migrations
from django.db.models import DateTimeField, ExpressionWrapper, OuterRef, Subquery, Value

# rules.follow_through.DUE_HOURS as it was when this migration was written: a migration never reads code that may
# change after it has run.
DUE_HOURS = {"same day": 24, "within 24 hours": 24, "within days": 7 * 24, "within 1 week": 7 * 24}
BATCH = 2000


def fill_due_at(apps, schema_editor):
    """Each existing action falls due when its visit was recorded plus its time frame (a derived time: no history
    row, as for a patient's next follow-up date). In batches along the primary key, each committed on its own: no
    long lock, and the work grows with the table, not its square. Run again, it fills only what is still empty."""
    Recommendation = apps.get_model("checklists", "Recommendation")
    Visit = apps.get_model("checklists", "Visit")
    recorded = Subquery(Visit.objects.filter(pk=OuterRef("visit_id")).values("created_at")[:1])
    empty = Recommendation.objects.filter(due_at__isnull=True, due__in=DUE_HOURS).order_by("pk")
    last = 0
    while ids := list(empty.filter(pk__gt=last).values_list("pk", flat=True)[:BATCH]):
        for words, hours in DUE_HOURS.items():
            due_at = ExpressionWrapper(recorded + Value(datetime.timedelta(hours=hours)), output_field=DateTimeField())
            Recommendation.objects.filter(pk__in=ids, due=words).update(due_at=due_at)
        last = ids[-1]


class Migration(migrations.Migration):
    # Not atomic: the backfill commits batch by batch, never holding the actions table for the whole of it. The
    # columns came in 0032, atomically, so a backfill that stops part-way is simply run again.
    atomic = False

    dependencies = [
        ("checklists", "0032_recommendation_due_at"),
    ]

    operations = [
        migrations.RunPython(fill_due_at, migrations.RunPython.noop, elidable=True),
    ]
