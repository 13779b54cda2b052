"""The admin site: reached only by staff with a verified second factor, through the app's one sign-in page."""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator

NOT_FOR_THIS_ACCOUNT = "The admin is for clinic admins; your account cannot open it."


class BonemetsAdminSite(admin.AdminSite):
    site_header = "bonemets administration"
    site_title = "bonemets admin"
    index_title = "Checklist, reference ranges, sources, test cases, staff and sign-in lockouts"
    site_url = "/"

    def get_urls(self):
        # Django's "view on site" shortcut loads any object by type and id, whatever its clinic, and redirects to
        # it: a way to learn which ids exist in another clinic. No bonemets admin page needs it.
        return [url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"]

    def has_permission(self, request):
        # OTPMiddleware gives every request's user is_verified(): true once a second factor was entered.
        return super().has_permission(request) and request.user.is_verified()

    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        """One way in: the app's sign-in page, throttled by django-axes and followed by the second factor."""
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect("admin:index")
            raise PermissionDenied(NOT_FOR_THIS_ACCOUNT)
        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index"))
