from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from checklists import selectors, services, unsaved
from checklists.evaluation import evaluate_entry
from checklists.forms import ImagingFormSet, VisitForm, VoidForm
from checklists.forms.visit import PREFIX_OF_ANALYTE, imaging_entries, initial_from
from checklists.services import autosave
from checklists.services.flags import WITHDRAWAL_REASON_NEEDED
from checklists.unsaved import answers_fetch, keeps_typed_work

from .access import clinic_member_required, get_patient_for_user, get_visit_for_user
from .visit_display import flag_panel_context, visit_page_context

IMAGING_PREFIX = "imaging"


def _bind(items, data=None, partial=False, initial=None, imaging_initial=None, patient=None):
    form = VisitForm(data, items=items, partial=partial, initial=initial, patient=patient)
    imaging = ImagingFormSet(data, prefix=IMAGING_PREFIX, initial=imaging_initial)
    return form, imaging


def _form_page(request, patient, form, imaging, visit=None, status=200, withdrawing=None, autosaved=None):
    context = {
        "autosaved": autosaved,
        "autosave_seconds": settings.VISIT_AUTOSAVE_SECONDS,
        "patient": patient,
        "visit": visit,
        "form": form,
        "imaging": imaging,
        # A change to a visit whose flags a clinician reviewed needs a reason (services.update_visit says so).
        "asks_reason": visit is not None and visit.flags.filter(reviewed_at__isnull=False).exists(),
        # Open urgent or emergency flags this save would withdraw or lower: the page asks why before saving.
        "withdrawing": withdrawing.changes if withdrawing else (),
        "lowering": withdrawing is not None and any(tier is not None for _flag, tier in withdrawing.changes),
        "withdraw_codes": " ".join(withdrawing.codes) if withdrawing else "",
    }
    return render(request, "checklists/visit_form.html", context, status=status)


def _only_redraws(request) -> bool:
    """The no-JavaScript buttons that change the form without saving it, and Enter pressed in a text box."""
    return any(name in request.POST for name in ("no_to_all", "add_imaging", "stay"))


def _rebuilt_without_saving(request, items, patient, visit):
    """Serve the no-JavaScript buttons: "No to all in this section" and "Add another imaging order" (and Enter,
    which only redraws the form)."""
    data = request.POST.copy()
    form = VisitForm(data, items=items)
    if "no_to_all" in data:
        data = form.no_to_all(data["no_to_all"])
    if "add_imaging" in data:
        data[f"{IMAGING_PREFIX}-TOTAL_FORMS"] = str(imaging_rows(data.get(f"{IMAGING_PREFIX}-TOTAL_FORMS")) + 1)
    form, imaging = _bind(items, data, patient=patient)
    return _form_page(request, patient, form, imaging, visit)


@keeps_typed_work
@require_http_methods(["GET", "POST"])
@clinic_member_required
def visit_new(request, patient_pk):
    patient = get_patient_for_user(request, patient_pk)
    items = list(selectors.current_items(patient.clinic))
    if request.method == "GET":
        restored = unsaved.restore(request)
        if restored is not None:
            messages.warning(request, unsaved.RESTORED)
        kept = autosave.autosaved(user=request.user, patient=patient)
        if restored is None and kept is not None and request.GET.get("continue") == "autosave":
            restored = _as_data(kept.data)
            messages.info(request, CONTINUED.format(started=timezone.localtime(kept.started_at)))
            kept = None
        return _form_page(request, patient, *_bind(items, restored, patient=patient), autosaved=kept)
    if _only_redraws(request):
        return _rebuilt_without_saving(request, items, patient, None)
    form, imaging = _bind(items, request.POST, patient=patient)
    if form.is_valid() and imaging.is_valid():
        try:
            visit = services.record_visit(
                patient=patient,
                seen_by=request.user,
                entry=form.entry(imaging_entries(imaging)),
                submission_id=form.cleaned_data["submission_id"],
            )
        except services.AlreadyRecorded as already:
            return _already_recorded(request, already.record, patient)
        except services.IncompleteScreen as incomplete:
            form.add_error(None, str(incomplete))  # the form checks the same rule; kept for a race with a publish
            return _form_page(request, patient, form, imaging)
        except services.ImplausibleRange as crossed:
            _range_errors(form, crossed.problems)
            return _form_page(request, patient, form, imaging)
        except services.ImplausibleDates as dates:
            _add_problems(form, dates.problems)  # the form checks the same rules; kept for a date that just passed
            return _form_page(request, patient, form, imaging)
        autosave.discard(user=request.user, patient=patient)
        messages.success(request, f"Visit saved as {visit.get_status_display().lower()}.")
        return redirect(visit)
    return _form_page(request, patient, form, imaging)


@keeps_typed_work
@require_http_methods(["GET", "POST"])
@clinic_member_required
def visit_edit(request, pk):
    visit = get_visit_for_user(request, pk)
    items = selectors.version_items(visit.checklist_version)
    restored = unsaved.restore(request) if request.method == "GET" else None
    if restored is not None:
        messages.warning(request, unsaved.RESTORED)
        return _form_page(request, visit.patient, *_bind(items, restored, patient=visit.patient), visit)
    if request.method == "GET":
        kept = autosave.autosaved(user=request.user, patient=visit.patient, visit=visit)
        if kept is not None and request.GET.get("continue") == "autosave":
            messages.info(request, CONTINUED.format(started=timezone.localtime(kept.started_at)))
            return _form_page(request, visit.patient, *_bind(items, _as_data(kept.data), patient=visit.patient), visit)
        initial, imaging_initial = initial_from(selectors.visit_entry(visit, recorded_ranges=False), visit.lock_version)
        form, imaging = _bind(items, initial=initial, imaging_initial=imaging_initial)
        return _form_page(request, visit.patient, form, imaging, visit, autosaved=kept)
    if _only_redraws(request):
        return _rebuilt_without_saving(request, items, visit.patient, visit)
    form, imaging = _bind(items, request.POST, patient=visit.patient)
    if form.is_valid() and imaging.is_valid():
        try:
            visit = services.update_visit(
                visit=visit,
                entry=form.entry(imaging_entries(imaging)),
                lock_version=form.cleaned_data["lock_version"] or 0,
                by=request.user,
                reason=form.cleaned_data["change_reason"],
                withdraw=form.cleaned_data["withdraw"],
            )
        except services.VisitChanged as changed:
            return _conflict_page(request, items, visit, str(changed))
        except services.ReasonNeeded as needed:
            form.add_error("change_reason", str(needed))
            return _form_page(request, visit.patient, form, imaging, visit)
        except services.WithdrawalNeedsReason as needed:
            form.add_error("change_reason", WITHDRAWAL_REASON_NEEDED)
            return _form_page(request, visit.patient, form, imaging, visit, withdrawing=needed)
        except services.IncompleteScreen as incomplete:
            form.add_error(None, str(incomplete))  # the form checks the same rule; kept for a race with a publish
            return _form_page(request, visit.patient, form, imaging, visit)
        except services.ImplausibleRange as crossed:
            _range_errors(form, crossed.problems)
            return _form_page(request, visit.patient, form, imaging, visit)
        except services.ImplausibleDates as dates:
            _add_problems(form, dates.problems)
            return _form_page(request, visit.patient, form, imaging, visit)
        except services.OrderMovedOn as moved:
            form.add_error(None, str(moved))
            return _form_page(request, visit.patient, form, imaging, visit)
        except services.VisitVoided as voided:
            messages.error(request, str(voided))
            return redirect(visit)
        autosave.discard(user=request.user, patient=visit.patient, visit=visit)
        messages.success(request, "Visit saved.")
        return redirect(visit)
    return _form_page(request, visit.patient, form, imaging, visit)


def _range_errors(form, problems: dict[str, str]) -> None:
    """Each crossed range next to the limit that was typed (the other one is the clinic's default)."""
    for analyte, message in problems.items():
        prefix = PREFIX_OF_ANALYTE[analyte]
        typed_lower = form.cleaned_data.get(f"{prefix}_lower") is not None
        form.add_error(f"{prefix}_lower" if typed_lower else f"{prefix}_upper", message)


ALREADY_RECORDED = (
    "This visit was saved already (Save was pressed twice, or again after going Back). Nothing was saved twice."
)


def _already_recorded(request, visit, patient):
    """A second submit of one form: show what the first one saved. Another patient's id is no match."""
    if visit.patient_id != patient.pk:
        raise Http404
    messages.info(request, ALREADY_RECORDED)
    return redirect(visit)


def _add_problems(form, problems: dict[str, str]) -> None:
    for field, message in problems.items():
        form.add_error(field if field in form.fields else None, message)


def imaging_rows(count) -> int:
    """The number of imaging rows a form posted, whatever was posted (a mangled count is no rows)."""
    try:
        return max(0, min(int(str(count or 0)), ImagingFormSet.absolute_max))
    except ValueError:
        return 0


def _conflict_page(request, items, visit, message):
    """Keep everything typed, say why it was not saved, and let the next save go ahead."""
    visit.refresh_from_db()
    data = request.POST.copy()
    data["lock_version"] = str(visit.lock_version)
    form, imaging = _bind(items, data, patient=visit.patient)
    form.is_valid()
    form.add_error(None, message)
    return _form_page(request, visit.patient, form, imaging, visit, status=409)


def _preview(request, patient, items, recorded=()):
    form, imaging = _bind(items, request.POST, partial=True)
    form.is_valid()
    imaging.is_valid()
    entry = form.entry(imaging_entries(imaging, partial=True))
    context = flag_panel_context(
        evaluate_entry(patient, entry, items, recorded),
        has_errors=bool(form.errors),
        unit_check=form.errors["calcium_value"][0]
        if form.asks_unit_confirmation and "calcium_value" in form.errors
        else "",
        unit_check_key=form.confirmation_key,
    )
    return render(request, "checklists/_flag_panel.html", context)


CONTINUED = "Your visit as it stood when last autosaved ({started:%H:%M}) is back below. Nothing was saved yet."


def _as_data(fields: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, values in fields.items():
        data.setlist(name, values)
    return data


@answers_fetch
@require_POST
@clinic_member_required
def visit_autosave(request, patient_pk):
    """Keep the new-visit form as it stands (the page posts it every 30 seconds while it changes)."""
    patient = get_patient_for_user(request, patient_pk)
    return _kept(autosave.autosave(user=request.user, patient=patient, data=request.POST))


@answers_fetch
@require_POST
@clinic_member_required
def visit_edit_autosave(request, pk):
    visit = get_visit_for_user(request, pk)
    return _kept(autosave.autosave(user=request.user, patient=visit.patient, visit=visit, data=request.POST))


def _kept(row) -> HttpResponse:
    """What the page may show beside its Save buttons."""
    if row is None:
        return HttpResponse("Already saved.", content_type="text/plain; charset=utf-8")
    kept_at = timezone.localtime(row.saved_at)
    return HttpResponse(f"Autosaved at {kept_at:%H:%M}.", content_type="text/plain; charset=utf-8")


@require_POST
@clinic_member_required
def visit_autosave_discard(request, patient_pk):
    """Drop an autosaved new-visit form the person does not want."""
    patient = get_patient_for_user(request, patient_pk)
    autosave.discard(user=request.user, patient=patient)
    messages.info(request, "The autosaved visit was discarded.")
    return redirect("checklists:visit-new", patient.pk)


@answers_fetch
@require_POST
@clinic_member_required
def visit_preview(request, patient_pk):
    patient = get_patient_for_user(request, patient_pk)
    return _preview(request, patient, list(selectors.current_items(patient.clinic)))


@answers_fetch
@require_POST
@clinic_member_required
def visit_edit_preview(request, pk):
    visit = get_visit_for_user(request, pk)
    return _preview(request, visit.patient, selectors.version_items(visit.checklist_version), visit.lab_results.all())


@require_GET
@clinic_member_required
def visit_detail(request, pk):
    visit = get_visit_for_user(request, pk)
    return render(request, "checklists/visit_detail.html", visit_page_context(visit))


@require_http_methods(["GET", "POST"])
@clinic_member_required
def visit_void(request, pk):
    """Void a visit entered in error, with a reason: it is kept, marked, and leaves the worklist and lists."""
    visit = get_visit_for_user(request, pk)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.void_visit(visit=visit, by=request.user, reason=form.cleaned_data["reason"])
        except (services.VoidRefused, services.VisitVoided) as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "The visit was voided. It stays on record, marked as voided.")
            return redirect(visit)
    return render(request, "checklists/visit_void.html", {"visit": visit, "patient": visit.patient, "form": form})
