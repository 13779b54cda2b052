"""What a notification says: tier, clinic, time and a link, never patient data (issue 15 §1).

An email or pager message leaves the hospital's control (a phone's lock screen, a mail server's logs), so it names
no patient, no finding and no reason: the link opens bonemets, which asks the reader to sign in.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from checklists.rules.tiers import Tier
from checklists.rules.time_frames import REVIEW_TIME_FRAME_LABELS


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def _at(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _on(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d %b %Y")


def link(flag_pk: int | None) -> str:
    """The flag's review page (the worklist for a test), on the address staff reach the site at."""
    path = reverse("checklists:flag-review", args=[flag_pk]) if flag_pk else reverse("checklists:worklist")
    return settings.SITE_URL.rstrip("/") + path


def raised(tier: Tier, clinic_name: str, raised_at: datetime.datetime, flag_pk: int) -> Message:
    word = tier.label.upper()
    return Message(
        subject=f"bonemets: {word} flag in {clinic_name}",
        body=(
            f"An {word} flag was raised in {clinic_name} at {_at(raised_at)} on {_on(raised_at)} — open bonemets: "
            f"{link(flag_pk)}\n\n{tier.meaning}\n"
        ),
    )


def escalated(tier: Tier, clinic_name: str, raised_at: datetime.datetime, flag_pk: int) -> Message:
    word = tier.label.upper()
    frame = REVIEW_TIME_FRAME_LABELS[tier]
    return Message(
        subject=f"bonemets: {word} flag in {clinic_name} not reviewed within {frame}",
        body=(
            f"An {word} flag raised in {clinic_name} at {_at(raised_at)} on {_on(raised_at)} has not been reviewed "
            f"within {frame} — open bonemets: {link(flag_pk)}\n\nYou are the clinic's escalation contact.\n"
        ),
    )


def test(clinic_name: str, sent_at: datetime.datetime) -> Message:
    return Message(
        subject=f"bonemets: test notification for {clinic_name}",
        body=(
            f"A test notification for {clinic_name}, sent at {_at(sent_at)} on {_on(sent_at)} from the clinic's "
            f"settings — no action needed. bonemets: {link(None)}\n"
        ),
    )
