"""Who may read: anyone (unless NEWSDESK_API_ANONYMOUS is off), or the holder of a key."""

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from .models import ApiKey


class ReadAllowed(BasePermission):
    message = "This API needs a key: send “Authorization: Bearer <token>”."

    def has_permission(self, request: Request, view: object) -> bool:
        if request.method not in SAFE_METHODS:
            return False
        return isinstance(request.auth, ApiKey) or bool(settings.NEWSDESK_API_ANONYMOUS)


def key_grants(request: Request, scope: str) -> bool:
    return isinstance(request.auth, ApiKey) and request.auth.grants(scope)
