"""The app's URLs plus the bare page: a signed-in request through every middleware, a few bytes back, no query of
its own. What any page of the app costs at least on this stack (issue 13)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path

from bonemets.urls import handler400, handler403, handler404, handler500  # noqa: F401 - the same error pages


@login_required
def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


@login_required
def frame(request):
    """The app's frame alone: base.html (navigation, open-flag counts, session clock) around nothing. What every
    page of the app costs before its own content."""
    return render(request, "base.html")


urlpatterns = [
    path("bench/bare/", bare, name="bench-bare"),
    path("bench/frame/", frame, name="bench-frame"),
    path("", include("bonemets.urls")),
]
