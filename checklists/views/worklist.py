from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from checklists import selectors
from checklists.forms import WorklistFilterForm
from checklists.rules.tiers import Tier
from checklists.worklist import wait_of

from .access import clinic_member_required, clinics_for

PAGE_SIZE = 50


@require_GET
@clinic_member_required
def worklist(request):
    filters = WorklistFilterForm(request.GET, clinics=clinics_for(request.user))
    tier, clinic = "", None
    if filters.is_valid():
        tier, clinic = filters.cleaned_data["tier"], filters.cleaned_data["clinic"]
    flags = selectors.worklist(request.user, tier, clinic)
    page = Paginator(flags, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [(flag, Tier(flag.tier), wait_of(Tier(flag.tier), flag.raised_at, now)) for flag in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filters": filters, "page": page, "rows": rows, "page_query": query.urlencode(), "none_tier": Tier.NONE}
    return render(request, "checklists/worklist.html", context)


@require_GET
@clinic_member_required
def follow_ups(request):
    today = timezone.localdate()
    page = Paginator(selectors.overdue_follow_ups(request.user, today), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(patient, (today - patient.next_follow_up_due).days) for patient in page.object_list]
    return render(request, "checklists/follow_ups.html", {"page": page, "rows": rows})
