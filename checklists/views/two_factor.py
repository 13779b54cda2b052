"""The second factor at sign-in: enter a code, or set up an authenticator app the first time (issue 8)."""

import base64

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import user_has_device
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from checklists.accounts.policy import second_factor_not_required
from checklists.forms.account import WRONG_CODE_AT_SIGN_IN, SecondFactorForm
from checklists.models import SecurityAction
from checklists.services import security_events, two_factor

BACKUP_CODE_USED = "You signed in with a backup code; {left} left. If your phone is lost, set up a new authenticator."
PENDING_KEY = "bonemets_pending_authenticator_key"


def _verified(request, device) -> None:
    """Mark the session as past the second factor, under a new session key (a session planted before the code
    must not become a verified one)."""
    django_otp.login(request, device)
    request.session.cycle_key()


def _next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return reverse(settings.LOGIN_REDIRECT_URL)


def _demo_code(user) -> str:
    """With DEBUG on, a demo account's current code, so the demo works without a phone (README)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if not (settings.DEBUG and user.is_demo and device):
        return ""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


@require_http_methods(["GET", "POST"])
@second_factor_not_required
def two_factor_verify(request):
    user, next_url = request.user, _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    if not user_has_device(user):
        return redirect(f"{reverse('checklists:two-factor-setup')}?{urlencode({'next': next_url})}")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            _verified(request, device)
            security_events.record(request, SecurityAction.SECOND_FACTOR_PASSED)
            if isinstance(device, StaticDevice):
                messages.warning(request, BACKUP_CODE_USED.format(left=two_factor.backup_codes_left(user)))
            return redirect(next_url)
        security_events.record(request, SecurityAction.SECOND_FACTOR_FAILED)
        form.add_error("code", WRONG_CODE_AT_SIGN_IN)
    context = {"form": form, "next": next_url, "demo_code": _demo_code(user)}
    return render(request, "checklists/two_factor_verify.html", context)


@require_http_methods(["GET", "POST"])
@second_factor_not_required
def two_factor_setup(request):
    user, next_url = request.user, _next_url(request)
    if user_has_device(user) and not user.is_verified():
        # Replacing an authenticator needs the current one (or a backup code) first.
        return redirect(f"{reverse('checklists:two-factor')}?{urlencode({'next': request.get_full_path()})}")
    key = request.session.setdefault(PENDING_KEY, two_factor.new_authenticator_key())
    form = SecondFactorForm(request.POST or None, backup_codes_allowed=False)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = two_factor.confirm_authenticator(user=user, key=key, code=form.cleaned_data["code"])
        except two_factor.WrongCode as wrong:
            form.add_error("code", str(wrong))
        else:
            del request.session[PENDING_KEY]
            _verified(request, device)
            return render(request, "checklists/two_factor_backup_codes.html", {"codes": codes, "next": next_url})
    device = two_factor.unsaved_authenticator(user, key)
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": next_url,
        # The QR code is drawn from the otpauth:// address by segno: SVG paths only, no text from the user.
        "qr_svg": mark_safe(segno.make(device.config_url).svg_inline(scale=4, title="Authenticator QR code")),  # noqa: S308  # nosec B308 B703
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
    }
    return render(request, "checklists/two_factor_setup.html", context)


@require_POST
def backup_codes_renew(request):
    """New backup codes (the old ones stop working), shown once."""
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("checklists:two-factor-setup")
    codes = two_factor.new_backup_codes(user=request.user)
    return render(
        request, "checklists/two_factor_backup_codes.html", {"codes": codes, "next": reverse("checklists:account")}
    )
