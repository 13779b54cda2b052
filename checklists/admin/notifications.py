"""The notification log (issue 15 §2): what each clinic's contacts were told and whether it reached them. Clinic
admins read their clinics' (scoped like every admin page); nobody writes it through the admin."""

from django.contrib import admin

from checklists.models import Notification

from .scoping import ReadOnlyForClinicAdmins


@admin.register(Notification)
class NotificationAdmin(ReadOnlyForClinicAdmins):
    clinic_path = "clinic"
    list_display = ["created_at", "purpose", "tier", "contact", "recipient", "status", "sent_at"]
    list_filter = ["status", "purpose", "channel", ("clinic", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "created_at"
    list_select_related = ["clinic"]
    fields = [
        "clinic",
        "flag",
        "purpose",
        "tier",
        "contact",
        "channel",
        "recipient",
        "subject",
        "body",
        "status",
        "attempts",
        "created_at",
        "last_attempt_at",
        "first_failed_at",
        "sent_at",
        "last_error",
    ]
