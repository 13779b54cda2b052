from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from checklists.accounts.policy import second_factor_not_required
from checklists.forms.account import SignInForm
from checklists.views.health import healthz

sign_in = auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True)

urlpatterns = [
    # For the load balancer: no sign-in, no redirect to HTTPS (settings.SECURE_REDIRECT_EXEMPT).
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", sign_in, name="login"),
    path("accounts/logout/", second_factor_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("checklists.urls")),
]

# Error pages in the app's look that leak nothing (checklists/views/errors.py).
handler400 = "checklists.views.errors.bad_request"
handler403 = "checklists.views.errors.permission_denied"
handler404 = "checklists.views.errors.page_not_found"
handler500 = "checklists.views.errors.server_error"
