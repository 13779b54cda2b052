import datetime
from typing import NamedTuple
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from checklists import selectors
from checklists.context_processors import navigation_counts
from checklists.forms import FollowUpFilterForm, WorklistFilterForm
from checklists.links import Links
from checklists.models import Flag, Recommendation
from checklists.rules.tiers import Tier
from checklists.worklist import Wait, place_actions, wait_of

from .access import clinic_member_required, clinics_for
from .visit_display import draft_note

PAGE_SIZE = 50


class CountedPaginator(Paginator):
    """A paginator told how many items there are when the page already knows (one query less)."""

    def __init__(self, object_list, per_page, count=None):
        super().__init__(object_list, per_page)
        if count is not None:
            self.count = count  # a cached_property: set here, it is never computed


def _filtered_page(request, select, count_of=None) -> dict:
    """The page of flags `select(user, tier, clinic)` returns, filtered by the tier and clinic asked for (a filter
    that does not validate filters nothing), with the query string the page links keep. `count_of(tier, clinic)`
    gives the list's count when it is already known, None when it must be counted."""
    filters = WorklistFilterForm(request.GET, clinics=clinics_for(request.user))
    tier, clinic = _filters(filters)
    count = count_of(tier, clinic) if count_of else None
    paginator = CountedPaginator(select(request.user, tier, clinic), PAGE_SIZE, count)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"filters": filters, "page": page, "page_query": query.urlencode()}


@require_GET
@clinic_member_required
def worklist(request):
    # One count of the open flags per tier serves the navigation and, unless a clinic is chosen, the list: at 10^5
    # visits each of these aggregates joins every open flag to its visit (issue 13).
    open_counts = selectors.open_flag_counts(request.user)
    context = _filtered_page(
        request, selectors.worklist, lambda tier, clinic: selectors.worklist_count(open_counts, tier, clinic)
    )
    context["open_flag_counts"] = navigation_counts(open_counts)
    context["notifications_failing_since"] = selectors.notifications_failing_since()
    now = timezone.now()
    patients, visits, reviews = Links("checklists:patient-detail"), Links("checklists:visit-detail"), Links(REVIEW)
    visit_reviews = Links("checklists:visit-review")
    back = "?" + urlencode({"next": request.get_full_path()})  # the review returns to this page, as filtered
    context["rows"] = [
        WorklistRow(
            flag,
            Tier(flag.tier),
            wait_of(Tier(flag.tier), flag.raised_at, now),
            patients[flag.visit.patient_id],
            visits[flag.visit_id],
            reviews[flag.pk] + back,
            visit_reviews[flag.visit_id] + back,
        )
        for flag in context["page"].object_list
    ]
    tier, clinic = _filters(context["filters"])
    context["rows"] = _with_overdue_actions(context["rows"], context["page"], request.user, now, tier, clinic)
    context["none_tier"] = Tier.NONE
    # How long each recent review took, against its tier's time frame (issue 12 §5).
    context["reviewed"] = [
        WorklistRow(
            flag,
            Tier(flag.tier),
            wait_of(Tier(flag.tier), flag.raised_at, flag.reviewed_at),
            patients[flag.visit.patient_id],
            visits[flag.visit_id],
        )
        for flag in selectors.recently_reviewed(request.user, tier, clinic)
    ]
    return render(request, "checklists/worklist.html", context)


REVIEW = "checklists:flag-review"


def _with_overdue_actions(rows, page, user, now, tier: str, clinic) -> list:
    """The page's flag rows with the overdue actions each after the flags of its tier (issue 15 §4), filtered as
    the flags are."""
    actions = selectors.overdue_actions(user, now, tier, clinic)
    if not actions:
        return rows
    next_tier = None
    if page.has_next():  # the first flag of the next page: do the flags of an action's tier go on there?
        next_tier = Tier(page.paginator.object_list.values_list("tier", flat=True)[page.end_index()])
    placed = place_actions([row.tier for row in rows], actions, next_tier=next_tier, first_page=page.number == 1)
    patients, visits, done = Links("checklists:patient-detail"), Links("checklists:visit-detail"), Links(MARK_DONE)

    def action_rows(index) -> list:
        return [
            ActionRow(
                overdue.action,
                overdue.tier,
                overdue.due_at,
                patients[overdue.action.visit.patient_id],
                visits[overdue.action.visit_id],
                done[overdue.action.pk],
            )
            for overdue in placed.get(index, [])
        ]

    merged = action_rows(-1)
    for index, row in enumerate(rows):
        merged += [row, *action_rows(index)]
    return merged


MARK_DONE = "checklists:action-done"


class ActionRow(NamedTuple):
    """An overdue action as the worklist lists it, its links made once per page (a URL reversed for each of a
    hundred rows was a third of the page's time: issue 13)."""

    action: Recommendation
    tier: Tier
    due_at: datetime.datetime
    patient_url: str
    visit_url: str
    done_url: str


class WorklistRow(NamedTuple):
    """A flag as the worklist lists it, its links made once per page (checklists/links.py)."""

    flag: Flag
    tier: Tier
    wait: Wait
    patient_url: str
    visit_url: str
    review_url: str = ""
    visit_review_url: str = ""


def _filters(filters) -> tuple:
    if filters.is_valid():
        return filters.cleaned_data["tier"], filters.cleaned_data["clinic"]
    return "", None


@require_GET
@clinic_member_required
def follow_ups(request):
    """Follow-ups overdue, or due in the next 7 or 30 days, with each patient's last visit tier and open flags."""
    today = timezone.localdate()
    filters = FollowUpFilterForm(request.GET)
    days_ahead = filters.days_ahead()
    patients = selectors.follow_ups(request.user, today, days_ahead)
    page = Paginator(patients, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        FollowUpRow(patient, (patient.next_follow_up_due - today).days, Tier(patient.last_tier or Tier.NONE))
        for patient in page.object_list
    ]
    choices = [
        (value, label, value == (str(days_ahead) if days_ahead else filters.OVERDUE))
        for value, label in filters.fields["due"].choices
    ]
    return render(
        request,
        "checklists/follow_ups.html",
        {
            "page": page,
            "rows": rows,
            "choices": choices,
            "overdue": days_ahead is None,
            "page_query": urlencode({"due": str(days_ahead) if days_ahead else filters.OVERDUE}),
        },
    )


class FollowUpRow(NamedTuple):
    patient: object
    days: int  # from today to the date due: negative when overdue
    last_tier: Tier

    @property
    def overdue_by(self) -> int:
        return -self.days


@require_GET
@clinic_member_required
def withdrawn_flags(request):
    """The flags edits withdrew in the user's clinics, so a clinical lead can check each withdrawal was right."""
    return render(request, "checklists/withdrawn_flags.html", _filtered_page(request, selectors.withdrawn_flags))


@require_GET
@clinic_member_required
def drafts(request):
    """Visits saved as drafts: the user's own (the default), or the whole clinic's, so none is forgotten."""
    mine = request.GET.get("whose") != "clinic"
    page = Paginator(selectors.drafts(request.user, mine=mine), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(visit, draft_note(visit, visit.unasked_floor)) for visit in page.object_list]
    query = {"whose": "mine" if mine else "clinic"}
    context = {"page": page, "rows": rows, "mine": mine, "page_query": urlencode(query)}
    return render(request, "checklists/drafts.html", context)
