"""Following recommended actions and imaging orders through (issue 15 §4): mark an action done (who, when, how),
move an order ordered → booked → done or cancelled. Thin: the service decides."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from checklists import services
from checklists.forms.actions import ActionDoneForm, OrderStatusForm
from checklists.models import ImagingOrder, Recommendation

from .access import clinic_member_required, get_visit_row_for_user


@require_http_methods(["GET", "POST"])
@clinic_member_required
def action_done(request, pk):
    action = get_visit_row_for_user(request, Recommendation, pk)
    form = ActionDoneForm(request.POST or None)
    context = {"action": action, "visit": action.visit, "patient": action.visit.patient, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_action_done(recommendation=action, by=request.user, how=form.cleaned_data["how"])
        except services.ActionRefused as refused:
            form.add_error("how", refused.problems["how"])
        except (services.NotPermitted, services.VisitVoided) as refused:
            messages.error(request, str(refused))
            return redirect(action.visit)
        else:
            messages.success(request, f"Marked done: {action.text}.")
            return redirect(action.visit)
    return render(request, "checklists/action_done.html", context)


@require_http_methods(["GET", "POST"])
@clinic_member_required
def order_status(request, pk):
    order = get_visit_row_for_user(request, ImagingOrder, pk)
    form = OrderStatusForm(request.POST or None)
    context = {"order": order, "visit": order.visit, "patient": order.visit.patient, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            services.move_order(order=order, by=request.user, **form.move())
        except services.ActionRefused as refused:
            for field, message in refused.problems.items():
                form.add_error(field if field in form.fields else None, message)
        except (services.NotPermitted, services.VisitVoided) as refused:
            messages.error(request, str(refused))
            return redirect(order.visit)
        else:
            messages.success(request, f"{order}: {form.cleaned_data['status']}.")
            return redirect(order.visit)
    return render(request, "checklists/order_status.html", context)
