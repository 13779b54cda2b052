"""The clinical history pages: every change to a visit, a flag or a patient's record, in clinic words."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from checklists import clinical_history

from .access import clinic_member_required, get_flag_for_user, get_patient_for_user, get_visit_for_user


def _page(request, *, heading, back, patient, changes, show_visits=False):
    context = {
        "heading": heading,
        "back": back,
        "patient": patient,
        "changes": changes,
        "show_visits": show_visits,
    }
    return render(request, "checklists/history.html", context)


@require_GET
@clinic_member_required
def visit_history(request, pk):
    visit = get_visit_for_user(request, pk)
    return _page(
        request,
        heading=f"History of the visit of {visit.visit_date:%-d %b %Y}",
        back=visit.get_absolute_url(),
        patient=visit.patient,
        changes=clinical_history.visit_history(visit),
    )


@require_GET
@clinic_member_required
def flag_history(request, pk):
    flag = get_flag_for_user(request, pk)
    return _page(
        request,
        heading=f"History of the flag “{flag.title}” ({flag.visit.visit_date:%-d %b %Y})",
        back=flag.visit.get_absolute_url(),
        patient=flag.visit.patient,
        changes=clinical_history.flag_history(flag),
    )


@require_GET
@clinic_member_required
def patient_history(request, pk):
    patient = get_patient_for_user(request, pk)
    return _page(
        request,
        heading="History of the patient's record and visits",
        back=patient.get_absolute_url(),
        patient=patient,
        changes=clinical_history.patient_history(patient),
        show_visits=True,
    )
