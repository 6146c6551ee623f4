from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from .sessions import mark_signed_in


@receiver(user_logged_in, dispatch_uid="newsdesk_staff_signed_in")
def stamp_session(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    # Every way in (the admin login, the test client's login and force_login) sends this signal.
    if request is not None and hasattr(request, "session"):
        mark_signed_in(request.session)
