from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from checklists import services
from checklists.forms import ReviewForm
from checklists.models import SecurityAction
from checklists.services import roles, security_events
from checklists.services.reviews import ReviewRefused

from .access import clinic_member_required, get_flag_for_user


def _next_url(request, flag) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return reverse("checklists:visit-detail", args=[flag.visit_id])


@require_http_methods(["GET", "POST"])
@clinic_member_required
def flag_review(request, pk):
    flag = get_flag_for_user(request, pk)
    next_url = _next_url(request, flag)
    form = ReviewForm(request.POST or None, flag=flag)
    # A nurse opening an emergency is told who may sign it off, before typing a note (the service decides).
    refusal = roles.review_refusal(request.user, flag)
    context = {"flag": flag, "form": form, "next": next_url, "patient": flag.visit.patient, "refusal": refusal}
    if refusal:
        if request.method != "POST":
            return render(request, "checklists/flag_review.html", context)
        security_events.record(request, SecurityAction.DENIED_ROLE, obj=flag, clinic=flag.visit.clinic)
        return render(request, "checklists/flag_review.html", context, status=403)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_flag(flag=flag, by=request.user, **form.review())
        except services.FlagNotOpen as not_open:
            messages.warning(request, f"{not_open} Nothing more was recorded.")
            return redirect(next_url)
        except services.VisitVoided as voided:
            messages.error(request, str(voided))
            return redirect(next_url)
        except services.NotPermitted as not_permitted:  # the role changed since the page was drawn
            security_events.record(request, SecurityAction.DENIED_ROLE, obj=flag, clinic=flag.visit.clinic)
            context["refusal"] = str(not_permitted)
            return render(request, "checklists/flag_review.html", context, status=403)
        except ReviewRefused as refused:
            for field, message in refused.problems.items():
                form.add_error(field if field in form.fields else None, message)
            return render(request, "checklists/flag_review.html", context)
        messages.success(request, f"Review recorded: {flag.title} \u2014 {flag.visit.patient}.")
        return redirect(next_url)
    return render(request, "checklists/flag_review.html", context)
