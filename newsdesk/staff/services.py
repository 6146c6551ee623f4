"""Writes: lifting lockouts, adding and removing two-factor devices."""

import time
from binascii import unhexlify

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import LogActionRegistry, log

DEVICE_NAME = "Authenticator app"


UNLOCK_ACTION = "staff.unlock"
TWO_FACTOR_RESET_ACTION = "staff.two_factor_reset"


def register_log_actions(registry: LogActionRegistry) -> None:
    registry.register_action(UNLOCK_ACTION, _("Unlock sign-in"), _("Sign-in lock lifted"))
    registry.register_action(TWO_FACTOR_RESET_ACTION, _("Reset two-factor"), _("Two-factor authentication reset"))


def lockout_lift(
    *, username: str | None = None, ip_address: str | None = None, by: AbstractBaseUser | None = None
) -> int:
    """Forget the failed attempts of one account or one client address; returns how many rows went.

    Logged in the audit log (Reports → Site history) against the account when it exists, else
    against the Admin who lifted it. Operators can do the same with `manage.py
    axes_reset_username NAME` or `axes_reset_ip ADDRESS`.
    """
    if not username and not ip_address:
        return 0
    lifted: int = AxesProxyHandler.reset_attempts(username=username, ip_address=ip_address)
    User = get_user_model()
    account = User.objects.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    target = account or by
    if target is not None:
        what = f"account {username}" if username else f"client {ip_address}"
        log(
            instance=target,
            action=UNLOCK_ACTION,
            user=by,
            title=f"Unlocked {what}",
            data={"username": username or "", "ip_address": ip_address or "", "attempts": lifted},
        )
    return lifted


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


def totp_devices_remove(*, user: AbstractBaseUser, by: AbstractBaseUser | None = None) -> int:
    """Turn two-factor off for a person (a lost phone): they set it up again at their next sign-in if required."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        log(instance=user, action=TWO_FACTOR_RESET_ACTION, user=by, title=str(user))
    return deleted
