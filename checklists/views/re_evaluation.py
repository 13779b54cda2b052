from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from checklists import services

from .access import clinic_member_required, get_visit_for_user


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
