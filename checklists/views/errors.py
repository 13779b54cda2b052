"""Error pages that help and do not leak (issue 9): the app's look, a plain sentence, an incident id on 500.

None of them shows a traceback, SQL, a setting or patient data. The 500 page is rendered without the context
processors or the session, so it still answers when the database is down.
"""

import logging

from django.http import HttpResponseBadRequest, HttpResponseForbidden, HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from checklists.models import SecurityAction
from checklists.services.security_events import record

from .access import NO_CLINIC

logger = logging.getLogger("bonemets.errors")

# Refusals whose words are meant for the person refused; any other refusal gets the general sentence.
EXPLAINED = {NO_CLINIC}
CSRF_FAILED = (
    "This form was open too long or in another tab, so it could not be sent safely. Go back, reload the page and "
    "try again; what you typed may need entering again."
)


def _page(request, template, status, **context):
    return loader.render_to_string(template, context, request=request if status != 500 else None)


@requires_csrf_token
def bad_request(request, exception=None):
    return HttpResponseBadRequest(_page(request, "400.html", 400))


@requires_csrf_token
def permission_denied(request, exception=None):
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        record(request, SecurityAction.DENIED_ROLE)
    reason = str(exception) if exception is not None and str(exception) in EXPLAINED else ""
    return HttpResponseForbidden(_page(request, "403.html", 403, reason=reason, no_clinic=reason == NO_CLINIC))


@requires_csrf_token
def page_not_found(request, exception=None):
    return HttpResponseNotFound(_page(request, "404.html", 404))


def server_error(request):
    return HttpResponseServerError(_page(request, "500.html", 500, incident=getattr(request, "id", "")))


def csrf_failure(request, reason=""):
    return HttpResponseForbidden(_page(request, "403.html", 403, reason=CSRF_FAILED))
