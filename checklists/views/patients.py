from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from checklists import searches, selectors, services, unsaved
from checklists.forms import PatientForm, PatientSearchForm
from checklists.models import Patient
from checklists.services import autosave
from checklists.trends import patient_trends
from checklists.unsaved import keeps_typed_work

from .access import clinic_member_required, clinics_for, get_patient_for_user
from .visit_display import draft_note

PAGE_SIZE = 25


PATIENT_ALREADY_ADDED = "{patient} was added already (the form was sent twice). Nothing was added twice."
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


def _already_added(request, pk):
    patient = get_patient_for_user(request, pk)
    messages.info(request, PATIENT_ALREADY_ADDED.format(patient=patient))
    return redirect(patient)


@keeps_typed_work
@require_http_methods(["GET", "POST"])
@clinic_member_required
def patient_new(request):
    restored = unsaved.restore(request) if request.method == "GET" else None
    if restored is not None:
        messages.warning(request, unsaved.RESTORED)
    form = PatientForm(request.POST or restored, clinics=clinics_for(request.user))
    if request.method == "POST" and "stay" in request.POST:  # sent only to be kept over a sign-in: not a save
        return render(request, "checklists/patient_form.html", {"form": form})
    if request.method == "POST":
        # Before validating: a second submit would otherwise be refused as a duplicate MRN.
        earlier = services.recorded_with(Patient, request.POST.get("submission_id"))
        if earlier is not None:
            return _already_added(request, earlier.pk)
    if request.method == "POST" and form.is_valid():
        try:
            patient = services.create_patient(
                clinic=form.cleaned_data["clinic"],
                by=request.user,
                submission_id=form.cleaned_data["submission_id"],
                **form.details(),
            )
        except services.AlreadyRecorded as already:
            return _already_added(request, already.record.pk)
        messages.success(request, f"Added {patient}.")
        return redirect(patient)
    return render(request, "checklists/patient_form.html", {"form": form})


@keeps_typed_work
@require_http_methods(["GET", "POST"])
@clinic_member_required
def patient_edit(request, pk):
    patient = get_patient_for_user(request, pk)
    restored = unsaved.restore(request) if request.method == "GET" else None
    if restored is not None:
        messages.warning(request, unsaved.RESTORED)
    form = PatientForm(request.POST or restored, instance=patient, clinics=clinics_for(request.user))
    if request.method == "POST" and "stay" in request.POST:  # sent only to be kept over a sign-in: not a save
        return render(request, "checklists/patient_form.html", {"form": form, "patient": patient})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_patient(
                patient=patient, by=request.user, lock_version=form.cleaned_data["lock_version"], **form.details()
            )
        except services.PatientChanged as changed:
            return _patient_conflict(request, form, changed.stored)
        messages.success(request, f"Saved {patient}.")
        return redirect(patient)
    return render(request, "checklists/patient_form.html", {"form": form, "patient": patient})


def _patient_conflict(request, form, stored):
    """Keep what was typed, show what the other person changed, and let the next save go ahead."""
    latest = stored.history.select_related("history_user").first()
    # The version this person started from, from the history: the other person's changes are what differ from it.
    started = stored.history.filter(lock_version=form.cleaned_data["lock_version"]).first()
    data = request.POST.copy()
    data["lock_version"] = str(stored.lock_version)
    typed = PatientForm(data, instance=Patient.objects.get(pk=stored.pk), clinics=clinics_for(request.user))
    typed.is_valid()
    typed.add_error(None, services.patients.PATIENT_CHANGED)
    context = {
        "form": typed,
        "patient": stored,
        "their_changes": typed.changes_between(started, stored) if started else [],
        "saved_by": latest.history_user if latest else None,
        "saved_at": latest.history_date if latest else None,
    }
    return render(request, "checklists/patient_form.html", context, status=409)


@require_GET
@clinic_member_required
def patient_detail(request, pk):
    patient = get_patient_for_user(request, pk)
    visits = list(selectors.patient_visits(patient))
    kept = [visit for visit in visits if not visit.is_voided]
    for visit in visits:
        visit.draft_note = draft_note(visit, visit.unasked_floor)
    open_flags, withdrawn = selectors.flags_of_patient(visits)
    context = {
        "patient": patient,
        "visits": kept,
        "voided_visits": [visit for visit in visits if visit.is_voided],
        "open_flags": open_flags,
        "open_actions": selectors.open_actions_of_patient(patient),
        "withdrawn": withdrawn,
        "autosaved": autosave.autosaved(user=request.user, patient=patient),
        "trends": patient_trends(kept, patient.clinic.calcium_unit, selectors.clinic_reference_ranges(patient.clinic)),
    }
    return render(request, "checklists/patient_detail.html", context)
