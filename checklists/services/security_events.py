"""The security event log (issue 9): one structured record per sign-in, refusal, print and export.

Each record keeps UTC time, user id, source address, action, object type and id and request id — never a name,
an MRN or a value — in the database (append-only) and as one JSON log line, whose quoting keeps a CR or LF
typed by anyone from starting a forged line.
"""

import ipaddress
import json
import logging

from django.utils import timezone

from checklists.models import SecurityEvent

logger = logging.getLogger("bonemets.security")


def _address(request) -> str | None:
    try:
        return str(ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")))
    except ValueError:
        return None


def record(request, action: str, *, obj=None, user=None, clinic=None) -> SecurityEvent:
    """Record that `action` happened in this request (to `obj`, a record of `clinic`)."""
    if user is None and getattr(request, "user", None) is not None and request.user.is_authenticated:
        user = request.user
    event = SecurityEvent.objects.create(
        at=timezone.now(),
        user=user,
        ip_address=_address(request),
        action=action,
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        request_id=getattr(request, "id", ""),
        clinic=clinic,
    )
    logger.info(
        json.dumps(
            {
                "event": "security",
                "at": event.at.isoformat(),
                "user_id": event.user_id,
                "ip": event.ip_address,
                "action": action,
                "object_type": event.object_type,
                "object_id": event.object_id,
                "request_id": event.request_id,
                "clinic_id": event.clinic_id,
            }
        )
    )
    return event
