"""Who may read: anyone (unless NEWSDESK_API_ANONYMOUS is off), or the holder of a key."""

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from .models import ApiKey


class ReadAllowed(BasePermission):
    message = "This API needs a key: send “Authorization: Bearer <token>”."

    def has_permission(self, request: Request, view: object) -> bool:
        # Browsers send a CORS preflight (OPTIONS) without the key; it reveals no content.
        if request.method not in SAFE_METHODS or request.method == "OPTIONS":
            # Let DRF answer 405 (no view here has a handler that writes), not a 401 asking for a key.
            return True
        return isinstance(request.auth, ApiKey) or bool(settings.NEWSDESK_API_ANONYMOUS)


def key_grants(request: Request, scope: str) -> bool:
    return isinstance(request.auth, ApiKey) and request.auth.grants(scope)
