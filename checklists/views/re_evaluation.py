from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from checklists import services
from checklists.forms.visit import LockForm

from .access import clinic_member_required, get_visit_for_user


@require_http_methods(["GET", "POST"])
@clinic_member_required
def visit_re_evaluate(request, pk):
    """Show what today's rules would change in a past visit; apply it only when asked, recording who did."""
    visit = get_visit_for_user(request, pk)
    if request.method == "POST":
        lock = LockForm(request.POST)
        try:
            # A lock version that does not parse is stale by definition: look at the differences again.
            lock_version = lock.cleaned_data["lock_version"] if lock.is_valid() else -1
            services.re_evaluate_visit(visit=visit, by=request.user, lock_version=lock_version)
        except services.VisitChanged as changed:
            messages.warning(request, str(changed))
            return redirect("checklists:visit-re-evaluate", visit.pk)
        except services.VisitVoided as voided:
            messages.error(request, str(voided))
            return redirect(visit)
        messages.success(request, "The visit was re-evaluated with the current rules.")
        return redirect(visit)
    context = {"visit": visit, "patient": visit.patient, "comparison": services.compare(visit)}
    return render(request, "checklists/visit_re_evaluate.html", context)
