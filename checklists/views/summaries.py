from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from checklists.models import SecurityAction
from checklists.services.security_events import record

from .access import clinic_member_required, get_visit_for_user
from .visit_display import visit_page_context


@require_GET
@clinic_member_required
def visit_summary(request, pk):
    """The one-page visit summary for the record, with its print stylesheet."""
    visit = get_visit_for_user(request, pk)
    record(request, SecurityAction.PRINT_SUMMARY, obj=visit, clinic=visit.clinic)
    context = visit_page_context(visit) | {"printed_at": timezone.now(), "printed_by": request.user, "print": True}
    return render(request, "checklists/visit_summary.html", context)
