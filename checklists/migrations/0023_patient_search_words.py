"""Forgiving patient search (issue 11): each patient's names and MRN, as a search compares them (lower case, no
accents, no punctuation). Two columns with a constant default (no table rewrite on PostgreSQL), then filled in
batches of BATCH patients by primary key, each batch its own transaction, so a large table is never locked long.

The folding is copied here, not imported: a migration must do what it did when it landed, whatever
checklists/searches.py becomes.
"""

import re
import unicodedata

from django.db import migrations, models

BATCH = 1000


def _plain(text):
    folded = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(char for char in folded if not unicodedata.combining(char))
    return " ".join(re.sub(r"[\W_]+", " ", letters).split())


def fill(apps, schema_editor):
    Patient = apps.get_model("checklists", "Patient")
    last = 0
    while True:
        batch = list(Patient.objects.filter(pk__gt=last).order_by("pk").only("pk", "family_name", "given_name", "mrn")[:BATCH])
        if not batch:
            return
        for patient in batch:
            patient.search_words = f" {_plain(patient.family_name + ' ' + patient.given_name)} "
            patient.mrn_key = _plain(patient.mrn).replace(" ", "")
        Patient.objects.bulk_update(batch, ["search_words", "mrn_key"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    atomic = False  # each batch commits on its own

    dependencies = [
        ("checklists", "0022_autosaved_visit_forms"),
    ]

    operations = [
        migrations.AddField(
            model_name="patient",
            name="mrn_key",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="patient",
            name="search_words",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
