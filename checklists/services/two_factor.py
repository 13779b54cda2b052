"""The second factor: an authenticator app (TOTP) and one-time backup codes, with django-otp (issue 8)."""

from binascii import unhexlify

from django.db import transaction
from django_otp import devices_for_user, verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from .people import end_sessions

BACKUP_CODE_COUNT = 10
AUTHENTICATOR = "Authenticator app"
BACKUP_CODES = "Backup codes"
WRONG_CODE = "That code is not right. Check the time on your phone, wait for a new code and try again."


class WrongCode(Exception):
    """The code typed does not match the authenticator being set up."""


def new_authenticator_key() -> str:
    """A fresh secret for an authenticator being set up (hex, as django-otp stores it).

    It lives in the browser session that set-up page was opened in, not in the database, until a code from the
    app confirms it: someone else signed in with the same password never sees it.
    """
    return random_hex(20)


def unsaved_authenticator(user, key: str) -> TOTPDevice:
    """The authenticator a key would make, to draw its QR code (not saved)."""
    return TOTPDevice(user=user, name=AUTHENTICATOR, key=key, confirmed=False)


@transaction.atomic
def confirm_authenticator(*, user, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Save the authenticator once its first code matches; replace any earlier one; return it and fresh backup codes."""
    totp = TOTP(unhexlify(key))
    if not totp.verify(int(code), tolerance=1):
        raise WrongCode(WRONG_CODE)
    TOTPDevice.objects.filter(user=user).delete()
    # last_t: the code just used to confirm cannot also sign someone in.
    device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, key=key, confirmed=True, last_t=totp.t())
    return device, new_backup_codes(user=user)


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
