"""The admin clinic admins use to own the checklist, ranges, sources, test cases, their staff and lockouts."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult
from user_sessions.models import Session

from . import audit, checklist, lockouts, notifications, people, reference, security_events, test_cases  # noqa: F401

# Admins other apps register (checklists comes last in INSTALLED_APPS, so theirs exist by now) that nobody should
# use: the session list would show session keys (each one a sign-in), the device lists authenticator secrets, the
# task results every clinic's queued work, outside the one clinic-scoping rule.
for model in (Session, TOTPDevice, StaticDevice, DBTaskResult):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
