"""RULES.md §4.5 as changed (issue 10): a calcium that reads as an emergency in both units is enterable once the
unit is confirmed; the confirm box sits next to the lab, and who confirmed is recorded."""

from decimal import Decimal

import pytest
from django.urls import reverse

from checklists import services
from checklists.entries import LabEntry, VisitEntry
from checklists.models import LabResult, Visit
from checklists.rules import FindingsError
from tests.conftest import TODAY, all_no
from tests.views.helpers import login
from tests.views.test_visit_new import form_data

pytestmark = pytest.mark.django_db

FOR_5_8 = "5.8 mg/dL total"
LOW_OR_HIGH = "5.8 mg/dL is a severely LOW calcium; 5.8 mmol/L would be a life-threatening HIGH one. Confirm the unit."


def url(patient):
    return reverse("checklists:visit-new", args=[patient.pk])


def typed(**extra):
    return form_data(
        **({"calcium_value": "5.8", "calcium_unit": "mg/dL", "albumin_value": "4.0", "albumin_unit": "g/dL"} | extra)
    )


def test_an_unconfirmed_soft_stop_is_asked_next_to_the_calcium_and_nothing_is_saved(nurse, patient):
    response = login(nurse).post(url(patient), typed(notes="Drowsy, tingling lips"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["calcium_value"] == [LOW_OR_HIGH]
    content = response.content.decode()
    assert 'id="calcium-confirm"' in content and 'id="calcium-confirm" hidden' not in content
    assert "I have checked the unit: this result is right" in content
    assert "Drowsy, tingling lips" in content and 'name="calcium_value" value="5.8"' in content
    assert Visit.objects.count() == 0


def test_a_confirmed_5_8_mg_dl_is_saved_as_a_grade_4_hypocalcaemia_and_who_confirmed_is_kept(nurse, doctor, patient):
    response = login(nurse).post(url(patient), typed(calcium_unit_confirmed="on"))
    assert response.status_code == 200  # a tick that does not say which value it confirms confirms nothing
    response = login(nurse).post(url(patient), typed(calcium_unit_confirmed="on", calcium_confirmed_for=FOR_5_8))
    assert response.status_code == 302
    visit = Visit.objects.get()
    calcium = visit.lab_results.get(analyte="calcium_total")
    assert calcium.unit_confirmed_by == nurse
    flag = visit.flags.get()
    assert (flag.code, flag.tier, flag.grade) == ("HYPOCALCAEMIA_LAB", "emergency", 4)
    assert visit.evaluation["calcium"]["hypocalcaemia_grade"] == 4

    # Another person's edit of something else keeps who confirmed; a new value needs (and records) a new one.
    edit = reverse("checklists:visit-edit", args=[visit.pk])
    page = login(doctor).get(edit).content.decode()
    assert f'name="calcium_confirmed_for" id="id_calcium_confirmed_for" value="{FOR_5_8}"' in page
    response = login(doctor).post(
        edit,
        typed(
            calcium_unit_confirmed="on",
            calcium_confirmed_for=FOR_5_8,
            notes="Calcium given",
            lock_version=visit.lock_version,
        ),
    )
    assert response.status_code == 302
    assert LabResult.objects.get(pk=calcium.pk).unit_confirmed_by == nurse
    visit.refresh_from_db()
    response = login(doctor).post(
        edit,
        typed(
            calcium_value="5.9",
            calcium_unit_confirmed="on",
            calcium_confirmed_for="5.9 mg/dL total",
            lock_version=visit.lock_version,
            change_reason="Re-entered",
            withdraw="HYPOCALCAEMIA_LAB",
        ),
    )
    assert response.status_code == 302
    assert LabResult.objects.get(visit=visit, analyte="calcium_total").unit_confirmed_by == doctor


def test_the_service_refuses_an_unconfirmed_soft_stop_too(nurse, patient):
    entry = VisitEntry(
        visit_date=TODAY,
        answers=all_no(),
        labs=(LabEntry("calcium_total", Decimal("5.8"), "mg/dL"),),
    )
    with pytest.raises(FindingsError):
        services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    assert Visit.objects.count() == 0


def test_a_total_calcium_in_the_ionized_range_asks_which_it_is(nurse, patient):
    response = login(nurse).post(url(patient), form_data(calcium_value="1.10", albumin_value="40"))
    assert response.context["form"].errors["calcium_value"] == [
        "Total calcium 1.10 mmol/L is very low, and in the range of an IONIZED calcium. If this is an ionized "
        "result, choose ionized; otherwise confirm."
    ]
    response = login(nurse).post(url(patient), form_data(calcium_value="1.10", calcium_type="ionized"))
    assert response.status_code == 302
    assert Visit.objects.get().flags.get().code == "HYPOCALCAEMIA_LAB"


def test_the_live_panel_says_the_calcium_waits_for_its_unit(nurse, patient):
    response = login(nurse).post(reverse("checklists:visit-preview", args=[patient.pk]), typed())
    content = response.content.decode()
    assert 'data-asks-unit-confirmation="1"' in content
    assert "Calcium left out until its unit is confirmed: " + LOW_OR_HIGH in content
    # It may be an emergency: the panel never says "No flags" beside it.
    assert "Unit to confirm" in content and "No flags" not in content and "No findings need review" not in content


@pytest.mark.parametrize(
    ("changed", "words"),
    [
        ({"calcium_unit": "mmol/L", "albumin_value": "40", "albumin_unit": "g/L"}, "5.8 mmol/L is an extreme calcium"),
        ({"calcium_value": "1.90", "calcium_unit": "mmol/L", "albumin_value": "40", "albumin_unit": "g/L"}, "IONIZED"),
    ],
    ids=["unit changed", "value changed to the ionized range"],
)
def test_an_edit_never_carries_a_confirmation_over_to_another_value_or_unit(nurse, doctor, patient, changed, words):
    """Issue 10 review: the box arrives ticked for 5.8 mg/dL; it confirms nothing else."""
    login(nurse).post(url(patient), typed(calcium_unit_confirmed="on", calcium_confirmed_for=FOR_5_8))
    visit = Visit.objects.get()
    edit = reverse("checklists:visit-edit", args=[visit.pk])
    data = typed(
        calcium_unit_confirmed="on",
        calcium_confirmed_for=FOR_5_8,
        lock_version=visit.lock_version,
        change_reason="unit corrected",
        withdraw="HYPOCALCAEMIA_LAB",
        **changed,
    )
    response = login(doctor).post(edit, data)
    assert response.status_code == 200
    assert words in response.context["form"].errors["calcium_value"][0]
    assert 'name="calcium_unit_confirmed"' in response.content.decode()
    assert 'id="id_calcium_unit_confirmed" checked' not in response.content.decode()  # shown unticked
    assert LabResult.objects.get(analyte="calcium_total").unit_confirmed_by == nurse


def test_a_tick_for_a_value_that_needs_no_confirmation_records_none(nurse, patient):
    data = typed(calcium_value="9.5", calcium_unit_confirmed="on", calcium_confirmed_for="9.5 mg/dL total")
    assert login(nurse).post(url(patient), data).status_code == 302
    assert LabResult.objects.get(analyte="calcium_total").unit_confirmed_by is None
