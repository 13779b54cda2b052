from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from checklists import selectors, services
from checklists.forms import ReviewForm, VisitReviewForm
from checklists.models import SecurityAction
from checklists.models.choices import FlagStatus
from checklists.services import roles, security_events
from checklists.services.reviews import ReviewRefused
from checklists.services.visits import VISIT_VOIDED

from .access import clinic_member_required, get_flag_for_user, get_visit_for_user
from .visit_display import visit_facts


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
    context = {
        "flag": flag,
        "form": form,
        "next": next_url,
        "patient": flag.visit.patient,
        "refusal": refusal,
        "notifications": selectors.flag_notifications(flag),
    }
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


@require_http_methods(["GET", "POST"])
@clinic_member_required
def visit_review(request, pk):
    """Review a visit in one pass (issue 15 §3): its open flags with its labs, scores, answers and actions; one
    action and note for the flags ticked, each flag keeping its own review."""
    visit = get_visit_for_user(request, pk)
    next_url = _visit_next_url(request, visit)
    if request.method == "POST" and visit.is_voided:
        messages.error(request, VISIT_VOIDED)
        return redirect(visit)
    flags = list(selectors.visit_flags(visit))
    refusal = roles.review_refusals(request.user, visit.clinic)
    # Every flag the person may sign off is a valid choice, open or not: a flag reviewed since the page was drawn
    # is then refused by the service, with who reviewed it, rather than as "not one of the choices".
    signable = [flag for flag in flags if not refusal(flag)]
    open_flags = [flag for flag in flags if flag.status == FlagStatus.OPEN]
    mine = [flag for flag in open_flags if flag in signable]
    form = VisitReviewForm(request.POST or None, flags=mine, choices=signable)
    context = visit_review_context(visit, open_flags, mine, form, next_url, refusal)
    if request.method == "POST" and form.is_valid():
        try:
            reviewed = services.review_visit(visit=visit, by=request.user, **form.review())
        except services.NotPermitted:  # the role changed since the page was drawn
            security_events.record(request, SecurityAction.DENIED_ROLE, obj=visit, clinic=visit.clinic)
            return render(request, "checklists/visit_review.html", context, status=403)
        except services.VisitVoided as voided:
            messages.error(request, str(voided))
            return redirect(visit)
        except services.FlagsNotOpen as gone:
            # What was typed stays; the list is drawn again without the flags someone else dealt with.
            mine = [flag for flag in mine if flag not in gone.flags]
            open_flags = [flag for flag in open_flags if flag not in gone.flags]
            form = VisitReviewForm(request.POST, flags=mine, choices=signable)
            form.is_valid()
            form.add_error("flags", str(gone))
            context = visit_review_context(visit, open_flags, mine, form, next_url, refusal)
        except ReviewRefused as refused:
            for field, message in refused.problems.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            count = len(reviewed)
            messages.success(request, f"Review recorded for {count} flag{'s' if count != 1 else ''}: {visit.patient}.")
            return redirect(next_url)
    return render(request, "checklists/visit_review.html", context)


def visit_review_context(visit, open_flags, mine, form, next_url, refusal) -> dict:
    others = [flag for flag in open_flags if flag not in mine]
    ticked = {str(value) for value in (form["flags"].value() or [])}
    return {
        "visit": visit,
        "patient": visit.patient,
        "form": form,
        "next": next_url,
        "rows": [(flag, str(flag.pk) in ticked) for flag in mine],
        "not_mine": [(flag, refusal(flag)) for flag in others],
        **visit_facts(visit),
    }


def _visit_next_url(request, visit) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return visit.get_absolute_url()
