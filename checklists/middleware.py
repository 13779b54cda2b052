"""Cross-cutting answers to every request: its id, and no caching of anything the app serves (issue 9)."""

import secrets

from django.core.signals import request_finished
from django.dispatch import receiver
from django.utils.cache import add_never_cache_headers

from .logs import current_request_id


class RequestIdMiddleware:
    """Give every request a short random id, in the X-Request-ID header and in every log line it causes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = secrets.token_hex(6)
        # Kept until the request has finished (then "-": request_finished below), not only until this middleware
        # returns: Django logs a 4xx or 5xx answer ("Not Found: …") after the whole chain has returned.
        current_request_id.set(request.id)
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        return response


@receiver(request_finished, dispatch_uid="bonemets_request_id_finished")
def request_id_finished(sender, **kwargs):
    current_request_id.set("-")


class NoStoreMiddleware:
    """Cache-Control: no-store on everything the app renders or streams, so no visit page, printed summary or
    export stays in a shared workstation's browser cache after sign-out. Static files never reach this."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
