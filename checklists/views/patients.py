from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from checklists import selectors, services
from checklists.forms import PatientForm, PatientSearchForm
from checklists.trends import patient_trends

from .access import clinic_member_required, clinics_for, get_patient_for_user

PAGE_SIZE = 25


@require_GET
@clinic_member_required
def patient_list(request):
    search = PatientSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    page = Paginator(selectors.search_patients(request.user, query), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "search": search,
        "query": query,
        "page": page,
        "page_query": urlencode({"q": query}) if query else "",
        "export_clinics": clinics_for(request.user),
    }
    return render(request, "checklists/patient_list.html", context)


@require_http_methods(["GET", "POST"])
@clinic_member_required
def patient_new(request):
    form = PatientForm(request.POST or None, clinics=clinics_for(request.user))
    if request.method == "POST" and form.is_valid():
        patient = services.create_patient(clinic=form.cleaned_data["clinic"], **form.details())
        messages.success(request, f"Added {patient}.")
        return redirect(patient)
    return render(request, "checklists/patient_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@clinic_member_required
def patient_edit(request, pk):
    patient = get_patient_for_user(request, pk)
    form = PatientForm(request.POST or None, instance=patient, clinics=clinics_for(request.user))
    if request.method == "POST" and form.is_valid():
        services.update_patient(patient=patient, **form.details())
        messages.success(request, f"Saved {patient}.")
        return redirect(patient)
    return render(request, "checklists/patient_form.html", {"form": form, "patient": patient})


@require_GET
@clinic_member_required
def patient_detail(request, pk):
    patient = get_patient_for_user(request, pk)
    visits = list(selectors.patient_visits(patient))
    context = {
        "patient": patient,
        "visits": visits,
        "open_flags": selectors.open_flags_of_patient(patient),
        "trends": patient_trends(
            visits, patient.clinic.calcium_unit, selectors.clinic_reference_ranges(patient.clinic)
        ),
    }
    return render(request, "checklists/patient_detail.html", context)
