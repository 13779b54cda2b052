"""The clinic's time-to-review report: at a glance (a small chart), as a table, and as a spreadsheet."""

import csv

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from checklists import review_times
from checklists.exports import spreadsheet_safe
from checklists.models import Clinic
from checklists.rules.tiers import Tier
from checklists.worklist import TIME_FRAME_LABELS

from .access import clinic_member_required

CHART_TIERS = (Tier.EMERGENCY, Tier.URGENT, Tier.PROMPT_REVIEW)
CSV_COLUMNS = [
    "clinic",
    "month",
    "tier",
    "time frame",
    "flags raised",
    "reviewed",
    "reviewed in time",
    "reviewed in time (%)",
    "median time to review (hours)",
    "90th percentile (hours)",
    "still open",
    "overdue",
    "withdrawn or carried over",
]


class ReportClinicForm(forms.Form):
    """Which of the user's clinics the report is about (the first when none is chosen)."""

    clinic = forms.ModelChoiceField(queryset=Clinic.objects.none(), required=False, empty_label=None)

    def __init__(self, data, *, user):
        super().__init__(data)
        self.fields["clinic"].queryset = Clinic.objects.of(user).order_by("name")

    def chosen(self):
        if self.is_valid() and self.cleaned_data["clinic"]:
            return self.cleaned_data["clinic"]
        return self.fields["clinic"].queryset.first()


def _report(request):
    form = ReportClinicForm(request.GET or None, user=request.user)
    clinic = form.chosen()
    if clinic is None:  # a superuser of a site with no clinic yet
        raise Http404("There is no clinic to report on yet.")
    return form, clinic, review_times.report([clinic], timezone.now())


@require_GET
@clinic_member_required
def review_time_report(request):
    form, clinic, rows = _report(request)
    months = review_times.first_months(timezone.now())
    by_month = [(month, [row for row in rows if row.month == month]) for month in reversed(months)]
    # A month in which no flag was raised is one line of "none", not four rows of zeros.
    by_month = [(month, month_rows) for month, month_rows in by_month if any(row.raised for row in month_rows)]
    context = {
        "form": form,
        "clinic": clinic,
        "by_month": by_month,
        "chart": chart(rows, months),
        "time_frames": [(tier.label.lower(), TIME_FRAME_LABELS[tier]) for tier in review_times.TIERS],
    }
    return render(request, "checklists/review_times.html", context)


@require_GET
@clinic_member_required
def review_time_export(request):
    _form, clinic, rows = _report(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bonemets-review-times-{clinic.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                spreadsheet_safe(clinic.name),
                f"{row.month:%Y-%m}",
                row.tier.label,
                row.time_frame,
                row.raised,
                row.reviewed,
                "" if row.in_time is None else row.in_time,
                "" if row.in_time_share is None else row.in_time_share,
                _hours(row.median),
                _hours(row.p90),
                row.still_open,
                row.overdue,
                row.closed_otherwise,
            ]
        )
    return response


def _hours(taken) -> str:
    return "" if taken is None else f"{taken.total_seconds() / 3600:.1f}"


WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 170, 34, 24, 8


def chart(rows, months) -> dict:
    """Bars of the share reviewed in time, per month and tier with a clock; a month without reviews has none."""
    group = (WIDTH - LEFT) / len(months)
    bar = group / (len(CHART_TIERS) + 1)
    plot = HEIGHT - BOTTOM - TOP
    shares = {(row.month, row.tier): row for row in rows}
    bars = []
    for index, month in enumerate(months):
        for offset, tier in enumerate(CHART_TIERS):
            row = shares[month, tier]
            if row.in_time_share is None:
                continue
            height = plot * row.in_time_share / 100
            bars.append(
                {
                    "x": round(LEFT + index * group + (offset + 0.5) * bar, 1),
                    "y": round(TOP + plot - height, 1),
                    "width": round(bar, 1),
                    "height": round(height, 1),
                    "tier": tier,
                    "label": f"{month:%b %Y}, {tier.label}: {row.in_time_share}% of {row.judged} reviewed within "
                    f"{row.time_frame}",
                }
            )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH,
        "bars": bars,
        "tiers": CHART_TIERS,
        "ticks": [(round(TOP + plot * (1 - share / 100), 1), f"{share}%") for share in (0, 50, 100)],
        "months": [(round(LEFT + index * group + group / 2, 1), f"{month:%b}") for index, month in enumerate(months)],
        "baseline": HEIGHT - BOTTOM,
    }
