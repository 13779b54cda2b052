from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from checklists import services
from checklists.forms.visit import ReEvaluateForm
from checklists.models import SecurityAction
from checklists.services import roles, security_events
from checklists.services.flags import WITHDRAWAL_REASON_NEEDED

from .access import clinic_member_required, get_visit_for_user


@require_http_methods(["GET", "POST"])
@clinic_member_required
def visit_re_evaluate(request, pk):
    """Show what today's rules would change in a past visit; apply it only when asked, recording who did."""
    visit = get_visit_for_user(request, pk)
    form = ReEvaluateForm(request.POST or None)
    if request.method == "POST":
        try:
            # A lock version that does not parse is stale by definition: look at the differences again.
            valid = form.is_valid()
            services.re_evaluate_visit(
                visit=visit,
                by=request.user,
                lock_version=form.cleaned_data["lock_version"] if valid else -1,
                reason=form.cleaned_data.get("reason", "") if valid else "",
                withdraw=form.cleaned_data.get("withdraw", frozenset()) if valid else frozenset(),
            )
        except services.NotPermitted as not_permitted:
            security_events.record(request, SecurityAction.DENIED_ROLE, obj=visit, clinic=visit.clinic)
            messages.error(request, str(not_permitted))
            return redirect(visit)
        except services.WithdrawalNeedsReason:
            form = ReEvaluateForm(request.POST)
            form.is_valid()
            form.add_error("reason", WITHDRAWAL_REASON_NEEDED)
            return _compare_page(request, visit, form)
        except services.VisitChanged as changed:
            messages.warning(request, str(changed))
            return redirect("checklists:visit-re-evaluate", visit.pk)
        except services.VisitVoided as voided:
            messages.error(request, str(voided))
            return redirect(visit)
        messages.success(request, "The visit was re-evaluated with the current rules.")
        return redirect(visit)
    return _compare_page(request, visit, form)


def _compare_page(request, visit, form):
    context = {
        "visit": visit,
        "patient": visit.patient,
        "comparison": services.compare(visit),
        "form": form,
        # The service's own answer, shown before anyone presses the button (the service decides again on POST).
        "refusal": roles.re_evaluation_refusal(request.user, visit),
    }
    return render(request, "checklists/visit_re_evaluate.html", context)
