from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from checklists import searches, selectors, services
from checklists.forms import PatientForm, PatientSearchForm
from checklists.trends import patient_trends

from .access import clinic_member_required, clinics_for, get_patient_for_user

PAGE_SIZE = 25


SEARCH_ENDED = "That search has ended (searches last as long as you stay signed in). Search again."


@require_http_methods(["GET", "POST"])
@clinic_member_required
def patient_list(request):
    """The patients of your clinics; a search is POSTed and shown under a key, never with the name in the URL."""
    search = PatientSearchForm(request.POST or None)
    if request.method == "POST" and search.is_valid():
        query = search.cleaned_data["q"].strip()
        if not query:
            return redirect("checklists:patient-list")
        key = searches.remember(request.session, query)
        return redirect(f"{reverse('checklists:patient-list')}?{urlencode({'search': key})}")
    key = request.GET.get("search", "")
    query = searches.recall(request.session, key) or ""
    if request.method == "GET":
        search = PatientSearchForm(initial={"q": query})
        if key and not query:
            messages.info(request, SEARCH_ENDED)
    page = Paginator(selectors.search_patients(request.user, query), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "search": search,
        "query": query,
        "page": page,
        "page_query": urlencode({"search": key}) if query else "",
        "export_clinics": clinics_for(request.user),
    }
    return render(request, "checklists/patient_list.html", context)


@require_http_methods(["GET", "POST"])
@clinic_member_required
def patient_new(request):
    form = PatientForm(request.POST or None, clinics=clinics_for(request.user))
    if request.method == "POST" and form.is_valid():
        patient = services.create_patient(clinic=form.cleaned_data["clinic"], by=request.user, **form.details())
        messages.success(request, f"Added {patient}.")
        return redirect(patient)
    return render(request, "checklists/patient_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@clinic_member_required
def patient_edit(request, pk):
    patient = get_patient_for_user(request, pk)
    form = PatientForm(request.POST or None, instance=patient, clinics=clinics_for(request.user))
    if request.method == "POST" and form.is_valid():
        services.update_patient(patient=patient, by=request.user, **form.details())
        messages.success(request, f"Saved {patient}.")
        return redirect(patient)
    return render(request, "checklists/patient_form.html", {"form": form, "patient": patient})


@require_GET
@clinic_member_required
def patient_detail(request, pk):
    patient = get_patient_for_user(request, pk)
    visits = list(selectors.patient_visits(patient))
    kept = [visit for visit in visits if not visit.is_voided]
    context = {
        "patient": patient,
        "visits": kept,
        "voided_visits": [visit for visit in visits if visit.is_voided],
        "open_flags": selectors.open_flags_of_patient(patient),
        "withdrawn": selectors.withdrawn_flags_of_patient(patient),
        "trends": patient_trends(kept, patient.clinic.calcium_unit, selectors.clinic_reference_ranges(patient.clinic)),
    }
    return render(request, "checklists/patient_detail.html", context)
