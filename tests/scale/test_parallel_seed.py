"""Issue 13 §3: the benchmark loads its visits in two processes, each replaying its own patients' days in date
order through the same bulk path (record_visits), and loads every visit with all its rows; a loader that fails
fails the seed. PostgreSQL only: the loaders are separate processes with connections of their own."""

import pytest

from checklists.benchmark import seed as bench_seed
from checklists.models import Flag, Patient, ScreenAnswer, Visit
from checklists.models.choices import FlagStatus

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def test_two_loaders_load_every_visit_with_its_rows_and_history(reseeded):
    seeded = bench_seed.seed(400, log=lambda _line: None, loaders=2)

    assert seeded.visits == Visit.objects.count() == 400
    assert Patient.objects.count() == seeded.patients == 40
    for patient in Patient.objects.all():
        dates = list(patient.visits.order_by("pk").values_list("visit_date", flat=True))
        assert len(dates) == bench_seed.VISITS_PER_PATIENT
        assert dates == sorted(dates), "a patient's visits are recorded in date order, by one loader"
    asked = ScreenAnswer.objects.filter(visit=Visit.objects.first()).count()
    assert ScreenAnswer.objects.count() == ScreenAnswer.history.count() == 400 * asked > 0
    assert Flag.objects.count() == Flag.history.filter(history_type="+").count() > 0
    assert seeded.open_flags == Flag.objects.filter(status=FlagStatus.OPEN).count()


def test_a_loader_that_fails_fails_the_seed(reseeded, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise RuntimeError("the database refused")

    monkeypatch.setattr(bench_seed, "record_visits", refuse)
    with pytest.raises(RuntimeError, match="a loader process failed"):
        bench_seed.seed(40, log=lambda _line: None, loaders=2)
