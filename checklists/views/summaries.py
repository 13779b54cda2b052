from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from checklists import services

from .access import clinic_member_required, get_visit_for_user
from .visit_display import visit_page_context


@require_GET
@clinic_member_required
def visit_summary(request, pk):
    """The one-page visit summary for the record, with its print stylesheet."""
    visit = get_visit_for_user(request, pk)
    context = visit_page_context(visit) | {"printed_at": timezone.now(), "printed_by": request.user, "print": True}
    return render(request, "checklists/visit_summary.html", context)


@require_http_methods(["GET", "POST"])
@clinic_member_required
def visit_re_evaluate(request, pk):
    """Show what today's rules would change in a past visit; apply it only when asked, recording who did."""
    visit = get_visit_for_user(request, pk)
    if request.method == "POST":
        try:
            services.re_evaluate_visit(
                visit=visit, by=request.user, lock_version=int(request.POST.get("lock_version") or 0)
            )
        except services.VisitChanged as changed:
            messages.warning(request, str(changed))
            return redirect("checklists:visit-re-evaluate", visit.pk)
        messages.success(request, "The visit was re-evaluated with the current rules.")
        return redirect(visit)
    context = {"visit": visit, "patient": visit.patient, "comparison": services.compare(visit)}
    return render(request, "checklists/visit_re_evaluate.html", context)
