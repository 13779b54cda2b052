"""The second factor: an authenticator app (TOTP) and one-time backup codes, with django-otp (issue 8)."""

from django.db import transaction
from django_otp import devices_for_user, verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .people import end_sessions

BACKUP_CODE_COUNT = 10
AUTHENTICATOR = "Authenticator app"
BACKUP_CODES = "Backup codes"
WRONG_CODE = "That code is not right. Check the time on your phone, wait for a new code and try again."


class WrongCode(Exception):
    """The code typed does not match the authenticator being set up."""


def pending_authenticator(user) -> TOTPDevice:
    """The authenticator being set up (made once, so reloading the page keeps the same QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)


@transaction.atomic
def confirm_authenticator(*, user, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the authenticator with its first code; replace any earlier one; return fresh backup codes."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if not device.verify_token(code):
        raise WrongCode(WRONG_CODE)
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save()
    return new_backup_codes(user=user)


@transaction.atomic
def new_backup_codes(*, user) -> list[str]:
    """Replace the user's backup codes with fresh ones; they are shown once, each works once."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=BACKUP_CODES, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def reset(*, user) -> None:
    """Remove the user's authenticator and backup codes and end their sessions (a lost phone)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    end_sessions(user)


def verify(*, user, code: str):
    """The device that accepts the code: the authenticator, or a backup code (used up); None if none does.

    django-otp's verify_token runs each check in its own transaction, so its throttling of repeated wrong codes
    is kept even though the sign-in is refused.
    """
    for device in devices_for_user(user):
        if verify_token(user, device.persistent_id, code):
            return device
    return None
