"""Cross-cutting answers to every request: its id, and no caching of anything the app serves (issue 9)."""

import secrets

from django.utils.cache import add_never_cache_headers

from .logs import current_request_id


class RequestIdMiddleware:
    """Give every request a short random id, in the X-Request-ID header and in every log line it causes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = secrets.token_hex(6)
        token = current_request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request.id
        return response


class NoStoreMiddleware:
    """Cache-Control: no-store on everything the app renders or streams, so no visit page, printed summary or
    export stays in a shared workstation's browser cache after sign-out. Static files never reach this."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
