"""Writes: lifting lockouts, adding and removing two-factor devices."""

import time
from binascii import unhexlify

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Authenticator app"


def lockout_lift(*, username: str | None = None, ip_address: str | None = None) -> int:
    """Forget the failed attempts of one account or one client address; returns how many rows went.

    Operators can do the same with `manage.py axes_reset_username NAME` or `axes_reset_ip ADDRESS`.
    """
    if not username and not ip_address:
        return 0
    return AxesProxyHandler.reset_attempts(username=username, ip_address=ip_address)


def totp_device_add(*, user: AbstractBaseUser, key: str, token: str) -> TOTPDevice | None:
    """Make `key` the person's one authenticator if `token` is a current code for it; None if not.

    One device per person: a new phone replaces the old one. The code's time step is
    recorded as used, so it cannot be replayed to sign in.
    """
    totp = TOTP(unhexlify(key))
    totp.time = time.time()
    if not (token.isascii() and token.isdigit()) or not totp.verify(int(token), tolerance=1):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=key, confirmed=True, last_t=totp.t())


def totp_devices_remove(*, user: AbstractBaseUser) -> int:
    """Turn two-factor off for a person (a lost phone): they set it up again at their next sign-in if required."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    return deleted
