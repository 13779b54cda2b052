from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from checklists import clinical_history, selectors
from checklists.models import SecurityAction, Visit
from checklists.services.security_events import record

from .access import clinic_member_required, get_visit_for_user
from .visit_display import visit_page_context


@require_GET
@clinic_member_required
def visit_summary(request, pk):
    """The one-page visit summary for the record, with its print stylesheet."""
    visit = get_visit_for_user(request, pk, selectors.with_first_print(Visit.objects.all()))
    record(request, SecurityAction.PRINT_SUMMARY, obj=visit, clinic=visit.clinic)
    context = visit_page_context(visit) | {
        "printed_at": timezone.now(),
        "printed_by": request.user,
        "print": True,
        "first_printed": visit.first_printed_at,
        # A printout on file must say it is not the last word when the visit was edited since (issue 12 §4).
        "amended": clinical_history.last_change(visit) if visit.changed_since_first_print else None,
    }
    return render(request, "checklists/visit_summary.html", context)


@require_GET
@clinic_member_required
def visit_summary_page_style(request, pk):
    """The printed page's margins name the patient on every page (a loose page 2 can be filed to the right
    record). A stylesheet of its own, as the content-security policy allows no inline styles."""
    visit = get_visit_for_user(request, pk)
    patient = visit.patient
    who = css_string(f"{patient} · MRN {patient.mrn} · born {patient.date_of_birth:%-d %b %Y}")
    when = css_string(f"Visit {visit.visit_date:%-d %b %Y}")
    look = "font-size: 8pt; font-family: sans-serif;"
    css = f"@page {{\n  @top-left {{ content: {who}; {look} }}\n  @top-right {{ content: {when}; {look} }}\n}}\n"
    return HttpResponse(css, content_type="text/css; charset=utf-8")


def css_string(text: str) -> str:
    """A CSS string literal of any text: everything but letters, digits, spaces and plain punctuation escaped, so
    no name can end the string or the rule."""
    safe = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.·-")
    # CSS eats one space after a hex escape: give it one, so "José María" keeps the space after "é".
    return '"' + "".join(char if char in safe else f"\\{ord(char):06x} " for char in text) + '"'
