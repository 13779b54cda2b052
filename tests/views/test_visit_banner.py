"""Issue 15 §3: once every emergency (or urgent) flag of a visit is reviewed, the visit's banner says who
reviewed it and when, instead of "Act now"."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from checklists import services
from checklists.models.choices import ReviewAction
from checklists.rules.tiers import Tier
from tests.conftest import visit_entry

from .helpers import login

pytestmark = pytest.mark.django_db


def banner(client, visit) -> str:
    page = client.get(reverse("checklists:visit-detail", args=[visit.pk])).content.decode()
    start = page.index('class="tier-banner')
    return page[start : page.index("</div>", start)]


def review(flag, doctor, at):
    with freeze_time(at):
        services.review_flag(flag=flag, by=doctor, action=ReviewAction.MSCC_COORDINATOR, note="MRI tonight")


def test_act_now_until_every_emergency_is_reviewed_then_who_and_when(patient, nurse, doctor):
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(limb_weakness=True, confusion=True))
    emergencies = list(visit.flags.filter(tier="emergency"))
    client = login(nurse)
    assert Tier.EMERGENCY.meaning in banner(client, visit)
    at = datetime.datetime(2026, 11, 20, 18, 40, tzinfo=datetime.UTC)
    review(emergencies[0], doctor, at)
    if len(emergencies) > 1:  # one still open: still "Act now"
        assert Tier.EMERGENCY.meaning in banner(client, visit)
        for flag in emergencies[1:]:
            review(flag, doctor, at)
    shown = banner(client, visit)
    assert Tier.EMERGENCY.meaning not in shown
    assert "Emergency reviewed by Bea Doctor at 18:40 on 20 Nov 2026." in shown
    assert "tier-banner-reviewed" in shown


def test_a_prompt_review_visit_keeps_its_meaning_after_review(patient, nurse, doctor):
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(nausea=True))
    for flag in visit.flags.all():
        services.review_flag(flag=flag, by=doctor, action=ReviewAction.SEEN_IN_CLINIC, note="")
    assert "reviewed by" not in banner(login(nurse), visit)
